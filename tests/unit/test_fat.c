/*
 * test_fat.c - FAT12/16/32 images made by mkfs.vfat + mcopy (tests/images/
 * mkfs-fat.sh) read back through the VFS and compared with their source
 * tree; case-insensitive lookup, labels and serials, run coalescing on a
 * fragmented chain; corrupted FATs, chains and directory entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "testplat.h"
#include "memdisk.h"
#include "fstest.h"
#include "../../src/core/byteorder.h"
#include "../../src/core/errors.h"
#include "../../src/core/fs/fs.h"

static char cur_image[64];
static char cur_tree[64];

static struct fs *mount_image(struct memdisk *md, const char *name)
{
	char file[128];
	struct fs *fs = NULL;
	int rc;

	snprintf(file, sizeof(file), "%s.img", name);
	if (memdisk_load(md, name, fstest_path(file))) {
		check(!"image missing");
		return NULL;
	}
	rc = fs_mount(&md->blk, &fs);
	check_eq(rc, 0);
	if (rc) {
		memdisk_free(md);
		return NULL;
	}
	return fs;
}

static void test_image_tree(void)
{
	struct memdisk md;
	struct fs *fs = mount_image(&md, cur_image);
	unsigned int nfiles = 0;
	char tree[4096], label[64];

	if (!fs)
		return;
	check(!strncmp(fs->type_name, cur_image, strlen(fs->type_name)));
	check_eq(fs->type, FS_TYPE_FAT);
	snprintf(label, sizeof(label), "%s", cur_image);
	for (char *p = label; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	check(!strcmp(fs->label, label));
	check(!strcmp(fs->uuid, "1234-ABCD"));
	snprintf(tree, sizeof(tree), "%s/%s", fstest_dir(), cur_tree);
	check_eq(fstest_compare_tree(fs, tree, "/", 8 << 20, &nfiles), 0);
	check(nfiles > 300);
	fs_unmount(fs);
	memdisk_free(&md);
}

static void test_fat_lookup_rules(void)
{
	struct memdisk md;
	struct fs *fs = mount_image(&md, "fat32");
	struct fs_stat st;
	void *data;
	size_t len;

	if (!fs)
		return;
	/* case-insensitive, long and short names */
	check_eq(fs_stat(fs, "/efi/boot/bootx64.efi", &st), 0);
	check_eq(st.size, 100000);
	check_eq(fs_stat(fs, "/EFI/BOOT/BOOTX64.EFI", &st), 0);
	check_eq(fs_stat(fs, "/LONGFI~1.TXT", &st), 0);
	check_eq(st.size, 7);
	check_eq(fs_read_file(fs, "/long file name with SPACES.TXT", 100,
			      &data, &len), 0);
	check(len == 7 && !memcmp(data, "spaces\n", 7));
	free(data);
	check_eq(fs_read_file(fs, "/Grüße aus Köln.txt", 100, &data, &len), 0);
	check(len == 7 && !memcmp(data, "umlaut\n", 7));
	free(data);
	check_eq(fs_stat(fs, "/dir/Sub Dir/../Sub Dir/./deep file.bin", &st), 0);
	check_eq(st.size, 70001);
	check_eq(fs_stat(fs, "/hello.txt/", &st), -ERR_NOTDIR);
	check_eq(fs_stat(fs, "/missing", &st), -ERR_NOENT);
	check_eq(fs_stat(fs, "/many/entry number 300.txt", &st), 0);
	check_eq(fs_stat(fs, "/empty", &st), 0);
	check_eq(st.size, 0);
	check_eq(fs_readlink(fs, "/hello.txt", data, 0), -ERR_INVAL);
	fs_unmount(fs);
	memdisk_free(&md);
}

