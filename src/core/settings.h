/*
 * settings.h - what a user or a board configures, from three sources
 * applied in order: the board's text, the settings file (aoeboot.conf,
 * one key=value per line) and the command line (key=value words).
 * Unit-tested in tests/unit/test_settings.c, fuzzed by fuzz_settings.c.
 */
#ifndef AOEBOOT_SETTINGS_H
#define AOEBOOT_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SET_MAX_TARGETS		16
#define SET_MAX_INITRDS		4
#define SET_APPEND_MAX		1024
#define SET_ENTRY_MAX		128
#define SET_FILENAME_MAX	128
#define SET_CONFIG_MAX		256	/**< an AoE config string's size */

/** One target name, e<shelf>.<slot>. */
struct set_target {
	uint16_t shelf;
	uint8_t slot;
};

/** Everything a user or a board can configure. */
struct settings {
	struct set_target targets[SET_MAX_TARGETS];	/**< targets= */
	unsigned int ntargets;		/**< 0: discover and use all */
	char entry[SET_ENTRY_MAX];	/**< entry=: id or title; "" default */
	int timeout;			/**< timeout= seconds; -1 waits */
	bool have_timeout;		/**< timeout= was given */
	uint8_t iface[6];		/**< iface=: NIC MAC */
	bool have_iface;
	char append[SET_APPEND_MAX];	/**< append=: added to the cmdline */
	bool mode_san;			/**< mode=san: SAN boot only */
	bool net_undi;			/**< net=undi: BIOS keeps the PXE
					 *   stack's UNDI (net=auto: native) */
	char filename[SET_FILENAME_MAX];	/**< filename=: SAN loader; "" default */
	bool have_kernel;		/**< kernel=: a whole target is vmlinuz */
	struct set_target kernel;
	struct set_target initrds[SET_MAX_INITRDS];	/**< initrd= list */
	unsigned int ninitrds;
	unsigned int discover_ms;	/**< discover= wait in ms */
	unsigned int wait_s;		/**< wait=: seconds more while none answers */
	bool debug;			/**< debug=1 */
	char config_prefix[SET_CONFIG_MAX];	/**< config=: "" any target */
	uint16_t vlan;			/**< vlan=: 802.1Q VLAN id, 0: none */
};

/** Reset @set to the built-in defaults (no board applied). */
void settings_init(struct settings *set);

/**
 * Apply "key=value key=\"quoted value\" ..." to @set.  Words without '='
 * in first position (a program name) are skipped; unknown keys and bad
 * values are logged and skipped; later keys override earlier ones.
 *
 * @v source	where the text came from, for messages ("board", "options")
 * @ret rc	0, or -ERR_INVAL when something was skipped
 */
int settings_parse(struct settings *set, const char *text,
		   const char *source);

/**
 * Apply a settings file: one key=value per line (the value is the rest
 * of the line, blanks around it trimmed, one pair of double quotes around
 * it removed), blank lines and lines starting with '#' ignored.  A bad
 * line gives one message "<name>:<line>: <what is wrong>" and is skipped.
 *
 * @v text	file bytes (need not be NUL-terminated, may hold NULs)
 * @v len	their length
 * @v name	the file's name, for messages
 * @ret rc	0, or -ERR_INVAL when a line was skipped
 */
int settings_parse_file(struct settings *set, const char *text, size_t len,
			const char *name);

/**
 * Convert a UCS-2 command line (UEFI's LoadOptions) to ASCII in a new
 * buffer.
 *
 * @v text	UCS-2LE text, ending at a NUL or at @size
 * @v size	its size in bytes
 * @ret ascii	plat_alloc()ed, or NULL when absent or not text (some boot
 *		managers pass binary data)
 */
char *settings_from_ucs2(const void *text, size_t size);

#endif
