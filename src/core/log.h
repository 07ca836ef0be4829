/*
 * log.h - formatted logging and string formatting for the core.
 *
 * fmt_vsnprintf() is the core's own printf engine (firmware has no libc):
 * %d %i %u %x %X %o %c %s %p %%, with flags '-' '0' ' ' '+', width,
 * precision, and the length modifiers hh h l ll z j t.  It always
 * NUL-terminates when size > 0 and returns the length it would have written.
 */
#ifndef AOEBOOT_LOG_H
#define AOEBOOT_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "platform.h"

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * A size for people: "512 B", "15.0 MiB", "2.0 GiB" (binary units, one
 * decimal, truncated).  The one formatter for every platform and aoectl.
 */
void fmt_size(char *buf, size_t size, uint64_t bytes);

/** Format one line and hand it to plat_log(). */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
