/*
 * test_bootcfg.c - boot entry discovery: version ordering (against
 * `sort -V`), the BLS and extlinux parsers on exact-length buffers, whole
 * scans of images from tests/images/mkfs-boot.sh (kernels read back and
 * compared with their source files), and the command line contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "testplat.h"
#include "memdisk.h"
#include "fstest.h"
#include "../../src/core/bootcfg.h"
#include "../../src/core/errors.h"

/** A heap copy of exactly strlen(s) bytes: over-reads trip ASan. */
static char *exact(const char *s, size_t *len)
{
	*len = strlen(s);
	char *p = malloc(*len ? *len : 1);

	memcpy(p, s, *len);
	return p;
}

static int sign(int x)
{
	return x < 0 ? -1 : x > 0;
}

static void test_verscmp_table(void)
{
	static const struct {
		const char *a, *b;
		int want;
	} t[] = {
		{ "6.1.0-10", "6.1.0-9", 1 },
		{ "6.10", "6.1.0-10", 1 },
		{ "6.10.0-1", "6.1.0-10", 1 },
		{ "1.0", "1.0", 0 },
		{ "1.01", "1.1", 0 },
		{ "1.0~rc1", "1.0", -1 },
		{ "1.0~rc1", "1.0~rc2", -1 },
		{ "1.2a", "1.2", 1 },
		{ "122", "123", -1 },
		{ "1.0-1", "1.0.1", -1 },
		{ "5.14.0-284.el9", "5.14.0-70.el9", 1 },
		{ "abc", "abd", -1 },
		{ "abc", "abcd", -1 },
		{ "1a", "1", 1 },
		{ "1", "a", 1 },
		{ "", "", 0 },
		{ "", "1", -1 },
		{ "99999999999999999999999", "99999999999999999999998", 1 },
		{ "1_2", "1.2", 1 },	/* as systemd: "_" dropped, "2" beats ".2" */
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r = sign(bootcfg_verscmp(t[i].a, t[i].b));
		int r2 = sign(bootcfg_verscmp(t[i].b, t[i].a));

		if (r != t[i].want || r2 != -t[i].want)
			fprintf(stderr, "  verscmp(%s, %s) = %d, want %d\n",
				t[i].a, t[i].b, r, t[i].want);
		check_eq(r, t[i].want);
		check_eq(r2, -t[i].want);
	}
}

/** Sort kernel versions ourselves and with `sort -V`: same order. */
static void test_verscmp_sort_v(void)
{
	static const char *const v[] = {
		"6.1.0-9-amd64", "6.1.0-10-amd64", "6.10.0-1-amd64",
		"5.10.0-28-amd64", "6.1.0-13-cloud-amd64", "6.1.0-9-rt-amd64",
		"4.19.0-6-amd64", "6.5.0-0.deb12.4-amd64", "6.1.0-18-amd64",
		"6.2", "6.1", "6.1.1", "6.1.0", "10.0", "9.99",
	};
	size_t n = sizeof(v) / sizeof(v[0]);
	const char *ours[32];
	char line[128];
	FILE *p;
	size_t k = 0;

	p = popen("printf '%s\\n' 6.1.0-9-amd64 6.1.0-10-amd64 6.10.0-1-amd64 "
		  "5.10.0-28-amd64 6.1.0-13-cloud-amd64 6.1.0-9-rt-amd64 "
		  "4.19.0-6-amd64 6.5.0-0.deb12.4-amd64 6.1.0-18-amd64 6.2 6.1 "
		  "6.1.1 6.1.0 10.0 9.99 | sort -V", "r");
	if (!p) {
		check(!"popen");
		return;
	}
	memcpy(ours, v, sizeof(v));
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 &&
		     bootcfg_verscmp(ours[j - 1], ours[j]) > 0; j--) {
			const char *t = ours[j];

			ours[j] = ours[j - 1];
			ours[j - 1] = t;
		}
	while (fgets(line, sizeof(line), p) && k < n) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, ours[k]))
			fprintf(stderr, "  position %zu: sort -V %s, ours %s\n",
				k, line, ours[k]);
		check(!strcmp(line, ours[k]));
		k++;
	}
	pclose(p);
	check_eq(k, n);
}

