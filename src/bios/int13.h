/*
 * int13.h - SAN boot under BIOS: the AoE target as an INT 13h hard disk
 * (int13.c, int13.asm).
 */
#ifndef AOEBOOT_INT13_H
#define AOEBOOT_INT13_H

#include <stddef.h>
#include "aoedev.h"

/**
 * SAN-boot @target: read its MBR (0x55AA), hook INT 13h (drive 80h + the
 * BDA's disk count) and INT 15h E820, hide the resident part (40:13 and
 * E820), put @abft (a checksummed aBFT of @len bytes, may be NULL) in the
 * hidden base memory at a 16-byte boundary, load the MBR to 0:7C00 and
 * jump to it with DL = the drive.  The NIC must stay open.
 *
 * @ret rc	only on failure: -ERR_NOENT (no bootable MBR), -ERR_NOMEM,
 *		or the read's error; nothing has been hooked then
 */
int int13_san_boot(struct aoe_target *target, const void *abft, size_t len);

/**
 * Link the aBFT at physical @table into the ACPI tables where that is
 * safe (acpi.c): copies of the root tables with one entry more go into
 * @room (@size bytes of hidden base memory, 16-byte aligned: the RSDT's
 * in its first half, the XSDT's in the second), and the RSDP is pointed at
 * them if it can be written.  One line says what was done.
 *
 * @ret rc	0, or negative ERR_* (the aBFT is then in base memory only)
 */
int bios_acpi_publish(uint32_t table, uint8_t *room, size_t size);

#endif
