/* memdisk.h - a struct blkdev over a memory buffer or an image file. */
#ifndef AOEBOOT_MEMDISK_H
#define AOEBOOT_MEMDISK_H

#include <stddef.h>
#include <stdint.h>
#include "../../src/core/blk.h"

struct memdisk {
	struct blkdev blk;
	uint8_t *data;
	size_t size;
	unsigned long reads;		/**< read requests seen */
	unsigned long long read_sectors;
	int fail_after;			/**< fail reads after N (-1: never) */
};

/** Wrap @size bytes at @data (not copied) as a 512-byte-sector disk. */
void memdisk_init(struct memdisk *md, const char *name, void *data,
		  size_t size);

/** Load an image file into memory; returns 0 or -1. */
int memdisk_load(struct memdisk *md, const char *name, const char *path);

void memdisk_free(struct memdisk *md);

#endif