static void test_bls_parse(void)
{
	struct boot_entry *e = malloc(sizeof(*e));
	size_t len;
	char *buf;

	buf = exact("# comment\n"
		    "title   Debian GNU/Linux  \n"
		    "version\t6.1.0-10-amd64\r\n"
		    "linux   /vmlinuz-6.1.0-10-amd64\n"
		    "initrd  /intel-ucode.img\n"
		    "initrd  initrd.img-6.1.0-10-amd64\n"
		    "options root=UUID=1234 ro\n"
		    "options quiet\n"
		    "unknown key\n"
		    "machine-id 0123456789abcdef\n"
		    "sort-key debian", &len);
	check_eq(bootcfg_parse_bls(buf, len, "deb-6.1", e), 0);
	check(!strcmp(e->id, "deb-6.1"));
	check(!strcmp(e->title, "Debian GNU/Linux"));
	check(!strcmp(e->version, "6.1.0-10-amd64"));
	check(!strcmp(e->kernel, "/vmlinuz-6.1.0-10-amd64"));
	check_eq(e->ninitrd, 2);
	check(!strcmp(e->initrd[0], "/intel-ucode.img"));
	check(!strcmp(e->initrd[1], "/initrd.img-6.1.0-10-amd64"));
	check(!strcmp(e->options, "root=UUID=1234 ro quiet"));
	check(!strcmp(e->sort_key, "debian"));
	check_eq(e->source, BOOTCFG_SRC_BLS);
	free(buf);

	/* truncated in the middle of a key: still fine, title from id */
	buf = exact("linux /k\nopt", &len);
	check_eq(bootcfg_parse_bls(buf, len, "t", e), 0);
	check(!strcmp(e->title, "t"));
	free(buf);
	buf = exact("title x\n", &len);
	check_eq(bootcfg_parse_bls(buf, len, "x", e), -ERR_INVAL);
	check(strstr(test_last_log(), "no \"linux\""));
	free(buf);
	buf = exact("linux /k\ninitrd /1\ninitrd /2\ninitrd /3\ninitrd /4\n"
		    "initrd /5\ninitrd /6\ninitrd /7\ninitrd /8\ninitrd /9\n",
		    &len);
	check_eq(bootcfg_parse_bls(buf, len, "x", e), -ERR_TOOBIG);
	free(buf);
	/* a line longer than BOOTCFG_LINE_MAX, and one with a NUL */
	len = BOOTCFG_LINE_MAX + 100;
	buf = malloc(len);
	memset(buf, 'a', len);
	memcpy(buf, "linux /", 7);
	check_eq(bootcfg_parse_bls(buf, len, "x", e), -ERR_TOOBIG);
	memcpy(buf, "linux /k\n\0", 10);
	check_eq(bootcfg_parse_bls(buf, 10, "x", e), -ERR_TOOBIG);
	free(buf);
	/* a value longer than the field */
	buf = malloc(600);
	memset(buf, 'v', 600);
	memcpy(buf, "linux ", 6);
	check_eq(bootcfg_parse_bls(buf, 600, "x", e), -ERR_TOOBIG);
	free(buf);
	free(e);
}

static void test_bls_order(void)
{
	static const char *const conf[][2] = {
		{ "a", "version 6.1.0-9\nlinux /a" },
		{ "b", "version 6.1.0-10\nlinux /b" },
		{ "c", "version 6.10\nlinux /c" },
		{ "d", "linux /d" },
		{ "e", "version 1.0\nsort-key zzz\nlinux /e" },
		{ "f-1.2", "linux /f" },
		{ "f-1.10", "linux /f" },
	};
	static const char *const want[] = {
		"e", "c", "b", "a", "f-1.10", "f-1.2", "d",
	};
	struct boot_entry *e = calloc(8, sizeof(*e));
	size_t len;

	for (size_t i = 0; i < 7; i++) {
		char *buf = exact(conf[i][1], &len);

		check_eq(bootcfg_parse_bls(buf, len, conf[i][0], &e[i]), 0);
		free(buf);
	}
	bootcfg_sort_bls(e, 7);
	for (size_t i = 0; i < 7; i++) {
		if (strcmp(e[i].id, want[i]))
			fprintf(stderr, "  position %zu: %s, want %s\n", i,
				e[i].id, want[i]);
		check(!strcmp(e[i].id, want[i]));
	}
	free(e);
}

