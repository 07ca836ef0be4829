/*
 * test_vfs.c - the VFS layer: probing, the symlink hop limit, 4 KiB
 * sectors, I/O errors at every point, the metadata cache, readdir stops,
 * truncated devices, argument bounds.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "testplat.h"
#include "memdisk.h"
#include "fstest.h"
#include "../../src/core/bootcfg.h"
#include "../../src/core/errors.h"
#include "../../src/core/fs/fs.h"

static int load(struct memdisk *md, const char *name)
{
	char file[128];

	snprintf(file, sizeof(file), "%s.img", name);
	if (memdisk_load(md, name, fstest_path(file))) {
		check(!"image missing");
		return -1;
	}
	return 0;
}

static void test_vfs_not_a_fs(void)
{
	struct memdisk md;
	struct fs *fs = NULL;
	uint8_t *zero = calloc(1, 1 << 20);

	memdisk_init(&md, "zero", zero, 1 << 20);
	check_eq(fs_mount(&md.blk, &fs), -ERR_BADFS);
	check(fs == NULL);
	memdisk_init(&md, "empty", zero, 0);
	check_eq(fs_mount(&md.blk, &fs), -ERR_BADFS);
	free(zero);
}

static void test_vfs_symlink_hops(void)
{
	struct memdisk md;
	struct fs *fs;
	struct fs_stat st;

	if (load(&md, "ext4-small"))
		return;
	check_eq(fs_mount(&md.blk, &fs), 0);
	check_eq(fs_stat(fs, "/links/chain/c40", &st), 0);
	check_eq(st.size, 12);
	/* c01 needs exactly FS_MAX_SYMLINK_HOPS (40) hops, c00 one more */
	check_eq(fs_stat(fs, "/links/chain/c01", &st), 0);
	check_eq(fs_stat(fs, "/links/chain/c00", &st), -ERR_LOOP);
	check(strstr(test_last_log(), "too many symlinks"));
	check_eq(fs_lstat(fs, "/links/chain/c00", &st), 0);
	check_eq(st.type, FS_FT_SYMLINK);
	/* a symlink in the middle of a path, then '..' out of its target */
	check_eq(fs_stat(fs, "/links/absdir/../sub/deep/file.bin", &st), 0);
	check_eq(st.size, 70001);
	check_eq(fs_stat(fs, "/links/dotdot/links/dotdot/hello.txt", &st), 0);
	fs_unmount(fs);
	memdisk_free(&md);
}

/* A device with 4096-byte sectors over a memory image. */
struct bigsec {
	struct blkdev blk;
	uint8_t *data;
};

static int bigsec_read(struct blkdev *dev, uint64_t lba, uint64_t count,
		       void *buf)
{
	struct bigsec *b = (struct bigsec *)dev;

	memcpy(buf, b->data + lba * 4096, count * 4096);
	return 0;
}

static const struct blkdev_ops bigsec_ops = { .read = bigsec_read };

static void test_vfs_4k_sectors(void)
{
	static const char *const images[][2] = {
		{ "ext4-small", "ext-src-small" },
		{ "ext2-1k", "ext-src" },
		{ "fat12", "fat-src" },
	};

	for (size_t i = 0; i < 3; i++) {
		struct memdisk md;
		struct bigsec b;
		struct fs *fs;
		unsigned int nfiles = 0;
		char tree[4096];

		if (load(&md, images[i][0]))
			return;
		b.blk.ops = &bigsec_ops;
		b.blk.sector_size = 4096;
		b.blk.nsectors = md.size / 4096;
		strcpy(b.blk.name, "big");
		b.data = md.data;
		check_eq(fs_mount(&b.blk, &fs), 0);
		snprintf(tree, sizeof(tree), "%s/%s", fstest_dir(),
			 images[i][1]);
		check_eq(fstest_compare_tree(fs, tree, "/", 4 << 20, &nfiles),
			 0);
		check(nfiles > 5);
		fs_unmount(fs);
		memdisk_free(&md);
	}
}

/** Fail the Nth device read for every N: errors, never crashes. */
static void test_vfs_io_errors(void)
{
	static const char *const images[] = { "ext4-small", "fat12" };

	for (size_t i = 0; i < 2; i++) {
		struct memdisk md;
		struct fs *fs;
		int failures = 0, fine = 0, baseline;

		if (load(&md, images[i]))
			return;
		/* errors of a clean walk (symlink loops, dangling links) */
		check_eq(fs_mount(&md.blk, &fs), 0);
		baseline = fstest_walk_all(fs, 1 << 20);
		fs_unmount(fs);
		for (int n = 0; n < 5000; n += n < 60 ? 1 : 191) {
			md.reads = 0;
			md.fail_after = n;
			if (fs_mount(&md.blk, &fs)) {
				failures++;
				continue;
			}
			if (fstest_walk_all(fs, 1 << 20) != baseline)
				failures++;
			else
				fine++;
			fs_unmount(fs);
		}
		check(failures > 5);
		check(fine > 0);	/* enough reads: a clean walk */
		/* a read failing right at the data: -ERR_IO comes back */
		md.fail_after = -1;
		check_eq(fs_mount(&md.blk, &fs), 0);
		{
			struct fs_file *f;
			char buf[70001];

			check_eq(fs_open(fs, "/dir/sub/deep/file.bin", &f) == 0 ||
				 fs_open(fs, "/dir/Sub Dir/deep file.bin", &f) == 0,
				 1);
			md.reads = 0;
			md.fail_after = 0;
			check_eq(fs_read(f, 0, buf, sizeof(buf)), -ERR_IO);
			fs_close(f);
		}
		fs_unmount(fs);
		memdisk_free(&md);
	}
}

static void test_vfs_cache(void)
{
	struct memdisk md;
	struct fs *fs;
	struct fs_stat st;
	unsigned long before;

	if (load(&md, "ext4-small"))
		return;
	check_eq(fs_mount(&md.blk, &fs), 0);
	check_eq(fs_stat(fs, "/dir/sub/deep/file.bin", &st), 0);
	before = md.reads;
	check_eq(fs_stat(fs, "/dir/sub/deep/file.bin", &st), 0);
	check_eq(md.reads, before);	/* all metadata from the cache */
	fs_unmount(fs);
	memdisk_free(&md);
}

struct stop_ctx {
	int seen;
	int ret;
};

static int stop_cb(void *ctx, const struct fs_dirent *ent)
{
	struct stop_ctx *c = ctx;

	(void)ent;
	return ++c->seen == 3 ? c->ret : 0;
}

static void test_vfs_readdir_stop(void)
{
	static const char *const images[] = { "ext4-small", "fat12" };

	for (size_t i = 0; i < 2; i++) {
		struct memdisk md;
		struct fs *fs;
		struct fs_file *d;
		struct stop_ctx c = { 0, 7 };

		if (load(&md, images[i]))
			return;
		check_eq(fs_mount(&md.blk, &fs), 0);
		check_eq(fs_open(fs, "/", &d), 0);
		check_eq(fs_readdir(d, stop_cb, &c), 7);
		check_eq(c.seen, 3);
		c = (struct stop_ctx){ 0, -ERR_ABORTED };
		check_eq(fs_readdir(d, stop_cb, &c), -ERR_ABORTED);
		fs_close(d);
		check_eq(fs_open(fs, "/hello.txt", &d), 0);
		check_eq(fs_readdir(d, stop_cb, &c), -ERR_NOTDIR);
		fs_close(d);
		fs_unmount(fs);
		memdisk_free(&md);
	}
}

static void test_vfs_truncated_device(void)
{
	static const char *const images[] = { "ext4-small", "fat16" };

	for (size_t i = 0; i < 2; i++) {
		struct memdisk md;
		struct memdisk half;
		struct fs *fs = NULL;

		if (load(&md, images[i]))
			return;
		memdisk_init(&half, "half", md.data, md.size / 2);
		check_eq(fs_mount(&half.blk, &fs), -ERR_CORRUPT);
		check(strstr(test_last_log(), "device") ||
		      strstr(test_last_log(), "exceed"));
		memdisk_free(&md);
	}
}

