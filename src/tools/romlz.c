/*
 * romlz.c - the compressor for aoeboot's compressed BIOS images.
 *
 * Usage: romlz IN OUT
 *
 * The format is raw LZMA (the LZMA1 algorithm without any header) with
 * the fixed parameters lc=3, lp=0, pb=0, encoded by liblzma's strongest
 * preset (9e), minus the encoder's first byte (always 0), of the input
 * after an x86 filter: every E8/E9 (call/jmp rel32) whose rel32 lies in
 * -2^24..2^24-1 gets it turned into an absolute 25-bit target (plus the
 * offset of the byte after the rel32, modulo 2^25, sign-extended again);
 * after every E8/E9, converted or not, the scan goes on after its rel32,
 * so the filter and its inverse look at the same bytes.  Calls to one function then
 * repeat the same 4 bytes.  The decoder
 * is src/bios/unlz.inc (16-bit real mode, 32-bit registers, flat
 * DS/ES), shared by the option ROM prefix, the self-extracting
 * aoeboot.pxe and aoeboot.lkrn; romlz_decode() below is the same
 * algorithm step by step, bounds-checked, and every output is decoded
 * with it and compared with the input before it is written.  The
 * uncompressed size is known to the decoder's caller; whatever follows
 * (the encoder's end marker) is not read.
 *
 * The decoder's scratch memory: ROMLZ_SCRATCH bytes (its variables and
 * the probability table), which the asm decoder takes at EBX.
 *
 * Build with -DROMLZ_NO_MAIN to include only the functions (the unit test
 * and the fuzz harness), and -DROMLZ_NO_ENCODER to leave liblzma out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef ROMLZ_NO_ENCODER
#include <lzma.h>
#endif

/* Probability indices, as in unlz.inc (LZMA's own layout, pb = 0). */
#define RL_IS_MATCH	0
#define RL_IS_REP	12
#define RL_IS_REP_G0	24
#define RL_IS_REP_G1	36
#define RL_IS_REP_G2	48
#define RL_IS_REP0_LONG	60
#define RL_POS_SLOT	72	/* 4 trees of 64 */
#define RL_SPEC_POS	328	/* 115 */
#define RL_ALIGN	443	/* 16 */
#define RL_LEN		459	/* 274: choice, choice2, low 8, mid 8, high 256 */
#define RL_REP_LEN	733	/* 274 */
#define RL_LITERAL	1007	/* 8 contexts of 0x300 */
#define RL_NPROBS	(RL_LITERAL + 8 * 0x300)
#define RL_VARS		36	/* the asm decoder's variables before the table */
#define ROMLZ_SCRATCH	(RL_VARS + 2 * RL_NPROBS)

struct rl_dec {
	const uint8_t *in;
	size_t in_len, in_pos;
	uint32_t range, code;
	int bad;
	uint16_t p[RL_NPROBS];
};

static void rl_norm(struct rl_dec *d)
{
	if (d->range >= (1u << 24))
		return;
	if (d->in_pos >= d->in_len) {
		d->bad = 1;
		return;
	}
	d->range <<= 8;
	d->code = (d->code << 8) | d->in[d->in_pos++];
}

static unsigned int rl_bit(struct rl_dec *d, unsigned int i)
{
	uint32_t bound;

	rl_norm(d);
	bound = (d->range >> 11) * d->p[i];
	if (d->code < bound) {
		d->range = bound;
		d->p[i] = (uint16_t)(d->p[i] + ((2048 - d->p[i]) >> 5));
		return 0;
	}
	d->code -= bound;
	d->range -= bound;
	d->p[i] = (uint16_t)(d->p[i] - (d->p[i] >> 5));
	return 1;
}

/* An n-bit tree at probs base+1..: *fwd its value MSB first, the return
 * value the same bits LSB first (what unlz.inc's tree does). */
static uint32_t rl_tree(struct rl_dec *d, unsigned int base, unsigned int n,
			uint32_t *fwd)
{
	uint32_t m = 1, rev = 0;
	unsigned int k;

	for (k = 0; k < n; k++) {
		unsigned int bit = rl_bit(d, base + m);

		m = m * 2 + bit;
		rev |= (uint32_t)bit << k;
	}
	*fwd = m - (1u << n);
	return rev;
}

