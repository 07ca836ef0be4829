/*
 * bli.h - values of systemd's Boot Loader Interface.
 *
 * The Boot Loader Interface (systemd.io/BOOT_LOADER_INTERFACE) is a set of
 * variables that the OS (bootctl, systemctl reboot --boot-loader-entry=)
 * and the boot loader exchange: the OS asks for a default or a one-shot
 * entry and a menu timeout, the loader says which entries it found, which
 * one it booted and how long it took.  The variables live in UEFI's store
 * (src/efi/bli.c reads and writes them); this file only decodes and
 * encodes their values, which are UTF-16LE strings, so that the parsing of
 * what the OS wrote is tested and fuzzed on the host.
 */
#ifndef AOEBOOT_BLI_H
#define AOEBOOT_BLI_H

#include <stddef.h>
#include <stdint.h>

/** Longest entry identifier we take (an entry= value). */
#define BLI_ID_MAX		128

/* LoaderFeatures bits (a little-endian 64-bit value). */
#define BLI_FEATURE_CONFIG_TIMEOUT		(1u << 0)
#define BLI_FEATURE_CONFIG_TIMEOUT_ONE_SHOT	(1u << 1)
#define BLI_FEATURE_ENTRY_DEFAULT		(1u << 2)
#define BLI_FEATURE_ENTRY_ONESHOT		(1u << 3)

/** Which timeout variable a value came from: their "0" differs. */
enum bli_timeout_kind {
	BLI_TIMEOUT,		/**< LoaderConfigTimeout: "0" boots at once */
	BLI_TIMEOUT_ONESHOT,	/**< ...OneShot: "0" shows the menu, no count */
};

/**
 * Decode an entry identifier (LoaderEntryDefault, LoaderEntryOneShot):
 * UTF-16LE, ending at a NUL or at the end of the value.  Only printable
 * ASCII without blanks or quotes is taken, since an identifier names a BLS
 * file or one of our own "auto-" ids.
 *
 * @v data	the variable's bytes
 * @v size	their number
 * @v id	set to the identifier, NUL-terminated
 * @v id_size	size of @id (at least 2)
 * @ret rc	0, -ERR_INVAL (odd size, empty, a character we do not take)
 *		or -ERR_NAMETOOLONG
 */
int bli_decode_id(const void *data, size_t size, char *id, size_t id_size);

/**
 * Decode a timeout (LoaderConfigTimeout, LoaderConfigTimeoutOneShot):
 * decimal seconds, "menu-force", "menu-hidden" or "menu-disabled", as
 * UTF-16LE.  The result has the meaning of the timeout= setting: seconds
 * to count down, 0 to boot the default at once, -1 to wait for a key.
 *
 * @v data	the variable's bytes
 * @v size	their number
 * @v kind	which variable (their "0" differs)
 * @v timeout	set to the timeout
 * @ret rc	0, or -ERR_INVAL (not one of those forms, over 3600 s)
 */
int bli_decode_timeout(const void *data, size_t size,
		       enum bli_timeout_kind kind, int *timeout);

/**
 * Encode ASCII strings as UTF-16LE, each NUL-terminated, one after the
 * other (LoaderEntries; with one string, any string variable).
 *
 * @v strs	the strings
 * @v n		their number
 * @v out	output buffer, or NULL to learn the size
 * @v out_size	its size in bytes
 * @ret size	bytes the encoding takes (also when @out is NULL or too
 *		small: then nothing is written)
 */
size_t bli_encode(const char *const *strs, unsigned int n, void *out,
		  size_t out_size);

/**
 * Format a microsecond count as decimal ASCII (LoaderTimeInitUSec).
 *
 * @v buf	at least 21 bytes
 */
void bli_usec_str(uint64_t usec, char *buf);

#endif
