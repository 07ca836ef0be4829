/*
 * fs.h - the small read-only VFS over ext2/3/4 and FAT12/16/32.
 *
 * fs_mount() probes each driver (ext4, then FAT) on a struct blkdev and
 * returns a struct fs carrying the type, label and UUID.  Files are opened
 * by absolute '/'-separated path; symbolic links inside the filesystem are
 * followed (at most FS_MAX_SYMLINK_HOPS), '.' and '..' are understood.
 * File data is read in the largest physically contiguous runs the layout
 * allows, one blk request per run; small metadata reads go through a
 * small per-mount LRU cache (struct bcache).
 *
 * Everything read from disk is validated: a bad structure gives a log line
 * naming it and -ERR_CORRUPT, never a crash, a hang or a write.
 */
#ifndef AOEBOOT_FS_H
#define AOEBOOT_FS_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "../blk.h"

#define FS_PATH_MAX 4096		/**< longest path, incl. NUL */
#define FS_NAME_MAX 1024		/**< longest name component (UTF-8) */
#define FS_MAX_SYMLINK_HOPS 40		/**< symlinks followed per lookup */
#define FS_MAX_DEPTH 128		/**< directory nesting on one path */
#define FS_READ_MAX (1u << 30)		/**< largest single fs_read() */

/** Filesystem types. */
enum fs_type { FS_TYPE_NONE = 0, FS_TYPE_EXT, FS_TYPE_FAT };

/** File types. */
enum fs_ftype { FS_FT_UNKNOWN = 0, FS_FT_FILE, FS_FT_DIR, FS_FT_SYMLINK,
		FS_FT_OTHER };

struct fs;
struct fs_driver;

/** An open file, directory or symlink.  Drivers embed it in their own. */
struct fs_file {
	struct fs *fs;			/**< the mounted filesystem */
	enum fs_ftype type;		/**< file type */
	uint64_t size;			/**< size in bytes */
	uint64_t ino;			/**< driver's identity (inode number) */
};

/** What fs_stat() reports. */
struct fs_stat {
	enum fs_ftype type;
	uint64_t size;
	uint64_t ino;
};

/** One directory entry handed to an fs_dir_cb ('.' and '..' are never). */
struct fs_dirent {
	const char *name;		/**< NUL-terminated name (UTF-8) */
	size_t namelen;			/**< strlen(name) */
	enum fs_ftype type;		/**< entry type */
	uint64_t size;			/**< file size in bytes */
	uint64_t ino;			/**< driver's identity */
};

/**
 * Directory listing callback.
 *
 * @v ctx	caller's context
 * @v ent	the entry (valid during the call only)
 * @ret rc	0 to continue, > 0 to stop (returned by fs_readdir), < 0 error
 */
typedef int (*fs_dir_cb)(void *ctx, const struct fs_dirent *ent);

struct bcache;

/** Metadata cache per mount: blocks of this many bytes ... */
#define FS_CACHE_BLOCK 4096
/** ... and this many of them (LRU, src/core/bcache.c). */
#define FS_CACHE_BLOCKS 32

/** A mounted filesystem. */
struct fs {
	struct blkdev *dev;		/**< the device underneath */
	const struct fs_driver *drv;	/**< the driver that took it */
	enum fs_type type;		/**< FS_TYPE_* */
	char type_name[8];		/**< "ext2", "ext3", "ext4", "fat12"... */
	char label[64];			/**< volume label (UTF-8), may be "" */
	char uuid[40];			/**< UUID / FAT serial as text, may be "" */
	void *priv;			/**< driver's private data */
	uint64_t dev_bytes;		/**< device size in bytes */
	struct bcache *cache;		/**< metadata cache over dev */
	uint64_t data_reads;		/**< statistics: direct data requests */
	uint64_t data_bytes;		/**< statistics: bytes read directly */
};

/* ---- public API ----------------------------------------------------- */

/**
 * Mount @dev read-only, trying each driver in turn.
 *
 * @v dev	block device (must outlive the mount)
 * @v out	receives the mounted filesystem
 * @ret rc	0, -ERR_BADFS if no driver recognised it, or another ERR_*
 *		(e.g. -ERR_NOTSUP for a known filesystem with an unsupported
 *		incompatible feature, -ERR_CORRUPT)
 */
int fs_mount(struct blkdev *dev, struct fs **out);

/**
 * Unmount and free @fs (all its files must be closed).  NULL is ignored.
 *
 * @v fs	mounted filesystem
 */
void fs_unmount(struct fs *fs);

/**
 * Open @path, following symlinks (also in the last component).
 *
 * @v fs	mounted filesystem
 * @v path	absolute path ("/boot/vmlinuz"); relative is taken from root
 * @v out	receives the open file; fs_close() it
 * @ret rc	0, -ERR_NOENT, -ERR_NOTDIR, -ERR_LOOP, -ERR_NAMETOOLONG, ...
 */
int fs_open(struct fs *fs, const char *path, struct fs_file **out);

