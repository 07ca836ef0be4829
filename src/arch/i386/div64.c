/*
 * div64.c - 64-bit division for 32-bit x86 builds without libgcc.
 *
 * gcc -m32 turns every uint64_t / and % into calls to libgcc's __udivdi3,
 * __umoddi3, __divdi3, __moddi3 (and __udivmoddi4 / __divmoddi4 when it
 * wants both results); Debian has no 32-bit libgcc without multilib, so
 * the 32-bit firmware links these instead.  Divisors that fit in 32 bits
 * (clock scaling, sectors per frame) take two hardware divl steps; wider
 * ones a shift-and-subtract loop.  Division by zero gives all ones and
 * leaves the dividend as the remainder instead of trapping: firmware has
 * no one to report a #DE to.  div64_udivmod() is the tested entry
 * (tests/unit/test_div64.c on the host, where the divl path is plain C).
 */
#include <stdint.h>

uint64_t div64_udivmod(uint64_t num, uint64_t den, uint64_t *rem);
uint64_t __udivmoddi4(uint64_t num, uint64_t den, uint64_t *rem);
int64_t __divmoddi4(int64_t num, int64_t den, int64_t *rem);
uint64_t __udivdi3(uint64_t num, uint64_t den);
uint64_t __umoddi3(uint64_t num, uint64_t den);
int64_t __divdi3(int64_t num, int64_t den);
int64_t __moddi3(int64_t num, int64_t den);

/* (hi:lo) / den with hi < den, so the quotient fits in 32 bits. */
static uint32_t div64_step(uint32_t hi, uint32_t lo, uint32_t den,
			   uint32_t *rem)
{
#ifdef __i386__
	uint32_t quot;

	__asm__("divl %4" : "=a"(quot), "=d"(*rem) : "a"(lo), "d"(hi),
		"rm"(den));
	return quot;
#else
	uint64_t n = (uint64_t)hi << 32 | lo;

	*rem = (uint32_t)(n % den);
	return (uint32_t)(n / den);
#endif
}

/**
 * Unsigned 64-bit division.
 *
 * @v num	dividend
 * @v den	divisor (0 gives quotient ~0, remainder @num)
 * @v rem	remainder, or NULL
 * @ret quot	quotient
 */
uint64_t div64_udivmod(uint64_t num, uint64_t den, uint64_t *rem)
{
	uint64_t quot = 0;
	uint32_t r, qhi, qlo;
	int shift;

	if (den == 0) {
		if (rem)
			*rem = num;
		return ~(uint64_t)0;
	}
	if (den >> 32 == 0) {
		qhi = div64_step(0, (uint32_t)(num >> 32), (uint32_t)den, &r);
		qlo = div64_step(r, (uint32_t)num, (uint32_t)den, &r);
		if (rem)
			*rem = r;
		return (uint64_t)qhi << 32 | qlo;
	}
	/* den >= 2^32: the quotient fits in 32 bits; line den up under num. */
	if (num >= den) {
		shift = __builtin_clzll(den) - __builtin_clzll(num);
		den <<= shift;
		for (; shift >= 0; shift--, den >>= 1) {
			quot <<= 1;
			if (num >= den) {
				num -= den;
				quot |= 1;
			}
		}
	}
	if (rem)
		*rem = num;
	return quot;
}

uint64_t __udivmoddi4(uint64_t num, uint64_t den, uint64_t *rem)
{
	return div64_udivmod(num, den, rem);
}

uint64_t __udivdi3(uint64_t num, uint64_t den)
{
	return div64_udivmod(num, den, 0);
}

uint64_t __umoddi3(uint64_t num, uint64_t den)
{
	uint64_t rem;

	div64_udivmod(num, den, &rem);
	return rem;
}

/* Signed: C rounds toward zero, the remainder takes the dividend's sign. */
int64_t __divmoddi4(int64_t num, int64_t den, int64_t *rem)
{
	uint64_t un = num < 0 ? 0 - (uint64_t)num : (uint64_t)num;
	uint64_t ud = den < 0 ? 0 - (uint64_t)den : (uint64_t)den;
	uint64_t uq, ur;

	uq = div64_udivmod(un, ud, &ur);
	if (rem)
		*rem = (int64_t)(num < 0 ? 0 - ur : ur);
	return (int64_t)((num < 0) != (den < 0) ? 0 - uq : uq);
}

int64_t __divdi3(int64_t num, int64_t den)
{
	return __divmoddi4(num, den, 0);
}

int64_t __moddi3(int64_t num, int64_t den)
{
	int64_t rem;

	__divmoddi4(num, den, &rem);
	return rem;
}