/** One device request per contiguous cluster run. */
static void test_fat_runs(void)
{
	struct memdisk md;
	struct fs *fs = mount_image(&md, "fat16");
	struct fs_file *f;
	char *buf = malloc(2000000);
	unsigned long before;

	if (!fs)
		return;
	check_eq(fs_open(fs, "/big.bin", &f), 0);
	before = md.reads;
	check_eq(fs_read(f, 0, buf, 2000000), 2000000);
	check_eq(fs->data_reads, 1);
	check(md.reads - before <= 4);
	fs_close(f);
	/* frag.bin: 60 one-cluster pieces then one run */
	check_eq(fs_open(fs, "/frag.bin", &f), 0);
	fs->data_reads = 0;
	check_eq(fs_read(f, 0, buf, 300001), 300001);
	check(fs->data_reads >= 30 && fs->data_reads <= 80);
	/* chunked reads in order use the chain cursor */
	for (uint64_t off = 0; off < 300001; off += 4000)
		check(fs_read(f, off, buf, 4000) > 0);
	fs_close(f);
	fs_unmount(fs);
	memdisk_free(&md);
	free(buf);
}

/* ---- corruption --------------------------------------------------------- */

struct fatimg {
	uint8_t *data;
	size_t size;
	uint32_t bps, spc, fat_off, data_off, bits, root_off;
};

static int fat_load(struct fatimg *im, const char *name)
{
	struct memdisk md;
	char file[128];
	uint32_t fatsz, rootsec;

	snprintf(file, sizeof(file), "%s.img", name);
	if (memdisk_load(&md, name, fstest_path(file)))
		return -1;
	im->data = md.data;
	im->size = md.size;
	im->bps = get_le16(im->data + 11);
	im->spc = im->data[13];
	fatsz = get_le16(im->data + 22);
	im->bits = fatsz ? 16 : 32;
	if (!fatsz)
		fatsz = get_le32(im->data + 36);
	im->fat_off = get_le16(im->data + 14) * im->bps;
	im->root_off = im->fat_off + im->data[16] * fatsz * im->bps;
	rootsec = (get_le16(im->data + 17) * 32 + im->bps - 1) / im->bps;
	im->data_off = im->root_off + rootsec * im->bps;
	return 0;
}

static int walk(struct fatimg *im, int *werr)
{
	struct memdisk md;
	struct fs *fs;
	int rc;

	memdisk_init(&md, "corrupt", im->data, im->size);
	rc = fs_mount(&md.blk, &fs);
	*werr = 0;
	if (!rc) {
		*werr = fstest_walk_all(fs, 4 << 20);
		fs_unmount(fs);
	}
	return rc;
}

/** Find the 32-byte root directory entry whose 8.3 name is @n83. */
static uint8_t *root_entry(struct fatimg *im, const char *n83)
{
	for (uint32_t off = 0; off < 512 * 32; off += 32) {
		uint8_t *e = im->data + im->root_off + off;

		if (!memcmp(e, n83, 11))
			return e;
	}
	return NULL;
}

static void set_fat16(struct fatimg *im, uint32_t c, uint16_t v)
{
	put_le16(im->data + im->fat_off + 2 * c, v);
}

