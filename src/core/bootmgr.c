/*
 * bootmgr.c - the boot manager: settings, targets, candidates, menu,
 * load, hand off (bootmgr.h), on top of any struct boot_platform.
 */
#include "bootmgr.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

void bootmgr_settings(const struct boot_platform *plat, void *pctx,
		      struct settings *set, const char *board,
		      const char *cmdline)
{
	const char *name = "settings file";
	char *text = NULL;
	size_t len = 0;
	int rc;

	settings_init(set);
	if (board)
		settings_parse(set, board, "board");
	if (plat->read_settings) {
		rc = plat->read_settings(pctx, &text, &len, &name);
		if (rc == 0) {
			log_info("settings from %s", name);
			settings_parse_file(set, text, len, name);
			plat_free(text);
		} else if (rc != -ERR_NOENT) {
			log_warn("%s: not read: %s", name, err_str(rc));
		}
	}
	if (cmdline && cmdline[0]) {
		log_info("options: %s", cmdline);
		settings_parse(set, cmdline, "options");
	}
}
