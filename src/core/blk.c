/*
 * blk.c - range-checked block access and byte-granular reads.
 */
#include "blk.h"
#include "errors.h"
#include "libc.h"
#include "platform.h"

static int blk_check_range(struct blkdev *dev, uint64_t lba, uint64_t count)
{
	if (lba > dev->nsectors || count > dev->nsectors - lba)
		return -ERR_RANGE;
	return 0;
}

int blk_read(struct blkdev *dev, uint64_t lba, uint64_t count, void *buf)
{
	int rc = blk_check_range(dev, lba, count);

	if (rc || !count)
		return rc;
	return dev->ops->read(dev, lba, count, buf);
}

int blk_write(struct blkdev *dev, uint64_t lba, uint64_t count,
	      const void *buf)
{
	int rc = blk_check_range(dev, lba, count);

	if (rc || !count)
		return rc;
	if (!dev->ops->write)
		return -ERR_ROFS;
	return dev->ops->write(dev, lba, count, buf);
}

int blk_pread(struct blkdev *dev, uint64_t offset, size_t len, void *buf)
{
	uint32_t ssize = dev->sector_size;
	uint8_t *out = buf;
	uint8_t *bounce = NULL;
	int rc = 0;

	if (!ssize || (ssize & (ssize - 1)))
		return -ERR_INVAL;
	if (offset + len < offset ||
	    (offset + len + ssize - 1) / ssize > dev->nsectors)
		return -ERR_RANGE;

	/* Head: a partial first sector. */
	if (len && offset % ssize) {
		size_t skip = offset % ssize;
		size_t part = MIN(len, ssize - skip);

		bounce = plat_alloc(ssize);
		if (!bounce)
			return -ERR_NOMEM;
		rc = blk_read(dev, offset / ssize, 1, bounce);
		if (rc)
			goto out;
		memcpy(out, bounce + skip, part);
		out += part;
		offset += part;
		len -= part;
	}
	/* Middle: whole sectors straight into the caller's buffer, one request. */
	if (len >= ssize) {
		uint64_t count = len / ssize;

		rc = blk_read(dev, offset / ssize, count, out);
		if (rc)
			goto out;
		out += count * ssize;
		offset += count * ssize;
		len -= count * ssize;
	}
	/* Tail: a partial last sector. */
	if (len) {
		if (!bounce)
			bounce = plat_alloc(ssize);
		if (!bounce)
			return -ERR_NOMEM;
		rc = blk_read(dev, offset / ssize, 1, bounce);
		if (rc)
			goto out;
		memcpy(out, bounce, len);
	}
out:
	plat_free(bounce);
	return rc;
}
