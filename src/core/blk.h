/*
 * blk.h - the one block-device interface.
 *
 * AoE disks, partitions and md arrays all implement struct blkdev, so the
 * partition scanner, md and filesystems stack on any of them.  Reads of any
 * length are passed down whole: a filesystem asks for a file's extents in
 * large runs so the AoE engine can keep its window full.
 */
#ifndef AOEBOOT_BLK_H
#define AOEBOOT_BLK_H

#include <stdint.h>
#include <stddef.h>

struct blkdev;

/** Block device operations. */
struct blkdev_ops {
	/**
	 * Read @count sectors starting at @lba into @buf.
	 * @ret rc	0 or negative ERR_* (ERR_RANGE beyond the end)
	 */
	int (*read)(struct blkdev *dev, uint64_t lba, uint64_t count,
		    void *buf);
	/** Write @count sectors at @lba from @buf; NULL when read-only. */
	int (*write)(struct blkdev *dev, uint64_t lba, uint64_t count,
		     const void *buf);
};

/** A block device. */
struct blkdev {
	const struct blkdev_ops *ops;
	uint64_t nsectors;	/**< size in sectors */
	uint32_t sector_size;	/**< bytes per sector (512 for AoE) */
	char name[48];		/**< "e11.0", "e11.0p1", "md0" */
};

/**
 * Read @count sectors, checking the range against the device size first.
 *
 * @ret rc	0 or negative ERR_*
 */
int blk_read(struct blkdev *dev, uint64_t lba, uint64_t count, void *buf);

/** Write @count sectors after the same range check; ERR_ROFS if read-only. */
int blk_write(struct blkdev *dev, uint64_t lba, uint64_t count,
	      const void *buf);

/**
 * Read @len bytes at byte @offset, any alignment.  Aligned middle parts go
 * straight to the device in one request; only the partial head and tail
 * sectors are bounced.
 */
int blk_pread(struct blkdev *dev, uint64_t offset, size_t len, void *buf);

#endif