static void test_fat_corrupt(void)
{
	struct fatimg im;
	uint8_t *orig, *e;
	int werr, rc;
	uint16_t first;

	if (fat_load(&im, "fat16")) {
		check(!"image missing");
		return;
	}
	orig = malloc(im.size);
	memcpy(orig, im.data, im.size);
	e = root_entry(&im, "BIG     BIN");
	check(e != NULL);
	if (!e)
		goto out;
	first = get_le16(e + 26);

	/* a loop in big.bin's chain: back to its first cluster */
	set_fat16(&im, first + 5, first);
	rc = walk(&im, &werr);
	check(rc == 0);
	/* the size bounds the read; the data after the loop is wrong but
	 * nothing hangs. A directory with a loop must be refused: */
	memcpy(im.data, orig, im.size);
	e = root_entry(&im, "DIR        ");
	check(e != NULL);
	if (e) {
		uint16_t dc = get_le16(e + 26);

		set_fat16(&im, dc, dc);
		rc = walk(&im, &werr);
		check(rc == 0 && werr > 0);
		check(strstr(test_last_log(), "too long"));
		memcpy(im.data, orig, im.size);
	}

	/* a free cluster in the middle of a chain */
	set_fat16(&im, first + 3, 0);
	rc = walk(&im, &werr);
	check(rc == 0 && werr > 0);
	check(strstr(test_last_log(), "bad FAT entry"));
	memcpy(im.data, orig, im.size);

	/* chain ends early */
	set_fat16(&im, first + 3, 0xFFFF);
	rc = walk(&im, &werr);
	check(rc == 0 && werr > 0);
	check(strstr(test_last_log(), "ends before"));
	memcpy(im.data, orig, im.size);

	/* directory entry: first cluster out of range */
	e = root_entry(&im, "BIG     BIN");
	put_le16(e + 26, 0xFFF0);
	rc = walk(&im, &werr);
	check(rc == 0 && werr > 0);
	check(strstr(test_last_log(), "bad cluster"));
	memcpy(im.data, orig, im.size);

	/* BPB: zero reserved sectors / FAT count */
	put_le16(im.data + 14, 0);
	check_eq(walk(&im, &werr), -ERR_CORRUPT);
	check(strstr(test_last_log(), "bad BPB"));
	memcpy(im.data, orig, im.size);
	/* BPB: more sectors than the device */
	put_le16(im.data + 19, 0);
	put_le32(im.data + 32, 0x7FFFFFFF);
	check_eq(walk(&im, &werr), -ERR_CORRUPT);
	check(strstr(test_last_log(), "exceed"));
	memcpy(im.data, orig, im.size);

	/* a broken LFN checksum: the 8.3 name is used instead */
	e = root_entry(&im, "LONGFI~1TXT");
	check(e != NULL);
	if (e) {
		struct memdisk md;
		struct fs *fs;
		struct fs_stat st;

		e[-32 + 13] ^= 1;
		memdisk_init(&md, "lfn", im.data, im.size);
		check_eq(fs_mount(&md.blk, &fs), 0);
		check_eq(fs_stat(fs, "/Long File Name With Spaces.txt", &st),
			 -ERR_NOENT);
		check_eq(fs_stat(fs, "/LONGFI~1.TXT", &st), 0);
		fs_unmount(fs);
		memcpy(im.data, orig, im.size);
	}

	/* random damage to BPB, FATs and root directory */
	srand(99);
	for (int round = 0; round < 150; round++) {
		for (int k = 0; k < 6; k++) {
			size_t off = (size_t)rand() % im.data_off;

			im.data[off] = (uint8_t)rand();
		}
		walk(&im, &werr);
		memcpy(im.data, orig, im.data_off);
	}
out:
	free(orig);
	free(im.data);
}

/** FAT32 with mirroring off reads the active FAT only. */
static void test_fat32_active_fat(void)
{
	struct fatimg im;
	uint32_t fatsz;
	int werr;
	struct memdisk md;
	struct fs *fs;
	struct fs_stat st;

	if (fat_load(&im, "fat32")) {
		check(!"image missing");
		return;
	}
	fatsz = get_le32(im.data + 36);
	/* wipe FAT #0 (but its first entries), make FAT #1 the active one */
	memset(im.data + im.fat_off + 64, 0, (size_t)fatsz * im.bps - 64);
	put_le16(im.data + 40, 0x81);
	memdisk_init(&md, "fat32", im.data, im.size);
	check_eq(fs_mount(&md.blk, &fs), 0);
	check_eq(fs_stat(fs, "/big.bin", &st), 0);
	check_eq(fstest_walk_all(fs, 4 << 20), 0);
	fs_unmount(fs);
	/* mirroring on again: FAT #0 is used, and it is empty */
	put_le16(im.data + 40, 0);
	check_eq(walk(&im, &werr), 0);
	check(werr > 0);
	/* an active FAT that does not exist */
	put_le16(im.data + 40, 0x85);
	check_eq(walk(&im, &werr), -ERR_CORRUPT);
	check(strstr(test_last_log(), "active FAT"));
	free(im.data);
}

int main(void)
{
	char line[512];
	FILE *list = fopen(fstest_path("fat-images.txt"), "r");

	if (!list) {
		printf("SKIP: fat: no test images (%s; run "
		       "tests/images/mkfs-fat.sh build/images)\n", fstest_dir());
		return 0;
	}
	while (fgets(line, sizeof(line), list)) {
		char name[128];

		if (sscanf(line, "%63s %63s", cur_image, cur_tree) != 2)
			continue;
		snprintf(name, sizeof(name), "fat_tree_%s", cur_image);
		test_run_one(name, test_image_tree);
	}
	fclose(list);
	test_run(test_fat_lookup_rules);
	test_run(test_fat_runs);
	test_run(test_fat_corrupt);
	test_run(test_fat32_active_fat);
	return test_exit();
}
