/*
 * bcache.h - a small LRU read cache for metadata over any struct blkdev.
 *
 * A bcache is itself a struct blkdev (bc->blk), so a filesystem mounts on
 * it exactly as on the raw device.  Small reads (at most bypass_sectors) are
 * served from a fixed number of sector-aligned blocks, least recently used
 * evicted first; larger reads go straight down to the device in ONE request
 * (the AoE engine keeps many frames in flight: splitting a big read would
 * serialise it).  Writes pass through and invalidate what they overlap.
 */
#ifndef AOEBOOT_BCACHE_H
#define AOEBOOT_BCACHE_H

#include <stdint.h>
#include "blk.h"

/** One cached block. */
struct bcache_block {
	uint64_t lba;		/**< first sector of the block (aligned) */
	uint64_t stamp;		/**< last use, for LRU; 0 = empty */
	uint32_t valid;		/**< sectors held (short at the device end) */
	uint8_t *data;		/**< block_sectors * sector_size bytes */
};

/** A read cache over a block device. */
struct bcache {
	struct blkdev blk;		/**< the cached view: use this */
	struct blkdev *dev;		/**< the device beneath */
	unsigned int block_sectors;	/**< sectors per cache block */
	unsigned int nblocks;		/**< number of cache blocks */
	unsigned int bypass_sectors;	/**< reads longer than this bypass */
	uint64_t clock;			/**< LRU stamp counter */
	unsigned long hits;		/**< block lookups served from cache */
	unsigned long misses;		/**< block lookups that read the device */
	unsigned long bypassed;		/**< reads passed straight down */
	struct bcache_block *blocks;
	uint8_t *mem;
};

/**
 * Create a cache over @dev.
 *
 * @v dev		device to cache (must outlive the cache)
 * @v block_sectors	sectors per block, power of two 1..256 (0: 8)
 * @v nblocks		number of blocks, 1..4096 (0: 64)
 * @ret bc		new cache, or NULL when out of memory / bad argument
 *
 * The cache's name is the device's; reads longer than two blocks bypass.
 */
struct bcache *bcache_create(struct blkdev *dev, unsigned int block_sectors,
			     unsigned int nblocks);

/**
 * Drop every cached block (e.g. after the device changed beneath).
 *
 * @v bc	cache
 */
void bcache_invalidate(struct bcache *bc);

/**
 * Free a cache; the device beneath is untouched.
 *
 * @v bc	cache, or NULL
 */
void bcache_free(struct bcache *bc);

#endif
