/*
 * romlz.c - the compressor for the legacy option ROM's payload.
 *
 * Usage: romlz IN OUT
 *
 * The format is decoded by src/bios/romprefix.asm (unlz there): one bit
 * stream and one byte stream interleaved in a single file.  Bits are read
 * MSB first from a tag byte that is fetched from the stream when the
 * previous one is used up (so a tag byte sits in the file just before the
 * bytes that follow its first bit).
 *
 *   0 <byte>                     a literal byte
 *   1 gamma(hi + 2) <lo> gamma(len)   a match: offset = hi * 256 + lo + 1
 *                                bytes back, len >= 2 bytes (may overlap)
 *
 * gamma(n), n >= 2: the bits of n after its leading 1, each followed by a
 * continuation bit (1 = more).  The decoder stops when it has produced
 * the uncompressed size, which the caller knows; nothing marks the end.
 *
 * The parse is optimal for this cost model (dynamic programming from the
 * end), matches found through hash chains of 2-byte keys.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OFFSET	65536u	/* hi + 2 stays small; the window */
#define MAX_LEN		65535u
#define CHAIN_DEPTH	2048u

static unsigned int gamma_bits(uint32_t n)
{
	unsigned int b = 0;

	while (n > 1) {
		b += 2;
		n >>= 1;
	}
	return b;
}

static unsigned int match_bits(uint32_t off, uint32_t len)
{
	return 1 + gamma_bits(((off - 1) >> 8) + 2) + 8 + gamma_bits(len);
}

struct out {
	uint8_t *buf;
	size_t len;
	size_t tag;	/* index of the current tag byte */
	int nbits;	/* bits left in it */
};

static void put_bit(struct out *o, int bit)
{
	if (o->nbits == 0) {
		o->tag = o->len++;
		o->buf[o->tag] = 0;
		o->nbits = 8;
	}
	o->nbits--;
	if (bit)
		o->buf[o->tag] |= (uint8_t)(1u << o->nbits);
}

static void put_byte(struct out *o, uint8_t b)
{
	o->buf[o->len++] = b;
}

static void put_gamma(struct out *o, uint32_t n)
{
	int top = 31;

	while (!(n >> top))
		top--;
	for (top--; top >= 0; top--) {
		put_bit(o, (int)((n >> top) & 1));
		put_bit(o, top > 0);
	}
}

/* The decoder romprefix.asm implements, to check every output. */
static int unlz(const uint8_t *src, size_t slen, uint8_t *dst, size_t dlen)
{
	size_t s = 0, d = 0;
	unsigned int tag = 0, nb = 0;
#define GETBIT(b) do { if (!nb) { if (s >= slen) return -1; \
		tag = src[s++]; nb = 8; } nb--; (b) = (tag >> nb) & 1; } while (0)
	while (d < dlen) {
		unsigned int bit;

		GETBIT(bit);
		if (!bit) {
			if (s >= slen)
				return -1;
			dst[d++] = src[s++];
		} else {
			uint32_t g[2], off, k;
			int which;

			for (which = 0; which < 2; which++) {
				uint32_t v = 1;

				do {
					GETBIT(bit);
					v = v * 2 + bit;
					GETBIT(bit);
				} while (bit && v < 0x1000000);
				g[which] = v;
				if (which == 0) {
					if (s >= slen)
						return -1;
					g[1] = src[s++];
					off = ((g[0] - 2) << 8) + g[1] + 1;
				}
			}
			if (off > d || g[1] > dlen - d)
				return -1;
			for (k = 0; k < g[1]; k++, d++)
				dst[d] = dst[d - off];
		}
	}
	return 0;
#undef GETBIT
}

int main(int argc, char **argv)
{
	FILE *f;
	uint8_t *in;
	long sz;
	size_t n, i;
	uint32_t *cost, *moff, *mlen, *head, *prev;
	struct out o = { 0 };

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
	cost = calloc(n + 1, sizeof(*cost));
	moff = calloc(n + 1, sizeof(*moff));
	mlen = calloc(n + 1, sizeof(*mlen));
	head = malloc(65536 * sizeof(*head));
	prev = calloc(n + 1, sizeof(*prev));
	o.buf = malloc(n * 2 + 16);
	if (!in || !cost || !moff || !mlen || !head || !prev || !o.buf ||
	    fread(in, 1, n, f) != n) {
		fprintf(stderr, "romlz: cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	/* prev[i]: the last position before i with the same 2-byte key */
	memset(head, 0xFF, 65536 * sizeof(*head));
	for (i = 0; i + 1 < n; i++) {
		unsigned int k = in[i] | (unsigned int)in[i + 1] << 8;

		prev[i] = head[k];
		head[k] = (uint32_t)i;
	}
	cost[n] = 0;
	for (i = n; i-- > 0;) {
		uint32_t best = 9 + cost[i + 1], bo = 0, bl = 1, got = 1;
		uint32_t j = i + 1 < n ? prev[i] : UINT32_MAX;
		unsigned int depth = 0;

		for (; j != UINT32_MAX && i - j <= MAX_OFFSET &&
		     depth < CHAIN_DEPTH; j = prev[j], depth++) {
			uint32_t off = (uint32_t)(i - j), l = 0, len;

			while (i + l < n && l < MAX_LEN && in[j + l] == in[i + l])
				l++;
			/* lengths the nearer offsets did not reach */
			for (len = got + 1; len <= l; len++) {
				uint32_t c = match_bits(off, len) + cost[i + len];

				if (c < best) {
					best = c;
					bo = off;
					bl = len;
				}
			}
			if (l > got)
				got = l;
		}
		cost[i] = best;
		moff[i] = bo;
		mlen[i] = bl;
	}
	for (i = 0; i < n;) {
		if (mlen[i] < 2) {
			put_bit(&o, 0);
			put_byte(&o, in[i]);
			i++;
			continue;
		}
		put_bit(&o, 1);
		put_gamma(&o, ((moff[i] - 1) >> 8) + 2);
		put_byte(&o, (uint8_t)((moff[i] - 1) & 0xFF));
		put_gamma(&o, mlen[i]);
		i += mlen[i];
	}
	{
		uint8_t *chk = malloc(n + 1);

		if (!chk || unlz(o.buf, o.len, chk, n) || memcmp(chk, in, n)) {
			fprintf(stderr, "romlz: output does not decode to the input\n");
			return 1;
		}
		free(chk);
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(o.buf, 1, o.len, f) != o.len || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
