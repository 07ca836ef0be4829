/*
 * test_bzimage.c - the bzImage header parser on synthetic headers and on
 * the real Debian kernel when it is in build/vmlinuz.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "test.h"
#include "../../src/core/byteorder.h"
#include "../../src/core/bzimage.h"
#include "../../src/core/errors.h"

static uint8_t img[64 * 1024];

/* A minimal header of @version with @sects setup sectors. */
static void make(uint16_t version, uint8_t sects, uint8_t loadflags)
{
	memset(img, 0, sizeof(img));
	img[BZI_SETUP_SECTS] = sects;
	put_le16(img + BZI_BOOT_FLAG, 0xAA55);
	put_le32(img + BZI_HEADER, BZI_MAGIC);
	put_le16(img + BZI_VERSION, version);
	img[BZI_LOADFLAGS] = loadflags;
	put_le32(img + BZI_INITRD_ADDR_MAX, 0x7FFFFFFF);
	put_le32(img + BZI_CMDLINE_SIZE, 2047);
	put_le32(img + BZI_INIT_SIZE, 0x20000);
}

static void test_modern(void)
{
	struct bzimage_info bz;

	make(0x020F, 30, BZI_LOADED_HIGH);
	check_eq(bzimage_parse(img, sizeof(img), &bz), 0);
	check_eq(bz.version, 0x020F);
	check_eq(bz.setup_size, 31 * 512);
	check_eq(bz.pm_size, sizeof(img) - 31 * 512);
	check_eq(bz.initrd_addr_max, 0x7FFFFFFF);
	check_eq(bz.cmdline_max, 2047);
	check_eq(bz.init_size, 0x20000);
}

static void test_old_fields_defaulted(void)
{
	struct bzimage_info bz;

	make(0x0202, 0, BZI_LOADED_HIGH);	/* 0 setup sectors means 4 */
	check_eq(bzimage_parse(img, sizeof(img), &bz), 0);
	check_eq(bz.setup_size, 5 * 512);
	check_eq(bz.initrd_addr_max, 0x37FFFFFF);
	check_eq(bz.cmdline_max, 255);
	check(bz.init_size >= bz.pm_size);
}

static void test_refused(void)
{
	struct bzimage_info bz;

	make(0x0201, 4, BZI_LOADED_HIGH);
	check_eq(bzimage_parse(img, sizeof(img), &bz), -ERR_NOTSUP);
	make(0x020F, 4, 0);			/* zImage: loaded low */
	check_eq(bzimage_parse(img, sizeof(img), &bz), -ERR_NOTSUP);
	make(0x020F, 4, BZI_LOADED_HIGH);
	img[BZI_HEADER] = 'X';
	check_eq(bzimage_parse(img, sizeof(img), &bz), -ERR_NOTSUP);
	make(0x020F, 4, BZI_LOADED_HIGH);
	put_le16(img + BZI_BOOT_FLAG, 0);
	check_eq(bzimage_parse(img, sizeof(img), &bz), -ERR_NOTSUP);
	make(0x020F, 200, BZI_LOADED_HIGH);	/* setup beyond the file */
	check_eq(bzimage_parse(img, 100 * 512, &bz), -ERR_CORRUPT);
	check_eq(bzimage_parse(img, 0x200, &bz), -ERR_NOTSUP);
}

static void test_debian_kernel(void)
{
	static uint8_t buf[64 << 20];
	struct bzimage_info bz;
	FILE *f = fopen("build/vmlinuz", "rb");
	size_t n;

	if (!f) {
		printf("SKIP: test_debian_kernel: no build/vmlinuz\n");
		return;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	check_eq(bzimage_parse(buf, n, &bz), 0);
	check(bz.version >= 0x020A);
	check(bz.init_size > bz.pm_size);
	check_eq(bz.setup_size + bz.pm_size, n);
}

int main(void)
{
	test_run(test_modern);
	test_run(test_old_fields_defaulted);
	test_run(test_refused);
	test_run(test_debian_kernel);
	return test_exit();
}
