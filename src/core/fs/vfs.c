/*
 * vfs.c - mounting, path resolution and the metadata cache.
 *
 * Path walk: a stack of open directories (root at the bottom) and a buffer
 * holding the rest of the path.  '.' is skipped, '..' pops (the root is its
 * own parent), a symlink met on the way has its target spliced in front of
 * the rest: an absolute target resets the stack to the root, a relative one
 * continues from the directory holding the link.  Hops are counted.
 */
#include "fs.h"
#include "../bcache.h"
#include "../errors.h"
#include "../libc.h"
#include "../log.h"
#include "../platform.h"

static const struct fs_driver *const fs_drivers[] = {
	&fs_ext4_driver,
	&fs_fat_driver,
};

const char *fs_ftype_name(enum fs_ftype type)
{
	switch (type) {
	case FS_FT_FILE: return "file";
	case FS_FT_DIR: return "dir";
	case FS_FT_SYMLINK: return "symlink";
	case FS_FT_OTHER: return "other";
	default: return "unknown";
	}
}

/* ---- cache ------------------------------------------------------------ */

int fs_cread(struct fs *fs, uint64_t offset, void *buf, size_t len)
{
	uint8_t tmp[512];
	uint32_t ssize = fs->dev->sector_size;
	uint64_t first, last;
	int rc;

	if (offset > fs->dev_bytes || len > fs->dev_bytes - offset)
		return -ERR_RANGE;
	if (!len)
		return 0;
	/* The common case, a few bytes inside one 512-byte sector: no
	 * bounce allocation (blk_pread would make one per call). */
	first = offset / ssize;
	last = (offset + len - 1) / ssize;
	if (first == last && ssize <= sizeof(tmp)) {
		rc = blk_read(&fs->cache->blk, first, 1, tmp);
		if (rc)
			return rc;
		memcpy(buf, tmp + offset % ssize, len);
		return 0;
	}
	return blk_pread(&fs->cache->blk, offset, len, buf);
}

int fs_dread(struct fs *fs, uint64_t offset, void *buf, size_t len)
{
	if (offset > fs->dev_bytes || len > fs->dev_bytes - offset)
		return -ERR_RANGE;
	fs->data_reads++;
	fs->data_bytes += len;
	return blk_pread(fs->dev, offset, len, buf);
}

/* ---- mount ------------------------------------------------------------ */

int fs_mount(struct blkdev *dev, struct fs **out)
{
	struct fs *fs;
	struct bcache *cache;
	int rc = -ERR_BADFS;

	*out = NULL;
	if (!dev->sector_size || (dev->sector_size & (dev->sector_size - 1)) ||
	    dev->sector_size > FS_CACHE_BLOCK) {
		log_error("%s: unsupported sector size %u", dev->name,
			  dev->sector_size);
		return -ERR_NOTSUP;
	}
	if (dev->nsectors > UINT64_MAX / dev->sector_size)
		return -ERR_RANGE;
	fs = plat_alloc(sizeof(*fs));
	cache = bcache_create(dev, FS_CACHE_BLOCK / dev->sector_size,
			      FS_CACHE_BLOCKS);
	if (!fs || !cache) {
		plat_free(fs);
		bcache_free(cache);
		return -ERR_NOMEM;
	}
	for (size_t i = 0; i < ARRAY_SIZE(fs_drivers); i++) {
		memset(fs, 0, sizeof(*fs));
		fs->dev = dev;
		fs->dev_bytes = dev->nsectors * dev->sector_size;
		fs->cache = cache;
		fs->drv = fs_drivers[i];
		rc = fs->drv->mount(fs);
		if (!rc) {
			*out = fs;
			return 0;
		}
		if (rc != -ERR_BADFS)
			break;
	}
	if (rc == -ERR_BADFS)
		log_info("%s: no filesystem recognised", dev->name);
	bcache_free(cache);
	plat_free(fs);
	return rc;
}

void fs_unmount(struct fs *fs)
{
	if (!fs)
		return;
	fs->drv->unmount(fs);
	bcache_free(fs->cache);
	plat_free(fs);
}

