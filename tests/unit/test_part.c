/*
 * test_part.c - MBR and GPT tables made by sfdisk and sgdisk
 * (tests/images/mkparts.sh), and damaged copies of them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "testplat.h"
#include "memdisk.h"
#include "../../src/core/byteorder.h"
#include "../../src/core/crc.h"
#include "../../src/core/errors.h"
#include "../../src/core/part.h"

#define IMG_DIR "build/images"

static int images_ok = -1;

static int have_images(void)
{
	if (images_ok < 0)
		images_ok = system("tests/images/mkparts.sh " IMG_DIR) == 0;
	return images_ok;
}

static int load(struct memdisk *md, const char *file)
{
	char path[256];

	snprintf(path, sizeof(path), IMG_DIR "/%s", file);
	if (!have_images() || memdisk_load(md, "e1.0", path)) {
		check(!"test image missing");
		return -1;
	}
	return 0;
}

static const struct partition *find(const struct part_table *t,
				    unsigned int number)
{
	unsigned int i;

	for (i = 0; i < t->count; i++) {
		if (t->parts[i].number == number)
			return &t->parts[i];
	}
	return NULL;
}

/** The first 16 bytes of a partition must be its marker. */
static void check_mark(const struct partition *p, const char *name)
{
	char buf[512], want[40];

	snprintf(want, sizeof(want), "MARK.%s................", name);
	want[16] = '\0';
	check(p != NULL);
	if (!p)
		return;
	check_eq(blk_read((struct blkdev *)&p->blk, 0, 1, buf), 0);
	if (memcmp(buf, want, 16))
		fprintf(stderr, "  %s: marker \"%.16s\", want \"%s\"\n",
			p->blk.name, buf, want);
	check(!memcmp(buf, want, 16));
}

static void check_gpt_layout(struct part_table *t)
{
	static const struct { unsigned int n; uint64_t start, size;
		const char *type, *label; } want[] = {
		{ 1, 2048, 8192, "EFI System", "EFI system" },
		{ 2, 10240, 8192, "Linux filesystem", "root" },
		{ 3, 18432, 4096, "Linux RAID", "r\xc3\xa4id-\xc3\xbc" },
		{ 5, 22528, 2048, "Linux filesystem", "" },
	};
	unsigned int i;
	char name[16];

	check_eq(t->scheme, PART_SCHEME_GPT);
	check_eq(t->count, 4);
	for (i = 0; i < 4; i++) {
		const struct partition *p = find(t, want[i].n);
		const char *tn;

		check(p != NULL);
		if (!p)
			continue;
		check_eq(p->start, want[i].start);
		check_eq(p->blk.nsectors, want[i].size);
		tn = part_type_name(p);
		check(tn && !strcmp(tn, want[i].type));
		check(!strcmp(p->label, want[i].label));
		snprintf(name, sizeof(name), "e1.0p%u", want[i].n);
		check(!strcmp(p->blk.name, name));
		snprintf(name, sizeof(name), "gpt.p%u", want[i].n);
		check_mark(p, name);
	}
}

/** Compare the disk GUID and partition GUIDs with sgdisk's own view. */
static void check_gpt_against_sgdisk(struct part_table *t)
{
	char line[256], guid[37];
	FILE *f = popen("sgdisk -p " IMG_DIR "/gpt.img 2>/dev/null", "r");
	int seen = 0;

	check(f != NULL);
	if (!f)
		return;
	part_guid_str(t->disk_guid, guid);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Disk identifier (GUID): ", 24)) {
			seen = 1;
			check(!strncmp(line + 24, guid, 36));
		}
	}
	pclose(f);
	check(seen);
	f = popen("sgdisk -i 2 " IMG_DIR "/gpt.img 2>/dev/null", "r");
	seen = 0;
	part_guid_str(find(t, 2)->uuid, guid);
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Partition unique GUID: ", 23)) {
			seen = 1;
			check(!strncmp(line + 23, guid, 36));
		}
	}
	if (f)
		pclose(f);
	check(seen);
}

static void test_gpt_sgdisk(void)
{
	struct memdisk md;
	struct part_table t;

	if (load(&md, "gpt.img"))
		return;
	check_eq(part_scan(&md.blk, &t), 0);
	check(!t.used_backup);
	check_gpt_layout(&t);
	check_gpt_against_sgdisk(&t);
	/* Bounds: a partition cannot read past its end. */
	{
		uint8_t buf[1024];
		const struct partition *p = find(&t, 1);

		check_eq(blk_read((struct blkdev *)&p->blk, 8191, 2, buf),
			 -ERR_RANGE);
		check_eq(blk_read((struct blkdev *)&p->blk, 8191, 1, buf), 0);
	}
	part_table_free(&t);
	memdisk_free(&md);
}

