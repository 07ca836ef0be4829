/*
 * libc.c - memcpy, memset and memmove for the UEFI build (the string
 * functions are src/lib/string.c, shared with the other firmware builds).
 *
 * gnu-efi's libefi.a has memcpy and memset too, but in init.o, whose
 * InitializeLib() drags in most of the library (print, device paths,
 * handles: about 25 KiB).  Defining them here keeps that member out of the
 * link, so they are not defined twice.  Built with
 * -fno-tree-loop-distribute-patterns so GCC does not turn these loops back
 * into calls to themselves.
 */
#include <stddef.h>
#include <stdint.h>
#include "libc.h"

/* A 64-bit word that may alias anything (the caller's buffers). */
typedef uint64_t __attribute__((may_alias)) word_t;

void *memcpy(void *dest, const void *src, size_t len)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	/* Word copies when both are aligned: kernels pass through here. */
	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		for (; len >= 8; len -= 8, d += 8, s += 8)
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
	}
	while (len--)
		*d++ = *s++;
	return dest;
}

void *memset(void *dest, int byte, size_t len)
{
	unsigned char *d = dest;

	while (len--)
		*d++ = (unsigned char)byte;
	return dest;
}

void *memmove(void *dest, const void *src, size_t len)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	if (d == s || len == 0)
		return dest;
	if (d < s || d >= s + len) {
		while (len--)
			*d++ = *s++;
	} else {
		while (len--)
			d[len] = s[len];
	}
	return dest;
}
