/*
 * eficomp.c - EFI 1.1 compression and decompression (see eficomp.h).
 *
 * The compressor is plain: greedy LZ77 over hash chains, one block per
 * 65535 symbols, Huffman code lengths from a textbook Huffman tree
 * (frequencies halved until no code is longer than 16 bits).  The
 * decompressor decodes canonical codes bit by bit; it exists to check
 * what the compressor wrote (mkrom --info, the tests), not for speed.
 *
 * Bit-level layout of one block, as the UEFI decompressor reads it:
 *   16 bits  number of symbols in the block
 *   PT set   lengths of the 19-symbol code that codes the C lengths:
 *            5-bit count n (0: a 5-bit single symbol follows, 0-bit code);
 *            each length 3 bits, or 7 + (ones until a zero) when >= 7;
 *            after the third length, a 2-bit count of zero lengths
 *   C set    9-bit count n (0: a 9-bit single symbol follows); each
 *            length as a PT symbol: 0 one zero, 1 (4 bits + 3) zeros,
 *            2 (9 bits + 20) zeros, k >= 3 length k - 2
 *   P set    4-bit count, lengths coded as in the PT set (no zero count)
 *   symbols  C code; < 256 a byte, else a match of (c - 253) bytes whose
 *            P code v gives the distance - 1: v for v < 2, else
 *            2^(v-1) + (v - 1 more bits)
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "eficomp.h"

#define NC		510	/* literals + match lengths 3..256 */
#define NP		14	/* position bit counts 0..13 */
#define NT		19	/* symbols coding the C lengths */
#define CBIT		9
#define PBIT		4
#define TBIT		5
#define MAXLEN		16	/* longest Huffman code */
#define WINDOW		8192
#define MIN_MATCH	3
#define MAX_MATCH	256
#define BLOCK_MAX	65535
#define HASH_BITS	15
#define CHAIN_MAX	128

/* --- bit writer ----------------------------------------------------------- */

struct bitw {
	uint8_t *buf;
	size_t len, cap;
	uint32_t acc;		/* pending bits, right-aligned */
	unsigned int n;		/* how many */
	bool oom;
};

static void bw_byte(struct bitw *w, uint8_t b)
{
	if (w->len == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 4096;
		uint8_t *p = realloc(w->buf, cap);

		if (!p) {
			w->oom = true;
			return;
		}
		w->buf = p;
		w->cap = cap;
	}
	w->buf[w->len++] = b;
}

/* Write the low @n bits of @v, most significant first (n <= 16). */
static void bw_put(struct bitw *w, uint32_t v, unsigned int n)
{
	w->acc = (w->acc << n) | (v & ((1u << n) - 1));
	w->n += n;
	while (w->n >= 8) {
		w->n -= 8;
		bw_byte(w, (uint8_t)(w->acc >> w->n));
	}
}

static void bw_flush(struct bitw *w)
{
	if (w->n)
		bw_put(w, 0, 8 - w->n);
}

/* --- Huffman code lengths and canonical codes ------------------------------ */

/*
 * Code lengths for @n symbols of frequencies @freq, none over MAXLEN.
 * Symbols of frequency 0 get length 0.  Needs at least two used symbols.
 */
