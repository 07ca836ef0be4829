/*
 * test_eficomp.c - EFI 1.1 compression (src/tools/eficomp.c, used by mkrom
 * for CompressionType 1 option ROM images).
 *
 * Round trips over inputs that reach every corner of the format (empty, one
 * symbol, long runs, matches at the 8 KiB window edge, several 65535-symbol
 * blocks, incompressible bytes), a hand-assembled stream for a one-byte
 * input, and hostile streams, which must be refused or decoded without
 * reading out of bounds (this binary runs under ASan/UBSan).  That OVMF's
 * own decompressor accepts what we write is test-vm/rom_boot.sh's part.
 */
#include <stdint.h>
#include <string.h>
#include "test.h"
#include "../../src/tools/eficomp.c"

static uint32_t lcg_state;

static uint8_t lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return (uint8_t)(lcg_state >> 16);
}

/* Compress, decompress, compare; returns the compressed size. */
static size_t roundtrip(const uint8_t *in, size_t len)
{
	uint8_t *c = NULL, *d = NULL;
	size_t clen = 0, dlen = 0;

	check(efi_compress(in, len, &c, &clen) == 0);
	check(c && clen >= 8);
	if (!c)
		return 0;
	check_eq(c[0] | c[1] << 8 | c[2] << 16 | (uint32_t)c[3] << 24,
		 clen - 8);
	check_eq(c[4] | c[5] << 8 | c[6] << 16 | (uint32_t)c[7] << 24, len);
	check(efi_decompress(c, clen, &d, &dlen) == 0);
	check_eq(dlen, len);
	check(d && memcmp(d, in, len) == 0);
	free(c);
	free(d);
	return clen;
}

static void test_small_inputs(void)
{
	static const uint8_t two[] = { 0x00, 0xff };

	check_eq(roundtrip((const uint8_t *)"", 0), 8);
	roundtrip((const uint8_t *)"A", 1);
	roundtrip(two, 2);
	roundtrip((const uint8_t *)"abcabcabcabcabc", 15);
}

/* "A": 16-bit block size 1, PT: count 0 + symbol 0, C: count 0 + 'A',
 * P: count 0 + symbol 0, the symbol itself 0 bits: 52 bits, 7 bytes. */
static void test_one_byte_stream(void)
{
	static const uint8_t want[] = { 0x07, 0, 0, 0, 0x01, 0, 0, 0,
					0x00, 0x01, 0x00, 0x00, 0x04, 0x10,
					0x00 };
	uint8_t *c = NULL, *d = NULL;
	size_t clen = 0, dlen = 0;

	check(efi_compress((const uint8_t *)"A", 1, &c, &clen) == 0);
	check_eq(clen, sizeof(want));
	check(c && clen == sizeof(want) && !memcmp(c, want, clen));
	check(efi_decompress(want, sizeof(want), &d, &dlen) == 0);
	check(dlen == 1 && d && d[0] == 'A');
	free(c);
	free(d);
}

static void test_runs_and_window(void)
{
	size_t len = 70000, i;
	uint8_t *buf = malloc(len);

	memset(buf, 'a', len);
	check(roundtrip(buf, len) < 200);	/* 273 matches of 256 */
	/* A random 8191-byte period: every match at the window's far edge. */
	lcg_state = 1;
	for (i = 0; i < len; i++)
		buf[i] = i < 8191 ? lcg() : buf[i - 8191];
	check(roundtrip(buf, len) < 12000);
	/* Period 8193: just out of the window, so mostly literals. */
	for (i = 0; i < len; i++)
		buf[i] = i < 8193 ? lcg() : buf[i - 8193];
	roundtrip(buf, len);
	free(buf);
}

static void test_many_blocks(void)
{
	size_t len = 300000, i;
	uint8_t *buf = malloc(len);

	/* Random bytes: ~300000 literal symbols, so 5 blocks of <= 65535. */
	lcg_state = 7;
	for (i = 0; i < len; i++)
		buf[i] = lcg();
	check(roundtrip(buf, len) < len + len / 50);
	/* Text-like: small alphabet and repeats. */
	for (i = 0; i < len; i++)
		buf[i] = "the quick brown fox "[(lcg() % 20)];
	check(roundtrip(buf, len) < len * 3 / 4);
	free(buf);
}

static void test_hostile_streams(void)
{
	uint8_t stream[64], *d;
	size_t dlen, i, n;
	unsigned int run;

	/* Shorter than its header, or CompSize beyond the buffer. */
	memset(stream, 0, sizeof(stream));
	check(efi_decompress(stream, 7, &d, &dlen) < 0);
	stream[0] = 200;
	check(efi_decompress(stream, sizeof(stream), &d, &dlen) < 0);
	/* Random bodies claiming 4 KiB: refused or decoded, never overrun. */
	lcg_state = 99;
	for (run = 0; run < 3000; run++) {
		n = 8 + lcg() % 56;
		for (i = 0; i < n; i++)
			stream[i] = lcg();
		stream[0] = (uint8_t)(n - 8);
		stream[1] = stream[2] = stream[3] = 0;
		stream[4] = 0;
		stream[5] = 0x10;
		stream[6] = stream[7] = 0;
		d = NULL;
		if (efi_decompress(stream, n, &d, &dlen) == 0)
			check_eq(dlen, 4096);
		free(d);
	}
}

int main(void)
{
	test_run(test_small_inputs);
	test_run(test_one_byte_stream);
	test_run(test_runs_and_window);
	test_run(test_many_blocks);
	test_run(test_hostile_streams);
	return test_exit();
}
