/*
 * crc.h - the two CRC-32 variants on-disk formats use.
 *
 * crc32_le() is IEEE 802.3 CRC-32 (reflected polynomial 0xEDB88320) in the
 * zlib convention: the pre- and post-inversion happen inside, so a fresh
 * checksum starts from 0 and pieces chain:
 *     crc32_le(crc32_le(0, a, la), b, lb) == crc32_le(0, a||b, la + lb)
 * GPT header and partition-entry checksums are crc32_le(0, ...).
 *
 * crc32c() is Castagnoli CRC-32C (reflected polynomial 0x82F63B78) in the
 * raw Linux convention ext4 uses: no inversion inside, the caller's seed is
 * the register value.  ext4's metadata_csum computes crc32c(~0, ...) and
 * stores the register as it stands (no final inversion); the textbook
 * CRC-32C of a buffer is ~crc32c(~0, buf, len).  Chaining is direct:
 *     crc32c(crc32c(s, a, la), b, lb) == crc32c(s, a||b, la + lb)
 *
 * Check values: CRC-32("123456789") = 0xCBF43926, CRC-32C = 0xE3069283.
 */
#ifndef AOEBOOT_CRC_H
#define AOEBOOT_CRC_H

#include <stddef.h>
#include <stdint.h>

/**
 * IEEE CRC-32, zlib convention.
 *
 * @v crc	previous result, 0 to start
 * @v buf	data
 * @v len	length of @buf in bytes
 * @ret crc	checksum of everything so far
 */
uint32_t crc32_le(uint32_t crc, const void *buf, size_t len);

/**
 * Castagnoli CRC-32C, raw register convention (Linux crc32c(), ext4).
 *
 * @v crc	seed / previous register value (ext4 starts from ~0)
 * @v buf	data
 * @v len	length of @buf in bytes
 * @ret crc	register value after @buf, not inverted
 */
uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

#endif
