/*
 * test_romlz.c - romlz's format (src/tools/romlz.c): liblzma's encoder
 * with our parameters, decoded by romlz_decode(), the C twin of the asm
 * decoder src/bios/unlz.inc.  Round trips of random bytes, runs, zeros,
 * small sizes, x86 calls and the real build/bios/aoeboot.bin; truncated and damaged
 * streams are refused or decode to something, never out of bounds.
 */
#define ROMLZ_NO_MAIN
#include "../../src/tools/romlz.c"
#include "test.h"

static uint32_t rng = 12345;

static uint32_t next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

/* Compress, decode, compare; return the compressed size (0: failed). */
static size_t round_trip(const uint8_t *data, size_t n)
{
	size_t clen = 0;
	uint8_t *c = romlz_encode(data, n, &clen);
	uint8_t *d = malloc(n + 1);
	size_t ret = 0;

	check(c != NULL);
	if (c && d && romlz_decode(c, clen, d, n) == 0 && !memcmp(d, data, n))
		ret = clen;
	check(ret != 0);
	free(c);
	free(d);
	return ret;
}

static void test_random(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 17, 255, 4096, 70000 };
	unsigned int k;
	size_t i;

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uint8_t *b = malloc(sizes[k] + 1);

		for (i = 0; i < sizes[k]; i++)
			b[i] = (uint8_t)next_rand();
		check(round_trip(b, sizes[k]) != 0);
		free(b);
	}
}

static void test_runs(void)
{
	size_t n = 200000, i = 0, clen;
	uint8_t *b = malloc(n);

	/* runs of random length and byte, repeats of earlier stretches at
	 * short and long distances: every match kind and distance slot */
	while (i < n) {
		size_t len = 1 + next_rand() % 300, k;
		uint32_t kind = next_rand() % 4;

		if (len > n - i)
			len = n - i;
		for (k = 0; k < len; k++) {
			if (kind == 0 || i < 70000)
				b[i + k] = (uint8_t)(kind ? next_rand() : len);
			else if (kind == 1)
				b[i + k] = b[i + k - 1 - next_rand() % 8];
			else
				b[i + k] = b[i + k - 1 - (next_rand() % 60000)];
		}
		i += len;
	}
	clen = round_trip(b, n);
	check(clen != 0 && clen < n);
	free(b);
}

static void test_zeros(void)
{
	size_t n = 300000, clen;
	uint8_t *b = calloc(n, 1);

	clen = round_trip(b, n);
	check(clen != 0 && clen < 200);
	free(b);
}

/* The x86 filter: E8/E9 with near and far rel32s, up to the last byte;
 * forward then back is the identity, and so is the whole round trip. */
static void test_x86_calls(void)
{
	static const uint8_t tops[] = { 0x00, 0xFF, 0x01, 0xFE, 0x80 };
	size_t n = 50000, i, k;
	uint8_t *b = malloc(n), *c = malloc(n);
	unsigned int changed = 0;

	for (i = 0; i < n; i++) {
		uint32_t r = next_rand();

		b[i] = (uint8_t)(r % 3 == 0 ? 0xE8 + (r >> 4) % 2 :
				 r % 3 == 1 ? tops[(r >> 4) % 5] : r >> 8);
	}
	b[n - 5] = 0xE8;	/* fits exactly */
	b[n - 1] = 0x00;
	b[n - 3] = 0xE9;	/* does not fit */
	memcpy(c, b, n);
	rl_x86(c, n, 1);
	for (k = 0; k < n; k++)
		changed += c[k] != b[k];
	check(changed > 1000);
	rl_x86(c, n, 0);
	check(!memcmp(b, c, n));
	check(round_trip(b, n) != 0);
	for (k = 0; k < 12; k++)
		check(round_trip(b + n - k, k) != 0);
	free(b);
	free(c);
}

static uint8_t *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	long sz = -1;

	if (f && !fseek(f, 0, SEEK_END) && (sz = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET))
		b = malloc((size_t)sz);
	if (b && fread(b, 1, (size_t)sz, f) != (size_t)sz) {
		free(b);
		b = NULL;
	}
	if (f)
		fclose(f);
	*n = b ? (size_t)sz : 0;
	return b;
}

/* The real image, uncompressed (make all builds it before make check
 * runs this): aoeboot.bin, or aoeboot.pxe where that is the raw image;
 * also damaged copies of its stream. */
static void test_aoeboot_image(void)
{
	const char *path = getenv("ROMLZ_IMAGE");
	size_t n = 0, clen = 0, cut;
	uint8_t *img, *c, *d;
	unsigned int k;

	if (!path)
		path = "build/bios/aoeboot.bin";
	img = read_file(path, &n);
	if (!img && !getenv("ROMLZ_IMAGE")) {
		path = "build/bios/aoeboot.pxe";
		img = read_file(path, &n);
	}
	check(img != NULL);
	if (!img)
		return;
	c = romlz_encode(img, n, &clen);
	d = malloc(n);
	check(c != NULL && d != NULL);
	if (!c || !d)
		goto out;
	check(romlz_decode(c, clen, d, n) == 0 && !memcmp(d, img, n));
	check(clen < n * 2 / 3);
	fprintf(stderr, "  %s: %zu -> %zu bytes\n", path, n, clen);
	/* cut short: refused, never read past the end (ASan) */
	for (cut = 0; cut < clen; cut += clen / 7 + 1)
		check(romlz_decode(c, cut, d, n) != 0);
	/* a byte changed: an error or garbage, inside the buffers */
	for (k = 0; k < 20; k++) {
		size_t at = 4 + next_rand() % (clen - 4);

		c[at] ^= (uint8_t)(1 + next_rand() % 255);
		(void)romlz_decode(c, clen, d, n);
		c[at] = 0;
		(void)romlz_decode(c, clen, d, n);
	}
out:
	free(c);
	free(d);
	free(img);
}

int main(void)
{
	test_run(test_random);
	test_run(test_runs);
	test_run(test_zeros);
	test_run(test_x86_calls);
	test_run(test_aoeboot_image);
	return test_exit();
}
