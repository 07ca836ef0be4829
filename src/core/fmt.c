/*
 * fmt.c - the core's printf engine and log front end.
 *
 * Firmware has no libc, so the core formats its own messages.  The engine
 * is checked against the host libc's snprintf in tests/unit/test_fmt.c.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "libc.h"
#include "log.h"

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;	/* length the full output would have */
};

static void fmt_putc(struct fmt_out *out, char c)
{
	if (out->len + 1 < out->size)
		out->buf[out->len] = c;
	out->len++;
}

static void fmt_pad(struct fmt_out *out, char c, int count)
{
	while (count-- > 0)
		fmt_putc(out, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_SPACE = 4, F_PLUS = 8, F_ALT = 16 };

static void fmt_number(struct fmt_out *out, uint64_t value, bool negative,
		       unsigned int base, bool upper, int flags, int width,
		       int precision)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, zeros, total;
	char sign = 0;
	const char *prefix = "";

	if (negative)
		sign = '-';
	else if (flags & F_PLUS)
		sign = '+';
	else if (flags & F_SPACE)
		sign = ' ';
	if ((flags & F_ALT) && base == 16 && value)
		prefix = upper ? "0X" : "0x";
	if (!(precision == 0 && value == 0)) {
		do {
			tmp[n++] = digits[value % base];
			value /= base;
		} while (value);
	}
	if ((flags & F_ALT) && base == 8 && (n == 0 || tmp[n - 1] != '0'))
		tmp[n++] = '0';
	zeros = precision > n ? precision - n : 0;
	total = n + zeros + (sign ? 1 : 0) + (int)strlen(prefix);
	if (precision < 0 && (flags & F_ZERO) && !(flags & F_LEFT) &&
	    width > total) {
		zeros += width - total;
		total = width;
	}
	if (!(flags & F_LEFT))
		fmt_pad(out, ' ', width - total);
	if (sign)
		fmt_putc(out, sign);
	while (*prefix)
		fmt_putc(out, *prefix++);
	fmt_pad(out, '0', zeros);
	while (n)
		fmt_putc(out, tmp[--n]);
	if (flags & F_LEFT)
		fmt_pad(out, ' ', width - total);
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out out = { .buf = buf, .size = size, .len = 0 };

	while (*fmt) {
		int flags = 0, width = 0, precision = -1, lng = 0;
		uint64_t uval;
		int64_t sval;
		char c = *fmt++;

		if (c != '%') {
			fmt_putc(&out, c);
			continue;
		}
		for (;; fmt++) {
			if (*fmt == '-') flags |= F_LEFT;
			else if (*fmt == '0') flags |= F_ZERO;
			else if (*fmt == ' ') flags |= F_SPACE;
			else if (*fmt == '+') flags |= F_PLUS;
			else if (*fmt == '#') flags |= F_ALT;
			else break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			precision = 0;
			if (*fmt == '*') {
				precision = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					precision = precision * 10 +
						    (*fmt++ - '0');
			}
		}
		/* Length: 0 int, -1 short, -2 char, 1 long, 2 long long,
		 * 3 size_t, 4 intmax_t, 5 ptrdiff_t. */
		if (*fmt == 'h') {
			lng = -1;
			if (*++fmt == 'h') { lng = -2; fmt++; }
		} else if (*fmt == 'l') {
			lng = 1;
			if (*++fmt == 'l') { lng = 2; fmt++; }
		} else if (*fmt == 'z') { lng = 3; fmt++; }
		else if (*fmt == 'j') { lng = 4; fmt++; }
		else if (*fmt == 't') { lng = 5; fmt++; }

		c = *fmt;
		if (c)
			fmt++;
		switch (c) {
		case 'd':
		case 'i':
			switch (lng) {
			case 1: sval = va_arg(ap, long); break;
			case 2: sval = va_arg(ap, long long); break;
			case 3: sval = (int64_t)va_arg(ap, size_t); break;
			case 4: sval = va_arg(ap, intmax_t); break;
			case 5: sval = va_arg(ap, ptrdiff_t); break;
			case -1: sval = (short)va_arg(ap, int); break;
			case -2: sval = (signed char)va_arg(ap, int); break;
			default: sval = va_arg(ap, int); break;
			}
			uval = sval < 0 ? (uint64_t)0 - (uint64_t)sval :
					  (uint64_t)sval;
			fmt_number(&out, uval, sval < 0, 10, false, flags,
				   width, precision);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			switch (lng) {
			case 1: uval = va_arg(ap, unsigned long); break;
			case 2: uval = va_arg(ap, unsigned long long); break;
			case 3: uval = va_arg(ap, size_t); break;
			case 4: uval = va_arg(ap, uintmax_t); break;
			case 5: uval = (uint64_t)va_arg(ap, ptrdiff_t); break;
			case -1: uval = (unsigned short)va_arg(ap, unsigned int); break;
			case -2: uval = (unsigned char)va_arg(ap, unsigned int); break;
			default: uval = va_arg(ap, unsigned int); break;
			}
			fmt_number(&out, uval, false,
				   c == 'o' ? 8 : c == 'u' ? 10 : 16,
				   c == 'X', flags & ~(F_PLUS | F_SPACE),
				   width, precision);
			break;
		case 'p':
			fmt_number(&out, (uintptr_t)va_arg(ap, void *), false,
				   16, false, F_ALT, width, precision);
			break;
		case 'c': {
			char ch = (char)va_arg(ap, int);

			if (!(flags & F_LEFT))
				fmt_pad(&out, ' ', width - 1);
			fmt_putc(&out, ch);
			if (flags & F_LEFT)
				fmt_pad(&out, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (!s)
				s = "(null)";
			while (s[n] && (precision < 0 || n < precision))
				n++;
			if (!(flags & F_LEFT))
				fmt_pad(&out, ' ', width - n);
			for (int i = 0; i < n; i++)
				fmt_putc(&out, s[i]);
			if (flags & F_LEFT)
				fmt_pad(&out, ' ', width - n);
			break;
		}
		case '%':
			fmt_putc(&out, '%');
			break;
		default:
			/* Unknown conversion: print it literally. */
			fmt_putc(&out, '%');
			if (c)
				fmt_putc(&out, c);
			break;
		}
	}
	if (size)
		buf[out.len < size ? out.len : size - 1] = '\0';
	return (int)out.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	plat_log(level, line);
}

void fmt_size(char *buf, size_t size, uint64_t bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB",
					     "PiB" };
	uint64_t scaled;
	unsigned int u = 0;

	if (bytes < 1024) {
		fmt_snprintf(buf, size, "%llu B", (unsigned long long)bytes);
		return;
	}
	scaled = bytes / 1024 * 10 + (bytes % 1024) * 10 / 1024;
	while (scaled >= 10240 && u + 1 < ARRAY_SIZE(units)) {
		scaled /= 1024;
		u++;
	}
	fmt_snprintf(buf, size, "%llu.%llu %s",
		     (unsigned long long)(scaled / 10),
		     (unsigned long long)(scaled % 10), units[u]);
}
