/*
 * fuzz_debcmdline.c - arbitrary bytes as /etc/kernel/cmdline and as
 * /etc/default/grub.  Each result must be a NUL-terminated string of the
 * length returned, within the buffer, without leading, trailing or double
 * blanks; the buffer is not NUL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/core/debcmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_line(const char *out, int n, size_t cap)
{
	size_t len;

	if (n < 0)
		return;
	len = strlen(out);
	if ((size_t)n != len || len >= cap)
		abort();
	if (len && (out[0] == ' ' || out[len - 1] == ' ' || strstr(out, "  ")))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[] = { 1, 17, BOOTCFG_CMDLINE_MAX };
	char *out = malloc(BOOTCFG_CMDLINE_MAX);

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		check_line(out, debcmd_parse_kernel_cmdline((const char *)data,
				size, out, caps[i]), caps[i]);
		check_line(out, debcmd_parse_default_grub((const char *)data,
				size, out, caps[i]), caps[i]);
	}
	free(out);
	return 0;
}