/**
 * Open @path without following a symlink in its last component.
 *
 * @v fs	mounted filesystem
 * @v path	absolute path
 * @v out	receives the open file (may be a symlink)
 * @ret rc	0 or negative ERR_*
 */
int fs_open_nofollow(struct fs *fs, const char *path, struct fs_file **out);

/**
 * Close a file from fs_open().  NULL is ignored.
 *
 * @v file	open file
 */
void fs_close(struct fs_file *file);

/**
 * Report type and size of @path (following symlinks).
 *
 * @v fs	mounted filesystem
 * @v path	absolute path
 * @v st	receives the result
 * @ret rc	0 or negative ERR_*
 */
int fs_stat(struct fs *fs, const char *path, struct fs_stat *st);

/**
 * Like fs_stat() but a symlink in the last component is reported itself.
 *
 * @v fs	mounted filesystem
 * @v path	absolute path
 * @v st	receives the result
 * @ret rc	0 or negative ERR_*
 */
int fs_lstat(struct fs *fs, const char *path, struct fs_stat *st);

/**
 * Read up to @len bytes at @offset of a regular file (or symlink body).
 * Holes and unwritten extents read as zeros.
 *
 * @v file	open file
 * @v offset	byte offset
 * @v buf	destination
 * @v len	bytes wanted (at most FS_READ_MAX)
 * @ret count	bytes read (short only at end of file) or negative ERR_*
 */
int fs_read(struct fs_file *file, uint64_t offset, void *buf, size_t len);

/**
 * List a directory; '.' and '..' are left out.
 *
 * @v dir	open directory
 * @v cb	called once per entry
 * @v ctx	passed to @cb
 * @ret rc	0 when all were listed, the callback's positive value when it
 *		stopped early, or negative ERR_*
 */
int fs_readdir(struct fs_file *dir, fs_dir_cb cb, void *ctx);

/**
 * Read the target of the symlink at @path (the last component is not
 * followed).
 *
 * @v fs	mounted filesystem
 * @v path	absolute path of the link
 * @v buf	receives the NUL-terminated target
 * @v size	size of @buf
 * @ret len	target length, -ERR_INVAL if not a symlink,
 *		-ERR_NAMETOOLONG if @buf is too small, or another ERR_*
 */
int fs_readlink(struct fs *fs, const char *path, char *buf, size_t size);

/**
 * Read a whole file into a new buffer (NUL-terminated for convenience).
 *
 * @v fs	mounted filesystem
 * @v path	absolute path (symlinks followed)
 * @v max	refuse files larger than this (-ERR_TOOBIG)
 * @v data	receives the plat_alloc()ed buffer; plat_free() it
 * @v len	receives the file size
 * @ret rc	0 or negative ERR_*
 */
int fs_read_file(struct fs *fs, const char *path, size_t max, void **data,
		 size_t *len);

/**
 * Name of a file type, for messages ("file", "dir", "symlink", ...).
 *
 * @v type	FS_FT_*
 * @ret name	static string
 */
const char *fs_ftype_name(enum fs_ftype type);

/* ---- for drivers ---------------------------------------------------- */

/** A filesystem driver. */
struct fs_driver {
	const char *name;
	/** Probe and mount; -ERR_BADFS when it is not this filesystem. */
	int (*mount)(struct fs *fs);
	/** Free the driver's private data. */
	void (*unmount)(struct fs *fs);
	/** Open the root directory. */
	int (*root)(struct fs *fs, struct fs_file **out);
	/** Find @name (@len bytes, not NUL-terminated) in @dir. */
	int (*lookup)(struct fs_file *dir, const char *name, size_t len,
		      struct fs_file **out);
	/** List @dir, skipping '.' and '..'. */
	int (*readdir)(struct fs_file *dir, fs_dir_cb cb, void *ctx);
	/** Read @len bytes at @off; the VFS has clamped them to the size. */
	int (*read)(struct fs_file *file, uint64_t off, void *buf,
		    size_t len);
	/** Symlink target into @buf (NUL-terminated); returns length. */
	int (*readlink)(struct fs_file *file, char *buf, size_t size);
	/** Free an open file. */
	void (*close)(struct fs_file *file);
};

extern const struct fs_driver fs_ext4_driver;
extern const struct fs_driver fs_fat_driver;

/**
 * Read metadata through the per-mount cache.
 *
 * @v fs	mounted filesystem
 * @v offset	byte offset on the device
 * @v buf	destination
 * @v len	bytes (should be small: a few KiB at most)
 * @ret rc	0, -ERR_RANGE beyond the device, or an I/O error
 */
int fs_cread(struct fs *fs, uint64_t offset, void *buf, size_t len);

/**
 * Read file data straight from the device in one request (no cache).
 *
 * @v fs	mounted filesystem
 * @v offset	byte offset on the device
 * @v buf	destination
 * @v len	bytes
 * @ret rc	0, -ERR_RANGE beyond the device, or an I/O error
 */
int fs_dread(struct fs *fs, uint64_t offset, void *buf, size_t len);

#endif