void fs_close(struct fs_file *file)
{
	if (file)
		file->fs->drv->close(file);
}

/* ---- path walk ---------------------------------------------------------- */

struct fs_walk {
	struct fs *fs;
	struct fs_file *stack[FS_MAX_DEPTH];
	unsigned int depth;		/**< entries in stack (>= 1: root) */
	char *rest;			/**< FS_PATH_MAX buffer: path left */
	char *link;			/**< FS_PATH_MAX buffer: link target */
	unsigned int hops;
};

static void fs_walk_pop_to(struct fs_walk *w, unsigned int depth)
{
	while (w->depth > depth)
		fs_close(w->stack[--w->depth]);
}

/**
 * Splice @target (a symlink's body) in front of the rest of the path.
 * The rest currently starts at @rest_pos in w->rest.
 */
static int fs_walk_splice(struct fs_walk *w, size_t rest_pos, size_t tlen)
{
	size_t rlen = strlen(w->rest + rest_pos);

	/* the rest is empty or starts with '/': plain concatenation */
	if (tlen + rlen + 1 > FS_PATH_MAX)
		return -ERR_NAMETOOLONG;
	memmove(w->rest + tlen, w->rest + rest_pos, rlen + 1);
	memcpy(w->rest, w->link, tlen);
	if (w->link[0] == '/')
		fs_walk_pop_to(w, 1);
	return 0;
}

static int fs_walk(struct fs *fs, const char *path, bool follow_last,
		   struct fs_file **out)
{
	struct fs_walk *w;
	size_t pos = 0, plen = strlen(path);
	int rc;

	*out = NULL;
	if (plen + 1 > FS_PATH_MAX)
		return -ERR_NAMETOOLONG;
	w = plat_alloc(sizeof(*w) + 2 * FS_PATH_MAX);
	if (!w)
		return -ERR_NOMEM;
	memset(w, 0, sizeof(*w));
	w->fs = fs;
	w->rest = (char *)(w + 1);
	w->link = w->rest + FS_PATH_MAX;
	memcpy(w->rest, path, plen + 1);
	rc = fs->drv->root(fs, &w->stack[0]);
	if (rc)
		goto out;
	w->depth = 1;

	for (;;) {
		const char *name;
		size_t nlen;
		struct fs_file *dir = w->stack[w->depth - 1];
		struct fs_file *child;
		bool last, trailing;

		while (w->rest[pos] == '/')
			pos++;
		if (!w->rest[pos])
			break;
		name = w->rest + pos;
		for (nlen = 0; name[nlen] && name[nlen] != '/'; nlen++)
			;
		pos += nlen;
		last = true;
		for (size_t k = pos; w->rest[k]; k++) {
			if (w->rest[k] != '/') {
				last = false;
				break;
			}
		}
		if (nlen == 1 && name[0] == '.')
			continue;
		if (nlen == 2 && name[0] == '.' && name[1] == '.') {
			if (w->depth > 1)
				fs_walk_pop_to(w, w->depth - 1);
			continue;
		}
		if (nlen >= FS_NAME_MAX) {
			rc = -ERR_NAMETOOLONG;
			goto out;
		}
		if (dir->type != FS_FT_DIR) {
			rc = -ERR_NOTDIR;
			goto out;
		}
		rc = fs->drv->lookup(dir, name, nlen, &child);
		if (rc)
			goto out;
		/* "name/" at the end: follow, and it must be a directory */
		trailing = last && w->rest[pos] == '/';
		if (child->type == FS_FT_SYMLINK &&
		    (!last || follow_last || trailing)) {
			if (++w->hops > FS_MAX_SYMLINK_HOPS) {
				fs_close(child);
				log_warn("%s: too many symlinks resolving %s",
					 fs->dev->name, path);
				rc = -ERR_LOOP;
				goto out;
			}
			rc = fs->drv->readlink(child, w->link, FS_PATH_MAX);
			fs_close(child);
			if (rc < 0)
				goto out;
			if (rc == 0) {
				rc = -ERR_NOENT;
				goto out;
			}
			rc = fs_walk_splice(w, pos, (size_t)rc);
			if (rc)
				goto out;
			pos = 0;
			continue;
		}
		if (w->depth >= FS_MAX_DEPTH) {
			fs_close(child);
			rc = -ERR_NAMETOOLONG;
			goto out;
		}
		w->stack[w->depth++] = child;
		if (trailing && child->type != FS_FT_DIR) {
			rc = -ERR_NOTDIR;
			goto out;
		}
	}
	/* The result is the top of the stack; hand it over. */
	*out = w->stack[--w->depth];
	rc = 0;
out:
	fs_walk_pop_to(w, 0);
	plat_free(w);
	return rc;
}

