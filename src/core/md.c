/*
 * md.c - Linux md superblocks and read-only RAID0/1/10/linear arrays.
 *
 * Superblock 0.90 (md_p.h, host-endian: little on x86; 4096 bytes at
 * ((size & ~127) - 128) sectors), in 32-bit words:
 *   0 magic, 1 major, 2 minor, 3 patch, 5 uuid0, 6 ctime, 7 level,
 *   8 size (KiB per device), 9 nr_disks, 10 raid_disks, 11 md_minor,
 *   13-15 uuid1-3, 33 state (bit 0 clean), 38 sb_csum, 39 events_lo,
 *   40 events_hi, 64 layout, 65 chunk_size (bytes), 128 + 32 * i disk i
 *   (number, major, minor, raid_disk, state: bit 0 faulty, 1 active,
 *   2 sync, 3 removed), 992 this_disk (same fields).
 *   Checksum: sum of the 1024 words with sb_csum = 0, as a 64-bit sum,
 *   folded: low 32 bits + high 32 bits.
 *
 * Superblock 1.x (little-endian; 1.0: ((size - 16) & ~7), 1.1: 0, 1.2: 8):
 *   0 magic, 4 major (1), 8 feature_map, 16 set_uuid[16], 32 set_name[32],
 *   64 ctime, 72 level, 76 layout, 80 size (sectors used per device),
 *   88 chunksize (sectors), 92 raid_disks, 128 data_offset, 136 data_size,
 *   144 super_offset, 152 recovery_offset, 160 dev_number, 168
 *   device_uuid[16], 200 events, 216 sb_csum, 220 max_dev, 256 dev_roles
 *   (le16 each: 0xffff spare, 0xfffe faulty, 0xfffd journal).  Checksum:
 *   the 256 + 2 * max_dev bytes summed as le32 words (a trailing le16
 *   added alone) with sb_csum = 0, folded as for 0.90.
 */
#include "md.h"
#include "byteorder.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "platform.h"

#define SB_BYTES 4096
#define SB_SECTORS (SB_BYTES / 512)
#define SB090_RESERVED 128

#define FEAT_RECOVERY_OFFSET 2
#define FEAT_RESHAPE_ACTIVE 4
#define FEAT_BAD_BLOCKS 8
#define FEAT_REPLACEMENT 16
#define FEAT_RAID0_LAYOUT 4096
#define FEAT_KNOWN 0x1fff

#define R10_MAX_COPIES MD_MAX_DISKS
/** Most sectors one gathered member request carries (4 MiB). */
#define MD_RUN_MAX 8192
/** Smallest chunk accepted (4 KiB, as Linux). */
#define MD_MIN_CHUNK 8

/** Fold a 64-bit word sum into the md checksum. */
static uint32_t md_csum_fold(uint64_t sum)
{
	return (uint32_t)((sum & 0xffffffff) + (sum >> 32));
}

/**
 * Read the 4 KiB superblock area at @sector.
 *
 * @v dev	device
 * @v sector	first sector
 * @v buf	SB_BYTES bytes
 * @ret rc	0 or negative ERR_*
 */
static int md_read_sb(struct blkdev *dev, uint64_t sector, uint8_t *buf)
{
	if (sector > dev->nsectors || dev->nsectors - sector < SB_SECTORS)
		return -ERR_NODEV;
	return blk_read(dev, sector, SB_SECTORS, buf);
}

/**
 * Decode a 0.90 disk descriptor into a role.
 *
 * @v d		descriptor (5 words used)
 * @ret role	raid slot, MD_ROLE_FAULTY or MD_ROLE_SPARE
 */
static uint16_t md090_role(const uint8_t *d)
{
	uint32_t raid_disk = get_le32(d + 12), state = get_le32(d + 16);

	if (state & 1)
		return MD_ROLE_FAULTY;
	if (state & 8)
		return MD_ROLE_FAULTY;
	if ((state & 6) == 6 && raid_disk < MD_MAX_DISKS)
		return (uint16_t)raid_disk;
	return MD_ROLE_SPARE;
}

/**
 * Look for a 0.90 superblock.
 *
 * @v dev	device
 * @v buf	SB_BYTES scratch
 * @v sb	result
 * @ret rc	0, -ERR_NODEV, or -ERR_CORRUPT / -ERR_NOTSUP (logged)
 */
static int md_examine_090(struct blkdev *dev, uint8_t *buf,
			  struct md_super *sb)
{
	uint64_t off, sum = 0;
	uint32_t csum, size_kb, chunk;
	unsigned int i;
	int rc;

	if (dev->nsectors < 2 * SB090_RESERVED)
		return -ERR_NODEV;
	off = (dev->nsectors & ~(uint64_t)(SB090_RESERVED - 1)) -
	      SB090_RESERVED;
	rc = md_read_sb(dev, off, buf);
	if (rc)
		return rc;
	if (get_le32(buf) != MD_MAGIC) {
		if (get_be32(buf) == MD_MAGIC)
			log_warn("%s: big-endian md 0.90 superblock: not "
				 "supported", dev->name);
		return -ERR_NODEV;
	}
	if (get_le32(buf + 4) != 0 ||
	    (get_le32(buf + 8) != 90 && get_le32(buf + 8) != 91)) {
		log_warn("%s: md superblock version %u.%u at sector %llu: "
			 "not supported", dev->name,
			 (unsigned int)get_le32(buf + 4),
			 (unsigned int)get_le32(buf + 8),
			 (unsigned long long)off);
		return -ERR_NOTSUP;
	}
	csum = get_le32(buf + 38 * 4);
	for (i = 0; i < SB_BYTES / 4; i++) {
		if (i != 38)
			sum += get_le32(buf + 4 * i);
	}
	if (md_csum_fold(sum) != csum) {
		log_error("%s: md 0.90 superblock at sector %llu: checksum "
			  "mismatch (stored %08x, computed %08x)", dev->name,
			  (unsigned long long)off, (unsigned int)csum,
			  (unsigned int)md_csum_fold(sum));
		return -ERR_CORRUPT;
	}
	memset(sb, 0, sizeof(*sb));
	sb->dev = dev;
	sb->major = 0;
	sb->minor = 90;
	put_be32(sb->uuid, get_le32(buf + 5 * 4));
	put_be32(sb->uuid + 4, get_le32(buf + 13 * 4));
	put_be32(sb->uuid + 8, get_le32(buf + 14 * 4));
	put_be32(sb->uuid + 12, get_le32(buf + 15 * 4));
	sb->ctime = get_le32(buf + 6 * 4);
	sb->level = (int32_t)get_le32(buf + 7 * 4);
	size_kb = get_le32(buf + 8 * 4);
	sb->raid_disks = get_le32(buf + 10 * 4);
	sb->preferred_minor = get_le32(buf + 11 * 4);
	sb->clean = get_le32(buf + 33 * 4) & 1;
	sb->events = (uint64_t)get_le32(buf + 40 * 4) << 32 |
		     get_le32(buf + 39 * 4);
	sb->layout = get_le32(buf + 64 * 4);
	chunk = get_le32(buf + 65 * 4);
	sb->chunk_sectors = chunk / 512;
	sb->dev_sectors = (uint64_t)size_kb * 2;
	sb->data_offset = 0;
	sb->data_size = off;
	sb->sb_offset = off;
	sb->dev_number = get_le32(buf + 992 * 4);
	sb->nroles = 27;
	for (i = 0; i < 27; i++)
		sb->roles[i] = md090_role(buf + (128 + 32 * i) * 4);
	if (sb->dev_number >= 27) {
		log_error("%s: md 0.90 superblock: device number %u out of "
			  "range", dev->name, (unsigned int)sb->dev_number);
		return -ERR_CORRUPT;
	}
	if (chunk % 512) {
		log_error("%s: md 0.90 superblock: chunk size %u is not a "
			  "whole number of sectors", dev->name,
			  (unsigned int)chunk);
		return -ERR_CORRUPT;
	}
	if (sb->level >= 1 && sb->dev_sectors > off) {
		log_error("%s: md 0.90 superblock: array uses %llu sectors "
			  "per device but only %llu are before the superblock",
			  dev->name, (unsigned long long)sb->dev_sectors,
			  (unsigned long long)off);
		return -ERR_CORRUPT;
	}
	return 0;
}