static void huff_lengths(const uint32_t *freq, unsigned int n, uint8_t *len)
{
	uint32_t f[2 * NC], w[2 * NC];
	int parent[2 * NC];
	bool alive[2 * NC];
	unsigned int i, nodes, used, depth, j;
	bool too_long;

	for (i = 0; i < n; i++)
		f[i] = freq[i];
	do {
		nodes = n;
		used = 0;
		for (i = 0; i < n; i++) {
			w[i] = f[i];
			alive[i] = f[i] > 0;
			parent[i] = -1;
			used += alive[i];
		}
		/* Join the two lightest live nodes until one is left. */
		while (used > 1) {
			int a = -1, b = -1;

			for (i = 0; i < nodes; i++) {
				if (!alive[i])
					continue;
				if (a < 0 || w[i] < w[a]) {
					b = a;
					a = (int)i;
				} else if (b < 0 || w[i] < w[b]) {
					b = (int)i;
				}
			}
			w[nodes] = w[a] + w[b];
			alive[nodes] = true;
			parent[nodes] = -1;
			alive[a] = alive[b] = false;
			parent[a] = parent[b] = (int)nodes;
			nodes++;
			used--;
		}
		too_long = false;
		for (i = 0; i < n; i++) {
			len[i] = 0;
			if (!f[i])
				continue;
			depth = 0;
			for (j = i; parent[j] >= 0; j = (unsigned int)parent[j])
				depth++;
			len[i] = (uint8_t)depth;
			if (depth > MAXLEN)
				too_long = true;
		}
		if (too_long)
			for (i = 0; i < n; i++)
				if (f[i])
					f[i] = (f[i] + 1) / 2;
	} while (too_long);
}

/* Canonical codes from lengths (shorter first, then by symbol). */
static void huff_codes(const uint8_t *len, unsigned int n, uint16_t *code)
{
	unsigned int count[MAXLEN + 1] = { 0 }, next[MAXLEN + 2], i;

	for (i = 0; i < n; i++)
		count[len[i]]++;
	count[0] = 0;
	next[1] = 0;
	for (i = 1; i <= MAXLEN; i++)
		next[i + 1] = (next[i] + count[i]) << 1;
	for (i = 0; i < n; i++)
		if (len[i])
			code[i] = (uint16_t)next[len[i]]++;
}

/* Number of used symbols; @only set to the last one seen. */
static unsigned int huff_used(const uint32_t *freq, unsigned int n,
			      unsigned int *only)
{
	unsigned int i, used = 0;

	*only = 0;
	for (i = 0; i < n; i++)
		if (freq[i]) {
			used++;
			*only = i;
		}
	return used;
}

/* Write a PT-style length table (the PT set or the P set). */
static void put_pt_lengths(struct bitw *w, const uint8_t *len, unsigned int n,
			   unsigned int nbit, unsigned int special)
{
	unsigned int number = n, i, z, k;

	while (number > 0 && len[number - 1] == 0)
		number--;
	bw_put(w, number, nbit);
	for (i = 0; i < number;) {
		if (len[i] < 7) {
			bw_put(w, len[i], 3);
		} else {
			bw_put(w, 7, 3);
			for (k = 7; k < len[i]; k++)
				bw_put(w, 1, 1);
			bw_put(w, 0, 1);
		}
		i++;
		if (i == special) {
			for (z = 0; z < 3 && i + z < number && len[i + z] == 0;)
				z++;
			bw_put(w, z, 2);
			i += z;
		}
	}
}

/* --- one block ------------------------------------------------------------------ */

/** LZ77 symbols of the whole input. */
struct tokens {
	uint16_t *c;		/* C symbol */
	uint16_t *pos;		/* distance - 1, for matches */
	size_t n;
};

/* The P symbol (bit count) of a distance - 1. */
static unsigned int pos_sym(unsigned int pos)
{
	unsigned int v = 0;

	while (pos >> v)
		v++;
	return v;
}

/* The C-length run tokens of @clen[0..number) for the PT code. */
static size_t clen_tokens(const uint8_t *clen, unsigned int number,
			  uint8_t *tok, uint16_t *extra)
{
	unsigned int i = 0, r;
	size_t n = 0;

	while (i < number) {
		if (clen[i]) {
			tok[n++] = (uint8_t)(clen[i] + 2);
			i++;
			continue;
		}
		for (r = 0; i + r < number && clen[i + r] == 0;)
			r++;
		i += r;
		while (r) {
			if (r <= 2) {
				tok[n++] = 0;
				r--;
			} else if (r <= 18) {
				tok[n] = 1;
				extra[n++] = (uint16_t)(r - 3);
				r = 0;
			} else if (r == 19) {
				tok[n++] = 0;
				r--;
			} else {
				unsigned int take = r > 531 ? 531 : r;

				tok[n] = 2;
				extra[n++] = (uint16_t)(take - 20);
				r -= take;
			}
		}
	}
	return n;
}

