/*
 * crc.c - CRC-32 (IEEE) and CRC-32C (Castagnoli), a nibble at a time.
 *
 * Two 16-entry tables (128 bytes in all) give about four times the speed of
 * a bit loop at a fraction of a 1 KiB byte table.  Entry n is the register
 * after shifting the 4-bit value n through the reflected polynomial.
 */
#include "crc.h"

static const uint32_t crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

static const uint32_t crc32c_nibble[16] = {
	0x00000000, 0x105ec76f, 0x20bd8ede, 0x30e349b1,
	0x417b1dbc, 0x5125dad3, 0x61c69362, 0x7198540d,
	0x82f63b78, 0x92a8fc17, 0xa24bb5a6, 0xb21572c9,
	0xc38d26c4, 0xd3d3e1ab, 0xe330a81a, 0xf36e6f75,
};

/**
 * Run the reflected CRC register over a buffer with a nibble table.
 *
 * @v crc	register value
 * @v table	16-entry table of the polynomial
 * @v buf	data
 * @v len	length in bytes
 * @ret crc	register value afterwards
 */
static uint32_t crc_reflected(uint32_t crc, const uint32_t *table,
			      const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ table[crc & 0xf];
		crc = (crc >> 4) ^ table[crc & 0xf];
	}
	return crc;
}

uint32_t crc32_le(uint32_t crc, const void *buf, size_t len)
{
	return ~crc_reflected(~crc, crc32_nibble, buf, len);
}

uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	return crc_reflected(crc, crc32c_nibble, buf, len);
}
