/*
 * eficomp.h - the EFI 1.1 compression format (UEFI spec, "Compression
 * Algorithm Specification"), as option ROM images use with
 * CompressionType 1 and the firmware's EFI_DECOMPRESS_PROTOCOL undoes.
 *
 * A stream is CompSize (u32 LE), OrigSize (u32 LE), then MSB-first bits:
 * blocks of LZ77 symbols (literals and match lengths in one Huffman code
 * of 510 symbols, match positions in a second one of 14), each block
 * starting with its symbol count and the three canonical Huffman code
 * length tables.  Window 8 KiB, matches of 3..256 bytes.
 */
#ifndef AOEBOOT_EFICOMP_H
#define AOEBOOT_EFICOMP_H

#include <stddef.h>
#include <stdint.h>

/**
 * Compress @len bytes.
 *
 * @v out	set to a malloc()ed buffer holding the whole stream
 * @v out_len	its length
 * @ret rc	0, or -1 when out of memory or @len is over 2^31
 */
int efi_compress(const uint8_t *in, size_t len, uint8_t **out,
		 size_t *out_len);

/**
 * Decompress a stream of @len bytes (trailing bytes after CompSize are
 * allowed, e.g. ROM padding).
 *
 * @v out	set to a malloc()ed buffer of OrigSize bytes
 * @v out_len	OrigSize
 * @ret rc	0, or -1 for a malformed stream (never reads past @len)
 */
int efi_decompress(const uint8_t *in, size_t len, uint8_t **out,
		   size_t *out_len);

#endif
