/*
 * efiboot.h - the UEFI platform layer's internal interfaces.
 *
 * src/efi is the thin layer between UEFI and the platform-neutral core:
 * plat.c implements platform.h (clock, memory, console), snp.c turns
 * EFI_SIMPLE_NETWORK_PROTOCOL into struct netdev, settings.c reads the
 * compiled-in board configuration and LoadOptions, menu.c is the console
 * UI, linux.c hands a kernel over through its EFI stub, main.c drives it
 * all.  EFI_STATUS lives only here; the core sees ERR_* codes.
 */
#ifndef AOEBOOT_EFIBOOT_H
#define AOEBOOT_EFIBOOT_H

#include <efi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "platform.h"
#include "bootmgr.h"
#include "settings.h"

#ifndef AOEBOOT_VERSION
#define AOEBOOT_VERSION "unknown"
#endif

/* --- plat.c: firmware tables and the platform functions ------------------ */

/* The firmware's tables, set once by efi_plat_init() (platform-layer state). */
extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_BOOT_SERVICES *efi_bs;
extern EFI_HANDLE efi_image;

/** Remember the firmware tables and calibrate the clock.  Call first. */
void efi_plat_init(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

/** Turn a core ERR_* code (negative) into an EFI_STATUS. */
EFI_STATUS efi_status_from_err(int rc);

/** Turn an EFI_STATUS into a core ERR_* code (negative, 0 on success). */
int efi_err_from_status(EFI_STATUS status);

/** A short name for an EFI_STATUS ("EFI_NOT_FOUND"), for messages. */
const char *efi_status_str(EFI_STATUS status);

/** Write ASCII/UTF-8 (bytes >= 0x80 shown as '?') to ConOut as is. */
void efi_puts(const char *str);

/** printf() to ConOut through the core's formatter (no newline added). */
void efi_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Allow or suppress LOG_DEBUG lines. */
void efi_set_debug(bool on);

/**
 * Read one key without waiting.
 *
 * @v scan	set to the scan code (SCAN_UP, ...), 0 for a character
 * @v ch	set to the character, 0 for a scan code
 * @ret rc	0, or -ERR_AGAIN when no key is pending
 */
int efi_read_key(uint16_t *scan, uint16_t *ch);

/**
 * Copy an ASCII string into a newly allocated UCS-2 string.
 *
 * @v size	set to the size in bytes including the NUL (may be NULL)
 * @ret str	the string (free with plat_free), or NULL when out of memory
 */
CHAR16 *efi_ascii_to_ucs2(const char *ascii, size_t *size);

/** Microseconds since the CPU started (the TSC), for the loader's timings. */
uint64_t efi_boot_us(void);

/* --- bli.c: systemd's Boot Loader Interface ------------------------------- */

/** Record the start: LoaderTimeInitUSec, LoaderInfo, firmware, features,
 * our image path and the ESP's partition UUID when we came from one. */
void efi_bli_start(const char *version);

/** bootctl set-default / set-timeout (LoaderEntryDefault,
 * LoaderConfigTimeout) into @set: after the file, before the options. */
void efi_bli_defaults(struct settings *set);

/** bootctl set-oneshot (LoaderEntryOneShot, LoaderConfigTimeoutOneShot)
 * into @set over every other source, deleting them: they act once. */
void efi_bli_oneshot(struct settings *set);

/**
 * Record LoaderEntries: the ids of the menu's entries, in menu order
 * (entries without one left out).
 */
struct boot_menu_entry;
void efi_bli_entries(const struct boot_menu_entry *entries,
		     unsigned int count);

/**
 * Record right before the hand-off: LoaderEntrySelected (@selected, the
 * booted entry's id; NULL leaves it out) and LoaderTimeExecUSec.
 */
void efi_bli_exec(const char *selected);

/* --- snp.c: network devices ------------------------------------------------ */

/** What snp_open_all() learned about a PXE start, if any. */
struct efi_pxe_info {
	bool booted_via_pxe;	/**< LoadedImage->DeviceHandle has PXE BC */
	char root_path[256];	/**< DHCP option 17, "" when absent */
	bool have_mac;
	uint8_t mac[6];		/**< the PXE NIC's MAC */
};

/**
 * Find every SNP, open each exclusively (so MNP stops polling it), bring it
 * to the Initialized state and wrap it as a struct netdev.  When @image
 * was loaded over PXE, that NIC comes first and @pxe gets its DHCP root
 * path.  When @only_mac is non-NULL only that NIC is used.
 *
 * @v netdevs	array to fill
 * @v max	its capacity
 * @ret count	number of usable netdevs (0 when there are none)
 */
unsigned int snp_open_all(EFI_HANDLE image, struct netdev **netdevs,
			  unsigned int max, const uint8_t *only_mac,
			  struct efi_pxe_info *pxe);

/**
 * Give every NIC back: close the exclusive opens and reconnect the
 * drivers that were displaced (MNP, PXE), so the boot manager can use the
 * network again.  Frees the netdevs.
 */
void snp_close_all(struct netdev **netdevs, unsigned int count);

/* --- board.c: the compiled-in board (name and configuration text) ------ */

extern const char efi_board_name[];
extern const char efi_board_config[];

/* --- menu.c: console UI ------------------------------------------------------- */

/**
 * boot_platform.menu (pctx unused): show the entries, highlight @def and count down @timeout seconds
 * (0: pick the default at once, < 0: wait for a key).  Arrow keys move,
 * Enter boots, 'e' edits the command line of the highlighted entry.
 *
 * @ret index	chosen entry, or -ERR_ABORTED when the user pressed Esc
 */
int menu_choose(void *pctx, struct boot_menu_entry *entries,
		unsigned int count, unsigned int def, int timeout);

/* --- linux.c: handoff --------------------------------------------------------- */

/**
 * Boot a Linux kernel through its EFI stub: LoadImage from @kernel,
 * LoadOptions = @cmdline, initrd served through LoadFile2, StartImage.
 * Returns only when the kernel (stub) returned or could not start.
 *
 * @v initrd	initrd bytes (several images concatenated), or NULL
 * @ret rc	negative ERR_* (a message has been logged)
 */
int linux_boot(const void *kernel, size_t kernel_size, const void *initrd,
	       size_t initrd_size, const char *cmdline);

#endif
