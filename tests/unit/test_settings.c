/*
 * test_settings.c - the core's settings parsers: command-line words, the
 * settings file's lines, UCS-2 LoadOptions.
 */
#include <string.h>
#include "../../src/core/platform.h"
#include "../../src/core/settings.h"
#include "test.h"
#include "testplat.h"

static void test_defaults(void)
{
	struct settings s;

	settings_init(&s);
	check_eq(s.ntargets, 0);
	check_eq(s.timeout, 5);
	check(!s.have_kernel && !s.have_iface && !s.mode_san && !s.debug);
	check(!s.net_undi);
	check_eq(s.discover_ms, 1500);
	check(s.append[0] == 0 && s.entry[0] == 0);
	/* An empty board changes nothing. */
	check_eq(settings_parse(&s, "", "board"), 0);
	check_eq(s.timeout, 5);
}

static void test_all_keys(void)
{
	struct settings s;

	settings_init(&s);
	check_eq(settings_parse(&s, "targets=e11.0,e12.3 entry=\"Debian GNU/Linux\" "
				"timeout=-1 iface=52:54:00:AB:cd:0f "
				"append=\"console=ttyS0 quiet\" mode=san "
				"kernel=e1.0 initrd=e1.1,e1.2 discover=250 debug=1 "
				"net=undi", "t"), 0);
	check_eq(s.ntargets, 2);
	check_eq(s.targets[0].shelf, 11);
	check_eq(s.targets[0].slot, 0);
	check_eq(s.targets[1].shelf, 12);
	check_eq(s.targets[1].slot, 3);
	check(!strcmp(s.entry, "Debian GNU/Linux"));
	check_eq(s.timeout, -1);
	check(s.have_iface);
	check(!memcmp(s.iface, "\x52\x54\x00\xab\xcd\x0f", 6));
	check(!strcmp(s.append, "console=ttyS0 quiet"));
	check(s.mode_san);
	check(s.have_kernel);
	check_eq(s.kernel.shelf, 1);
	check_eq(s.kernel.slot, 0);
	check_eq(s.ninitrds, 2);
	check_eq(s.initrds[1].slot, 2);
	check_eq(s.discover_ms, 250);
	check(s.debug);
	check(s.net_undi);
	check_eq(settings_parse(&s, "net=auto", "t"), 0);
	check(!s.net_undi);
}

static void test_program_name_and_override(void)
{
	struct settings s;

	settings_init(&s);
	/* The board first, then LoadOptions as the shell passes them. */
	check_eq(settings_parse(&s, "timeout=3 targets=e1.0", "board"), 0);
	check_eq(settings_parse(&s, "FS0:\\EFI\\aoeboot.efi timeout=0 "
				"targets=e2.1", "options"), 0);
	check_eq(s.timeout, 0);
	check_eq(s.ntargets, 1);
	check_eq(s.targets[0].shelf, 2);
	/* iPXE's `chain aoeboot.efi ...` and an iPXE-style root path. */
	check_eq(settings_parse(&s, "aoeboot.efi targets=aoe:e9.8", "options"), 0);
	check_eq(s.targets[0].shelf, 9);
	check_eq(s.targets[0].slot, 8);
}

static void test_bad_values(void)
{
	struct settings s;

	settings_init(&s);
	/* Each bad word is skipped; the good ones still apply. */
	check(settings_parse(&s, "prog stray timeout=x targets=e1 "
			     "iface=52:54:00:12:34 mode=fast unknown=1 "
			     "timeout=7 kernel=e1.0,e1.1 initrd= discover=5 "
			     "net=pxe", "t") < 0);
	check_eq(s.timeout, 7);
	check_eq(s.ntargets, 0);
	check(!s.have_iface);
	check(!s.mode_san);
	check(!s.net_undi);
	check(!s.have_kernel);
	check_eq(s.ninitrds, 0);
	check_eq(s.discover_ms, 1500);
	/* Too many targets, a shelf out of range, an empty list item. */
	check(settings_parse(&s, "targets=e1.0,e1.1,e1.2,e1.3,e1.4,e1.5,"
			     "e1.6,e1.7,e1.8,e1.9,e1.10,e1.11,e1.12,e1.13,"
			     "e1.14,e1.15,e1.16", "t") < 0);
	check(settings_parse(&s, "targets=e65535.0", "t") < 0);
	check(settings_parse(&s, "targets=e1.0,,e1.1", "t") < 0);
	check_eq(s.ntargets, 0);
	/* An overlong append is refused whole, not cut. */
	{
		static char text[SET_APPEND_MAX + 32];

		strcpy(text, "append=");
		memset(text + 7, 'a', SET_APPEND_MAX + 8);
		check(settings_parse(&s, text, "t") < 0);
		check_eq(strlen(s.append), 0);
	}
}

