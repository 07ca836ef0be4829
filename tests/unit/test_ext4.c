/*
 * test_ext4.c - ext2/3/4 images made by mke2fs/debugfs (tests/images/
 * mkfs-ext.sh), read back through the VFS and compared byte for byte with
 * the tree they were made from; symlink and path rules; corrupted images.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"
#include "testplat.h"
#include "memdisk.h"
#include "fstest.h"
#include "../../src/core/byteorder.h"
#include "../../src/core/crc.h"
#include "../../src/core/errors.h"
#include "../../src/core/fs/fs.h"

static char cur_image[64];
static char cur_tree[64];

static int load(struct memdisk *md, const char *name)
{
	char file[128];

	snprintf(file, sizeof(file), "%s.img", name);
	return memdisk_load(md, name, fstest_path(file));
}

static void test_image_tree(void)
{
	struct memdisk md;
	struct fs *fs = NULL;
	unsigned int nfiles = 0;
	char tree[4096];
	int rc;

	if (load(&md, cur_image)) {
		check(!"image missing");
		return;
	}
	rc = fs_mount(&md.blk, &fs);
	check_eq(rc, 0);
	if (rc) {
		memdisk_free(&md);
		return;
	}
	/* ext4 without extents, 64bit, flex_bg is indistinguishable from ext3 */
	check(!strncmp(fs->type_name, cur_image,
		       strcmp(cur_image, "ext4-noextent") ? 4 : 3));
	check(!strcmp(fs->label, cur_image));
	check(!strcmp(fs->uuid, "2b7e1516-28ae-d2a6-abf7-158809cf4f3c"));
	snprintf(tree, sizeof(tree), "%s/%s", fstest_dir(), cur_tree);
	check_eq(fstest_compare_tree(fs, tree, "/", 8 << 20, &nfiles), 0);
	check(nfiles >= 8);
	fs_unmount(fs);
	memdisk_free(&md);
}

/** Mount @name; NULL (and a failed check) when that fails. */
static struct fs *mount_image(struct memdisk *md, const char *name)
{
	struct fs *fs = NULL;

	if (load(md, name)) {
		check(!"image missing");
		return NULL;
	}
	if (fs_mount(&md->blk, &fs)) {
		check(!"mount failed");
		memdisk_free(md);
		return NULL;
	}
	return fs;
}

static void test_ext_symlinks_and_paths(void)
{
	struct memdisk md;
	struct fs *fs = mount_image(&md, "ext4-default");
	struct fs_stat st;
	char buf[256];
	void *data;
	size_t len;

	if (!fs)
		return;
	check_eq(fs_stat(fs, "/links/loop1", &st), -ERR_LOOP);
	check_eq(fs_stat(fs, "/links/self", &st), -ERR_LOOP);
	check_eq(fs_stat(fs, "/links/dangling", &st), -ERR_NOENT);
	check_eq(fs_lstat(fs, "/links/dangling", &st), 0);
	check_eq(st.type, FS_FT_SYMLINK);
	check_eq(fs_stat(fs, "/links/dotdot/hello.txt", &st), 0);
	check_eq(st.size, 12);
	check_eq(fs_stat(fs, "/links/absdir/deep/file.bin", &st), 0);
	check_eq(st.size, 70001);
	check_eq(fs_stat(fs, "/links/slow", &st), 0);
	check_eq(st.size, 70001);
	check_eq(fs_stat(fs, "/vmlinuz", &st), 0);
	check_eq(st.type, FS_FT_FILE);
	check_eq(st.size, 300000);
	check_eq(fs_lstat(fs, "/vmlinuz", &st), 0);
	check_eq(st.type, FS_FT_SYMLINK);
	check_eq(fs_readlink(fs, "/initrd.img", buf, sizeof(buf)),
		 (int)strlen("/boot/initrd.img-6.1.0-10-amd64"));
	check(!strcmp(buf, "/boot/initrd.img-6.1.0-10-amd64"));
	check_eq(fs_readlink(fs, "/initrd.img", buf, 8), -ERR_NAMETOOLONG);
	check_eq(fs_readlink(fs, "/hello.txt", buf, sizeof(buf)), -ERR_INVAL);
	check_eq(fs_stat(fs, "/dir/./sub/../sub/deep/file.bin", &st), 0);
	check_eq(fs_stat(fs, "/../../hello.txt", &st), 0);
	check_eq(fs_stat(fs, "//dir///sub//", &st), 0);
	check_eq(st.type, FS_FT_DIR);
	check_eq(fs_stat(fs, "/hello.txt/x", &st), -ERR_NOTDIR);
	check_eq(fs_stat(fs, "/nothere", &st), -ERR_NOENT);
	check_eq(fs_stat(fs, "/", &st), 0);
	check_eq(st.type, FS_FT_DIR);
	check_eq(fs_read_file(fs, "/links/fast", 100, &data, &len), 0);
	check_eq(len, 12);
	check(data && !memcmp(data, "hello world\n", 12));
	free(data);
	check_eq(fs_read_file(fs, "/boot", 100, &data, &len), -ERR_ISDIR);
	check_eq(fs_read_file(fs, "/boot/vmlinuz-6.1.0-10-amd64", 100, &data,
			      &len), -ERR_TOOBIG);
	fs_unmount(fs);
	memdisk_free(&md);
}

