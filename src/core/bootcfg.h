/*
 * bootcfg.h - boot entry discovery on a mounted filesystem.
 *
 * Sources, in order (DESIGN.md section 4):
 *   1. Boot Loader Specification type 1: /loader/entries/<id>.conf, else
 *      /boot/loader/entries (paths then tried below /boot too) (title,
 *      version, linux, initrd (repeatable), options (repeatable), sort-key);
 *      newest version first; /loader/loader.conf "default" (glob) and
 *      "timeout" are honoured.
 *   2. extlinux.conf: /boot/extlinux/extlinux.conf, /extlinux/extlinux.conf
 *      (DEFAULT, TIMEOUT, LABEL, LINUX/KERNEL, INITRD a,b, APPEND, MENU
 *      LABEL, MENU DEFAULT; keywords case-insensitive; paths relative to the
 *      file's directory unless absolute; initrd= in APPEND is taken out).
 *   3. Last resort, only when 1 and 2 found nothing: Debian's /vmlinuz +
 *      /initrd.img symlinks (in / or /boot; also the .old pair).
 * Entries whose kernel file does not exist are dropped with a warning.
 *
 * The parsers take a buffer and a length (not NUL-terminated) and are
 * bounded: BOOTCFG_LINE_MAX per line, BOOTCFG_MAX_ENTRIES entries.
 */
#ifndef AOEBOOT_BOOTCFG_H
#define AOEBOOT_BOOTCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fs/fs.h"

#define BOOTCFG_MAX_ENTRIES 64		/**< entries kept per scan */
#define BOOTCFG_MAX_INITRDS 8		/**< initrds per entry */
#define BOOTCFG_PATH_MAX 256		/**< kernel / initrd path length */
#define BOOTCFG_CMDLINE_MAX 2048	/**< kernel command line incl. NUL */
#define BOOTCFG_LINE_MAX 4096		/**< longest config line */
#define BOOTCFG_ORIGIN_MAX 160		/**< entry origin description */
#define BOOTCFG_FILE_MAX (64 * 1024)	/**< largest config file read */

/** Where an entry came from. */
enum bootcfg_source {
	BOOTCFG_SRC_NONE = 0,
	BOOTCFG_SRC_BLS,
	BOOTCFG_SRC_EXTLINUX,
	BOOTCFG_SRC_DEBIAN,
};

/** One boot entry.  All strings are NUL-terminated. */
struct boot_entry {
	char id[128];			/**< BLS file name w/o .conf, label */
	char title[128];		/**< for the menu */
	char version[64];		/**< kernel version, may be "" */
	char sort_key[64];		/**< BLS sort-key, may be "" */
	char kernel[BOOTCFG_PATH_MAX];	/**< absolute path in the fs */
	char initrd[BOOTCFG_MAX_INITRDS][BOOTCFG_PATH_MAX];
	unsigned int ninitrd;		/**< initrds, in load order */
	char options[BOOTCFG_CMDLINE_MAX];	/**< kernel options */
	char origin[BOOTCFG_ORIGIN_MAX];	/**< where the options came from, or "" */
	enum bootcfg_source source;
	bool is_default;		/**< exactly one entry has it */
};

/** The entries found on one filesystem. */
struct boot_list {
	struct boot_entry *entries;	/**< plat_alloc()ed array */
	unsigned int count;
	unsigned int cap;
	int default_index;		/**< index of the default, -1 if none */
	int timeout_ds;			/**< menu timeout (1/10 s), -1 unset */
	char default_label[128];	/**< extlinux DEFAULT / BLS pattern */
};

/**
 * Find every boot entry on @fs.
 *
 * @v fs	mounted filesystem
 * @v list	receives the entries (bootcfg_free() it, also on error)
 * @ret count	number of entries (>= 1), -ERR_NOENT if there are none, or
 *		another negative ERR_*
 */
int bootcfg_scan(struct fs *fs, struct boot_list *list);

/**
 * Free what bootcfg_scan() or the parsers put into @list.
 *
 * @v list	list (its memory is not freed, only its entries)
 */
void bootcfg_free(struct boot_list *list);

/**
 * Parse one BLS type 1 entry file.
 *
 * @v buf	file contents (not NUL-terminated)
 * @v len	length of @buf
 * @v id	entry id (the file name without .conf)
 * @v e		receives the entry (kernel/initrd paths made absolute)
 * @ret rc	0, -ERR_INVAL if it has no "linux" line, -ERR_TOOBIG for a
 *		line or value too long
 */
int bootcfg_parse_bls(const char *buf, size_t len, const char *id,
		      struct boot_entry *e);

/**
 * Parse an extlinux.conf and append its entries to @list.
 *
 * @v buf	file contents (not NUL-terminated)
 * @v len	length of @buf
 * @v dir	directory of the file ("/boot/extlinux"), for relative paths
 * @v list	entries are appended; default_label/timeout_ds are set
 * @ret count	entries appended, or negative ERR_*
 */
int bootcfg_parse_extlinux(const char *buf, size_t len, const char *dir,
			   struct boot_list *list);

/**
 * Compare two version strings like systemd's strverscmp_improved() /
 * `sort -V`: numeric runs by value, '~' sorts before anything, '-' before
 * '.', so "6.1.0-9" < "6.1.0-10" < "6.10".
 *
 * @v a		version string
 * @v b		version string
 * @ret cmp	< 0, 0 or > 0 as @a is older, equal or newer than @b
 */
int bootcfg_verscmp(const char *a, const char *b);

/**
 * Order BLS entries: with sort-key first (ascending), then newest version
 * first, then id (newest first).
 *
 * @v e		entries
 * @v n		number of entries
 */
void bootcfg_sort_bls(struct boot_entry *e, size_t n);

/**
 * Build the final kernel command line (DESIGN.md section 5): the entry's
 * options, then " BOOTIF=01-aa-bb-cc-dd-ee-ff",
 * " aoeboot.targets=e11.0,e12.0" and, on a VLAN, " aoeboot.vlan=5" (the
 * initrd puts a VLAN interface on the BOOTIF= NIC before loading aoe).
 * BOOTIF=, aoeboot.targets= and aoeboot.vlan= already in @options are
 * replaced, not repeated (dropped when we have none to give).
 *
 * @v options	entry options (may be NULL or "")
 * @v mac	MAC of the boot NIC, or NULL to leave BOOTIF= out
 * @v targets	target names ("e11.0"), or NULL
 * @v ntargets	number of @targets (0: leave aoeboot.targets= out)
 * @v vlan	802.1Q VLAN id the targets were found on, 0: none
 * @v buf	output buffer
 * @v size	size of @buf; at most BOOTCFG_CMDLINE_MAX is used
 * @ret len	length of the command line, -ERR_TOOBIG if it does not fit,
 *		-ERR_INVAL for a target name with blanks, commas or quotes
 */
int bootcfg_cmdline(const char *options, const uint8_t *mac,
		    const char *const *targets, size_t ntargets,
		    unsigned int vlan, char *buf, size_t size);

/**
 * Name of a source kind for menus and logs ("bls", "extlinux", "debian").
 *
 * @v src	BOOTCFG_SRC_*
 * @ret name	static string
 */
const char *bootcfg_source_name(enum bootcfg_source src);

#endif