static const char extlinux_conf[] =
	"# comment\n"
	"MENU TITLE My menu\n"
	"PROMPT 1\n"
	"TimeOut 50\n"
	"default second\n"
	"label first\n"
	"  menu label ^First entry\n"
	"  kernel ../vmlinuz-1 some junk\n"
	"  initrd ../initrd-1,/abs/initrd-2 , ucode.img\n"
	"  append root=/dev/md0 ro\n"
	"LABEL second\n"
	"  LINUX /vmlinuz-2\n"
	"  APPEND console=ttyS0 initrd=/i2a,i2b quiet\n"
	"label third\n"
	"  menu label Third\n"
	"  append -\n"
	"label fourth\n"
	"  localboot 0\n"
	"label fifth\n"
	"  linux vmlinuz-5\n"
	"  menu default\n";

static void test_extlinux_parse(void)
{
	struct boot_list list = { .default_index = -1, .timeout_ds = -1 };
	struct boot_entry *e;
	size_t len;
	char *buf = exact(extlinux_conf, &len);
	int n;

	n = bootcfg_parse_extlinux(buf, len, "/boot/extlinux", &list);
	check_eq(n, 3);	/* third (no kernel) and fourth (localboot) dropped */
	check_eq(list.timeout_ds, 50);
	check(!strcmp(list.default_label, "second"));
	if (n == 3) {
		e = &list.entries[0];
		check(!strcmp(e->id, "first"));
		check(!strcmp(e->title, "First entry"));
		check(!strcmp(e->kernel, "/boot/extlinux/../vmlinuz-1"));
		check_eq(e->ninitrd, 3);
		check(!strcmp(e->initrd[0], "/boot/extlinux/../initrd-1"));
		check(!strcmp(e->initrd[1], "/abs/initrd-2"));
		check(!strcmp(e->initrd[2], "/boot/extlinux/ucode.img"));
		check(!strcmp(e->options, "root=/dev/md0 ro"));
		check(!e->is_default);
		e = &list.entries[1];
		check(!strcmp(e->id, "second"));
		check(!strcmp(e->title, "second"));
		check(!strcmp(e->kernel, "/vmlinuz-2"));
		check_eq(e->ninitrd, 2);
		check(!strcmp(e->initrd[0], "/i2a"));
		check(!strcmp(e->initrd[1], "/boot/extlinux/i2b"));
		check(!strcmp(e->options, "console=ttyS0 quiet"));
		check_eq(e->source, BOOTCFG_SRC_EXTLINUX);
		/* MENU DEFAULT wins over DEFAULT */
		check(!e->is_default);
		check(list.entries[2].is_default);
		check(!strcmp(list.entries[2].kernel,
			      "/boot/extlinux/vmlinuz-5"));
	}
	bootcfg_free(&list);
	free(buf);

	/* DEFAULT naming no label: warn, first entry is default */
	buf = exact("DEFAULT nope\nLABEL a\nKERNEL /k", &len);
	list = (struct boot_list){ .default_index = -1 };
	check_eq(bootcfg_parse_extlinux(buf, len, "/", &list), 1);
	check(list.count == 1 && list.entries[0].is_default);
	check(!strcmp(list.entries[0].kernel, "/k"));
	bootcfg_free(&list);
	free(buf);

	/* every truncation of the file parses without trouble */
	for (size_t cut = 0; cut <= strlen(extlinux_conf); cut++) {
		buf = exact(extlinux_conf, &len);
		list = (struct boot_list){ .default_index = -1 };
		n = bootcfg_parse_extlinux(buf, cut, "/x", &list);
		check(n >= 0 && n <= 3);
		bootcfg_free(&list);
		free(buf);
	}
}