static uint32_t rl_len(struct rl_dec *d, unsigned int base)
{
	uint32_t v;

	if (!rl_bit(d, base)) {
		rl_tree(d, base + 2, 3, &v);
		return v;
	}
	if (!rl_bit(d, base + 1)) {
		rl_tree(d, base + 10, 3, &v);
		return v + 8;
	}
	rl_tree(d, base + 18, 8, &v);
	return v + 16;
}

/* rep0 = rep[i], rep[1..i] = rep[0..i-1] */
static void rl_rep_shift(uint32_t *rep, unsigned int i)
{
	uint32_t dist = rep[i];

	for (; i > 0; i--)
		rep[i] = rep[i - 1];
	rep[0] = dist;
}

/* The x86 filter (the header's), @enc: forward, else undo it. */
static void rl_x86(uint8_t *b, size_t n, int enc)
{
	size_t i = 0;

	while (i + 5 <= n) {
		uint8_t *p = b + i;
		uint32_t v;

		if ((p[0] & 0xFE) != 0xE8) {
			i++;
			continue;
		}
		i += 5;		/* after any E8/E9: past its rel32, both ways alike */
		if (p[4] != 0 && p[4] != 0xFF)
			continue;
		v = (uint32_t)p[1] | (uint32_t)p[2] << 8 |
			(uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
		v = (enc ? v + (uint32_t)i : v - (uint32_t)i) & 0x1FFFFFFu;
		if (v & 0x1000000u)
			v |= 0xFE000000u;
		p[1] = (uint8_t)v;
		p[2] = (uint8_t)(v >> 8);
		p[3] = (uint8_t)(v >> 16);
		p[4] = (uint8_t)(v >> 24);
	}
}

static uint8_t rl_state(uint8_t state, uint8_t lo, uint8_t hi)
{
	return state < 7 ? lo : hi;
}

/**
 * romlz_decode() - inflate romlz's format.
 * @src: the compressed bytes; @slen: their number
 * @dst: the output buffer; @dlen: the uncompressed size, exactly
 *
 * Return: 0 when exactly @dlen bytes were produced from @src, -1 when the
 * input is corrupt or ends early (@dst then holds garbage, nothing is read
 * or written outside the two buffers).
 */
static int romlz_decode(const uint8_t *src, size_t slen, uint8_t *dst,
			size_t dlen)
{
	struct rl_dec *d = malloc(sizeof(*d));
	uint32_t rep[4] = { 0, 0, 0, 0 };
	uint8_t state = 0;
	size_t pos = 0;
	unsigned int i;
	int ret = -1;

	if (!d)
		return -1;
	d->in = src;
	d->in_len = slen;
	d->in_pos = 0;
	d->range = 0xFFFFFFFFu;
	d->code = 0;
	d->bad = 0;
	for (i = 0; i < RL_NPROBS; i++)
		d->p[i] = 1024;
	if (slen < 4)
		goto out;
	for (i = 0; i < 4; i++)
		d->code = (d->code << 8) | src[d->in_pos++];
	while (pos < dlen && !d->bad) {
		uint32_t len, k;

		if (!rl_bit(d, RL_IS_MATCH + state)) {
			unsigned int base, sym = 1;

			base = RL_LITERAL +
				0x300 * (pos ? (unsigned int)(dst[pos - 1] >> 5) : 0);
			if (state >= 7) {
				unsigned int mb;

				if (rep[0] >= pos)
					goto out;
				mb = dst[pos - rep[0] - 1];
				do {
					unsigned int mbit = (mb >> 7) & 1, bit;

					mb <<= 1;
					bit = rl_bit(d, base + 0x100 + (mbit << 8) + sym);
					sym = sym * 2 + bit;
					if (bit != mbit)
						break;
				} while (sym < 0x100);
			}
			while (sym < 0x100)
				sym = sym * 2 + rl_bit(d, base + sym);
			dst[pos++] = (uint8_t)sym;
			state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
			continue;
		}
		if (!rl_bit(d, RL_IS_REP + state)) {
			uint32_t slot, fwd, dist;

			rl_rep_shift(rep, 3);
			state = rl_state(state, 7, 10);
			len = rl_len(d, RL_LEN);
			rl_tree(d, RL_POS_SLOT + 64 * (len < 3 ? len : 3), 6, &slot);
			if (slot < 4) {
				dist = slot;
			} else {
				unsigned int nd = (slot >> 1) - 1;

				dist = (2 | (slot & 1)) << nd;
				if (slot < 14) {
					dist += rl_tree(d, RL_SPEC_POS + dist - slot,
							nd, &fwd);
				} else {
					uint32_t direct = 0;

					for (k = 0; k < nd - 4; k++) {
						rl_norm(d);
						d->range >>= 1;
						direct <<= 1;
						if (d->code >= d->range) {
							d->code -= d->range;
							direct |= 1;
						}
					}
					dist += direct << 4;
					dist += rl_tree(d, RL_ALIGN, 4, &fwd);
				}
			}
			rep[0] = dist;
		} else if (!rl_bit(d, RL_IS_REP_G0 + state)) {
			if (!rl_bit(d, RL_IS_REP0_LONG + state)) {
				state = rl_state(state, 9, 11);
				if (rep[0] >= pos)
					goto out;
				dst[pos] = dst[pos - rep[0] - 1];
				pos++;
				continue;
			}
			state = rl_state(state, 8, 11);
			len = rl_len(d, RL_REP_LEN);
		} else {
			unsigned int which = 1;

			if (rl_bit(d, RL_IS_REP_G1 + state))
				which = 2 + rl_bit(d, RL_IS_REP_G2 + state);
			rl_rep_shift(rep, which);
			state = rl_state(state, 8, 11);
			len = rl_len(d, RL_REP_LEN);
		}
		len += 2;
		if (rep[0] >= pos || len > dlen - pos)
			goto out;	/* also the end marker (0xFFFFFFFF) */
		for (k = 0; k < len; k++, pos++)
			dst[pos] = dst[pos - rep[0] - 1];
	}
	if (pos == dlen && !d->bad) {
		rl_x86(dst, dlen, 0);
		ret = 0;
	}
out:
	free(d);
	return ret;
}

#ifndef ROMLZ_NO_ENCODER
/**
 * romlz_encode() - compress @n bytes at @in into a new buffer.
 * @in: the data; @n: its size
 * @out_len: set to the compressed size
 *
 * Return: the compressed bytes (malloc'ed, the caller frees them), checked
 * by romlz_decode() against @in; NULL on failure.
 */
static uint8_t *romlz_encode(const uint8_t *in, size_t n, size_t *out_len)
{
	lzma_options_lzma opt;
	lzma_filter filters[2];
	size_t cap = n + n / 2 + 4096, pos = 0;
	uint8_t *out = malloc(cap), *chk = malloc(n + 1);

	if (!out || !chk || lzma_lzma_preset(&opt, 9 | LZMA_PRESET_EXTREME))
		goto fail;
	memcpy(chk, in, n);
	rl_x86(chk, n, 1);
	opt.lc = 3;
	opt.lp = 0;
	opt.pb = 0;
	opt.nice_len = 273;
	filters[0].id = LZMA_FILTER_LZMA1;
	filters[0].options = &opt;
	filters[1].id = LZMA_VLI_UNKNOWN;
	filters[1].options = NULL;
	if (lzma_raw_buffer_encode(filters, NULL, chk, n, out, &pos, cap) !=
	    LZMA_OK || pos < 5 || out[0] != 0)
		goto fail;
	memmove(out, out + 1, pos - 1);
	*out_len = pos - 1;
	if (romlz_decode(out, *out_len, chk, n) || memcmp(chk, in, n))
		goto fail;
	free(chk);
	return out;
fail:
	free(out);
	free(chk);
	return NULL;
}
#endif

#ifndef ROMLZ_NO_MAIN
int main(int argc, char **argv)
{
	FILE *f;
	uint8_t *in, *out;
	long sz;
	size_t n, olen;

	if (argc != 3) {
		fprintf(stderr, "usage: romlz IN OUT\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		perror(argv[1]);
		return 1;
	}
	n = (size_t)sz;
	in = malloc(n + 1);
	if (!in || fread(in, 1, n, f) != n) {
		fprintf(stderr, "romlz: cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	out = romlz_encode(in, n, &olen);
	if (!out) {
		fprintf(stderr, "romlz: %s: compressing failed or the output "
			"does not decode to the input\n", argv[1]);
		return 1;
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(out, 1, olen, f) != olen || fclose(f)) {
		perror(argv[2]);
		remove(argv[2]);
		return 1;
	}
	free(out);
	free(in);
	return 0;
}
#endif
