/*
 * acpi.h - the ACPI root pointer and root tables, for linking a table
 * (the aBFT) into them on a platform that has no firmware service to do
 * it (legacy BIOS).
 *
 * A BIOS leaves the RSDP ("RSD PTR ", 16-byte aligned, in the EBDA's first
 * KiB or in E0000h-FFFFFh) pointing to the RSDT (32-bit entries) and, from
 * revision 2 on, to the XSDT (64-bit entries).  We never change the
 * BIOS's tables: we build a copy of the RSDT and XSDT with one entry more,
 * in memory we own, and point a rewritten RSDP at the copies.  These
 * helpers check and build the bytes; reading and writing physical memory
 * is the platform's.
 */
#ifndef AOEBOOT_ACPI_H
#define AOEBOOT_ACPI_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_RSDP_V1_LEN	20	/**< revision 0: up to the RSDT address */
#define ACPI_RSDP_V2_LEN	36	/**< revision 2: the whole structure */
#define ACPI_HDR_LEN		36	/**< every table's header */
#define ACPI_HDR_LENGTH		4	/**< u32: the table's whole length */

/** What an RSDP says. */
struct acpi_rsdp {
	uint8_t revision;
	uint32_t rsdt;		/**< physical address of the RSDT, 0: none */
	uint64_t xsdt;		/**< of the XSDT; 0 when revision < 2 */
	uint32_t len;		/**< bytes it covers: 20, or its length field */
};

/** The byte that makes @len bytes at @p sum to zero with it in place. */
uint8_t acpi_checksum(const uint8_t *p, size_t len);

/**
 * Check an RSDP candidate: signature, the first 20 bytes' checksum, and
 * from revision 2 on its length and extended checksum.
 *
 * @v p		the candidate's bytes
 * @v avail	bytes readable at @p (at least ACPI_RSDP_V1_LEN)
 * @v out	filled when valid
 * @ret rc	0, or -ERR_INVAL when @p is not a valid RSDP
 */
int acpi_rsdp_parse(const uint8_t *p, size_t avail, struct acpi_rsdp *out);

/**
 * Point an RSDP (@r->len bytes at @p, checked by acpi_rsdp_parse()) at
 * other root tables and set both checksums again.  The XSDT address is
 * written only from revision 2 on.
 */
void acpi_rsdp_retarget(uint8_t *p, const struct acpi_rsdp *r,
			uint32_t rsdt, uint64_t xsdt);

/**
 * Copy a root table (RSDT: @entry_len 4, XSDT: 8) with one entry more,
 * pointing to @table.  The old table must carry @sig, a length within
 * @avail made of whole entries, and a valid checksum.
 *
 * @v out	receives the new table
 * @v size	bytes at @out
 * @v sdt	the old table's bytes (@avail of them readable)
 * @v sig	"RSDT" or "XSDT"
 * @v table	physical address of the table to add
 * @ret len	the new table's length, or 0 when @sdt is not valid, the
 *		result would not fit in @size, or @table is above 4 GiB
 *		for an RSDT
 */
size_t acpi_sdt_add(uint8_t *out, size_t size, const uint8_t *sdt,
		    size_t avail, const char sig[4], unsigned int entry_len,
		    uint64_t table);

#endif