static void put_block(struct bitw *w, const struct tokens *t, size_t first,
		      size_t count)
{
	uint32_t cfreq[NC] = { 0 }, pfreq[NP] = { 0 }, tfreq[NT] = { 0 };
	uint8_t clen[NC] = { 0 }, plen[NP] = { 0 }, tlen[NT] = { 0 };
	uint16_t ccode[NC], pcode[NP], tcode[NT];
	uint8_t tok[2 * NC];
	uint16_t extra[2 * NC];
	unsigned int only, cnumber, i, v;
	size_t k, ntok;

	for (k = first; k < first + count; k++) {
		cfreq[t->c[k]]++;
		if (t->c[k] >= 256)
			pfreq[pos_sym(t->pos[k])]++;
	}
	bw_put(w, (uint32_t)count, 16);

	/* PT set + C set. */
	if (huff_used(cfreq, NC, &only) == 1) {
		bw_put(w, 0, TBIT);
		bw_put(w, 0, TBIT);
		bw_put(w, 0, CBIT);
		bw_put(w, only, CBIT);
		clen[only] = 0;
		ccode[only] = 0;
	} else {
		huff_lengths(cfreq, NC, clen);
		huff_codes(clen, NC, ccode);
		for (cnumber = NC; clen[cnumber - 1] == 0;)
			cnumber--;
		ntok = clen_tokens(clen, cnumber, tok, extra);
		for (k = 0; k < ntok; k++)
			tfreq[tok[k]]++;
		if (huff_used(tfreq, NT, &only) == 1) {
			bw_put(w, 0, TBIT);
			bw_put(w, only, TBIT);
		} else {
			huff_lengths(tfreq, NT, tlen);
			huff_codes(tlen, NT, tcode);
			put_pt_lengths(w, tlen, NT, TBIT, 3);
		}
		bw_put(w, cnumber, CBIT);
		for (k = 0; k < ntok; k++) {
			if (tlen[tok[k]])
				bw_put(w, tcode[tok[k]], tlen[tok[k]]);
			if (tok[k] == 1)
				bw_put(w, extra[k], 4);
			else if (tok[k] == 2)
				bw_put(w, extra[k], CBIT);
		}
	}

	/* P set. */
	if (huff_used(pfreq, NP, &only) <= 1) {
		bw_put(w, 0, PBIT);
		bw_put(w, only, PBIT);
	} else {
		huff_lengths(pfreq, NP, plen);
		huff_codes(plen, NP, pcode);
		put_pt_lengths(w, plen, NP, PBIT, 0);
	}

	/* The symbols. */
	for (k = first; k < first + count; k++) {
		i = t->c[k];
		if (clen[i])
			bw_put(w, ccode[i], clen[i]);
		if (i < 256)
			continue;
		v = pos_sym(t->pos[k]);
		if (plen[v])
			bw_put(w, pcode[v], plen[v]);
		if (v > 1)
			bw_put(w, t->pos[k] - (1u << (v - 1)), v - 1);
	}
}

/* --- LZ77 -------------------------------------------------------------------------- */

static unsigned int hash3(const uint8_t *p)
{
	return ((unsigned int)p[0] << 10 ^ (unsigned int)p[1] << 5 ^ p[2]) &
	       ((1u << HASH_BITS) - 1);
}