static void test_cmdline(void)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xAB, 0xcd, 0x0f };
	const char *targets[] = { "e11.0", "e12.0" };
	char buf[BOOTCFG_CMDLINE_MAX];
	char big[3000];
	int n;

	n = bootcfg_cmdline("root=/dev/md0 ro quiet", mac, targets, 2, 0, buf,
			    sizeof(buf));
	check(!strcmp(buf, "root=/dev/md0 ro quiet BOOTIF=01-52-54-00-ab-cd-0f "
		      "aoeboot.targets=e11.0,e12.0"));
	check_eq(n, (int)strlen(buf));
	/* old values replaced, blanks collapsed, quotes kept whole */
	n = bootcfg_cmdline("  BOOTIF=01-00-00-00-00-00-00 a=\"x  y\"\t"
			    "aoeboot.targets=e1.1  b ", mac, targets, 1, 0, buf,
			    sizeof(buf));
	check(!strcmp(buf, "a=\"x  y\" b BOOTIF=01-52-54-00-ab-cd-0f "
		      "aoeboot.targets=e11.0"));
	n = bootcfg_cmdline(NULL, NULL, NULL, 0, 0, buf, sizeof(buf));
	check_eq(n, 0);
	check(!strcmp(buf, ""));
	n = bootcfg_cmdline("", mac, NULL, 0, 0, buf, sizeof(buf));
	check(!strcmp(buf, "BOOTIF=01-52-54-00-ab-cd-0f"));
	/* A VLAN: aoeboot.vlan= last; a stale one replaced or dropped. */
	n = bootcfg_cmdline("ro aoeboot.vlan=9 quiet", mac, targets, 2, 5, buf,
			    sizeof(buf));
	check(!strcmp(buf, "ro quiet BOOTIF=01-52-54-00-ab-cd-0f "
		      "aoeboot.targets=e11.0,e12.0 aoeboot.vlan=5"));
	check_eq(n, (int)strlen(buf));
	n = bootcfg_cmdline("ro aoeboot.vlan=9", mac, targets, 1, 0, buf,
			    sizeof(buf));
	check(!strcmp(buf, "ro BOOTIF=01-52-54-00-ab-cd-0f "
		      "aoeboot.targets=e11.0"));
	n = bootcfg_cmdline("", NULL, NULL, 0, 4094, buf, sizeof(buf));
	check(!strcmp(buf, "aoeboot.vlan=4094"));
	check_eq(bootcfg_cmdline("ro", mac, targets, 1, 5, buf,
				 3 + 27 + 1 + 21 + 1),
		 -ERR_TOOBIG);
	check_eq(bootcfg_cmdline("ro", mac, targets, 1, 5, buf,
				 3 + 27 + 1 + 21 + 1 + 15), 3 + 27 + 1 + 21 + 15);
	/* limits */
	check_eq(bootcfg_cmdline("root=/dev/md0", mac, targets, 2, 0, buf, 20),
		 -ERR_TOOBIG);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	check_eq(bootcfg_cmdline(big, mac, targets, 2, 0, buf, sizeof(buf)),
		 -ERR_TOOBIG);
	memset(big, 'x', BOOTCFG_CMDLINE_MAX - 1);
	big[BOOTCFG_CMDLINE_MAX - 1] = '\0';
	check_eq(bootcfg_cmdline(big, NULL, NULL, 0, 0, buf, sizeof(buf)),
		 BOOTCFG_CMDLINE_MAX - 1);
	check_eq(bootcfg_cmdline(big, mac, NULL, 0, 0, buf, sizeof(buf)),
		 -ERR_TOOBIG);
	{
		const char *bad[] = { "e1.0,e2.0" };
		const char *bad2[] = { "e1 0" };

		check_eq(bootcfg_cmdline("", NULL, bad, 1, 0, buf, sizeof(buf)),
			 -ERR_INVAL);
		check_eq(bootcfg_cmdline("", NULL, bad2, 1, 0, buf, sizeof(buf)),
			 -ERR_INVAL);
	}
}