/**
 * Load a 1.x bad block log (as super_1_load does): bblog_size (le16 at
 * 186, at most 8 sectors) sectors at bblog_offset (sle32 at 188, relative
 * to the superblock); le64 entries, sector = e >> 10, count = e & 0x3ff,
 * both shifted left by bblog_shift (u8 at 185); ~0 ends the list, 0 is an
 * empty slot.  Sectors are absolute on the device.
 *
 * @v dev	device
 * @v minor	1.x minor version (for messages)
 * @v buf	the superblock; reused as scratch afterwards
 * @v sb	superblock being decoded
 * @ret rc	0 or -ERR_CORRUPT / I/O error
 */
static int md_load_badblocks(struct blkdev *dev, unsigned int minor,
			     uint8_t *buf, struct md_super *sb)
{
	unsigned int shift = buf[185], size = get_le16(buf + 186), i;
	int32_t offset = (int32_t)get_le32(buf + 188);
	uint64_t at;
	int rc;

	if (!size || size > 8 || !offset || shift > 32 ||
	    (offset < 0 && (uint64_t)-(int64_t)offset > sb->sb_offset)) {
		log_error("%s: md 1.%u superblock: bad block log (%u sectors "
			  "at %d) is invalid", dev->name, minor, size,
			  (int)offset);
		return -ERR_CORRUPT;
	}
	at = sb->sb_offset + (uint64_t)(int64_t)offset;
	if (at >= dev->nsectors || size > dev->nsectors - at) {
		log_error("%s: md 1.%u superblock: bad block log outside the "
			  "device", dev->name, minor);
		return -ERR_CORRUPT;
	}
	rc = blk_read(dev, at, size, buf);
	if (rc)
		return rc;
	for (i = 0; i < size * 512 / 8; i++) {
		uint64_t e = get_le64(buf + 8 * i);
		struct md_bad_range *r;

		if (e == ~0ULL)
			break;
		if (!e || !(e & 0x3ff))
			continue;
		if (sb->nbad == MD_MAX_BAD) {
			sb->bad_overflow = true;
			break;
		}
		r = &sb->bad[sb->nbad++];
		r->start = (e >> 10) << shift;
		r->count = (e & 0x3ff) << shift;
	}
	if (sb->nbad)
		log_warn("%s: md member has %u known bad block range%s%s",
			 dev->name, sb->nbad, sb->nbad == 1 ? "" : "s",
			 sb->bad_overflow ? " (and more)" : "");
	return 0;
}

/**
 * Look for a 1.x superblock.
 *
 * @v dev	device
 * @v minor	0, 1 or 2: where to look
 * @v buf	SB_BYTES scratch
 * @v sb	result
 * @ret rc	0, -ERR_NODEV, or -ERR_CORRUPT / -ERR_NOTSUP (logged)
 */
static int md_examine_1(struct blkdev *dev, unsigned int minor, uint8_t *buf,
			struct md_super *sb)
{
	uint64_t off, sum = 0;
	uint32_t max_dev, bytes, csum, feat;
	unsigned int i;
	int rc;

	if (minor == 0) {
		if (dev->nsectors < 16 + SB_SECTORS)
			return -ERR_NODEV;
		off = (dev->nsectors - 16) & ~(uint64_t)7;
	} else {
		off = minor == 1 ? 0 : 8;
	}
	rc = md_read_sb(dev, off, buf);
	if (rc)
		return rc;
	if (get_le32(buf) != MD_MAGIC)
		return -ERR_NODEV;
	if (get_le32(buf + 4) != 1) {
		log_warn("%s: md superblock major version %u at sector %llu: "
			 "not supported", dev->name,
			 (unsigned int)get_le32(buf + 4),
			 (unsigned long long)off);
		return -ERR_NOTSUP;
	}
	if (get_le64(buf + 144) != off) {
		/* A 1.x superblock seen from the wrong place (e.g. a 1.2
		 * member's superblock probed as 1.1): not ours here. */
		return -ERR_NODEV;
	}
	max_dev = get_le32(buf + 220);
	if (max_dev > (SB_BYTES - 256) / 2) {
		log_error("%s: md 1.%u superblock: max_dev %u too large",
			  dev->name, minor, (unsigned int)max_dev);
		return -ERR_CORRUPT;
	}
	bytes = 256 + 2 * max_dev;
	csum = get_le32(buf + 216);
	for (i = 0; i + 4 <= bytes; i += 4) {
		if (i != 216)
			sum += get_le32(buf + i);
	}
	if (bytes % 4)
		sum += get_le16(buf + bytes - 2);
	if (md_csum_fold(sum) != csum) {
		log_error("%s: md 1.%u superblock at sector %llu: checksum "
			  "mismatch (stored %08x, computed %08x)", dev->name,
			  minor, (unsigned long long)off, (unsigned int)csum,
			  (unsigned int)md_csum_fold(sum));
		return -ERR_CORRUPT;
	}
	memset(sb, 0, sizeof(*sb));
	sb->dev = dev;
	sb->major = 1;
	sb->minor = (uint8_t)minor;
	feat = get_le32(buf + 8);
	sb->feature_map = feat;
	memcpy(sb->uuid, buf + 16, 16);
	memcpy(sb->name, buf + 32, 32);
	sb->name[32] = '\0';
	for (i = 0; i < 32; i++) {
		if (sb->name[i] && (sb->name[i] < 0x20 || sb->name[i] > 0x7e))
			sb->name[i] = '?';
	}
	sb->ctime = (uint32_t)(get_le64(buf + 64) & 0xffffffffffULL);
	sb->level = (int32_t)get_le32(buf + 72);
	sb->layout = get_le32(buf + 76);
	sb->dev_sectors = get_le64(buf + 80);
	sb->chunk_sectors = get_le32(buf + 88);
	sb->raid_disks = get_le32(buf + 92);
	sb->data_offset = get_le64(buf + 128);
	sb->data_size = get_le64(buf + 136);
	sb->sb_offset = off;
	sb->recovery_offset = get_le64(buf + 152);
	sb->dev_number = get_le32(buf + 160);
	memcpy(sb->dev_uuid, buf + 168, 16);
	sb->events = get_le64(buf + 200);
	sb->clean = get_le64(buf + 208) == ~0ULL;
	sb->recovering = (feat & (FEAT_RECOVERY_OFFSET | FEAT_REPLACEMENT)) != 0;
	sb->nroles = MIN(max_dev, (uint32_t)MD_MAX_ROLES);
	for (i = 0; i < sb->nroles; i++)
		sb->roles[i] = get_le16(buf + 256 + 2 * i);

