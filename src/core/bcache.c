/*
 * bcache.c - LRU block cache for small metadata reads.
 *
 * Lookup is a linear scan: the cache is small (tens of blocks) and a scan
 * costs nothing next to a network round trip.
 */
#include "bcache.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "platform.h"

#define BCACHE_DEFAULT_SECTORS 8
#define BCACHE_DEFAULT_BLOCKS 64
#define BCACHE_MAX_SECTORS 256
#define BCACHE_MAX_BLOCKS 4096

/**
 * Find the cached block starting at @lba.
 *
 * @v bc	cache
 * @v lba	aligned block start
 * @ret blk	block, or NULL
 */
static struct bcache_block *bcache_find(struct bcache *bc, uint64_t lba)
{
	unsigned int i;

	for (i = 0; i < bc->nblocks; i++) {
		if (bc->blocks[i].stamp && bc->blocks[i].lba == lba)
			return &bc->blocks[i];
	}
	return NULL;
}

/**
 * Get the block starting at @lba, reading it from the device on a miss.
 *
 * @v bc	cache
 * @v lba	aligned block start
 * @v out	the block
 * @ret rc	0 or negative ERR_*
 */
static int bcache_get(struct bcache *bc, uint64_t lba,
		      struct bcache_block **out)
{
	struct bcache_block *b = bcache_find(bc, lba);
	struct bcache_block *victim;
	uint64_t count;
	unsigned int i;
	int rc;

	if (b) {
		bc->hits++;
		b->stamp = ++bc->clock;
		*out = b;
		return 0;
	}
	bc->misses++;
	victim = &bc->blocks[0];
	for (i = 1; i < bc->nblocks && victim->stamp; i++) {
		if (bc->blocks[i].stamp < victim->stamp)
			victim = &bc->blocks[i];
	}
	count = MIN((uint64_t)bc->block_sectors, bc->dev->nsectors - lba);
	victim->stamp = 0;
	rc = blk_read(bc->dev, lba, count, victim->data);
	if (rc)
		return rc;
	victim->lba = lba;
	victim->valid = (uint32_t)count;
	victim->stamp = ++bc->clock;
	*out = victim;
	return 0;
}

/**
 * blkdev read: small reads through the cache, big ones straight down.
 *
 * @v blk	the cache's device
 * @v lba	first sector
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
static int bcache_read(struct blkdev *blk, uint64_t lba, uint64_t count,
		       void *buf)
{
	struct bcache *bc = container_of(blk, struct bcache, blk);
	uint32_t ssize = bc->dev->sector_size;
	uint8_t *out = buf;
	int rc;

	if (count > bc->bypass_sectors) {
		bc->bypassed++;
		return blk_read(bc->dev, lba, count, buf);
	}
	while (count) {
		uint64_t start = lba & ~(uint64_t)(bc->block_sectors - 1);
		uint64_t skip = lba - start;
		struct bcache_block *b;
		uint64_t n;

		rc = bcache_get(bc, start, &b);
		if (rc)
			return rc;
		if (skip >= b->valid)
			return -ERR_RANGE;
		n = MIN(count, b->valid - skip);
		/* n is within one cached block, so its bytes fit a size_t
		 * (on 32-bit x86 too) */
		memcpy(out, b->data + skip * ssize, (size_t)(n * ssize));
		out += n * ssize;
		lba += n;
		count -= n;
	}
	return 0;
}

/**
 * blkdev write: pass through, then drop the blocks it overlapped.
 *
 * @v blk	the cache's device
 * @v lba	first sector
 * @v count	sectors
 * @v buf	source
 * @ret rc	0 or negative ERR_*
 */
static int bcache_write(struct blkdev *blk, uint64_t lba, uint64_t count,
			const void *buf)
{
	struct bcache *bc = container_of(blk, struct bcache, blk);
	unsigned int i;
	int rc = blk_write(bc->dev, lba, count, buf);

	for (i = 0; i < bc->nblocks; i++) {
		struct bcache_block *b = &bc->blocks[i];

		if (b->stamp && b->lba < lba + count && lba < b->lba + b->valid)
			b->stamp = 0;
	}
	return rc;
}

static const struct blkdev_ops bcache_ops = {
	.read = bcache_read,
	.write = bcache_write,
};

struct bcache *bcache_create(struct blkdev *dev, unsigned int block_sectors,
			     unsigned int nblocks)
{
	struct bcache *bc;
	size_t block_bytes;
	unsigned int i;

	if (!block_sectors)
		block_sectors = BCACHE_DEFAULT_SECTORS;
	if (!nblocks)
		nblocks = BCACHE_DEFAULT_BLOCKS;
	if (!dev || block_sectors > BCACHE_MAX_SECTORS ||
	    (block_sectors & (block_sectors - 1)) ||
	    nblocks > BCACHE_MAX_BLOCKS || !dev->sector_size ||
	    dev->sector_size > 4096) {
		log_error("bcache: bad parameters for %s",
			  dev ? dev->name : "(null)");
		return NULL;
	}
	block_bytes = (size_t)block_sectors * dev->sector_size;
	bc = plat_alloc(sizeof(*bc));
	if (!bc)
		return NULL;
	memset(bc, 0, sizeof(*bc));
	bc->blocks = plat_alloc(nblocks * sizeof(*bc->blocks));
	bc->mem = plat_alloc(nblocks * block_bytes);
	if (!bc->blocks || !bc->mem) {
		bcache_free(bc);
		return NULL;
	}
	memset(bc->blocks, 0, nblocks * sizeof(*bc->blocks));
	for (i = 0; i < nblocks; i++)
		bc->blocks[i].data = bc->mem + i * block_bytes;
	bc->dev = dev;
	bc->block_sectors = block_sectors;
	bc->nblocks = nblocks;
	bc->bypass_sectors = 2 * block_sectors;
	bc->blk.ops = &bcache_ops;
	bc->blk.nsectors = dev->nsectors;
	bc->blk.sector_size = dev->sector_size;
	memcpy(bc->blk.name, dev->name, sizeof(bc->blk.name));
	bc->blk.name[sizeof(bc->blk.name) - 1] = '\0';
	return bc;
}

void bcache_invalidate(struct bcache *bc)
{
	unsigned int i;

	for (i = 0; i < bc->nblocks; i++)
		bc->blocks[i].stamp = 0;
}

void bcache_free(struct bcache *bc)
{
	if (!bc)
		return;
	plat_free(bc->blocks);
	plat_free(bc->mem);
	plat_free(bc);
}
