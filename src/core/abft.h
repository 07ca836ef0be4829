/*
 * abft.h - the AoE Boot Firmware Table's bytes.
 *
 * The OS finds the disk the firmware booted from in this ACPI table (on
 * Linux: /sys/firmware/acpi/tables/aBFT).  The layout is iPXE's: the
 * standard 36-byte ACPI header, then the target's shelf (u16, little
 * endian like every ACPI field), slot (u8), a reserved byte and the MAC
 * address of the client NIC (6 bytes): 46 bytes in all.  The core builds
 * the bytes; a platform only links them into its ACPI tables.
 */
#ifndef AOEBOOT_ABFT_H
#define AOEBOOT_ABFT_H

#include <stddef.h>
#include <stdint.h>

#define ABFT_LEN	46	/**< the whole table */

/**
 * Build the table for target eSHELF.SLOT reached through @mac.
 *
 * @v buf	receives ABFT_LEN bytes, checksum included
 * @v size	its size
 * @ret len	ABFT_LEN, or 0 when @size is too small
 */
size_t abft_build(uint8_t *buf, size_t size, uint16_t shelf, uint8_t slot,
		  const uint8_t mac[6]);

#endif