	if (feat & ~(uint32_t)FEAT_KNOWN) {
		log_warn("%s: md 1.%u superblock: unknown features %#x: not "
			 "supported", dev->name, minor, (unsigned int)feat);
		return -ERR_NOTSUP;
	}
	if (feat & FEAT_RESHAPE_ACTIVE) {
		log_warn("%s: md 1.%u superblock: a reshape is in progress: "
			 "not supported", dev->name, minor);
		return -ERR_NOTSUP;
	}
	if (sb->dev_number >= max_dev) {
		log_error("%s: md 1.%u superblock: device number %u beyond "
			  "the role table (%u)", dev->name, minor,
			  (unsigned int)sb->dev_number, (unsigned int)max_dev);
		return -ERR_CORRUPT;
	}
	if (sb->dev_number >= MD_MAX_ROLES) {
		log_warn("%s: md 1.%u superblock: device number %u: too many "
			 "devices", dev->name, minor,
			 (unsigned int)sb->dev_number);
		return -ERR_NOTSUP;
	}
	if (sb->data_offset > dev->nsectors ||
	    sb->data_size > dev->nsectors - sb->data_offset ||
	    (minor == 0 && sb->data_offset + sb->data_size > off) ||
	    (minor != 0 && sb->data_offset < off + 2)) {
		log_error("%s: md 1.%u superblock: data area %llu+%llu "
			  "does not fit the device (%llu sectors, superblock "
			  "at %llu)", dev->name, minor,
			  (unsigned long long)sb->data_offset,
			  (unsigned long long)sb->data_size,
			  (unsigned long long)dev->nsectors,
			  (unsigned long long)off);
		return -ERR_CORRUPT;
	}
	if (sb->level >= 1 && sb->dev_sectors > sb->data_size) {
		log_error("%s: md 1.%u superblock: array uses %llu sectors per "
			  "device but the data area has %llu", dev->name,
			  minor, (unsigned long long)sb->dev_sectors,
			  (unsigned long long)sb->data_size);
		return -ERR_CORRUPT;
	}
	if (feat & FEAT_BAD_BLOCKS)
		return md_load_badblocks(dev, minor, buf, sb);
	return 0;
}

int md_examine(struct blkdev *dev, struct md_super *sb)
{
	struct md_super *cand;
	uint8_t *buf;
	int rc, first_err = -ERR_NODEV, found = 0;
	unsigned int v;

	if (dev->sector_size != 512)
		return -ERR_NODEV;
	buf = plat_alloc(SB_BYTES);
	cand = plat_alloc(sizeof(*cand));
	if (!buf || !cand) {
		plat_free(buf);
		plat_free(cand);
		return -ERR_NOMEM;
	}
	/* v: 0 = 0.90, 1..3 = 1.0, 1.1, 1.2 */
	for (v = 0; v < 4; v++) {
		rc = v ? md_examine_1(dev, v - 1, buf, cand) :
			 md_examine_090(dev, buf, cand);
		if (rc) {
			if (rc != -ERR_NODEV && first_err == -ERR_NODEV)
				first_err = rc;
			continue;
		}
		if (found) {
			log_warn("%s: md superblocks %u.%u and %u.%u both "
				 "present: using the newer one", dev->name,
				 sb->major, sb->minor, cand->major,
				 cand->minor);
			if (cand->ctime <= sb->ctime)
				continue;
		}
		memcpy(sb, cand, sizeof(*sb));
		found = 1;
	}
	plat_free(buf);
	plat_free(cand);
	return found ? 0 : first_err;
}

/* --- reading ------------------------------------------------------------ */

/**
 * Read from one member's data area.
 *
 * @v a		array
 * @v m		member
 * @v addr	sector within the member's data area
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
static int md_member_read(struct md_array *a, struct md_member *m,
			  uint64_t addr, uint64_t count, void *buf)
{
	unsigned int i;
	int rc;

	if (addr > m->data_size || count > m->data_size - addr)
		return -ERR_RANGE;
	for (i = 0; i < m->nbad; i++) {
		const struct md_bad_range *r = &m->bad[i];
		uint64_t lo = m->data_offset + addr;

		if (r->start < lo + count && lo < r->start + r->count) {
			log_warn("%s: sectors %llu+%llu of member %s are in its"
				 " bad block log: not read there", a->blk.name,
				 (unsigned long long)lo,
				 (unsigned long long)count, m->dev->name);
			return -ERR_IO;
		}
	}
	rc = blk_read(m->dev, m->data_offset + addr, count, buf);
	if (rc) {
		m->read_errors++;
		log_warn("%s: read error on member %s (sector %llu): %s",
			 a->blk.name, m->dev->name,
			 (unsigned long long)(m->data_offset + addr),
			 err_str(rc));
	}
	return rc;
}

/** The member serving @slot, or NULL. */
static struct md_member *md_slot(struct md_array *a, unsigned int slot)
{
	if (slot >= a->raid_disks || a->slot[slot] < 0)
		return NULL;
	return &a->members[a->slot[slot]];
}

/**
 * Read for RAID1: the whole request from one in-sync member, the next one on error.
 *
 * @v a		array
 * @v lba	first array sector
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
static int md_read_raid1(struct md_array *a, uint64_t lba, uint64_t count,
			 void *buf)
{
	unsigned int k, r;
	int rc = -ERR_IO;

	for (k = 0; k < a->raid_disks; k++) {
		struct md_member *m;

		r = (a->next_read + k) % a->raid_disks;
		m = md_slot(a, r);
		if (!m)
			continue;
		rc = md_member_read(a, m, lba, count, buf);
		if (!rc) {
			a->next_read = r;
			return 0;
		}
	}
	log_error("%s: sectors %llu+%llu unreadable on every member",
		  a->blk.name, (unsigned long long)lba,
		  (unsigned long long)count);
	return rc;
}

/**
 * Where array sector @lba of a RAID0 lives (raid0.c find_zone +
 * map_sector; the original layout picks the member from the array sector,
 * the alternate one from the offset in the zone).
 *
 * @v a		array
 * @v lba	array sector (< array size)
 * @v slot	raid slot
 * @v addr	sector in the member's data area
 * @v left	sectors left in this chunk
 */
static void md_raid0_map(const struct md_array *a, uint64_t lba,
			 unsigned int *slot, uint64_t *addr, uint64_t *left)
{
	uint64_t cs = a->chunk_sectors, start = 0, off, x;
	unsigned int z = 0;

	while (z + 1 < a->nzones && lba >= a->zones[z].end)
		start = a->zones[z++].end;
	off = lba - start;
	x = a->raid0_orig ? lba : off;
	*slot = a->zones[z].slot[(x / cs) % a->zones[z].nb_dev];
	*addr = a->zones[z].dev_start + off / (cs * a->zones[z].nb_dev) * cs +
		x % cs;
	*left = cs - x % cs;
}

