/*
 * test_debcmdline.c - the command line of Debian's symlink entry: the
 * /etc/kernel/cmdline and /etc/default/grub parsers on exact-length
 * buffers (over-reads trip ASan), hostile values, and whole filesystems
 * from tests/images/mkfs-debroot.sh.
 */
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "testplat.h"
#include "memdisk.h"
#include "fstest.h"
#include "../../src/core/debcmdline.h"
#include "../../src/core/errors.h"

/* Parse @text from an exact-size heap copy. */
static int parse(int (*fn)(const char *, size_t, char *, size_t),
		 const char *text, char *out, size_t size)
{
	size_t len = strlen(text);
	char *p = malloc(len ? len : 1);
	int rc;

	memcpy(p, text, len);
	rc = fn(p, len, out, size);
	free(p);
	return rc;
}

static void test_kernel_cmdline(void)
{
	char out[64];

	check_eq(parse(debcmd_parse_kernel_cmdline,
		       "# comment\n  console=ttyS0\tquiet \n\nrw", out,
		       sizeof(out)), 22);
	check(!strcmp(out, "console=ttyS0 quiet rw"));
	check_eq(parse(debcmd_parse_kernel_cmdline, "", out, sizeof(out)), 0);
	check(!strcmp(out, ""));
	check_eq(parse(debcmd_parse_kernel_cmdline, "#only\n", out,
		       sizeof(out)), 0);
	/* Exactly fits (21 bytes + NUL), then one byte short. */
	check_eq(parse(debcmd_parse_kernel_cmdline, "aaaaaaaaaa bbbbbbbbbb",
		       out, 22), 21);
	check_eq(parse(debcmd_parse_kernel_cmdline, "aaaaaaaaaa bbbbbbbbbb",
		       out, 21), -ERR_TOOBIG);
}

static void test_default_grub(void)
{
	char out[128];

	check(parse(debcmd_parse_default_grub,
		    "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
		    "GRUB_CMDLINE_LINUX='a  b'\n", out, sizeof(out)) > 0);
	check(!strcmp(out, "a b quiet"));	/* LINUX first, as update-grub */
	check(parse(debcmd_parse_default_grub,
		    "GRUB_CMDLINE_LINUX=x\nGRUB_CMDLINE_LINUX=y # later\n", out,
		    sizeof(out)) > 0);
	check(!strcmp(out, "y"));
	/* Shell expansion cannot be evaluated: left out, the rest kept. */
	check(parse(debcmd_parse_default_grub,
		    "GRUB_CMDLINE_LINUX=\"$EXTRA quiet\"\n"
		    "GRUB_CMDLINE_LINUX_DEFAULT=splash\n", out,
		    sizeof(out)) > 0);
	check(!strcmp(out, "splash"));
	/* Unterminated quote, no '=', a lookalike key, an empty file. */
	check_eq(parse(debcmd_parse_default_grub,
		       "GRUB_CMDLINE_LINUX=\"open\nGRUB_CMDLINE_LINUXX=no\n"
		       "GRUB_CMDLINE_LINUX\n", out, sizeof(out)), 0);
	check(!strcmp(out, ""));
	check_eq(parse(debcmd_parse_default_grub, "", out, sizeof(out)), 0);
	check_eq(parse(debcmd_parse_default_grub,
		       "GRUB_CMDLINE_LINUX=\"\\\"q\\\" r\"", out,
		       sizeof(out)), 5);
	check(!strcmp(out, "\"q\" r"));
	check_eq(parse(debcmd_parse_default_grub,
		       "GRUB_CMDLINE_LINUX=abcdefgh", out, 8), -ERR_TOOBIG);
}

/* debcmd_options() on image @name; returns its rc. */
static int options_of(const char *name, char *out, size_t size,
		      char *origin)
{
	struct memdisk md;
	struct fs *fs;
	char file[64];
	int rc;

	snprintf(file, sizeof(file), "%s.img", name);
	if (memdisk_load(&md, name, fstest_path(file))) {
		check(!"image missing");
		return -999;
	}
	if (fs_mount(&md.blk, &fs)) {
		check(!"mount");
		memdisk_free(&md);
		return -999;
	}
	rc = debcmd_options(fs, out, size, origin);
	fs_unmount(fs);
	memdisk_free(&md);
	return rc;
}

static void test_root_filesystems(void)
{
	char out[256], origin[BOOTCFG_ORIGIN_MAX];

	check_eq(options_of("deb-grub", out, sizeof(out), origin), 1);
	check(!strcmp(out, "root=UUID=3f2d6a4e-0b1c-4d5e-8f90-a1b2c3d4e5f6 ro "
		      "console=ttyS0,115200 net.ifnames=0 quiet splash=\"x y\""));
	check(strstr(origin, "this filesystem; the rest: /etc/default/grub"));

	check_eq(options_of("deb-kernel", out, sizeof(out), origin), 1);
	check(!strcmp(out, "root=UUID=11111111-2222-4333-8444-555555555555 ro "
		      "console=ttyS0 rw aoeboot.timeout=20"));
	check(strstr(origin, "/etc/kernel/cmdline"));

	check_eq(options_of("deb-ownroot", out, sizeof(out), origin), 1);
	check(!strcmp(out, "root=/dev/md0 ro quiet"));
	check(!strcmp(origin, "all from /etc/kernel/cmdline"));

	/* A /boot filesystem alone: no source for root=. */
	check_eq(options_of("deb-bootfs", out, sizeof(out), origin), 0);
	check(!strcmp(out, ""));
	/* Too small for the line: an error, never a cut line. */
	check_eq(options_of("deb-grub", out, 40, origin), -ERR_TOOBIG);
}

int main(void)
{
	test_run(test_kernel_cmdline);
	test_run(test_default_grub);
	test_run(test_root_filesystems);
	return test_exit();
}
