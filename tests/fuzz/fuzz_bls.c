/*
 * fuzz_bls.c - BLS entry text into bootcfg_parse_bls(), its options into
 * bootcfg_cmdline(), and the first two lines into bootcfg_verscmp() (which
 * must be antisymmetric).  The input buffer is used as is: not
 * NUL-terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/core/bootcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sgn(int x)
{
	return x < 0 ? -1 : x > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_entry *e = malloc(sizeof(*e));
	static const uint8_t mac[6] = { 1, 2, 3, 4, 5, 6 };
	const char *targets[] = { "e1.0", "e2.1" };
	char *cmd = malloc(BOOTCFG_CMDLINE_MAX);
	char *a = malloc(size + 1), *b;
	size_t nl;

	if (!bootcfg_parse_bls((const char *)data, size, "fuzz", e)) {
		if (strlen(e->kernel) >= sizeof(e->kernel) || e->kernel[0] != '/' ||
		    e->ninitrd > BOOTCFG_MAX_INITRDS)
			abort();
		int n = bootcfg_cmdline(e->options, mac, targets, 2, 5, cmd,
					BOOTCFG_CMDLINE_MAX);
		if (n >= 0 && (size_t)n != strlen(cmd))
			abort();
	}
	/* verscmp on the first two lines */
	memcpy(a, data, size);
	a[size] = '\0';
	nl = strcspn(a, "\n");
	b = a + nl + (a[nl] ? 1 : 0);
	a[nl] = '\0';
	b[strcspn(b, "\n")] = '\0';
	if (sgn(bootcfg_verscmp(a, b)) != -sgn(bootcfg_verscmp(b, a)) ||
	    bootcfg_verscmp(a, a) != 0)
		abort();
	free(a);
	free(cmd);
	free(e);
	return 0;
}