/**
 * Read for RAID0, chunk by chunk (the small-read path).
 *
 * @v a		array
 * @v lba	first array sector
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
static int md_read_raid0(struct md_array *a, uint64_t lba, uint64_t count,
			 void *buf)
{
	uint8_t *out = buf;
	int rc;

	while (count) {
		unsigned int slot;
		uint64_t addr, n;
		struct md_member *m;

		md_raid0_map(a, lba, &slot, &addr, &n);
		n = MIN(count, n);
		m = md_slot(a, slot);
		if (!m)
			return -ERR_IO;
		rc = md_member_read(a, m, addr, n, out);
		if (rc)
			return rc;
		out += n * 512;
		lba += n;
		count -= n;
	}
	return 0;
}

/**
 * Read for linear: member by member.
 *
 * @v a		array
 * @v lba	first array sector
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
static int md_read_linear(struct md_array *a, uint64_t lba, uint64_t count,
			  void *buf)
{
	uint8_t *out = buf;
	unsigned int r;
	int rc;

	while (count) {
		uint64_t base = 0, n;
		struct md_member *m = NULL;

		for (r = 0; r < a->raid_disks; r++) {
			m = md_slot(a, r);
			if (!m)
				return -ERR_IO;
			if (lba - base < m->data_size)
				break;
			base += m->data_size;
		}
		if (r == a->raid_disks)
			return -ERR_RANGE;
		n = MIN(count, base + m->data_size - lba);
		rc = md_member_read(a, m, lba - base, n, out);
		if (rc)
			return rc;
		out += n * 512;
		lba += n;
		count -= n;
	}
	return 0;
}

/** One copy of a RAID10 chunk: which slot, which sector. */
struct r10_copy {
	unsigned int dev;
	uint64_t addr;
};

/**
 * Where the copies of array sector @lba live (drivers/md/raid10.c
 * __raid10_find_phys, far sets not used).
 *
 * @v a		array
 * @v lba	array sector
 * @v copies	near_copies * far_copies entries
 */
static void md_raid10_map(const struct md_array *a, uint64_t lba,
			  struct r10_copy *copies)
{
	uint64_t cs = a->chunk_sectors;
	uint64_t chunk = lba / cs * a->near_copies;
	uint64_t sector = lba % cs;
	uint64_t stripe = chunk / a->raid_disks;
	unsigned int dev = (unsigned int)(chunk % a->raid_disks);
	unsigned int n, f, slot = 0;

	if (a->far_offset)
		stripe *= a->far_copies;
	sector += stripe * cs;
	for (n = 0; n < a->near_copies; n++) {
		unsigned int d = dev;
		uint64_t s = sector;

		copies[slot].dev = d;
		copies[slot++].addr = s;
		for (f = 1; f < a->far_copies; f++) {
			d += a->near_copies;
			if (d >= a->raid_disks)
				d -= a->raid_disks;
			s += a->stride;
			copies[slot].dev = d;
			copies[slot++].addr = s;
		}
		dev++;
		if (dev >= a->raid_disks) {
			dev = 0;
			sector += cs;
		}
	}
}

/**
 * Read for RAID10, chunk by chunk, each chunk from the first copy that reads.
 *
 * @v a		array
 * @v lba	first array sector
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
static int md_read_raid10(struct md_array *a, uint64_t lba, uint64_t count,
			  void *buf)
{
	struct r10_copy copies[R10_MAX_COPIES];
	unsigned int ncopies = a->near_copies * a->far_copies;
	uint64_t cs = a->chunk_sectors;
	uint8_t *out = buf;
	int rc = -ERR_IO;

	while (count) {
		uint64_t n = MIN(count, cs - lba % cs);
		unsigned int c;
		bool done = false;

		md_raid10_map(a, lba, copies);
		for (c = 0; c < ncopies && !done; c++) {
			struct md_member *m = md_slot(a, copies[c].dev);

			if (!m)
				continue;
			rc = md_member_read(a, m, copies[c].addr, n, out);
			done = !rc;
		}
		if (!done) {
			log_error("%s: sectors %llu+%llu unreadable on every "
				  "copy", a->blk.name,
				  (unsigned long long)lba,
				  (unsigned long long)n);
			return rc;
		}
		out += n * 512;
		lba += n;
		count -= n;
	}
	return 0;
}

/** Where one chunk of a parity array (RAID4/5/6) lives. */
struct r5_loc {
	unsigned int dd;	/**< slot holding the data */
	unsigned int pd;	/**< slot holding P */
	unsigned int qd;	/**< slot holding Q (RAID6), else ~0 */
	uint64_t addr;		/**< sector in every member's data area */
	uint64_t left;		/**< sectors left in this chunk */
};

/**
 * Map an array sector of a RAID4/5/6 (drivers/md/raid5.c
 * raid5_compute_sector; algorithms 0-5, and 16-20 for RAID6).
 *
 * @v a		array
 * @v lba	array sector
 * @v l		location
 */
static void md_raid5_map(const struct md_array *a, uint64_t lba,
			 struct r5_loc *l)
{
	uint64_t cs = a->chunk_sectors, chunk = lba / cs, stripe;
	unsigned int rd = a->raid_disks;
	unsigned int ndata = rd - (a->level == 6 ? 2 : 1);
	unsigned int dd, pd = 0, qd = ~0u, s2, s1;

	stripe = chunk / ndata;
	dd = (unsigned int)(chunk % ndata);
	s2 = (unsigned int)(stripe % rd);
	s1 = (unsigned int)(stripe % (rd - 1));
	if (a->level == 4) {
		pd = ndata;
	} else if (a->level == 5) {
		switch (a->layout) {
		case 0: pd = ndata - s2; dd += dd >= pd; break;
		case 1: pd = s2; dd += dd >= pd; break;
		case 2: pd = ndata - s2; dd = (pd + 1 + dd) % rd; break;
		case 3: pd = s2; dd = (pd + 1 + dd) % rd; break;
		case 4: pd = 0; dd++; break;
		default: pd = ndata; break;		/* 5: parity-last */
		}
	} else {
		switch (a->layout) {
		case 0:
		case 1:
			pd = a->layout ? s2 : rd - 1 - s2;
			qd = pd + 1;
			if (pd == rd - 1) {
				dd++;
				qd = 0;
			} else if (dd >= pd) {
				dd += 2;
			}
			break;
		case 2:
		case 3:
			pd = a->layout == 2 ? rd - 1 - s2 : s2;
			qd = (pd + 1) % rd;
			dd = (pd + 2 + dd) % rd;
			break;
		case 4: pd = 0; qd = 1; dd += 2; break;
		case 5: pd = ndata; qd = ndata + 1; break;
		case 16:
		case 17:
			pd = a->layout == 16 ? ndata - s1 : s1;
			dd += dd >= pd;
			qd = rd - 1;
			break;
		case 18:
		case 19:
			pd = a->layout == 18 ? ndata - s1 : s1;
			dd = (pd + 1 + dd) % (rd - 1);
			qd = rd - 1;
			break;
		default: pd = 0; dd++; qd = rd - 1; break;	/* 20 */
		}
	}
	l->dd = dd;
	l->pd = pd;
	l->qd = qd;
	l->addr = stripe * cs + lba % cs;
	l->left = cs - lba % cs;
}

/** Multiply in GF(2^8) with the RAID6 polynomial 0x11d. */
static uint8_t gf_mul(uint8_t a, uint8_t b)
{
	unsigned int x = a, r = 0;

	while (b) {
		if (b & 1)
			r ^= x;
		x <<= 1;
		if (x & 0x100)
			x ^= 0x11d;
		b >>= 1;
	}
	return (uint8_t)r;
}

/** Fill @t with x -> @g * x in GF(2^8), so a buffer costs a lookup a byte. */
static void gf_table(uint8_t g, uint8_t *t)
{
	unsigned int x;

	for (x = 0; x < 256; x++)
		t[x] = gf_mul(g, (uint8_t)x);
}

