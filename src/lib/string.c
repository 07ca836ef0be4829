/*
 * string.c - the string functions of src/core/libc.h for firmware builds
 * (UEFI, BIOS, the NIC test program).  Plain C, nothing platform-specific;
 * memcpy, memset and memmove stay with each platform, which copies its own
 * way (64-bit words under UEFI, rep movsb under BIOS).  The host build takes
 * all of them from the C library.
 */
#include <stddef.h>
#include "libc.h"

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
