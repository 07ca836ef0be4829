/*
 * plat.c - the core's platform functions on Linux (aoectl).
 *
 * The log threshold and the progress state are the platform's own state;
 * the core keeps none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "plat.h"
#include "../core/platform.h"

static enum log_level log_threshold = LOG_INFO;
static uint64_t progress_last_us;
static int progress_shown;

void host_set_verbosity(int verbose)
{
	log_threshold = verbose > 0 ? LOG_DEBUG : verbose < 0 ? LOG_WARN :
		LOG_INFO;
}

uint64_t plat_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void *plat_alloc(size_t size)
{
	return malloc(size ? size : 1);
}

void plat_free(void *ptr)
{
	free(ptr);
}

void plat_log(enum log_level level, const char *line)
{
	static const char *const prefix[] = {
		[LOG_ERROR] = "error: ", [LOG_WARN] = "warning: ",
		[LOG_INFO] = "", [LOG_DEBUG] = "debug: ",
	};

	if (level > log_threshold)
		return;
	host_progress_clear();
	fprintf(stderr, "%s%s\n", prefix[level], line);
}

void host_progress_clear(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
}

void plat_progress(const char *what, uint64_t done, uint64_t total,
		   uint64_t elapsed_us)
{
	uint64_t now = plat_now_us();
	double mib = (double)done / (1024.0 * 1024.0);
	double rate = elapsed_us ? mib / ((double)elapsed_us / 1e6) : 0;

	if (!isatty(STDERR_FILENO))
		return;
	if (done != total && now - progress_last_us < 100000)
		return;
	progress_last_us = now;
	if (total)
		fprintf(stderr, "\r%s: %.1f / %.1f MiB (%3u%%) %.1f MiB/s\033[K",
			what, mib, (double)total / (1024.0 * 1024.0),
			(unsigned int)(done * 100 / total), rate);
	else
		fprintf(stderr, "\r%s: %.1f MiB %.1f MiB/s\033[K", what, mib,
			rate);
	progress_shown = 1;
	if (total && done >= total)
		host_progress_clear();
}
