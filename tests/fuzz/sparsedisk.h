/*
 * sparsedisk.h - fuzz input -> a few large, mostly-zero block devices.
 *
 * md superblocks live at the end of devices and GPT backups at the last
 * LBA, so a fuzzer needs big disks from small inputs.  Input format:
 *   u8 ndisks-1 (mod 4); per disk u32le size in sectors (0 -> 1);
 *   then fragments: u8 disk, u32le sector, u16le length, bytes...
 * Sectors no fragment covers read as zeros.  Used by fuzz_part/fuzz_md.
 */
#ifndef AOEBOOT_SPARSEDISK_H
#define AOEBOOT_SPARSEDISK_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../../src/core/blk.h"
#include "../../src/core/byteorder.h"
#include "../../src/core/errors.h"

#define SD_MAX_DISKS 4
#define SD_MAX_FRAGS 64

struct sd_frag {
	unsigned int disk;
	uint64_t offset;	/* bytes */
	size_t len;
	const uint8_t *data;
};

struct sd_disk {
	struct blkdev blk;
	unsigned int index;
	struct sd_set *set;
};

struct sd_set {
	unsigned int ndisks, nfrags;
	struct sd_disk disks[SD_MAX_DISKS];
	struct blkdev *blks[SD_MAX_DISKS];
	struct sd_frag frags[SD_MAX_FRAGS];
};

static int sd_read(struct blkdev *dev, uint64_t lba, uint64_t count,
		   void *buf)
{
	struct sd_disk *d = (struct sd_disk *)dev;
	uint64_t start = lba * 512, end = start + count * 512;
	unsigned int i;

	memset(buf, 0, count * 512);
	for (i = 0; i < d->set->nfrags; i++) {
		const struct sd_frag *f = &d->set->frags[i];
		uint64_t fs = f->offset, fe = f->offset + f->len;
		uint64_t lo = fs > start ? fs : start, hi = fe < end ? fe : end;

		if (f->disk != d->index || lo >= hi)
			continue;
		memcpy((uint8_t *)buf + (lo - start), f->data + (lo - fs),
		       hi - lo);
	}
	return 0;
}

static const struct blkdev_ops sd_ops = { .read = sd_read };

/** Decode @data into @set; returns 0, or -1 when the input is too short. */
static int sd_parse(struct sd_set *set, const uint8_t *data, size_t size)
{
	size_t pos = 1;
	unsigned int i;

	memset(set, 0, sizeof(*set));
	if (size < 1 + 4)
		return -1;
	set->ndisks = 1 + data[0] % SD_MAX_DISKS;
	if (size < 1 + 4 * set->ndisks)
		return -1;
	for (i = 0; i < set->ndisks; i++) {
		struct sd_disk *d = &set->disks[i];
		uint32_t n = get_le32(data + pos);

		pos += 4;
		d->blk.ops = &sd_ops;
		d->blk.nsectors = n ? n : 1;
		d->blk.sector_size = 512;
		snprintf(d->blk.name, sizeof(d->blk.name), "e%u.0", 1 + i);
		d->index = i;
		d->set = set;
		set->blks[i] = &d->blk;
	}
	while (pos + 7 <= size && set->nfrags < SD_MAX_FRAGS) {
		struct sd_frag *f = &set->frags[set->nfrags++];
		size_t len = get_le16(data + pos + 5);

		f->disk = data[pos] % set->ndisks;
		f->offset = (uint64_t)get_le32(data + pos + 1) * 512;
		pos += 7;
		if (len > size - pos)
			len = size - pos;
		f->len = len;
		f->data = data + pos;
		pos += len;
	}
	return 0;
}

#endif