static int count_cb(void *ctx, const struct fs_dirent *ent)
{
	unsigned int *n = ctx;

	if (ent->type == FS_FT_FILE && ent->size == 10 &&
	    !strncmp(ent->name, "f", 1))
		(*n)++;
	return 0;
}

static void test_ext_htree_2000(void)
{
	struct memdisk md;
	struct fs *fs = mount_image(&md, "ext4-default");
	struct fs_file *d;
	unsigned int n = 0;
	void *data;
	size_t len;

	if (!fs)
		return;
	check_eq(fs_open(fs, "/big/many", &d), 0);
	check_eq(fs_readdir(d, count_cb, &n), 0);
	check_eq(n, 2000);
	fs_close(d);
	check_eq(fs_read_file(fs, "/big/many/f1234", 100, &data, &len), 0);
	check(data && len == 10 && !memcmp(data, "file 1234\n", 10));
	free(data);
	fs_unmount(fs);
	memdisk_free(&md);
}

/** A contiguous 1.5 MB file must come from the device in one request. */
static void test_ext_large_runs(void)
{
	struct memdisk md;
	struct fs *fs = mount_image(&md, "ext4-default");
	struct fs_file *f;
	char *buf = malloc(1500000);
	unsigned long before;

	if (!fs)
		return;
	check_eq(fs_open(fs, "/boot/initrd.img-6.1.0-10-amd64", &f), 0);
	before = md.reads;
	check_eq(fs_read(f, 0, buf, 1500000), 1500000);
	/* the read itself: one request for the run (+2 for the partial
	 * tail sector and a metadata miss at most) */
	check(md.reads - before <= 3);
	check_eq(fs->data_reads, 1);
	fs_close(f);
	fs_unmount(fs);
	memdisk_free(&md);
	free(buf);
}

static void test_ext_deep_extent_tree(void)
{
	struct memdisk md;
	struct fs *fs = mount_image(&md, "ext4-frag");
	FILE *h = fopen(fstest_path("frag-src.bin"), "rb");
	char *a = malloc(800000), *b = malloc(800000);
	size_t hn;
	struct fs_file *f;

	if (!fs || !h) {
		check(!"missing");
		goto out;
	}
	hn = fread(b, 1, 800000, h);
	check_eq(fs_open(fs, "/fragmented.bin", &f), 0);
	check_eq(f->size, hn);
	check_eq(fs_read(f, 0, a, hn), (int)hn);
	check(!memcmp(a, b, hn));
	/* about one request per extent (700 one-block extents), not more */
	check(fs->data_reads <= 702);
	/* unaligned reads across extent boundaries */
	for (size_t off = 1000; off + 3000 < hn; off += 77777) {
		check_eq(fs_read(f, off, a, 3000), 3000);
		check(!memcmp(a, b + off, 3000));
	}
	fs_close(f);
out:
	if (h)
		fclose(h);
	if (fs) {
		fs_unmount(fs);
		memdisk_free(&md);
	}
	free(a);
	free(b);
}

/** Unwritten (fallocated) extents read as zeros whatever is on disk. */
static void test_ext_unwritten(void)
{
	struct memdisk md;
	struct fs *fs = mount_image(&md, "ext4-prealloc");
	FILE *h = fopen(fstest_path("prealloc-head.bin"), "rb");
	char *a = NULL, head[8192];
	bool zero = true;

	if (!fs || !h || fread(head, 1, sizeof(head), h) != sizeof(head)) {
		check(!"missing");
		goto out;
	}
	check_eq(fs_read_file(fs, "/prealloc.bin", 1 << 20, (void **)&a,
			      &(size_t){ 0 }) == 0 ? 0 : -1, 0);
	if (a) {
		check(!memcmp(a, head, sizeof(head)));
		for (size_t i = sizeof(head); i < 61440; i++)
			zero &= !a[i];
		check(zero);
	}
out:
	if (h)
		fclose(h);
	if (fs) {
		fs_unmount(fs);
		memdisk_free(&md);
	}
	free(a);
}