/* ---- scans of real images ---------------------------------------------- */

static struct fs *mount(struct memdisk *md, const char *name)
{
	char file[128];
	struct fs *fs;

	snprintf(file, sizeof(file), "%s.img", name);
	if (memdisk_load(md, name, fstest_path(file))) {
		check(!"image missing");
		return NULL;
	}
	if (fs_mount(&md->blk, &fs)) {
		check(!"mount");
		memdisk_free(md);
		return NULL;
	}
	return fs;
}

/** Read @path from @fs and compare it with host file @host. */
static bool same_file(struct fs *fs, const char *path, const char *host)
{
	void *a;
	size_t alen, hlen;
	FILE *f = fopen(fstest_path(host), "rb");
	char *h = malloc(1 << 20);
	bool ok;

	if (!f) {
		free(h);
		return false;
	}
	hlen = fread(h, 1, 1 << 20, f);
	fclose(f);
	if (fs_read_file(fs, path, 1 << 20, &a, &alen)) {
		free(h);
		return false;
	}
	ok = alen == hlen && !memcmp(a, h, hlen);
	free(a);
	free(h);
	return ok;
}

static void test_scan_bls(void)
{
	struct memdisk md;
	struct fs *fs = mount(&md, "boot-bls");
	struct boot_list list;
	int n;

	if (!fs)
		return;
	n = bootcfg_scan(fs, &list);
	check_eq(n, 3);
	if (n == 3) {
		check(!strcmp(list.entries[0].id, "debian-6.10.0-1"));
		check(!strcmp(list.entries[1].id, "debian-6.1.0-10"));
		check(!strcmp(list.entries[2].id, "debian-6.1.0-9"));
		/* loader.conf: default debian-6.1.0-1* */
		check_eq(list.default_index, 1);
		check(list.entries[1].is_default && !list.entries[0].is_default);
		check_eq(list.timeout_ds, 50);
		check_eq(list.entries[1].ninitrd, 2);
		check(!strcmp(list.entries[1].initrd[1], "/debian/microcode.img"));
		check(!strcmp(list.entries[1].options, "root=/dev/md0 ro quiet"));
		check(same_file(fs, list.entries[1].kernel,
				"boot-bls-src/debian/vmlinuz-6.1.0-10"));
		check(same_file(fs, list.entries[1].initrd[1],
				"boot-bls-src/debian/microcode.img"));
	}
	bootcfg_free(&list);
	fs_unmount(fs);
	memdisk_free(&md);
}

/** BLS entries in /boot/loader/entries of a root filesystem. */
static void test_scan_bls_in_boot(void)
{
	struct memdisk md;
	struct fs *fs = mount(&md, "boot-blsroot");
	struct boot_list list;
	int n;

	if (!fs)
		return;
	n = bootcfg_scan(fs, &list);
	check_eq(n, 2);
	if (n == 2) {
		check(!strcmp(list.entries[0].kernel, "/boot/vmlinuz-6.2.0-1"));
		check(!strcmp(list.entries[0].initrd[0],
			      "/boot/initramfs-6.2.0-1.img"));
		check(!strcmp(list.entries[1].kernel, "/boot/vmlinuz-6.1.0-5"));
		check_eq(list.default_index, 1);
		check(same_file(fs, list.entries[0].initrd[0],
				"boot-blsroot-src/boot/initramfs-6.2.0-1.img"));
	}
	bootcfg_free(&list);
	fs_unmount(fs);
	memdisk_free(&md);
}

