/* memdisk.c - a struct blkdev over memory, for unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "memdisk.h"
#include "../../src/core/errors.h"

static int memdisk_read(struct blkdev *dev, uint64_t lba, uint64_t count,
			void *buf)
{
	struct memdisk *md = (struct memdisk *)dev;

	if (md->fail_after >= 0 && md->reads >= (unsigned long)md->fail_after)
		return -ERR_IO;
	md->reads++;
	md->read_sectors += count;
	memcpy(buf, md->data + lba * 512, count * 512);
	return 0;
}

static const struct blkdev_ops memdisk_ops = { .read = memdisk_read };

void memdisk_init(struct memdisk *md, const char *name, void *data,
		  size_t size)
{
	memset(md, 0, sizeof(*md));
	md->blk.ops = &memdisk_ops;
	md->blk.nsectors = size / 512;
	md->blk.sector_size = 512;
	snprintf(md->blk.name, sizeof(md->blk.name), "%s", name);
	md->data = data;
	md->size = size;
	md->fail_after = -1;
}

int memdisk_load(struct memdisk *md, const char *name, const char *path)
{
	FILE *f = fopen(path, "rb");
	long size;
	void *data;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc(size ? size : 1);
	if (!data || fread(data, 1, size, f) != (size_t)size) {
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	memdisk_init(md, name, data, size);
	return 0;
}

void memdisk_free(struct memdisk *md)
{
	free(md->data);
	md->data = NULL;
}