/* vlan=: an 802.1Q VLAN id 1..4094; anything else is one line, no change. */
static void test_vlan(void)
{
	static const char *const bad[] = {
		"vlan=0", "vlan=4095", "vlan=4096", "vlan=-1", "vlan=5x",
		"vlan=", "vlan=0x5", "vlan=99999999999", "vlan= 5",
	};
	static const char conf[] = "vlan = 12\nvlan=4095\n";
	struct settings s;

	settings_init(&s);
	check_eq(s.vlan, 0);
	check_eq(settings_parse(&s, "vlan=1", "t"), 0);
	check_eq(s.vlan, 1);
	check_eq(settings_parse(&s, "vlan=4094", "t"), 0);
	check_eq(s.vlan, 4094);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check(settings_parse(&s, bad[i], "options") < 0);
		check_eq(s.vlan, 4094);
	}
	check(settings_parse(&s, "vlan=4095", "options") < 0);
	check(strstr(test_last_log(), "options: bad value for vlan: '4095' "
		     "(a VLAN id, 1..4094)") != NULL);
	/* The file: a good line applies, a bad one names file and line. */
	settings_init(&s);
	check(settings_parse_file(&s, conf, strlen(conf), "aoeboot.conf") < 0);
	check_eq(s.vlan, 12);
	check(strstr(test_last_log(), "aoeboot.conf:2: bad value for vlan: "
		     "'4095' (a VLAN id, 1..4094)") != NULL);
	/* Other keys' messages carry no hint. */
	check(settings_parse(&s, "timeout=soon", "options") < 0);
	check(strstr(test_last_log(), "1..4094") == NULL);
}

static void test_load_options(void)
{
	/* UCS-2 "a.efi timeout=1", NUL-terminated, then junk past the NUL. */
	static const char ascii[] = "a.efi timeout=1";
	uint8_t buf[64];
	size_t i, n = strlen(ascii);
	char *text;

	memset(buf, 0xee, sizeof(buf));
	for (i = 0; i <= n; i++) {
		buf[2 * i] = (uint8_t)ascii[i];
		buf[2 * i + 1] = 0;
	}
	text = settings_from_ucs2(buf, sizeof(buf));
	check(text && !strcmp(text, ascii));
	plat_free(text);
	/* Without a NUL, the size ends the text. */
	text = settings_from_ucs2(buf, 2 * n);
	check(text && !strcmp(text, ascii));
	plat_free(text);
	/* Binary OptionalData (a GUID, say) is not text. */
	memcpy(buf, "\x8b\x9a\x11\x00\x22\x90\x33\x44", 8);
	check(settings_from_ucs2(buf, 8) == NULL);
	check(settings_from_ucs2(NULL, 0) == NULL);
	check(settings_from_ucs2(buf, 1) == NULL);
	/* Non-ASCII UCS-2 is refused too. */
	buf[0] = 'a'; buf[1] = 0x04;
	check(settings_from_ucs2(buf, 2) == NULL);
}

static void test_file(void)
{
	static const char conf[] =
		"# aoeboot.conf on a USB stick\r\n"
		"\n"
		"entry = Debian GNU/Linux\r\n"
		"   append=\"console=ttyS0 aoeboot.word=1\"  \n"
		"timeout=0\n"
		"  # indented comment\n"
		"targets=e11.0,e12.0";	/* no newline at the end */
	struct settings s;

	settings_init(&s);
	check_eq(settings_parse_file(&s, conf, strlen(conf), "aoeboot.conf"), 0);
	check(!strcmp(s.entry, "Debian GNU/Linux"));
	check(!strcmp(s.append, "console=ttyS0 aoeboot.word=1"));
	check_eq(s.timeout, 0);
	check(s.have_timeout);
	check_eq(s.ntargets, 2);
	check_eq(s.targets[1].shelf, 12);
	/* An empty file changes nothing. */
	check_eq(settings_parse_file(&s, "", 0, "empty"), 0);
	check_eq(s.ntargets, 2);
}

static void test_file_bad_lines(void)
{
	static const char conf[] =
		"timeout=3\n"
		"this line is wrong\n"
		"colour=blue\n"
		"timeout=soon\n"
		"=e1.0\n"
		"discover=250\n";
	static const char nul[] = "timeout=1\nent\0ry=x\ndebug=1\n";
	static char longline[SET_APPEND_MAX + 200];
	struct settings s;
	size_t n;

	settings_init(&s);
	/* Each bad line is one message naming file and line; the rest applies. */
	check(settings_parse_file(&s, conf, strlen(conf), "f.conf") < 0);
	check_eq(s.timeout, 3);
	check_eq(s.discover_ms, 250);
	check(strstr(test_last_log(), "f.conf:5:") != NULL);
	settings_init(&s);
	check(settings_parse_file(&s, conf, 22, "f.conf") < 0);
	check(strstr(test_last_log(), "f.conf:2: not key=value") != NULL);
	settings_init(&s);
	check(settings_parse_file(&s, conf, 40, "f.conf") < 0);
	check(strstr(test_last_log(), "f.conf:3: unknown setting colour") != NULL);
	/* A NUL inside a line: that line is skipped, the others apply. */
	settings_init(&s);
	check(settings_parse_file(&s, nul, sizeof(nul) - 1, "n") < 0);
	check(strstr(test_last_log(), "n:2: not text") != NULL);
	check_eq(s.timeout, 1);
	check(s.debug && s.entry[0] == 0);
	/* A line longer than any value: skipped whole, not cut. */
	strcpy(longline, "append=");
	n = strlen(longline);
	memset(longline + n, 'a', sizeof(longline) - n - 16);
	strcat(longline, "\ndebug=1\n");
	settings_init(&s);
	check(settings_parse_file(&s, longline, strlen(longline), "l") < 0);
	check(strstr(test_last_log(), "l:1: line too long") != NULL);
	check(s.append[0] == 0 && s.debug);
}

int main(void)
{
	test_run(test_defaults);
	test_run(test_all_keys);
	test_run(test_program_name_and_override);
	test_run(test_bad_values);
	test_run(test_load_options);
	test_run(test_file);
	test_run(test_file_bad_lines);
	test_run(test_vlan);
	return test_exit();
}
