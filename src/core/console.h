/*
 * console.h - log lines and the progress bar, for a firmware console.
 *
 * What the firmware prints is the same on every platform: a log line with
 * its level's prefix, and one progress line rewritten in place with '\r'
 * and ended before the next log line.  The platform owns the state (one
 * struct console, in its layer) and the output function; this does the
 * formatting and the rate limiting, so UEFI and BIOS show the same text.
 */
#ifndef AOEBOOT_CONSOLE_H
#define AOEBOOT_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include "log.h"

#define CONSOLE_WHAT_MAX	32

/** A console's state; zero it, then set puts (and debug). */
struct console {
	/** Write ASCII text as is ('\n' is the platform's to translate). */
	void (*puts)(const char *text);
	bool debug;			/**< show LOG_DEBUG lines */
	bool progress_open;		/**< a progress line awaits its '\n' */
	bool progress_finished;		/**< the last one shown was complete */
	uint64_t progress_last_us;
	uint64_t progress_total;
	char progress_what[CONSOLE_WHAT_MAX];
};

/**
 * Print one log line: "error: ", "warning: " or "debug: " first (nothing
 * for info), a newline after; an open progress line is ended first.
 * LOG_DEBUG lines only with con->debug.
 */
void console_log(struct console *con, enum log_level level, const char *line);

/**
 * Show a transfer's progress: "  <name> [####....] 3.2/7.9 MiB 9.8 MiB/s",
 * at most every quarter second, always when it is complete (then ended
 * with a newline).  A path is shown by its last component.
 *
 * @v what	what is being read
 * @v done	bytes so far
 * @v total	bytes in all, 0 when unknown
 * @v elapsed_us time since the transfer started
 * @v now_us	the platform's clock now
 */
void console_progress(struct console *con, const char *what, uint64_t done,
		      uint64_t total, uint64_t elapsed_us, uint64_t now_us);

#endif