/** 2 to the power @n in GF(2^8). */
static uint8_t gf_exp2(unsigned int n)
{
	uint8_t r = 1;

	while (n--)
		r = gf_mul(r, 2);
	return r;
}

/** Inverse in GF(2^8) (@a != 0): a^254. */
static uint8_t gf_inv(uint8_t a)
{
	uint8_t r = 1;
	unsigned int i;

	for (i = 0; i < 254; i++)
		r = gf_mul(r, a);
	return r;
}

/**
 * The Q coefficient index of each data slot of a RAID6 stripe: md counts
 * data members walking from the one after Q (raid6_d0 / raid6_idx_to_slot).
 *
 * @v a		array
 * @v l		stripe location
 * @v coef	per slot: index (data slots only)
 */
static void md_raid6_coef(const struct md_array *a, const struct r5_loc *l,
			  unsigned int *coef)
{
	unsigned int rd = a->raid_disks;
	unsigned int i = l->qd == rd - 1 ? 0 : l->qd + 1, k = 0, n;

	for (n = 0; n < rd; n++, i = (i + 1) % rd) {
		if (i != l->pd && i != l->qd)
			coef[i] = k++;
	}
}

/**
 * Rebuild the data of one chunk from the other members: with P, the XOR
 * of every member but the data and Q; RAID6 without P, from Q; RAID6 with
 * a second data member gone, from P and Q together.
 *
 * @v a		array
 * @v l		location of the data
 * @v n		sectors (within one chunk)
 * @v out	destination
 * @ret rc	0 or negative ERR_*
 */
static int md_raid5_rebuild(struct md_array *a, const struct r5_loc *l,
			    uint64_t n, uint8_t *out)
{
	size_t len = (size_t)n * 512, i;
	unsigned int coef[MD_MAX_DISKS], s, y = ~0u, nmiss = 0;
	bool use_q = false;
	uint8_t *tmp, *pq = NULL, mt[256];
	int rc = 0;

	/* Which members besides the target are gone? */
	for (s = 0; s < a->raid_disks; s++) {
		if (s == l->dd || md_slot(a, s))
			continue;
		nmiss++;
		if (s != l->qd)
			y = s;
	}
	if (a->level == 6 && y != ~0u)
		use_q = true;		/* P or a second data member gone */
	else if (y != ~0u || (a->level != 6 && nmiss))
		return -ERR_IO;
	if (use_q && nmiss > 1)
		return -ERR_IO;
	tmp = plat_alloc(len);
	if (use_q)
		pq = plat_alloc(len);
	if (!tmp || (use_q && !pq)) {
		plat_free(tmp);
		plat_free(pq);
		return -ERR_NOMEM;
	}
	if (use_q)
		md_raid6_coef(a, l, coef);
	/* out = XOR of the data (and P) read; pq = Q minus the data read. */
	memset(out, 0, len);
	if (use_q)
		memset(pq, 0, len);
	for (s = 0; s < a->raid_disks && !rc; s++) {
		struct md_member *m = md_slot(a, s);

		if (s == l->dd || s == y || !m || (s == l->qd && !use_q))
			continue;
		rc = md_member_read(a, m, l->addr, n, tmp);
		if (rc)
			break;
		if (s == l->qd) {
			for (i = 0; i < len; i++)
				pq[i] ^= tmp[i];
			continue;
		}
		for (i = 0; i < len; i++)
			out[i] ^= tmp[i];
		if (use_q && s != l->pd) {
			gf_table(gf_exp2(coef[s]), mt);
			for (i = 0; i < len; i++)
				pq[i] ^= mt[tmp[i]];
		}
	}
	if (!rc && use_q) {
		uint8_t gx = gf_exp2(coef[l->dd]);

		if (y == l->pd) {
			/* Q alone: D = (Q + sum g^c D_i) / g^cx. */
			gf_table(gf_inv(gx), mt);
			for (i = 0; i < len; i++)
				out[i] = mt[pq[i]];
		} else {
			/* Two data members: out holds Dx+Dy, pq holds
			 * g^cx Dx + g^cy Dy; Dx = (g^cy (Dx+Dy) + pq) /
			 * (g^cx + g^cy). */
			uint8_t gy = gf_exp2(coef[y]), mi[256];

			gf_table(gy, mt);
			gf_table(gf_inv((uint8_t)(gx ^ gy)), mi);
			for (i = 0; i < len; i++)
				out[i] = mi[(uint8_t)(mt[out[i]] ^ pq[i])];
		}
	}
	plat_free(tmp);
	plat_free(pq);
	return rc;
}

/**
 * Read for RAID4/5/6, chunk by chunk: from the data member, or rebuilt
 * from parity when it is missing or fails.
 *
 * @v a		array
 * @v lba	first array sector
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
static int md_read_raid5(struct md_array *a, uint64_t lba, uint64_t count,
			 void *buf)
{
	uint8_t *out = buf;
	int rc;

	while (count) {
		struct r5_loc l;
		struct md_member *m;
		uint64_t n;

		md_raid5_map(a, lba, &l);
		n = MIN(count, l.left);
		m = md_slot(a, l.dd);
		rc = m ? md_member_read(a, m, l.addr, n, out) : -ERR_IO;
		if (rc)
			rc = md_raid5_rebuild(a, &l, n, out);
		if (rc) {
			log_error("%s: sectors %llu+%llu unreadable and not "
				  "rebuildable from parity", a->blk.name,
				  (unsigned long long)lba,
				  (unsigned long long)n);
			return rc;
		}
		out += n * 512;
		lba += n;
		count -= n;
	}
	return 0;
}

/** One chunk-sized piece of a striped read. */
struct md_piece {
	uint64_t off;		/**< sectors into the request */
	uint64_t addr;		/**< sector in the member's data area */
	uint32_t n;		/**< sectors */
	uint32_t slot;		/**< raid slot read from */
};

/**
 * Read one gathered run of pieces from one member: a single request into
 * a bounce buffer (or straight into @buf for a lone piece), then scatter.
 *
 * @v a		array
 * @v m		member
 * @v pc	pieces
 * @v first	first piece of the run
 * @v last	last piece of the run (pieces between of other slots skipped)
 * @v len	run length in sectors
 * @v buf	the request's buffer
 * @ret rc	0 or negative ERR_*
 */
static int md_read_run(struct md_array *a, struct md_member *m,
		       const struct md_piece *pc, size_t first, size_t last,
		       uint64_t len, uint8_t *buf)
{
	uint64_t base = pc[first].addr;
	uint8_t *bounce;
	size_t i;
	int rc;

	if (first == last)
		return md_member_read(a, m, base, pc[first].n,
				      buf + pc[first].off * 512);
	bounce = plat_alloc((size_t)len * 512);
	if (!bounce)
		return -ERR_NOMEM;
	rc = md_member_read(a, m, base, len, bounce);
	for (i = first; !rc && i <= last; i++) {
		if (pc[i].slot == pc[first].slot)
			memcpy(buf + pc[i].off * 512,
			       bounce + (pc[i].addr - base) * 512,
			       (size_t)pc[i].n * 512);
	}
	plat_free(bounce);
	return rc;
}

/**
 * A striped read (RAID0, RAID10) spanning several chunks: the pieces that
 * are contiguous on a member are gathered into one request of up to
 * MD_RUN_MAX sectors, so a big read stays big on every member instead of
 * becoming one small request per chunk.
 *
 * @v a		array
 * @v lba	first array sector
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0, negative ERR_*, or 1: not done here, use the chunk path
 */
