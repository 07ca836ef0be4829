/*
 * libc.h - the few C library functions the core relies on.
 *
 * The core is freestanding: it includes nothing beyond stdint, stddef,
 * stdbool and stdarg.  These prototypes name the standard functions; the
 * host links them from libc, the firmware platforms provide their own
 * (src/efi/libc.c).  The compiler also emits calls to memcpy/memset on its
 * own, so every platform must supply them anyway.
 */
#ifndef AOEBOOT_LIBC_H
#define AOEBOOT_LIBC_H

#include <stddef.h>

void *memcpy(void *dest, const void *src, size_t len);
void *memmove(void *dest, const void *src, size_t len);
void *memset(void *dest, int byte, size_t len);
int memcmp(const void *a, const void *b, size_t len);
size_t strlen(const char *str);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t len);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif
