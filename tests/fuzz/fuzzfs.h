/*
 * fuzzfs.h - shared by fuzz_ext4 and fuzz_fat: turn a fuzz input into a
 * disk image, mount it from memory, walk everything.
 *
 * Input format (keeps seeds small: only non-zero parts of an image):
 *   u16 LE   image size in 4 KiB units (1..9216: FAT32 needs 33 MB)
 *   records  u32 LE byte offset, u16 LE length, that many bytes
 * Records are laid onto a zeroed image (clipped at its end).
 * tests/fuzz/mkseeds-fs.sh makes seeds in this format from real images.
 */
#ifndef AOEBOOT_FUZZFS_H
#define AOEBOOT_FUZZFS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/core/blk.h"
#include "../../src/core/bootcfg.h"
#include "../../src/core/errors.h"
#include "../../src/core/fs/fs.h"

struct fuzz_disk {
	struct blkdev blk;
	uint8_t *data;
	size_t size;
};

static int fuzz_disk_read(struct blkdev *dev, uint64_t lba, uint64_t count,
			  void *buf)
{
	struct fuzz_disk *d = (struct fuzz_disk *)dev;

	if (lba * 512 + count * 512 > d->size)
		abort();	/* blk_read's range check must prevent this */
	memcpy(buf, d->data + lba * 512, count * 512);
	return 0;
}

static const struct blkdev_ops fuzz_disk_ops = { .read = fuzz_disk_read };

/** Build the image described by @in; returns 0 or -1 if malformed. */
static int fuzz_disk_build(struct fuzz_disk *d, const uint8_t *in, size_t len)
{
	size_t units, pos = 2;

	if (len < 2)
		return -1;
	units = (size_t)in[0] | (size_t)in[1] << 8;
	if (!units || units > 9216)
		return -1;
	d->size = units * 4096;
	d->data = calloc(1, d->size);
	while (pos + 6 <= len) {
		uint32_t off = (uint32_t)in[pos] | (uint32_t)in[pos + 1] << 8 |
			       (uint32_t)in[pos + 2] << 16 |
			       (uint32_t)in[pos + 3] << 24;
		size_t n = (size_t)in[pos + 4] | (size_t)in[pos + 5] << 8;

		pos += 6;
		if (n > len - pos)
			n = len - pos;
		if (off < d->size)
			memcpy(d->data + off, in + pos,
			       n < d->size - off ? n : d->size - off);
		pos += n;
	}
	memset(&d->blk, 0, sizeof(d->blk));
	d->blk.ops = &fuzz_disk_ops;
	d->blk.nsectors = d->size / 512;
	d->blk.sector_size = 512;
	strcpy(d->blk.name, "fuzz");
	return 0;
}

struct fuzz_walk {
	struct fs *fs;
	char path[1024];
	int depth;
	int budget;
	uint8_t *buf;
};

static void fuzz_walk_dir(struct fuzz_walk *w);

static int fuzz_walk_cb(void *ctx, const struct fs_dirent *ent)
{
	struct fuzz_walk *w = ctx;
	size_t len = strlen(w->path);
	struct fs_file *f;

	if (--w->budget <= 0)
		return 1;
	if (ent->namelen != strlen(ent->name))
		abort();
	if (len + 1 + ent->namelen + 1 > sizeof(w->path))
		return 0;
	snprintf(w->path + len, sizeof(w->path) - len, "%s%s",
		 len > 1 ? "/" : "", ent->name);
	if (!fs_open_nofollow(w->fs, w->path, &f)) {
		if (f->type == FS_FT_FILE) {
			int n = fs_read(f, 0, w->buf, 65536);

			if (n > 65536)
				abort();
			if (f->size > 65536)
				fs_read(f, f->size - 100, w->buf, 200);
		} else if (f->type == FS_FT_SYMLINK) {
			char t[256];
			struct fs_stat st;
			int n = fs_readlink(w->fs, w->path, t, sizeof(t));

			if (n >= 0 && (size_t)n != strlen(t))
				abort();
			fs_stat(w->fs, w->path, &st);
		} else if (f->type == FS_FT_DIR && w->depth < 6) {
			w->depth++;
			fuzz_walk_dir(w);
			w->depth--;
		}
		fs_close(f);
	}
	w->path[len] = '\0';
	return 0;
}

static void fuzz_walk_dir(struct fuzz_walk *w)
{
	struct fs_file *d;

	if (fs_open(w->fs, w->path, &d))
		return;
	if (d->type == FS_FT_DIR)
		fs_readdir(d, fuzz_walk_cb, w);
	fs_close(d);
}

/** Mount @in as an image, walk it and scan it for boot entries. */
static int fuzz_fs_one(const uint8_t *in, size_t len)
{
	struct fuzz_disk d;
	struct fs *fs;
	struct fuzz_walk w;
	struct boot_list list;

	if (fuzz_disk_build(&d, in, len))
		return 0;
	if (!fs_mount(&d.blk, &fs)) {
		memset(&w, 0, sizeof(w));
		w.fs = fs;
		w.budget = 400;
		w.buf = malloc(65536);
		strcpy(w.path, "/");
		fuzz_walk_dir(&w);
		free(w.buf);
		bootcfg_scan(fs, &list);
		bootcfg_free(&list);
		fs_unmount(fs);
	}
	free(d.data);
	return 0;
}

#endif
