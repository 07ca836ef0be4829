/*
 * san.h - SAN boot and the aBFT: an AoE target published to the firmware
 * as a disk, and the ACPI table that tells the OS which target it booted
 * from.  sanboot.c and abft.c; called from main.c.
 */
#ifndef AOEBOOT_SAN_H
#define AOEBOOT_SAN_H

#include <efi.h>
#include "aoedev.h"

/** An installed aBFT (keep it to remove the table again). */
struct abft {
	UINTN key;		/**< EFI_ACPI_TABLE_PROTOCOL's table key */
	bool installed;
};

/**
 * Install the AoE Boot Firmware Table for @target through
 * EFI_ACPI_TABLE_PROTOCOL: signature "aBFT", revision 1, the 36-byte ACPI
 * header, then shelf (u16 LE), slot, a reserved byte and the MAC of the
 * local NIC the target is reached through (iPXE's layout).  A table
 * installed before through @abft is replaced.
 *
 * @v abft	state for abft_uninstall()
 * @ret rc	0, or -ERR_NOTSUP when the firmware has no ACPI table
 *		protocol, -ERR_IO when it refused the table
 */
int abft_install(struct abft *abft, const struct aoe_target *target);

/** Remove a table installed by abft_install() (no-op when none). */
void abft_uninstall(struct abft *abft);

/**
 * SAN boot: publish @target as an EFI disk (BlockIo, device path = the
 * NIC's path + SATA(shelf, slot, 0)), let the firmware's partition and
 * FAT drivers bind to it, install the aBFT and start @filename (NULL:
 * \EFI\BOOT\BOOTX64.EFI) from the first filesystem on the disk that has
 * it.  The disk stays published while the loader runs; when the loader
 * returns or nothing could be started everything is removed again.
 *
 * @ret rc	negative ERR_* (-ERR_NOENT: no filesystem on the disk holds
 *		the loader); a loader that returned gives its status
 */
int san_boot(struct aoe_target *target, const char *filename);

/**
 * The target to SAN-boot: the first identified target whose disk holds
 * \EFI\BOOT\BOOTX64.EFI (or @filename), tried in the initiator's order.
 *
 * @ret rc	as san_boot() for the last target tried, -ERR_NODEV if none
 */
int san_boot_any(struct aoe_ctx *ctx, const char *filename);

#endif