static void test_vfs_bounds(void)
{
	struct memdisk md;
	struct fs *fs;
	struct fs_file *f;
	struct fs_stat st;
	char buf[64];
	char *path = malloc(FS_PATH_MAX + 10);

	if (load(&md, "ext4-small"))
		return;
	check_eq(fs_mount(&md.blk, &fs), 0);
	check_eq(fs_open(fs, "/hello.txt", &f), 0);
	check_eq(fs_read(f, 12, buf, 10), 0);
	check_eq(fs_read(f, 1ULL << 62, buf, 10), 0);
	check_eq(fs_read(f, 5, buf, 100), 7);
	check(!memcmp(buf, " world\n", 7));
	check_eq(fs_read(f, 0, buf, (size_t)FS_READ_MAX + 1), -ERR_TOOBIG);
	check_eq(fs_read(f, 0, buf, 0), 0);
	fs_close(f);
	check_eq(fs_open(fs, "/dir", &f), 0);
	check_eq(fs_read(f, 0, buf, 10), -ERR_ISDIR);
	fs_close(f);
	memset(path, 'a', FS_PATH_MAX + 5);
	path[0] = '/';
	path[FS_PATH_MAX + 5] = '\0';
	check_eq(fs_stat(fs, path, &st), -ERR_NAMETOOLONG);
	path[FS_NAME_MAX + 10] = '\0';
	check_eq(fs_stat(fs, path, &st), -ERR_NAMETOOLONG);
	path[300] = '\0';
	check_eq(fs_stat(fs, path, &st), -ERR_NOENT);
	check_eq(fs_stat(fs, "", &st), 0);	/* empty: the root */
	check_eq(st.type, FS_FT_DIR);
	check(!strcmp(fs_ftype_name(FS_FT_SYMLINK), "symlink"));
	fs_unmount(fs);
	fs_unmount(NULL);
	fs_close(NULL);
	memdisk_free(&md);
	free(path);
}

/** Every seed and saved crash of fuzz_ext4/fuzz_fat, under ASan/UBSan. */
static void test_vfs_fuzz_regressions(void)
{
	static const char *const dirs[] = {
		"tests/fuzz/corpus/fuzz_ext4", "tests/fuzz/corpus/fuzz_fat",
	};
	int inputs = 0, mounted = 0;

	for (size_t i = 0; i < 2; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			char path[512];
			struct memdisk md;
			struct fs *fs;
			struct boot_list list;
			uint8_t *img;
			size_t size;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i],
				 de->d_name);
			if (fstest_fuzz_image(path, &img, &size))
				continue;
			inputs++;
			memdisk_init(&md, "fuzz", img, size);
			if (!fs_mount(&md.blk, &fs)) {
				mounted++;
				fstest_walk_all(fs, 1 << 16);
				bootcfg_scan(fs, &list);
				bootcfg_free(&list);
				fs_unmount(fs);
			}
			free(img);
		}
		if (d)
			closedir(d);
	}
	check(inputs >= 7);
	check(mounted >= 7);
}

int main(void)
{
	FILE *f = fopen(fstest_path("ext4-small.img"), "rb");

	test_run(test_vfs_not_a_fs);
	test_run(test_vfs_fuzz_regressions);
	if (!f) {
		printf("SKIP: vfs: no test images (run tests/images/mkfs-ext.sh "
		       "and mkfs-fat.sh build/images)\n");
		return test_exit();
	}
	fclose(f);
	test_run(test_vfs_symlink_hops);
	test_run(test_vfs_4k_sectors);
	test_run(test_vfs_io_errors);
	test_run(test_vfs_cache);
	test_run(test_vfs_readdir_stop);
	test_run(test_vfs_truncated_device);
	test_run(test_vfs_bounds);
	return test_exit();
}
