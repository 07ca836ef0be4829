/*
 * sparsedisk.h - fuzz input -> a few large, mostly-zero block devices.
 *
 * md superblocks live at the end of devices and GPT backups at the last
 * LBA, so a fuzzer needs big disks from small inputs.  Input format:
 *   u8 flags: bits 0-1 ndisks-1, bit 7 "fix checksums";
 *   per disk u32le size in sectors (0 -> 1);
 *   then fragments: u8 disk, u32le sector, u16le length, bytes...
 * Sectors no fragment covers read as zeros.  With bit 7 set, md superblock
 * checksums and GPT CRCs in the fragments are recomputed after decoding,
 * so mutations get past the checksums into the deeper checks.  Used by
 * fuzz_part and fuzz_md.
 */
#ifndef AOEBOOT_SPARSEDISK_H
#define AOEBOOT_SPARSEDISK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../../src/core/blk.h"
#include "../../src/core/byteorder.h"
#include "../../src/core/crc.h"
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
	uint8_t copy[1 << 16];	/* mutable copy of the fragments */
	struct sd_disk disks[SD_MAX_DISKS];
	struct blkdev *blks[SD_MAX_DISKS];
	struct sd_frag frags[SD_MAX_FRAGS];
	uint8_t scratch[1 << 20];
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

/** The md checksum of the @len-byte superblock that fragment @f starts
 * (read back through the disk, so later fragments count too), skipping
 * the word at @skip. */
static uint32_t sd_md_csum(struct sd_set *set, const struct sd_frag *f,
			   size_t len, size_t skip)
{
	struct blkdev *b = &set->disks[f->disk].blk;
	uint64_t lba = f->offset / 512, n = 8;
	uint8_t tmp[4096];
	uint64_t sum = 0;
	size_t i;

	memset(tmp, 0, sizeof(tmp));
	if (lba < b->nsectors) {
		if (n > b->nsectors - lba)
			n = b->nsectors - lba;
		sd_read(b, lba, n, tmp);
	}
	for (i = 0; i + 4 <= len; i += 4)
		if (i != skip)
			sum += get_le32(tmp + i);
	if (len % 4 >= 2)
		sum += get_le16(tmp + len - len % 4);
	return (uint32_t)((sum & 0xffffffff) + (sum >> 32));
}

/** Recompute the checksums of md superblocks and GPT headers. */
static void sd_fixup(struct sd_set *set)
{
	unsigned int i;

	for (i = 0; i < set->nfrags; i++) {
		struct sd_frag *f = &set->frags[i];
		uint8_t *p = (uint8_t *)f->data;

		if (f->len >= 8 && get_le32(p) == 0xa92b4efc &&
		    get_le32(p + 4) == 0 && f->len >= 39 * 4 + 4) {
			put_le32(p + 38 * 4, sd_md_csum(set, f, 4096, 38 * 4));
		} else if (f->len >= 224 && get_le32(p) == 0xa92b4efc &&
			   get_le32(p + 4) == 1) {
			size_t n = 256 + 2 * (size_t)(get_le32(p + 220) % 1921);

			put_le32(p + 216, sd_md_csum(set, f, n, 216));
		} else if (f->len >= 92 && !memcmp(p, "EFI PART", 8)) {
			uint64_t ent = get_le64(p + 72);
			uint64_t bytes = (uint64_t)get_le32(p + 80) *
					 get_le32(p + 84);
			uint32_t hs = get_le32(p + 12);

			if (bytes <= sizeof(set->scratch) &&
			    ent < set->disks[f->disk].blk.nsectors) {
				uint64_t ns = (bytes + 511) / 512;

				if (ns <= set->disks[f->disk].blk.nsectors - ent) {
					sd_read(&set->disks[f->disk].blk, ent,
						ns, set->scratch);
					put_le32(p + 88, crc32_le(0, set->scratch,
								  bytes));
				}
			}
			if (hs >= 92 && hs <= f->len && hs <= 512) {
				put_le32(p + 16, 0);
				put_le32(p + 16, crc32_le(0, p, hs));
			}
		}
	}
}

/** Decode @data into @set; returns 0, or -1 when the input is too short. */
static int sd_parse(struct sd_set *set, const uint8_t *data, size_t size)
{
	size_t pos = 1;
	unsigned int i;

	memset(set, 0, offsetof(struct sd_set, copy));
	if (size < 1 + 4 || size > sizeof(set->copy))
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
		memcpy(set->copy + (pos - 0), data + pos, len);
		f->data = set->copy + pos;
		pos += len;
	}
	if (data[0] & 0x80)
		sd_fixup(set);
	return 0;
}

#endif
