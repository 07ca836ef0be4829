/*
 * settings.h - firmware settings: the board's and the LoadOptions' text.
 *
 * Free of UEFI types, so the parser is unit-tested on the host
 * (tests/unit/test_efi_settings.c).
 */
#ifndef AOEBOOT_EFI_SETTINGS_H
#define AOEBOOT_EFI_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SET_MAX_TARGETS		16
#define SET_MAX_INITRDS		4
#define SET_APPEND_MAX		1024
#define SET_ENTRY_MAX		128
#define SET_FILENAME_MAX	128

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
	bool mode_san;			/**< mode=san: SAN boot (sanboot.c) */
	char filename[SET_FILENAME_MAX];	/**< filename=: SAN loader; "" default */
	bool have_kernel;		/**< kernel=: a whole target is vmlinuz */
	struct set_target kernel;
	struct set_target initrds[SET_MAX_INITRDS];	/**< initrd= list */
	unsigned int ninitrds;
	unsigned int discover_ms;	/**< discover= wait in ms */
	bool debug;			/**< debug=1 */
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
 * Convert LoadOptions (UCS-2) to ASCII in a new buffer, or NULL when they
 * are absent or not text (some boot managers pass binary data).
 */
char *settings_from_load_options(const void *options, size_t size);

/** The compiled-in board: name and configuration text (board.c). */
extern const char efi_board_name[];
extern const char efi_board_config[];

#endif