static void test_scan_extlinux(void)
{
	struct memdisk md;
	struct fs *fs = mount(&md, "boot-extlinux");
	struct boot_list list;
	int n;

	if (!fs)
		return;
	n = bootcfg_scan(fs, &list);
	check_eq(n, 2);
	if (n == 2) {
		check(!strcmp(list.entries[0].title, "Debian 6.1.0-10"));
		check_eq(list.default_index, 1);
		check(!strcmp(list.entries[1].id, "linux-rescue"));
		check_eq(list.timeout_ds, 30);
		check(same_file(fs, list.entries[0].kernel,
				"boot-extlinux-src/boot/vmlinuz-6.1.0-10-amd64"));
		check(same_file(fs, list.entries[0].initrd[1],
				"boot-extlinux-src/boot/extra.img"));
		check(same_file(fs, list.entries[1].initrd[0],
				"boot-extlinux-src/boot/initrd.img-6.1.0-10-amd64"));
		check(!strcmp(list.entries[1].options, "root=/dev/md0 single"));
	}
	bootcfg_free(&list);
	fs_unmount(fs);
	memdisk_free(&md);
}

static void test_scan_debian(void)
{
	struct memdisk md;
	struct fs *fs = mount(&md, "boot-debian");
	struct boot_list list;
	int n;

	if (!fs)
		return;
	n = bootcfg_scan(fs, &list);
	check_eq(n, 2);
	if (n == 2) {
		struct boot_entry *e = &list.entries[0];

		check(!strcmp(e->id, "debian"));
		check(e->is_default);
		check_eq(e->source, BOOTCFG_SRC_DEBIAN);
		check(!strcmp(e->version, "6.1.0-10-amd64"));
		check(!strcmp(e->kernel, "/vmlinuz"));
		check(!strcmp(e->initrd[0], "/initrd.img"));
		check(same_file(fs, e->kernel,
				"boot-debian-src/boot/vmlinuz-6.1.0-10-amd64"));
		check(same_file(fs, e->initrd[0],
				"boot-debian-src/boot/initrd.img-6.1.0-10-amd64"));
		e = &list.entries[1];
		check(!strcmp(e->id, "debian-old"));
		check(!strcmp(e->version, "6.1.0-9-amd64"));
		check(same_file(fs, e->initrd[0],
				"boot-debian-src/boot/initrd.img-6.1.0-9-amd64"));
	}
	bootcfg_free(&list);
	fs_unmount(fs);
	memdisk_free(&md);

	fs = mount(&md, "boot-debian2");
	if (!fs)
		return;
	n = bootcfg_scan(fs, &list);
	check_eq(n, 1);
	if (n == 1) {
		check(!strcmp(list.entries[0].kernel, "/boot/vmlinuz"));
		check(same_file(fs, list.entries[0].initrd[0],
			"boot-debian2-src/boot/initrd.img-6.1.0-10-amd64"));
	}
	bootcfg_free(&list);
	fs_unmount(fs);
	memdisk_free(&md);

	/* a filesystem with nothing to boot */
	fs = mount(&md, "ext4-small");
	if (!fs)
		return;
	/* ext4-small has /vmlinuz -> boot/vmlinuz-... (Debian layout) */
	n = bootcfg_scan(fs, &list);
	check_eq(n, 1);
	bootcfg_free(&list);
	fs_unmount(fs);
	memdisk_free(&md);
	fs = mount(&md, "fat12");
	if (!fs)
		return;
	check_eq(bootcfg_scan(fs, &list), -ERR_NOENT);
	bootcfg_free(&list);
	fs_unmount(fs);
	memdisk_free(&md);
}

int main(void)
{
	FILE *f;

	test_run(test_verscmp_table);
	test_run(test_verscmp_sort_v);
	test_run(test_bls_parse);
	test_run(test_bls_order);
	test_run(test_extlinux_parse);
	test_run(test_cmdline);
	f = fopen(fstest_path("boot-bls.img"), "rb");
	if (!f) {
		printf("SKIP: bootcfg scans: no images (run "
		       "tests/images/mkfs-boot.sh build/images)\n");
		return test_exit();
	}
	fclose(f);
	test_run(test_scan_bls);
	test_run(test_scan_bls_in_boot);
	test_run(test_scan_extlinux);
	test_run(test_scan_debian);
	return test_exit();
}