static int lz77(const uint8_t *in, size_t len, struct tokens *t)
{
	int32_t *head = malloc(sizeof(*head) << HASH_BITS);
	int32_t *prev = malloc(sizeof(*prev) * (len + 1));
	size_t i = 0, j;
	unsigned int h, best, blen, l, chain;
	int32_t cand;

	t->c = malloc(sizeof(*t->c) * (len + 1));
	t->pos = malloc(sizeof(*t->pos) * (len + 1));
	t->n = 0;
	if (!head || !prev || !t->c || !t->pos) {
		free(head);
		free(prev);
		return -1;
	}
	for (h = 0; h < 1u << HASH_BITS; h++)
		head[h] = -1;
	while (i < len) {
		blen = 0;
		best = 0;
		if (i + MIN_MATCH <= len) {
			h = hash3(in + i);
			for (cand = head[h], chain = 0;
			     cand >= 0 && i - (size_t)cand <= WINDOW - 1 &&
			     chain < CHAIN_MAX;
			     cand = prev[cand], chain++) {
				for (l = 0; l < MAX_MATCH && i + l < len &&
					    in[(size_t)cand + l] == in[i + l];)
					l++;
				if (l > blen) {
					blen = l;
					best = (unsigned int)(i - (size_t)cand);
					if (l == MAX_MATCH)
						break;
				}
			}
		}
		if (blen >= MIN_MATCH) {
			t->c[t->n] = (uint16_t)(blen + 253);
			t->pos[t->n++] = (uint16_t)(best - 1);
		} else {
			blen = 1;
			t->c[t->n] = in[i];
			t->pos[t->n++] = 0;
		}
		for (j = i; j < i + blen; j++) {
			if (j + MIN_MATCH <= len) {
				h = hash3(in + j);
				prev[j] = head[h];
				head[h] = (int32_t)j;
			}
		}
		i += blen;
	}
	free(head);
	free(prev);
	return 0;
}

int efi_compress(const uint8_t *in, size_t len, uint8_t **out,
		 size_t *out_len)
{
	struct bitw w = { 0 };
	struct tokens t = { 0 };
	size_t k, n;
	unsigned int i;

	if (len > 0x7fffffff || lz77(in, len, &t) < 0) {
		free(t.c);
		free(t.pos);
		return -1;
	}
	for (i = 0; i < 8; i++)
		bw_byte(&w, 0);		/* sizes, filled in below */
	for (k = 0; k < t.n; k += n) {
		n = t.n - k < BLOCK_MAX ? t.n - k : BLOCK_MAX;
		put_block(&w, &t, k, n);
	}
	bw_flush(&w);
	free(t.c);
	free(t.pos);
	if (w.oom) {
		free(w.buf);
		return -1;
	}
	for (i = 0; i < 4; i++) {
		w.buf[i] = (uint8_t)((w.len - 8) >> (8 * i));
		w.buf[4 + i] = (uint8_t)(len >> (8 * i));
	}
	*out = w.buf;
	*out_len = w.len;
	return 0;
}

/* --- decompression ------------------------------------------------------------------- */

struct bitr {
	const uint8_t *p;
	size_t len, bit;	/* position in bits */
};

/* Bits past the end read as zero, as in the firmware's decompressor. */
static uint32_t br_get(struct bitr *r, unsigned int n)
{
	uint32_t v = 0;

	while (n--) {
		size_t byte = r->bit >> 3;
		unsigned int b = byte < r->len ?
			(r->p[byte] >> (7 - (r->bit & 7))) & 1 : 0;

		v = v << 1 | b;
		r->bit++;
	}
	return v;
}

/** A canonical code ready for decoding. */
struct huff {
	unsigned int n;
	uint8_t len[NC];
	int single;		/* >= 0: zero-bit code for this symbol */
	unsigned int count[MAXLEN + 1];	/* codes of each length */
	uint16_t sorted[NC];	/* used symbols by (length, symbol) */
};

/* Index the lengths for huff_decode(). */
static void huff_prepare(struct huff *h)
{
	unsigned int l, i, k = 0;

	memset(h->count, 0, sizeof(h->count));
	for (l = 1; l <= MAXLEN; l++)
		for (i = 0; i < h->n; i++)
			if (h->len[i] == l) {
				h->count[l]++;
				h->sorted[k++] = (uint16_t)i;
			}
}

