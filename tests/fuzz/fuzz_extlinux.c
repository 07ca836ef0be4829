/*
 * fuzz_extlinux.c - extlinux.conf text into bootcfg_parse_extlinux() (not
 * NUL-terminated); every entry it keeps must be well formed and exactly
 * one must be the default.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/core/bootcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_list list = { .default_index = -1, .timeout_ds = -1 };
	char *cmd = malloc(BOOTCFG_CMDLINE_MAX);
	int n, ndef = 0;

	n = bootcfg_parse_extlinux((const char *)data, size, "/boot/extlinux",
				   &list);
	if (n < 0 || (unsigned int)n != list.count ||
	    list.count > BOOTCFG_MAX_ENTRIES)
		abort();
	for (unsigned int i = 0; i < list.count; i++) {
		const struct boot_entry *e = &list.entries[i];

		if (!e->id[0] || e->kernel[0] != '/' ||
		    e->ninitrd > BOOTCFG_MAX_INITRDS)
			abort();
		for (unsigned int k = 0; k < e->ninitrd; k++)
			if (e->initrd[k][0] != '/')
				abort();
		ndef += e->is_default;
		bootcfg_cmdline(e->options, NULL, NULL, 0, 0, cmd,
				BOOTCFG_CMDLINE_MAX);
	}
	if (list.count && ndef != 1)
		abort();
	bootcfg_free(&list);
	free(cmd);
	return 0;
}