static void test_gpt_primary_header_corrupt_uses_backup(void)
{
	struct memdisk md;
	struct part_table t;

	if (load(&md, "gpt.img"))
		return;
	md.data[512 + 40] ^= 0x01;	/* first usable LBA: CRC breaks */
	check_eq(part_scan(&md.blk, &t), 0);
	check(t.used_backup);
	check(strstr(test_last_log(), "header CRC32 mismatch") != NULL);
	check_gpt_layout(&t);
	part_table_free(&t);
	memdisk_free(&md);
}

static void test_gpt_primary_entries_corrupt_uses_backup(void)
{
	struct memdisk md;
	struct part_table t;

	if (load(&md, "gpt.img"))
		return;
	md.data[2 * 512 + 128 + 60] ^= 0x20;	/* entry 2's name */
	check_eq(part_scan(&md.blk, &t), 0);
	check(t.used_backup);
	check(strstr(test_last_log(), "entry array CRC32") != NULL);
	check_gpt_layout(&t);
	part_table_free(&t);
	memdisk_free(&md);
}

static void test_gpt_huge_entry_count_rejected(void)
{
	struct memdisk md;
	struct part_table t;
	uint8_t *h;

	if (load(&md, "gpt.img"))
		return;
	/* A primary with a valid CRC but an absurd entry count. */
	h = md.data + 512;
	put_le32(h + 80, 0x40000000);
	put_le32(h + 16, 0);
	put_le32(h + 16, crc32_le(0, h, get_le32(h + 12)));
	check_eq(part_scan(&md.blk, &t), 0);
	check(t.used_backup);
	check(strstr(test_last_log(), "entry count") != NULL);
	part_table_free(&t);
	memdisk_free(&md);
}

static void test_gpt_both_corrupt_is_error(void)
{
	struct memdisk md;
	struct part_table t;

	if (load(&md, "gpt.img"))
		return;
	md.data[512 + 60] ^= 0xff;
	md.data[md.size - 512 + 60] ^= 0xff;
	check_eq(part_scan(&md.blk, &t), -ERR_CORRUPT);
	check(strstr(test_last_log(), "GPT unusable") != NULL);
	check(strstr(test_last_log(), "header CRC32 mismatch") != NULL);
	check_eq(t.count, 0);
	check(t.parts == NULL);
	memdisk_free(&md);
}

static void test_gpt_backup_entries_only_primary_ok(void)
{
	struct memdisk md;
	struct part_table t;

	if (load(&md, "gpt.img"))
		return;
	/* Damage the backup only: the primary is used, silently. */
	md.data[md.size - 512 + 60] ^= 0xff;
	check_eq(part_scan(&md.blk, &t), 0);
	check(!t.used_backup);
	check_eq(t.count, 4);
	part_table_free(&t);
	memdisk_free(&md);
}

static void test_mbr_sfdisk_extended(void)
{
	static const struct { unsigned int n; uint64_t start, size;
		uint8_t type; int boot, logical; } want[] = {
		{ 1, 2048, 4096, 0x83, 1, 0 },
		{ 3, 26624, 4096, 0x0c, 0, 0 },
		{ 5, 10240, 2048, 0x83, 0, 1 },
		{ 6, 14336, 4096, 0xfd, 0, 1 },
		{ 7, 20480, 2048, 0x0c, 0, 1 },
	};
	struct memdisk md;
	struct part_table t;
	unsigned int i;
	char name[16];

	if (load(&md, "mbr.img"))
		return;
	check_eq(part_scan(&md.blk, &t), 0);
	check_eq(t.scheme, PART_SCHEME_MBR);
	check_eq(t.mbr_id, 0x12345678);
	check_eq(t.count, 5);
	for (i = 0; i < 5; i++) {
		const struct partition *p = find(&t, want[i].n);

		check(p != NULL);
		if (!p)
			continue;
		check_eq(p->start, want[i].start);
		check_eq(p->blk.nsectors, want[i].size);
		check_eq(p->mbr_type, want[i].type);
		check_eq(p->bootable, want[i].boot);
		check_eq(p->logical, want[i].logical);
		snprintf(name, sizeof(name), "mbr.p%u", want[i].n);
		check_mark(p, name);
	}
	check(!strcmp(part_type_name(find(&t, 6)), "Linux RAID"));
	part_table_free(&t);
	memdisk_free(&md);
}