/* Decode one symbol; -1 on a code that matches nothing. */
static int huff_decode(struct bitr *r, const struct huff *h)
{
	unsigned int first = 0, index = 0, code = 0, l;

	if (h->single >= 0)
		return h->single;
	for (l = 1; l <= MAXLEN; l++) {
		code |= br_get(r, 1);
		if (code - first < h->count[l])
			return h->sorted[index + code - first];
		index += h->count[l];
		first = (first + h->count[l]) << 1;
		code <<= 1;
	}
	return -1;
}

static int get_pt(struct bitr *r, struct huff *h, unsigned int n,
		  unsigned int nbit, unsigned int special)
{
	unsigned int number = br_get(r, nbit), i = 0, c, z;

	memset(h, 0, sizeof(*h));
	h->n = n;
	h->single = -1;
	if (number == 0) {
		c = br_get(r, nbit);
		if (c >= n)
			return -1;
		h->single = (int)c;
		return 0;
	}
	if (number > n)
		return -1;
	while (i < number) {
		c = br_get(r, 3);
		if (c == 7)
			while (br_get(r, 1)) {
				if (++c > MAXLEN)
					return -1;
			}
		h->len[i++] = (uint8_t)c;
		if (i == special) {
			z = br_get(r, 2);
			while (z-- && i < n)
				h->len[i++] = 0;
		}
	}
	huff_prepare(h);
	return 0;
}

static int get_c(struct bitr *r, const struct huff *pt, struct huff *c)
{
	unsigned int number = br_get(r, CBIT), i = 0, k;
	int t;

	memset(c, 0, sizeof(*c));
	c->n = NC;
	c->single = -1;
	if (number == 0) {
		k = br_get(r, CBIT);
		if (k >= NC)
			return -1;
		c->single = (int)k;
		return 0;
	}
	if (number > NC)
		return -1;
	while (i < number) {
		t = huff_decode(r, pt);
		if (t < 0)
			return -1;
		if (t <= 2) {
			k = t == 0 ? 1 : t == 1 ? br_get(r, 4) + 3 :
					     br_get(r, CBIT) + 20;
			if (k > NC - i)
				return -1;
			while (k--)
				c->len[i++] = 0;
		} else {
			c->len[i++] = (uint8_t)(t - 2);
		}
	}
	huff_prepare(c);
	return 0;
}

int efi_decompress(const uint8_t *in, size_t len, uint8_t **out,
		   size_t *out_len)
{
	struct huff pt, c, p;
	struct bitr r;
	size_t comp, orig, o = 0, dist;
	unsigned int block = 0, k;
	uint8_t *buf;
	int sym, v;

	if (len < 8)
		return -1;
	comp = (size_t)in[0] | (size_t)in[1] << 8 | (size_t)in[2] << 16 |
	       (size_t)in[3] << 24;
	orig = (size_t)in[4] | (size_t)in[5] << 8 | (size_t)in[6] << 16 |
	       (size_t)in[7] << 24;
	if (comp > len - 8 || orig > (256u << 20))
		return -1;
	buf = malloc(orig ? orig : 1);
	if (!buf)
		return -1;
	r = (struct bitr){ .p = in + 8, .len = comp };
	while (o < orig) {
		if (block == 0) {
			block = br_get(&r, 16);
			if (block == 0 || get_pt(&r, &pt, NT, TBIT, 3) ||
			    get_c(&r, &pt, &c) || get_pt(&r, &p, NP, PBIT, 0))
				goto bad;
		}
		block--;
		sym = huff_decode(&r, &c);
		if (sym < 0)
			goto bad;
		if (sym < 256) {
			buf[o++] = (uint8_t)sym;
			continue;
		}
		v = huff_decode(&r, &p);
		if (v < 0)
			goto bad;
		dist = v > 1 ? (1u << (v - 1)) + br_get(&r, (unsigned int)v - 1) :
			       (unsigned int)v;
		dist++;
		if (dist > o)
			goto bad;
		for (k = (unsigned int)sym - 253; k && o < orig; k--, o++)
			buf[o] = buf[o - dist];
	}
	if (r.bit > comp * 8)
		goto bad;
	*out = buf;
	*out_len = orig;
	return 0;
bad:
	free(buf);
	return -1;
}
