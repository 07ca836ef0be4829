/*
 * bootmgr.h - the boot manager and the boot-platform interface beneath it.
 *
 * The boot manager is the policy every platform shares:
 *
 *   settings (board, aoeboot.conf, command line)
 *     -> targets (probe the configured ones or discover all, identify)
 *     -> candidates (one list from the boot methods: BLS, extlinux,
 *        Debian's symlinks, a raw target, SAN boot of a disk's loader)
 *     -> menu -> load -> hand off; any failure moves on to the next.
 *
 * A platform (src/efi, src/bios, src/host for aoectl's dry run) fills one
 * struct boot_platform and calls bootmgr_settings(), opens its NICs, then
 * bootmgr_run().  The operations below are all it has to offer; each is
 * small and speaks no policy.  pctx is the platform's own context, passed
 * back to every operation.
 */
#ifndef AOEBOOT_BOOTMGR_H
#define AOEBOOT_BOOTMGR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bootflow.h"
#include "platform.h"
#include "settings.h"

struct aoe_target;

/** The removable-media loader a UEFI SAN boot starts (x86-64). */
#define SAN_LOADER_UEFI "/EFI/BOOT/BOOTX64.EFI"

/** One line of the boot menu. */
struct boot_menu_entry {
	const char *id;		/**< short id (entry=), may be NULL */
	const char *title;	/**< shown in the menu */
	char *cmdline;		/**< editable; the platform may rewrite it */
	size_t cmdline_size;	/**< size of the cmdline buffer incl. NUL */
	bool editable;		/**< false: no command line (SAN boot) */
};

/** What the platform learned before the boot manager ran. */
struct boot_origin {
	const char *root_path;	/**< DHCP option 17 ("aoe:e11.0"), or NULL */
	bool have_boot_mac;
	uint8_t boot_mac[6];	/**< the NIC we were loaded through (PXE) */
};

/** Everything a platform offers the boot manager. */
struct boot_platform {
	/** Platform name for messages ("UEFI", "BIOS", "host"). */
	const char *name;

	/**
	 * File a SAN boot starts from a disk's filesystem when filename= is
	 * not set (UEFI: "/EFI/BOOT/BOOTX64.EFI"); NULL when the platform's
	 * SAN boot starts no file (BIOS: the disk's boot sector).
	 */
	const char *san_loader;

	/**
	 * Show the menu, highlight @def and count down @timeout seconds.
	 * Arrow keys move, Enter boots, 'e' edits an editable command line.
	 *
	 * @v entries	the candidates, in order
	 * @v count	number of entries (>= 1)
	 * @v def	index of the default entry
	 * @v timeout	seconds: 0 picks @def at once, < 0 waits for a key
	 * @ret index	the chosen entry, or -ERR_ABORTED (the user left)
	 */
	int (*menu)(void *pctx, struct boot_menu_entry *entries,
		    unsigned int count, unsigned int def, int timeout);

	/**
	 * Told just before a hand-off which entry goes (for the OS: UEFI
	 * records LoaderEntrySelected).  NULL when the platform keeps no
	 * record.
	 *
	 * @v id	the entry's id
	 * @v title	its menu title
	 */
	void (*booting)(void *pctx, const char *id, const char *title);

	/**
	 * Hand a loaded kernel over: @img holds the kernel bytes, every
	 * initrd concatenated (initrd_size may be 0) and the final command
	 * line.  The image stays owned by the caller.
	 *
	 * @ret rc	returns only on failure: negative ERR_* (logged); 0
	 *		only from a platform that does not really hand off
	 *		(the host's dry run): the boot manager then stops
	 */
	int (*boot_linux)(void *pctx, const struct boot_image *img);

	/**
	 * SAN boot: publish @target as a local disk and start its loader
	 * (@filename, or san_loader when NULL).  NULL when the platform
	 * cannot SAN-boot; the boot manager then offers no SAN candidates.
	 *
	 * @ret rc	returns only on failure (or when the loader returned):
	 *		negative ERR_*; -ERR_NOENT when the loader is not there
	 */
	int (*boot_san)(void *pctx, struct aoe_target *target,
			const char *filename);

	/**
	 * Install the AoE Boot Firmware Table the core built (bootmgr
	 * builds the bytes with abft_build(); the platform only links them
	 * into its ACPI tables).  A table published before is replaced.
	 * NULL when the platform has no ACPI tables to publish into.
	 *
	 * @v table	the table, checksum included
	 * @v len	its length in bytes
	 * @ret rc	0 or negative ERR_* (the boot goes on without it)
	 */
	int (*abft_publish)(void *pctx, const void *table, size_t len);

	/** Remove the table abft_publish() installed (no-op when none). */
	void (*abft_retract)(void *pctx);

	/**
	 * Read the settings file (aoeboot.conf beside the program).  NULL
	 * when the platform has none.
	 *
	 * @v text	set to the file's bytes (plat_alloc()ed; the caller
	 *		frees them); not NUL-terminated
	 * @v len	set to their length
	 * @v name	set to the file's name for messages (platform-owned)
	 * @ret rc	0, -ERR_NOENT when there is no file, other ERR_* logged
	 */
	int (*read_settings)(void *pctx, char **text, size_t *len,
			     const char **name);

	/**
	 * True when a key was pressed (the key is taken): stops the wait for
	 * targets that do not answer yet.  NULL when there is no keyboard.
	 */
	bool (*key_pressed)(void *pctx);

	/**
	 * What the platform learned before (PXE root path, boot NIC).
	 * NULL when it learned nothing.
	 */
	void (*origin)(void *pctx, struct boot_origin *origin);
};

/**
 * Build the settings in their order: defaults, the board's text, the
 * settings file (plat->read_settings), then the command line.  Bad
 * words and lines are reported (source, line) and skipped.  Call before
 * opening NICs: iface= and debug= are among them.
 *
 * @v set	filled in
 * @v board	the board's configuration text, or NULL
 * @v cmdline	the command line / LoadOptions as ASCII, or NULL
 */
void bootmgr_settings(const struct boot_platform *plat, void *pctx,
		      struct settings *set, const char *board,
		      const char *cmdline);

/**
 * Boot: find the targets over @nds, collect the candidates of every boot
 * method, show the menu, load the choice and hand it off; on failure try
 * the other candidates in menu order.
 *
 * @v nds	the platform's open network devices
 * @v n		their number (0: one message, -ERR_NODEV)
 * @ret rc	0 when a dry-run platform took a hand-off; else returns
 *		only when nothing booted: negative ERR_*
 *		(-ERR_NOENT: nothing bootable was found, -ERR_ABORTED: the
 *		user left the menu)
 */
int bootmgr_run(const struct boot_platform *plat, void *pctx,
		struct settings *set, struct netdev **nds, unsigned int n);

#endif