int fs_open(struct fs *fs, const char *path, struct fs_file **out)
{
	return fs_walk(fs, path, true, out);
}

int fs_open_nofollow(struct fs *fs, const char *path, struct fs_file **out)
{
	return fs_walk(fs, path, false, out);
}

static int fs_stat_common(struct fs *fs, const char *path, bool follow,
			  struct fs_stat *st)
{
	struct fs_file *f;
	int rc = fs_walk(fs, path, follow, &f);

	if (rc)
		return rc;
	st->type = f->type;
	st->size = f->size;
	st->ino = f->ino;
	fs_close(f);
	return 0;
}

int fs_stat(struct fs *fs, const char *path, struct fs_stat *st)
{
	return fs_stat_common(fs, path, true, st);
}

int fs_lstat(struct fs *fs, const char *path, struct fs_stat *st)
{
	return fs_stat_common(fs, path, false, st);
}

int fs_read(struct fs_file *file, uint64_t offset, void *buf, size_t len)
{
	if (file->type == FS_FT_DIR)
		return -ERR_ISDIR;
	if (file->type != FS_FT_FILE && file->type != FS_FT_SYMLINK)
		return -ERR_INVAL;
	if (len > FS_READ_MAX)
		return -ERR_TOOBIG;
	if (offset >= file->size)
		return 0;
	if (len > file->size - offset)
		len = (size_t)(file->size - offset);
	if (!len)
		return 0;
	return file->fs->drv->read(file, offset, buf, len);
}

int fs_readdir(struct fs_file *dir, fs_dir_cb cb, void *ctx)
{
	if (dir->type != FS_FT_DIR)
		return -ERR_NOTDIR;
	return dir->fs->drv->readdir(dir, cb, ctx);
}

int fs_readlink(struct fs *fs, const char *path, char *buf, size_t size)
{
	struct fs_file *f;
	int rc = fs_walk(fs, path, false, &f);

	if (rc)
		return rc;
	if (f->type != FS_FT_SYMLINK)
		rc = -ERR_INVAL;
	else
		rc = fs->drv->readlink(f, buf, size);
	fs_close(f);
	return rc;
}

int fs_read_file(struct fs *fs, const char *path, size_t max, void **data,
		 size_t *len)
{
	struct fs_file *f;
	uint8_t *buf;
	int rc;

	*data = NULL;
	*len = 0;
	rc = fs_open(fs, path, &f);
	if (rc)
		return rc;
	if (f->type != FS_FT_FILE) {
		rc = f->type == FS_FT_DIR ? -ERR_ISDIR : -ERR_INVAL;
		goto out;
	}
	if (f->size > max || f->size > FS_READ_MAX) {
		rc = -ERR_TOOBIG;
		goto out;
	}
	buf = plat_alloc((size_t)f->size + 1);
	if (!buf) {
		rc = -ERR_NOMEM;
		goto out;
	}
	rc = fs_read(f, 0, buf, (size_t)f->size);
	if (rc >= 0 && (uint64_t)rc != f->size)
		rc = -ERR_IO;
	if (rc < 0) {
		plat_free(buf);
		goto out;
	}
	buf[f->size] = '\0';
	*data = buf;
	*len = (size_t)f->size;
	rc = 0;
out:
	fs_close(f);
	return rc;
}
