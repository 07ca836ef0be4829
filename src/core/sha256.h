/*
 * sha256.h - SHA-256 (FIPS 180-4), for reporting what was loaded.
 */
#ifndef AOEBOOT_SHA256_H
#define AOEBOOT_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/**< bytes hashed so far */
	uint8_t block[64];
	size_t fill;		/**< bytes waiting in @block */
};

/** Start a new hash. */
void sha256_init(struct sha256 *s);
/** Hash @len more bytes. */
void sha256_update(struct sha256 *s, const void *data, size_t len);
/** Finish: 32 bytes into @digest. */
void sha256_final(struct sha256 *s, uint8_t digest[32]);
/** Hex form of a digest: 64 characters and a NUL into @hex. */
void sha256_hex(const uint8_t digest[32], char hex[65]);

#endif
