/*
 * test_console.c - the firmware console's log lines and progress bar
 * (src/core/console.c), as UEFI and BIOS print them.
 */
#include <string.h>
#include "../../src/core/console.h"
#include "test.h"

static char out[4096];

static void cap_puts(const char *text)
{
	strncat(out, text, sizeof(out) - strlen(out) - 1);
}

static void test_log_lines(void)
{
	struct console con = { .puts = cap_puts };

	out[0] = 0;
	console_log(&con, LOG_ERROR, "disk on fire");
	console_log(&con, LOG_WARN, "smoke");
	console_log(&con, LOG_INFO, "plain");
	console_log(&con, LOG_DEBUG, "hidden");
	check(!strcmp(out, "error: disk on fire\nwarning: smoke\nplain\n"));
	con.debug = true;
	out[0] = 0;
	console_log(&con, LOG_DEBUG, "shown");
	check(!strcmp(out, "debug: shown\n"));
}

static void test_progress(void)
{
	struct console con = { .puts = cap_puts };
	const uint64_t mib = 1 << 20;

	out[0] = 0;
	/* Half of 8 MiB in one second, named by its last path component. */
	console_progress(&con, "/boot/vmlinuz", 4 * mib, 8 * mib, 1000000, 0);
	check(!strcmp(out, "\r  vmlinuz        [############............] "
		      "4.0/8.0 MiB 4.0 MiB/s "));
	/* Within a quarter second: not redrawn. */
	out[0] = 0;
	console_progress(&con, "/boot/vmlinuz", 5 * mib, 8 * mib, 1100000,
			 100000);
	check(out[0] == 0);
	/* A log line ends the open progress line first. */
	console_log(&con, LOG_INFO, "x");
	check(!strcmp(out, "\nx\n"));
	/* Complete: always drawn, and ended. */
	out[0] = 0;
	console_progress(&con, "/boot/vmlinuz", 8 * mib, 8 * mib, 2000000,
			 150000);
	check(strstr(out, "[########################] 8.0/8.0 MiB 4.0 MiB/s \n"));
	/* The same end reported again (engine, then file layer): nothing. */
	out[0] = 0;
	console_progress(&con, "/boot/vmlinuz", 8 * mib, 8 * mib, 2000000,
			 160000);
	check(out[0] == 0);
	/* Unknown total, no time yet. */
	console_progress(&con, "e1.0", 3 * mib / 2, 0, 0, 900000);
	check(!strcmp(out, "\r  e1.0           [........................] "
		      "1.5/? MiB 0.0 MiB/s "));
}

int main(void)
{
	test_run(test_log_lines);
	test_run(test_progress);
	return test_exit();
}
