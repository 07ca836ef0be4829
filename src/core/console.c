/*
 * console.c - log lines and the progress bar (see console.h).
 */
#include "console.h"
#include "libc.h"

#define PROGRESS_EVERY_US	250000
#define PROGRESS_BAR		24

static void progress_end(struct console *con)
{
	if (con->progress_open) {
		con->puts("\n");
		con->progress_open = false;
	}
}

void console_log(struct console *con, enum log_level level, const char *line)
{
	static const char *const prefix[] = {
		[LOG_ERROR] = "error: ",
		[LOG_WARN] = "warning: ",
		[LOG_INFO] = "",
		[LOG_DEBUG] = "debug: ",
	};

	if (level == LOG_DEBUG && !con->debug)
		return;
	progress_end(con);
	if ((unsigned int)level < ARRAY_SIZE(prefix))
		con->puts(prefix[level]);
	con->puts(line);
	con->puts("\n");
}

/* Bytes as "12.3" (MiB, one decimal). */
static void mib_str(char *buf, size_t size, uint64_t bytes)
{
	uint64_t tenths = (bytes * 10 + (1 << 19)) >> 20;

	fmt_snprintf(buf, size, "%llu.%llu", (unsigned long long)(tenths / 10),
		     (unsigned long long)(tenths % 10));
}

void console_progress(struct console *con, const char *what, uint64_t done,
		      uint64_t total, uint64_t elapsed_us, uint64_t now_us)
{
	char line[96], bar[PROGRESS_BAR + 1], d[24], t[24], r[24];
	bool last = total && done >= total;
	unsigned int fill = 0, i;
	const char *p;

	for (p = what; *p; p++)
		if (*p == '/' && p[1])
			what = p + 1;
	if (!last && con->progress_open &&
	    now_us - con->progress_last_us < PROGRESS_EVERY_US)
		return;
	/* The caller may report the end twice (engine, then file layer). */
	if (last && !con->progress_open && con->progress_finished &&
	    con->progress_total == total &&
	    !strncmp(con->progress_what, what, sizeof(con->progress_what) - 1))
		return;
	con->progress_finished = last;
	con->progress_total = total;
	fmt_snprintf(con->progress_what, sizeof(con->progress_what), "%s", what);
	con->progress_last_us = now_us;
	if (total)
		fill = (unsigned int)(MIN(done, total) * PROGRESS_BAR / total);
	for (i = 0; i < PROGRESS_BAR; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[PROGRESS_BAR] = 0;
	mib_str(d, sizeof(d), done);
	mib_str(t, sizeof(t), total);
	mib_str(r, sizeof(r), elapsed_us ? done * 1000000 / elapsed_us : 0);
	fmt_snprintf(line, sizeof(line), "\r  %-14.14s [%s] %s/%s MiB %s MiB/s ",
		     what, bar, d, total ? t : "?", r);
	con->puts(line);
	con->progress_open = true;
	if (last)
		progress_end(con);
}