static int md_read_gather(struct md_array *a, uint64_t lba, uint64_t count,
			  uint8_t *buf)
{
	struct r10_copy copies[R10_MAX_COPIES];
	uint64_t cs = a->chunk_sectors, off = 0;
	size_t np = 0, max = (size_t)(count / cs) + 2, i, j;
	uint64_t next[MD_MAX_DISKS];
	struct md_piece *pc;
	unsigned int slot, c;
	int rc = 0;

	if (count <= cs || count / cs > 1000000)
		return 1;
	for (slot = 0; slot < MD_MAX_DISKS; slot++)
		next[slot] = ~0ULL;
	pc = plat_alloc(max * sizeof(*pc));
	if (!pc)
		return 1;
	while (off < count && np < max) {
		uint64_t at = lba + off;
		uint64_t n = MIN(count - off, cs - at % cs);
		struct md_piece *p = &pc[np++];

		p->off = off;
		p->n = (uint32_t)n;
		if (a->level == 0) {
			unsigned int s0;
			uint64_t left;

			md_raid0_map(a, at, &s0, &p->addr, &left);
			p->slot = s0;
			n = MIN(n, left);
			p->n = (uint32_t)n;
		} else if (a->level != 10) {
			struct r5_loc l;

			md_raid5_map(a, at, &l);
			if (!md_slot(a, l.dd)) {
				plat_free(pc);
				return 1;	/* rebuilt chunk by chunk */
			}
			p->slot = l.dd;
			p->addr = l.addr;
		} else {
			unsigned int ncopies = a->near_copies * a->far_copies;
			unsigned int pick = ncopies;

			/* The first readable copy, unless another one
			 * continues a run already going on its member. */
			md_raid10_map(a, at, copies);
			for (c = 0; c < ncopies; c++) {
				if (!md_slot(a, copies[c].dev))
					continue;
				if (pick == ncopies)
					pick = c;
				if (copies[c].addr == next[copies[c].dev]) {
					pick = c;
					break;
				}
			}
			if (pick == ncopies) {
				plat_free(pc);
				return 1;	/* the chunk path reports it */
			}
			p->slot = copies[pick].dev;
			p->addr = copies[pick].addr;
			next[p->slot] = p->addr + n;
		}
		off += n;
	}
	for (slot = 0; slot < a->raid_disks && !rc; slot++) {
		struct md_member *m = md_slot(a, slot);

		for (i = 0; i < np && !rc; ) {
			size_t last;
			uint64_t len;

			if (pc[i].slot != slot) {
				i++;
				continue;
			}
			if (!m) {
				rc = -ERR_IO;
				break;
			}
			last = i;
			len = pc[i].n;
			for (j = i + 1; j < np; j++) {
				if (pc[j].slot != slot)
					continue;
				if (pc[j].addr != pc[i].addr + len ||
				    len + pc[j].n > MD_RUN_MAX)
					break;
				len += pc[j].n;
				last = j;
			}
			rc = md_read_run(a, m, pc, i, last, len, buf);
			if (rc && a->level != 0) {
				/* Retry this run chunk by chunk, with
				 * failover to the other copies / parity. */
				size_t k;

				rc = 0;
				for (k = i; k <= last && !rc; k++) {
					if (pc[k].slot != slot)
						continue;
					rc = (a->level == 10 ?
					      md_read_raid10 : md_read_raid5)(a,
						lba + pc[k].off, pc[k].n,
						buf + pc[k].off * 512);
				}
			}
			i = j;
		}
	}
	plat_free(pc);
	return rc;
}

/**
 * blkdev read of an array: striped levels try the gathered path first.
 *
 * @v blk	array device
 * @v lba	first array sector
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
static int md_read(struct blkdev *blk, uint64_t lba, uint64_t count,
		   void *buf)
{
	struct md_array *a = container_of(blk, struct md_array, blk);

	if (a->state == MD_ARRAY_FAILED)
		return -ERR_IO;
	if (a->level == 0 || a->level >= 4) {
		int rc = md_read_gather(a, lba, count, buf);

		if (rc <= 0)
			return rc;
	}
	switch (a->level) {
	case 1:
		return md_read_raid1(a, lba, count, buf);
	case 0:
		return md_read_raid0(a, lba, count, buf);
	case 10:
		return md_read_raid10(a, lba, count, buf);
	case MD_LEVEL_LINEAR:
		return md_read_linear(a, lba, count, buf);
	case 4:
	case 5:
	case 6:
		return md_read_raid5(a, lba, count, buf);
	default:
		return -ERR_NOTSUP;
	}
}

static const struct blkdev_ops md_ops = {
	.read = md_read,
};

/* --- assembly ------------------------------------------------------------ */

/**
 * Mark the array failed (unreadable) with a reason.
 *
 * @v a		array
 * @v why	reason, for messages and display
 */
static void md_fail(struct md_array *a, const char *why)
{
	a->state = MD_ARRAY_FAILED;
	fmt_snprintf(a->why, sizeof(a->why), "%s", why);
	a->blk.nsectors = 0;
}

/**
 * Build the RAID0 zones (raid0.c create_strip_zones): members cut to whole
 * chunks; zone 0 spans all of them up to the smallest; each next zone the
 * members still longer, from where the previous zone ended on them.
 *
 * @v a		array, all slots in sync
 * @v fresh	newest superblock (layout)
 */
static void md_setup_raid0(struct md_array *a, const struct md_super *fresh)
{
	uint64_t cs = a->chunk_sectors, done = 0, end = 0;
	unsigned int r;

	a->nzones = 0;
	while (a->nzones < MD_MAX_DISKS) {
		uint64_t smallest = ~0ULL;
		unsigned int z = a->nzones, nb = 0;

		for (r = 0; r < a->raid_disks; r++) {
			uint64_t sz = md_slot(a, r)->data_size;

			sz -= sz % cs;
			if (sz <= done)
				continue;
			a->zones[z].slot[nb++] = (uint8_t)r;
			smallest = MIN(smallest, sz);
		}
		if (!nb)
			break;
		a->zones[z].nb_dev = nb;
		a->zones[z].dev_start = done;
		end += (smallest - done) * nb;
		a->zones[z].end = end;
		done = smallest;
		a->nzones++;
	}
	if (!a->nzones) {
		md_fail(a, "RAID0 members too small for one chunk");
		return;
	}
	a->raid0_orig = true;
	if (a->nzones > 1) {
		bool has_layout = fresh->major == 0 ||
				  (fresh->feature_map & FEAT_RAID0_LAYOUT);

		if (!has_layout || (a->layout != 1 && a->layout != 2)) {
			log_error("%s: RAID0 with members of different sizes "
				  "and no layout recorded: refused, as Linux "
				  "does", a->blk.name);
			md_fail(a, "multi-zone RAID0 without a layout");
			return;
		}
		a->raid0_orig = a->layout == 1;
	}
	a->blk.nsectors = end;
}

/**
 * Check a RAID4/5/6 geometry and size it (raid5.c: each member's size cut
 * to whole chunks, times the data members).  One member may be missing
 * (two on RAID6).
 *
 * @v a		array
 * @v insync	members in sync
 */