static void test_mbr_ebr_loop_stops(void)
{
	struct memdisk md;
	struct part_table t;
	uint8_t *ebr;

	if (load(&md, "mbr.img"))
		return;
	/* The second EBR (logical 6, at 8192 + 6144 - 2048 = 12288) links
	 * back to the first EBR (offset 0 in the extended partition). */
	ebr = md.data + (uint64_t)12288 * 512;
	check(ebr[510] == 0x55 && ebr[446 + 16 + 4] == 0x05);
	put_le32(ebr + 446 + 16 + 8, 0);
	check_eq(part_scan(&md.blk, &t), 0);
	check(strstr(test_last_log(), "loops back") != NULL);
	check_eq(t.count, 4);		/* 1, 3, 5, 6 */
	check(find(&t, 6) && !find(&t, 7));
	part_table_free(&t);
	memdisk_free(&md);
}

static void test_mbr_beyond_disk_truncated(void)
{
	struct memdisk md;
	struct part_table t;

	if (load(&md, "mbr.img"))
		return;
	/* Partition 3 now claims 1M sectors: clamped to the disk end. */
	put_le32(md.data + 446 + 32 + 12, 1000000);
	/* Partition 4 starts beyond the disk: skipped. */
	md.data[446 + 48 + 4] = 0x83;
	put_le32(md.data + 446 + 48 + 8, 5000000);
	put_le32(md.data + 446 + 48 + 12, 10);
	check_eq(part_scan(&md.blk, &t), 0);
	check_eq(find(&t, 3)->blk.nsectors, 32768 - 26624);
	check(find(&t, 4) == NULL);
	check_eq(t.count, 5);
	part_table_free(&t);
	memdisk_free(&md);
}

static void test_no_table(void)
{
	static uint8_t disk[64 * 512];
	struct memdisk md;
	struct part_table t;

	memdisk_init(&md, "e2.0", disk, sizeof(disk));
	check_eq(part_scan(&md.blk, &t), 0);
	check_eq(t.scheme, PART_SCHEME_NONE);
	check_eq(t.count, 0);
	/* A FAT-like boot sector: 55AA, boot indicators not 0/0x80. */
	disk[0] = 0xeb; disk[510] = 0x55; disk[511] = 0xaa;
	disk[446] = 0x12; disk[446 + 4] = 0x83; disk[446 + 12] = 5;
	check_eq(part_scan(&md.blk, &t), 0);
	check_eq(t.scheme, PART_SCHEME_NONE);
	/* Protective MBR without any GPT: an error, not a whole disk. */
	disk[446] = 0; disk[446 + 4] = 0xee;
	check_eq(part_scan(&md.blk, &t), -ERR_CORRUPT);
	check(strstr(test_last_log(), "no GPT header") != NULL);
}

static void test_whole_disk_filesystems(void)
{
	static const char *const imgs[] = {
		"wfat16.img", "wfat32.img", "wext4.img" };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct memdisk md;
		struct part_table t;

		if (load(&md, imgs[i]))
			return;
		check_eq(part_scan(&md.blk, &t), 0);
		check_eq(t.scheme, PART_SCHEME_NONE);
		check_eq(t.count, 0);
		memdisk_free(&md);
	}
}

static void test_names(void)
{
	char b[48];

	part_make_name(b, sizeof(b), "e11.0", 1);
	check(!strcmp(b, "e11.0p1"));
	part_make_name(b, sizeof(b), "sda", 12);
	check(!strcmp(b, "sda12"));
	part_make_name(b, sizeof(b), "md0", 2);
	check(!strcmp(b, "md0p2"));
}

int main(void)
{
	test_run(test_gpt_sgdisk);
	test_run(test_gpt_primary_header_corrupt_uses_backup);
	test_run(test_gpt_primary_entries_corrupt_uses_backup);
	test_run(test_gpt_huge_entry_count_rejected);
	test_run(test_gpt_both_corrupt_is_error);
	test_run(test_gpt_backup_entries_only_primary_ok);
	test_run(test_mbr_sfdisk_extended);
	test_run(test_mbr_ebr_loop_stops);
	test_run(test_mbr_beyond_disk_truncated);
	test_run(test_no_table);
	test_run(test_whole_disk_filesystems);
	test_run(test_names);
	return test_exit();
}
