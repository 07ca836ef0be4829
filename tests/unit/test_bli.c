/*
 * test_bli.c - the Boot Loader Interface values: what bootctl writes
 * (entry ids, timeouts as UTF-16LE) and what we write back (LoaderEntries).
 */
#include <string.h>
#include "../../src/core/bli.h"
#include "../../src/core/errors.h"
#include "test.h"

/* @ascii as UTF-16LE into @out, with the NUL when @nul; returns bytes. */
static size_t u16(const char *ascii, int nul, uint8_t *out)
{
	size_t n = 0;

	for (; *ascii; ascii++, n += 2) {
		out[n] = (uint8_t)*ascii;
		out[n + 1] = 0;
	}
	if (nul) {
		out[n] = out[n + 1] = 0;
		n += 2;
	}
	return n;
}

static void test_ids(void)
{
	uint8_t v[300];
	char id[BLI_ID_MAX];
	size_t n;

	/* bootctl set-oneshot writes the id with its NUL. */
	n = u16("debian-6.1.0-50-amd64", 1, v);
	check_eq(bli_decode_id(v, n, id, sizeof(id)), 0);
	check(!strcmp(id, "debian-6.1.0-50-amd64"));
	/* Without the NUL (the whole value is the id) too. */
	n = u16("second", 0, v);
	check_eq(bli_decode_id(v, n, id, sizeof(id)), 0);
	check(!strcmp(id, "second"));
	/* Bytes after the NUL are not part of it. */
	n = u16("a", 1, v);
	n += u16("zz", 0, v + n);
	check_eq(bli_decode_id(v, n, id, sizeof(id)), 0);
	check(!strcmp(id, "a"));
	/* Odd size, empty, a blank, a quote, non-ASCII: refused. */
	n = u16("abc", 1, v);
	check_eq(bli_decode_id(v, n - 1, id, sizeof(id)), -ERR_INVAL);
	n = u16("", 1, v);
	check_eq(bli_decode_id(v, n, id, sizeof(id)), -ERR_INVAL);
	check_eq(bli_decode_id(v, 0, id, sizeof(id)), -ERR_INVAL);
	n = u16("a b", 1, v);
	check_eq(bli_decode_id(v, n, id, sizeof(id)), -ERR_INVAL);
	n = u16("a\"b", 1, v);
	check_eq(bli_decode_id(v, n, id, sizeof(id)), -ERR_INVAL);
	n = u16("ab", 1, v);
	v[1] = 0x01;	/* U+0161 */
	check_eq(bli_decode_id(v, n, id, sizeof(id)), -ERR_INVAL);
	/* Too long for the buffer: said so, nothing half-taken. */
	n = u16("abcdefgh", 1, v);
	check_eq(bli_decode_id(v, n, id, 8), -ERR_NAMETOOLONG);
	check_eq(bli_decode_id(v, n, id, 9), 0);
}

static void test_timeouts(void)
{
	uint8_t v[64];
	int t = 99;
	size_t n;

	n = u16("10", 1, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), 0);
	check_eq(t, 10);
	n = u16("0", 1, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), 0);
	check_eq(t, 0);
	/* The one-shot's 0 asks for the menu without a countdown. */
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT_ONESHOT, &t), 0);
	check_eq(t, -1);
	n = u16("menu-force", 1, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), 0);
	check_eq(t, -1);
	n = u16("menu-hidden", 1, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), 0);
	check_eq(t, 0);
	n = u16("menu-disabled", 0, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), 0);
	check_eq(t, 0);
	n = u16("3600", 1, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), 0);
	check_eq(t, 3600);
	t = 7;
	n = u16("3601", 1, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), -ERR_INVAL);
	n = u16("99999999999999", 1, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), -ERR_INVAL);
	n = u16("-1", 1, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), -ERR_INVAL);
	n = u16("5s", 1, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), -ERR_INVAL);
	n = u16("menu", 1, v);
	check_eq(bli_decode_timeout(v, n, BLI_TIMEOUT, &t), -ERR_INVAL);
	check_eq(t, 7);	/* untouched on error */
}

static void test_encode(void)
{
	const char *ids[] = { "first", "auto-san-e1.0", "" };
	uint8_t out[64], want[64];
	size_t n, w;

	n = bli_encode(ids, 3, NULL, 0);
	w = u16("first", 1, want);
	w += u16("auto-san-e1.0", 1, want + w);
	w += u16("", 1, want + w);
	check_eq(n, w);
	memset(out, 0xee, sizeof(out));
	check_eq(bli_encode(ids, 3, out, 10), w);	/* too small: untouched */
	check_eq(out[0], 0xee);
	check_eq(bli_encode(ids, 3, out, sizeof(out)), w);
	check(!memcmp(out, want, w));
	check_eq(bli_encode(ids, 0, out, sizeof(out)), 0);
}

static void test_usec(void)
{
	char buf[21];

	bli_usec_str(0, buf);
	check(!strcmp(buf, "0"));
	bli_usec_str(5123456, buf);
	check(!strcmp(buf, "5123456"));
	bli_usec_str(UINT64_MAX, buf);
	check(!strcmp(buf, "18446744073709551615"));
}

int main(void)
{
	test_run(test_ids);
	test_run(test_timeouts);
	test_run(test_encode);
	test_run(test_usec);
	return test_exit();
}