static void test_ext_sparse_5g(void)
{
	struct memdisk md;
	struct fs *fs = mount_image(&md, "ext4-default");
	struct fs_file *f;
	char buf[16384];
	bool zero = true;

	if (!fs)
		return;
	check_eq(fs_open(fs, "/sparse.bin", &f), 0);
	check_eq(f->size, 5ULL << 30);
	check_eq(fs_read(f, 0, buf, 16), 16);
	check(!memcmp(buf, "start of sparse\n", 16));
	check_eq(fs_read(f, (3ULL << 30), buf, sizeof(buf)), sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		zero &= !buf[i];
	check(zero);
	check_eq(fs_read(f, (5ULL << 30) - 10, buf, 100), 10);
	check_eq(fs_read(f, (5ULL << 30), buf, 100), 0);
	fs_close(f);
	fs_unmount(fs);
	memdisk_free(&md);
}

/* ---- corruption --------------------------------------------------------- */

struct img {
	uint8_t *data;
	size_t size;
	uint32_t bs;
	uint32_t ipg, isize, desc_size;
};

static int img_load(struct img *im, const char *name)
{
	struct memdisk md;

	if (load(&md, name))
		return -1;
	im->data = md.data;
	im->size = md.size;
	im->bs = 1024u << get_le32(im->data + 1024 + 0x18);
	im->ipg = get_le32(im->data + 1024 + 0x28);
	im->isize = get_le16(im->data + 1024 + 0x58);
	im->desc_size = get_le32(im->data + 1024 + 0x60) & 0x80 ?
			get_le16(im->data + 1024 + 0xFE) : 32;
	return 0;
}

static size_t gd_off(struct img *im)
{
	return (im->bs == 1024 ? 2 : 1) * (size_t)im->bs;
}

static size_t inode_off(struct img *im, uint32_t ino)
{
	uint32_t g = (ino - 1) / im->ipg, idx = (ino - 1) % im->ipg;
	uint8_t *gd = im->data + gd_off(im) + (size_t)g * im->desc_size;

	return (size_t)get_le32(gd + 8) * im->bs + (size_t)idx * im->isize;
}

/** Recompute the metadata_csum checksum of inode @ino after an edit. */
static void fix_inode_csum(struct img *im, uint32_t ino)
{
	uint8_t *raw = im->data + inode_off(im, ino);
	uint8_t le[4];
	uint32_t c;

	put_le16(raw + 0x7C, 0);
	put_le16(raw + 0x82, 0);
	put_le32(le, ino);
	c = crc32c(crc32c(~0u, im->data + 1024 + 0x68, 16), le, 4);
	c = crc32c(c, raw + 0x64, 4);
	c = crc32c(c, raw, im->isize);
	put_le16(raw + 0x7C, (uint16_t)c);
	put_le16(raw + 0x82, (uint16_t)(c >> 16));
}

/** Recompute the checksum tail of directory block @blk of inode @ino. */
static void fix_dir_csum(struct img *im, uint32_t ino, uint64_t blk)
{
	uint8_t *raw = im->data + inode_off(im, ino);
	uint8_t *b = im->data + blk * im->bs;
	uint8_t le[4];
	uint32_t c;

	put_le32(le, ino);
	c = crc32c(crc32c(~0u, im->data + 1024 + 0x68, 16), le, 4);
	c = crc32c(c, raw + 0x64, 4);
	c = crc32c(c, b, im->bs - 12);
	put_le32(b + im->bs - 4, c);
}

/** Mount a modified copy and walk it: must not crash, reports @want. */
static int try_mount_walk(struct img *im, int *walk_errors)
{
	struct memdisk md;
	struct fs *fs = NULL;
	int rc;

	memdisk_init(&md, "corrupt", im->data, im->size);
	rc = fs_mount(&md.blk, &fs);
	*walk_errors = 0;
	if (!rc) {
		*walk_errors = fstest_walk_all(fs, 1 << 20);
		fs_unmount(fs);
	}
	return rc;
}

static void test_ext_corrupt(void)
{
	struct img im;
	uint8_t *orig;
	int werr, rc;
	size_t ioff;
	uint64_t blk;

	if (img_load(&im, "ext4-small")) {
		check(!"image missing");
		return;
	}
	orig = malloc(im.size);
	memcpy(orig, im.data, im.size);

	/* superblock checksum (metadata_csum) */
	im.data[1024 + 0x78] ^= 1;
	check_eq(try_mount_walk(&im, &werr), -ERR_CORRUPT);
	check(strstr(test_last_log(), "checksum"));
	memcpy(im.data, orig, im.size);

	/* unknown incompatible feature: refused by name or bit */
	put_le32(im.data + 1024 + 0x60,
		 get_le32(im.data + 1024 + 0x60) | 0x1);
	put_le32(im.data + 1024 + 0x3FC, 0);
	im.data[1024 + 0x64] &= (uint8_t)~0x04; /* drop metadata_csum too */
	put_le32(im.data + 1024 + 0x64, get_le32(im.data + 1024 + 0x64) & ~0x400u);
	check_eq(try_mount_walk(&im, &werr), -ERR_NOTSUP);
	check(strstr(test_last_log(), "compression"));
	put_le32(im.data + 1024 + 0x60,
		 (get_le32(im.data + 1024 + 0x60) & ~0x1u) | 0x80000000u);
	check_eq(try_mount_walk(&im, &werr), -ERR_NOTSUP);
	check(strstr(test_last_log(), "0x80000000"));
	memcpy(im.data, orig, im.size);

	/* group descriptor: inode table far beyond the device */
	put_le32(im.data + gd_off(&im) + 8, 0x7FFFFFF0);
	rc = try_mount_walk(&im, &werr);
	check(rc == 0 && werr > 0);
	check(strstr(test_last_log(), "inode table") ||
	      strstr(test_last_log(), "beyond"));
	memcpy(im.data, orig, im.size);

	/* root inode: any flipped byte fails its checksum */
	ioff = inode_off(&im, 2);
	im.data[ioff + 0x30] ^= 0x10;
	rc = try_mount_walk(&im, &werr);
	check(rc == 0 && werr > 0);
	check(strstr(test_last_log(), "inode 2 checksum mismatch"));
	fix_inode_csum(&im, 2);
	rc = try_mount_walk(&im, &werr);	/* valid checksum, bad extent */
	check(rc == 0 && werr > 0);
	memcpy(im.data, orig, im.size);

	/* root inode: extent header magic */
	im.data[ioff + 0x28] ^= 0xFF;
	fix_inode_csum(&im, 2);
	rc = try_mount_walk(&im, &werr);
	check(rc == 0 && werr > 0);
	check(strstr(test_last_log(), "extent header"));
	memcpy(im.data, orig, im.size);

	/* root inode: entries > max */
	put_le16(im.data + ioff + 0x28 + 2, 5);
	fix_inode_csum(&im, 2);
	try_mount_walk(&im, &werr);
	check(werr > 0);
	check(strstr(test_last_log(), "extent header"));
	memcpy(im.data, orig, im.size);

	/* root directory block: rec_len of '.' zeroed */
	blk = get_le32(im.data + ioff + 0x28 + 12 + 8);
	put_le16(im.data + blk * im.bs + 4, 0);
	try_mount_walk(&im, &werr);
	check(werr > 0);
	check(strstr(test_last_log(), "checksum mismatch"));
	fix_dir_csum(&im, 2, blk);
	try_mount_walk(&im, &werr);
	check(werr > 0);
	check(strstr(test_last_log(), "bad entry"));
	memcpy(im.data, orig, im.size);

	/* root directory: entry pointing at inode 0xFFFFFFF0 */
	put_le32(im.data + blk * im.bs + 12 + 12, 0xFFFFFFF0u);
	fix_dir_csum(&im, 2, blk);
	try_mount_walk(&im, &werr);
	check(werr > 0);
	memcpy(im.data, orig, im.size);

	/* filetype feature off: file_type bytes become name_len high bytes
	 * (names of 256+ bytes must be refused, not copied) */
	put_le32(im.data + 1024 + 0x60,
		 get_le32(im.data + 1024 + 0x60) & ~0x2u);
	put_le32(im.data + 1024 + 0x3FC, crc32c(~0u, im.data + 1024, 0x3FC));
	rc = try_mount_walk(&im, &werr);
	check(rc == 0 && werr > 0);
	check(strstr(test_last_log(), "bad entry"));
	memcpy(im.data, orig, im.size);

	/* random byte flips in the metadata area: never crash */
	srand(1234);
	for (int round = 0; round < 100; round++) {
		for (int k = 0; k < 8; k++) {
			size_t off = (size_t)rand() % (1u << 20);

			im.data[off] = (uint8_t)rand();
		}
		try_mount_walk(&im, &werr);
		memcpy(im.data, orig, 1u << 20);
	}
	free(orig);
	free(im.data);
}

int main(void)
{
	char line[512];
	FILE *list = fopen(fstest_path("ext-images.txt"), "r");

	if (!list) {
		printf("SKIP: ext4: no test images (%s; run "
		       "tests/images/mkfs-ext.sh build/images)\n", fstest_dir());
		return 0;
	}
	while (fgets(line, sizeof(line), list)) {
		char name[128];

		if (sscanf(line, "%63s %63s", cur_image, cur_tree) != 2)
			continue;
		snprintf(name, sizeof(name), "ext_tree_%s", cur_image);
		test_run_one(name, test_image_tree);
	}
	fclose(list);
	test_run(test_ext_symlinks_and_paths);
	test_run(test_ext_htree_2000);
	test_run(test_ext_large_runs);
	test_run(test_ext_deep_extent_tree);
	test_run(test_ext_unwritten);
	test_run(test_ext_sparse_5g);
	test_run(test_ext_corrupt);
	return test_exit();
}
