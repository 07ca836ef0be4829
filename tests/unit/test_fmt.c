/* test_fmt.c - the core's printf engine against the host libc's. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "test.h"
#include "../../src/core/log.h"
#include "../../src/core/errors.h"

static void same(const char *fmt, ...)
{
	char a[128], b[128];
	va_list ap, ap2;
	int la, lb;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	la = fmt_vsnprintf(a, sizeof(a), fmt, ap);
	lb = vsnprintf(b, sizeof(b), fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (la != lb || strcmp(a, b))
		fprintf(stderr, "  fmt \"%s\": ours \"%s\" (%d), libc \"%s\" (%d)\n",
			fmt, a, la, b, lb);
	check(la == lb && !strcmp(a, b));
}

static void test_fmt_differential(void)
{
	same("plain");
	same("%d %i %u", -42, 7, 3000000000u);
	same("%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42);
	same("%x %X %#x %08x %o %#o", 0xbeef, 0xbeef, 0xbeef, 0x12, 8, 8);
	same("%lld %llu %llx", (long long)INT64_MIN, (unsigned long long)UINT64_MAX,
	     0x123456789abcdefULL);
	same("%zu %ld %hhu %hd", (size_t)12345, -5L, 300, 70000);
	same("%s|%10s|%-10s|%.3s|%*s", "abc", "abc", "abc", "abcdef", 6, "x");
	same("%c%c%5c%-3c|", 'a', 'b', 'c', 'd');
	same("%.0d|%.5d|%8.3d|%%", 0, 42, -7);
	same("%02x:%02x:%02x", 0xa, 0xbb, 0);
}

static void test_fmt_truncation(void)
{
	char buf[6];

	check_eq(fmt_snprintf(buf, sizeof(buf), "%s", "hello world"), 11);
	check(!strcmp(buf, "hello"));
	check_eq(fmt_snprintf(buf, 0, "%d", 12345), 5);
	check_eq(fmt_snprintf(NULL, 0, "%d", 1), 1);
}

static void test_err_str(void)
{
	check(!strcmp(err_str(-ERR_TIMEOUT), "timed out"));
	check(!strcmp(err_str(ERR_CORRUPT), "corrupt on-disk structure"));
	check(!strcmp(err_str(-9999), "unknown error"));
}

int main(void)
{
	test_run(test_fmt_differential);
	test_run(test_fmt_truncation);
	test_run(test_err_str);
	return test_exit();
}
