/*
 * san.h - SAN boot and the aBFT: an AoE target published to the firmware
 * as a disk, and the ACPI table that tells the OS which target it booted
 * from.  sanboot.c and abft.c; the platform operations main.c gives the boot manager.
 */
#ifndef AOEBOOT_SAN_H
#define AOEBOOT_SAN_H

#include <efi.h>
#include "aoedev.h"

/**
 * boot_platform.abft_publish (pctx unused): install the AoE Boot
 * Firmware Table the core built (abft_build())
 * through EFI_ACPI_TABLE_PROTOCOL, replacing one installed before.
 *
 * @ret rc	0, or -ERR_NOTSUP when the firmware has no ACPI table
 *		protocol, -ERR_IO when it refused the table
 */
int abft_install(void *pctx, const void *table, size_t len);

/** Remove the table abft_install() installed (no-op when none). */
void abft_uninstall(void *pctx);

/**
 * boot_platform.boot_san (pctx unused): publish @target as an EFI disk
 * (BlockIo, device path = the NIC's path + SATA(shelf, slot, 0)), let the
 * firmware's partition and FAT drivers bind to it and start @filename
 * (NULL: \EFI\BOOT\BOOTX64.EFI) from the first filesystem that has it.  The disk stays published while the loader runs; when the loader
 * returns or nothing could be started everything is removed again.
 *
 * @ret rc	negative ERR_* (-ERR_NOENT: no filesystem on the disk holds
 *		the loader); a loader that returned gives its status
 */
int san_boot(void *pctx, struct aoe_target *target,
	     const char *filename);

#endif