static void md_setup_raid5(struct md_array *a, unsigned int insync)
{
	unsigned int parity = a->level == 6 ? 2 : 1;
	uint64_t cs = a->chunk_sectors;
	bool algo_ok;

	if (a->level == 4)
		algo_ok = true;
	else if (a->level == 5)
		algo_ok = a->layout <= 5;
	else
		algo_ok = a->layout <= 5 || (a->layout >= 16 &&
					     a->layout <= 20);
	if (!algo_ok) {
		md_fail(a, "parity layout not supported");
		return;
	}
	if (cs < MD_MIN_CHUNK || cs % MD_MIN_CHUNK) {
		md_fail(a, "chunk size not a multiple of 4 KiB");
		return;
	}
	if (a->raid_disks < parity + 1 + (a->level == 6)) {
		md_fail(a, "too few members for the level");
		return;
	}
	if (insync + parity < a->raid_disks) {
		md_fail(a, parity == 1 ? "more than one member missing" :
			   "more than two members missing");
		return;
	}
	a->blk.nsectors = (a->dev_sectors - a->dev_sectors % cs) *
			  (a->raid_disks - parity);
}

/**
 * Set up the RAID10 geometry and size (raid10.c setup_geo/calc_sectors).
 *
 * @v a		array
 * @ret ok	true if the layout is supported
 */
static bool md_setup_raid10(struct md_array *a)
{
	uint64_t cs = a->chunk_sectors, chunks, used;
	unsigned int nc = a->layout & 0xff, fc = (a->layout >> 8) & 0xff;

	if (a->layout >> 17) {
		md_fail(a, "RAID10 far-set layout not supported");
		return false;
	}
	if (cs < MD_MIN_CHUNK || (cs & (cs - 1))) {
		md_fail(a, "RAID10 chunk size is not a power of two >= 4 KiB");
		return false;
	}
	if (!nc || !fc || nc * fc < 2 || nc * fc > a->raid_disks) {
		md_fail(a, "RAID10 copies do not fit the member count");
		return false;
	}
	a->near_copies = nc;
	a->far_copies = fc;
	a->far_offset = (a->layout >> 16) & 1;
	chunks = a->dev_sectors / cs / fc * a->raid_disks / nc;
	used = (chunks * nc * fc + a->raid_disks - 1) / a->raid_disks;
	if (a->far_offset)
		a->stride = cs;
	else
		a->stride = used / fc * cs;
	a->zone_sectors = used * cs;
	a->blk.nsectors = chunks * cs;
	return true;
}

/**
 * Can every chunk of a RAID10 be read from some in-sync member?
 *
 * @v a		array with geometry set up
 * @ret ok	true if all data is present
 */
static bool md_raid10_complete(struct md_array *a)
{
	struct r10_copy copies[R10_MAX_COPIES];
	unsigned int ncopies = a->near_copies * a->far_copies;
	unsigned int i, c;

	/* The slots holding a chunk repeat every raid_disks chunks. */
	for (i = 0; i < a->raid_disks; i++) {
		bool ok = false;

		md_raid10_map(a, (uint64_t)i * a->chunk_sectors, copies);
		for (c = 0; c < ncopies; c++)
			ok |= md_slot(a, copies[c].dev) != NULL;
		if (!ok)
			return false;
	}
	return true;
}

/**
 * Choose the device name: "md<minor>" (0.90), "md<N>" for a 1.x name
 * "host:N" or "N", else the first free of md127, md126, ...
 *
 * @v a		array
 * @v fresh	newest superblock
 * @v set	arrays named so far
 */
static void md_choose_name(struct md_array *a, const struct md_super *fresh,
			   const struct md_set *set)
{
	const char *n = fresh->name;
	const char *colon = n;
	unsigned int num = 0, i, j;
	bool numeric = false;

	if (fresh->major == 0) {
		num = fresh->preferred_minor;
		numeric = num < 1000;
	} else {
		for (i = 0; n[i]; i++) {
			if (n[i] == ':')
				colon = n + i + 1;
		}
		numeric = *colon != '\0';
		for (i = 0; colon[i] && numeric; i++) {
			numeric = colon[i] >= '0' && colon[i] <= '9' && i < 3;
			num = num * 10 + (unsigned int)(colon[i] - '0');
		}
	}
	for (j = 0; j < 256; j++) {
		bool taken = false;

		if (numeric && j == 0)
			fmt_snprintf(a->blk.name, sizeof(a->blk.name), "md%u",
				     num);
		else
			fmt_snprintf(a->blk.name, sizeof(a->blk.name), "md%u",
				     127 - ((j - numeric) % 128));
		for (i = 0; i < set->count; i++)
			taken |= !strcmp(set->arrays[i]->blk.name, a->blk.name);
		if (!taken)
			return;
	}
}

/**
 * Build one array from the superblocks that share its UUID.
 *
 * @v a		array to fill (zeroed)
 * @v sbs	all superblocks
 * @v idx	indices into @sbs of this array's superblocks
 * @v cnt	number of indices
 * @v set	arrays built so far (for naming)
 */
