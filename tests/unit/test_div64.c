/*
 * test_div64.c - the 32-bit build's 64-bit division helpers
 * (src/arch/i386/div64.c) against the host's native division.
 *
 * On the host the hardware divl step is plain C; the i386 build checks
 * its own divl path at run time (tests/nic, the div64 argument).  The
 * wide-divisor loop and the signed wrappers are the same code here.
 */
#include <stdint.h>
#include "test.h"
#include "../../src/arch/i386/div64.c"

/* A small fixed-seed generator, so failures repeat. */
static uint64_t next_rand(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static void test_div64_edges(void)
{
	static const uint64_t values[] = {
		0, 1, 2, 3, 7, 0xFFFFFFFFull, 0x100000000ull, 0x100000001ull,
		0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull,
		0xFFFFFFFFFFFFFFFEull, 0xFFFFFFFFFFFFFFFFull,
	};
	unsigned int i, j;
	uint64_t q, r;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		for (j = 1; j < sizeof(values) / sizeof(values[0]); j++) {
			q = div64_udivmod(values[i], values[j], &r);
			check(q == values[i] / values[j]);
			check(r == values[i] % values[j]);
		}
	}
}

static void test_div64_random(void)
{
	uint64_t state = 0x9E3779B97F4A7C15ull, n, d, q, r;
	unsigned int i;

	for (i = 0; i < 200000; i++) {
		n = next_rand(&state);
		d = next_rand(&state) >> (next_rand(&state) % 64);
		if (!d)
			continue;
		q = div64_udivmod(n, d, &r);
		check(q == n / d);
		check(r == n % d);
		check(__udivdi3(n, d) == n / d);
		check(__umoddi3(n, d) == n % d);
	}
}

static void test_div64_signed(void)
{
	static const int64_t values[] = {
		-7, 7, -1, 1, 2, -2, INT64_MAX, INT64_MIN + 1, 1000000007,
		-4294967296LL,
	};
	unsigned int i, j;
	int64_t r;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		for (j = 0; j < sizeof(values) / sizeof(values[0]); j++) {
			check(__divdi3(values[i], values[j]) ==
			      values[i] / values[j]);
			check(__moddi3(values[i], values[j]) ==
			      values[i] % values[j]);
			check(__divmoddi4(values[i], values[j], &r) ==
			      values[i] / values[j]);
			check(r == values[i] % values[j]);
		}
	}
}

static void test_div64_by_zero(void)
{
	uint64_t r = 0;

	check(div64_udivmod(42, 0, &r) == ~(uint64_t)0);
	check(r == 42);
	check(div64_udivmod(42, 0, NULL) == ~(uint64_t)0);
}

int main(void)
{
	test_run(test_div64_edges);
	test_run(test_div64_random);
	test_run(test_div64_signed);
	test_run(test_div64_by_zero);
	return test_exit();
}
