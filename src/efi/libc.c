/*
 * libc.c - the libc functions of src/core/libc.h that gnu-efi lacks.
 *
 * gnu-efi's libefi.a already defines memcpy and memset (the compiler emits
 * calls to them on its own); everything else the core uses is here.  Built
 * with -fno-tree-loop-distribute-patterns so GCC does not turn these loops
 * back into calls to themselves.
 */
#include <stddef.h>
#include "libc.h"

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

int memcmp(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;

	for (; len; len--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *str)
{
	const char *p = str;

	while (*p)
		p++;
	return (size_t)(p - str);
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t len)
{
	for (; len; len--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}