static void md_build(struct md_array *a, const struct md_super *sbs,
		     const unsigned int *idx, unsigned int cnt,
		     const struct md_set *set)
{
	const struct md_super *fresh = &sbs[idx[0]];
	unsigned int i, r, insync = 0;
	char uuid[36];

	for (i = 1; i < cnt; i++) {
		if (sbs[idx[i]].events > fresh->events)
			fresh = &sbs[idx[i]];
	}
	a->blk.ops = &md_ops;
	a->blk.sector_size = 512;
	if (fresh->major == 0)
		fmt_snprintf(a->version, sizeof(a->version), "0.90");
	else
		fmt_snprintf(a->version, sizeof(a->version), "1.%u",
			     fresh->minor);
	a->level = fresh->level;
	a->layout = fresh->layout;
	a->chunk_sectors = fresh->chunk_sectors;
	a->raid_disks = fresh->raid_disks;
	memcpy(a->uuid, fresh->uuid, 16);
	memcpy(a->sb_name, fresh->name, sizeof(a->sb_name));
	a->events = fresh->events;
	a->dev_sectors = fresh->dev_sectors;
	md_choose_name(a, fresh, set);
	md_uuid_str(a->uuid, uuid);
	for (r = 0; r < MD_MAX_DISKS; r++)
		a->slot[r] = -1;
	if (!a->raid_disks || a->raid_disks > MD_MAX_DISKS) {
		log_error("%s (UUID %s): %u raid disks: not supported",
			  a->blk.name, uuid, (unsigned int)a->raid_disks);
		md_fail(a, "too many raid disks");
		a->raid_disks = 0;
	}

	/* Members: the newest superblock decides every device's role. */
	for (i = 0; i < cnt; i++) {
		const struct md_super *s = &sbs[idx[i]];
		struct md_member *m;
		uint16_t role;

		if (a->nmembers >= MD_MAX_MEMBERS) {
			log_warn("%s: more than %u members: %s ignored",
				 a->blk.name, MD_MAX_MEMBERS, s->dev->name);
			continue;
		}
		m = &a->members[a->nmembers++];
		m->dev = s->dev;
		m->role = -1;
		m->events = s->events;
		m->data_offset = s->data_offset;
		m->data_size = s->data_size;
		m->nbad = s->nbad;
		memcpy(m->bad, s->bad, s->nbad * sizeof(m->bad[0]));
		role = s->dev_number < fresh->nroles ?
		       fresh->roles[s->dev_number] : MD_ROLE_SPARE;
		if (s->major != fresh->major || s->minor != fresh->minor) {
			log_warn("%s: member %s has metadata %u.%u, the array "
				 "%s: not used", a->blk.name, s->dev->name,
				 s->major, s->minor, a->version);
			m->state = MD_MEMBER_STALE;
		} else if (s->events < fresh->events) {
			log_warn("%s: member %s is stale (events %llu, array "
				 "%llu): not used", a->blk.name, s->dev->name,
				 (unsigned long long)s->events,
				 (unsigned long long)fresh->events);
			m->state = MD_MEMBER_STALE;
		} else if (role == MD_ROLE_FAULTY) {
			m->state = MD_MEMBER_FAULTY;
		} else if (s->bad_overflow) {
			log_warn("%s: member %s has more than %u bad block "
				 "ranges: not used", a->blk.name, s->dev->name,
				 MD_MAX_BAD);
			m->role = role;
			m->state = MD_MEMBER_FAULTY;
		} else if (role >= a->raid_disks) {
			m->state = MD_MEMBER_SPARE;
		} else if (s->recovering) {
			m->role = role;
			m->state = MD_MEMBER_REBUILDING;
		} else if (a->slot[role] >= 0) {
			log_warn("%s: %s and %s both claim slot %u: %s not used",
				 a->blk.name,
				 a->members[a->slot[role]].dev->name,
				 s->dev->name, role, s->dev->name);
			m->role = role;
			m->state = MD_MEMBER_DUPLICATE;
		} else {
			m->role = role;
			m->state = MD_MEMBER_IN_SYNC;
			a->slot[role] = (int)(a->nmembers - 1);
			insync++;
		}
	}
	/* Missing slots, for display. */
	for (r = 0; r < a->raid_disks; r++) {
		if (a->slot[r] >= 0 || a->nmembers >= MD_MAX_MEMBERS)
			continue;
		a->members[a->nmembers].role = (int)r;
		a->members[a->nmembers].state = MD_MEMBER_MISSING;
		a->nmembers++;
	}
	if (a->state == MD_ARRAY_FAILED)
		return;

	/* Geometry and size. */
	for (r = 0; r < a->raid_disks; r++) {
		struct md_member *m = md_slot(a, r);
		uint64_t z;

		if (!m)
			continue;
		z = m->data_size;
		if (a->level == MD_LEVEL_LINEAR && a->chunk_sectors)
			m->data_size = z - z % a->chunk_sectors;
	}
	switch (a->level) {
	case 1:
		if (!insync) {
			md_fail(a, "no member in sync");
			break;
		}
		a->blk.nsectors = a->dev_sectors;
		break;
	case 0:
		if (a->chunk_sectors < MD_MIN_CHUNK) {
			md_fail(a, "RAID0 chunk size below 4 KiB");
			break;
		}
		if (insync < a->raid_disks) {
			md_fail(a, "RAID0 member missing");
			break;
		}
		md_setup_raid0(a, fresh);
		break;
	case MD_LEVEL_LINEAR:
		if (insync < a->raid_disks) {
			md_fail(a, "linear member missing");
			break;
		}
		for (r = 0; r < a->raid_disks; r++)
			a->blk.nsectors += md_slot(a, r)->data_size;
		break;
	case 10:
		if (!md_setup_raid10(a))
			break;
		for (r = 0; r < a->raid_disks; r++) {
			struct md_member *m = md_slot(a, r);

			if (m && m->data_size < a->zone_sectors) {
				md_fail(a, "RAID10 member smaller than the "
					   "layout needs");
				break;
			}
		}
		if (a->state != MD_ARRAY_FAILED && !md_raid10_complete(a))
			md_fail(a, "no copy left of some chunks");
		break;
	case 4:
	case 5:
	case 6:
		md_setup_raid5(a, insync);
		break;
	default:
		md_fail(a, "RAID level not supported");
		break;
	}
	if (a->state == MD_ARRAY_FAILED) {
		log_error("%s (%s, metadata %s, UUID %s): not readable: %s",
			  a->blk.name, md_level_str(a->level), a->version,
			  uuid, a->why);
		return;
	}
	if (insync < a->raid_disks) {
		a->state = MD_ARRAY_DEGRADED;
		fmt_snprintf(a->why, sizeof(a->why), "%u of %u members in sync",
			     insync, (unsigned int)a->raid_disks);
		log_warn("%s (%s, metadata %s): degraded: %s", a->blk.name,
			 md_level_str(a->level), a->version, a->why);
	}
}

int md_assemble(const struct md_super *sbs, unsigned int n,
		struct md_set *set)
{
	unsigned int *idx;
	bool *used;
	unsigned int i, j, cnt;

	memset(set, 0, sizeof(*set));
	if (!n)
		return 0;
	idx = plat_alloc(n * sizeof(*idx));
	used = plat_alloc(n * sizeof(*used));
	if (!idx || !used) {
		plat_free(idx);
		plat_free(used);
		return -ERR_NOMEM;
	}
	memset(used, 0, n * sizeof(*used));
	for (i = 0; i < n; i++) {
		struct md_array *a;

		if (used[i])
			continue;
		cnt = 0;
		for (j = i; j < n; j++) {
			if (!used[j] && !memcmp(sbs[j].uuid, sbs[i].uuid, 16)) {
				used[j] = true;
				idx[cnt++] = j;
			}
		}
		if (set->count >= MD_MAX_ARRAYS) {
			log_warn("more than %u md arrays: %s ignored",
				 MD_MAX_ARRAYS, sbs[i].dev->name);
			continue;
		}
		a = plat_alloc(sizeof(*a));
		if (!a) {
			plat_free(idx);
			plat_free(used);
			md_set_free(set);
			return -ERR_NOMEM;
		}
		memset(a, 0, sizeof(*a));
		md_build(a, sbs, idx, cnt, set);
		set->arrays[set->count++] = a;
	}
	plat_free(idx);
	plat_free(used);
	return 0;
}

void md_set_free(struct md_set *set)
{
	unsigned int i;

	for (i = 0; i < set->count; i++)
		plat_free(set->arrays[i]);
	memset(set, 0, sizeof(*set));
}

void md_uuid_str(const uint8_t *u, char *buf)
{
	fmt_snprintf(buf, 36,
		     "%02x%02x%02x%02x:%02x%02x%02x%02x:%02x%02x%02x%02x:"
		     "%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
		     u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		     u[15]);
}

const char *md_level_str(int32_t level)
{
	switch (level) {
	case MD_LEVEL_LINEAR: return "linear";
	case 0: return "raid0";
	case 1: return "raid1";
	case 4: return "raid4";
	case 5: return "raid5";
	case 6: return "raid6";
	case 10: return "raid10";
	default: return "unknown level";
	}
}

const char *md_member_state_str(enum md_member_state state)
{
	switch (state) {
	case MD_MEMBER_IN_SYNC: return "in sync";
	case MD_MEMBER_SPARE: return "spare";
	case MD_MEMBER_FAULTY: return "faulty";
	case MD_MEMBER_STALE: return "stale";
	case MD_MEMBER_REBUILDING: return "rebuilding";
	case MD_MEMBER_DUPLICATE: return "duplicate";
	case MD_MEMBER_MISSING: return "missing";
	}
	return "?";
}

const char *md_array_state_str(enum md_array_state state)
{
	switch (state) {
	case MD_ARRAY_CLEAN: return "clean";
	case MD_ARRAY_DEGRADED: return "degraded";
	case MD_ARRAY_FAILED: return "failed";
	}
	return "?";
}
