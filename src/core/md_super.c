/*
 * md_super.c - Linux md superblocks: 0.90 (md_p.h's mdp_super_t) and 1.x
 * (mdp_superblock_1), found, checksummed and decoded into struct md_super.
 *
 * 0.90 is host-endian (little on x86), 4096 bytes at ((size & ~127) - 128)
 * sectors, made of 32-bit words; 1.x is little-endian, at the end (1.0:
 * ((size - 16) & ~7)), at sector 0 (1.1) or at 4 KiB (1.2).  The field
 * names below are the kernel's.
 */
#include "md.h"
#include "byteorder.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "platform.h"

#define SB_BYTES 4096
#define SB_SECTORS (SB_BYTES / 512)
/** 0.90: the superblock sits in the last 64 KiB-aligned 64 KiB. */
#define SB090_RESERVED 128

/** 0.90 superblock: word indices (multiply by 4 for the byte offset). */
enum md090_word {
	SB090_MD_MAGIC = 0,
	SB090_MAJOR_VERSION = 1,
	SB090_MINOR_VERSION = 2,
	SB090_SET_UUID0 = 5,
	SB090_CTIME = 6,
	SB090_LEVEL = 7,
	SB090_SIZE = 8,		/* KiB used per device */
	SB090_RAID_DISKS = 10,
	SB090_MD_MINOR = 11,
	SB090_SET_UUID1 = 13,
	SB090_SET_UUID2 = 14,
	SB090_SET_UUID3 = 15,
	SB090_STATE = 33,	/* bit 0: clean */
	SB090_SB_CSUM = 38,
	SB090_EVENTS_LO = 39,	/* little-endian order of events_hi/lo */
	SB090_EVENTS_HI = 40,
	SB090_LAYOUT = 64,
	SB090_CHUNK_SIZE = 65,	/* bytes */
	SB090_DISKS = 128,	/* mdp_disk_t disks[27], 32 words each */
	SB090_THIS_DISK = 992,	/* mdp_disk_t of this device */
	SB090_WORDS = SB_BYTES / 4,
};
#define SB090_OFF(word) ((word) * 4)
/** Descriptors of the 0.90 disks[] table. */
#define SB090_NR_DESCS 27
#define SB090_DESC_WORDS 32
/** mdp_disk_t: word indices. */
enum md090_desc_word {
	DESC_NUMBER = 0,
	DESC_RAID_DISK = 3,
	DESC_STATE = 4,
};
/** mdp_disk_t state bits. */
#define DISK_FAULTY (1u << 0)
#define DISK_ACTIVE (1u << 1)
#define DISK_SYNC (1u << 2)
#define DISK_REMOVED (1u << 3)
/** Minor versions 90 and 91 (91: a reshape was started, same layout). */
#define SB090_MINOR 90
#define SB091_MINOR 91

/** 1.x superblock: byte offsets. */
enum md1_offset {
	SB1_MAGIC = 0,
	SB1_MAJOR_VERSION = 4,
	SB1_FEATURE_MAP = 8,
	SB1_SET_UUID = 16,
	SB1_SET_NAME = 32,
	SB1_CTIME = 64,		/* low 40 bits: seconds */
	SB1_LEVEL = 72,
	SB1_LAYOUT = 76,
	SB1_SIZE = 80,		/* sectors used per device */
	SB1_CHUNKSIZE = 88,	/* sectors */
	SB1_RAID_DISKS = 92,
	SB1_DATA_OFFSET = 128,
	SB1_DATA_SIZE = 136,
	SB1_SUPER_OFFSET = 144,
	SB1_RECOVERY_OFFSET = 152,
	SB1_DEV_NUMBER = 160,
	SB1_DEVICE_UUID = 168,
	SB1_BBLOG_SHIFT = 185,
	SB1_BBLOG_SIZE = 186,	/* sectors */
	SB1_BBLOG_OFFSET = 188,	/* signed, from the superblock */
	SB1_EVENTS = 200,
	SB1_RESYNC_OFFSET = 208,	/* ~0: clean */
	SB1_SB_CSUM = 216,
	SB1_MAX_DEV = 220,
	SB1_DEV_ROLES = 256,	/* le16 per device */
};
#define SB1_NAME_LEN 32
/** Bad block log: at most this many sectors, as super_1_load accepts. */
#define BBLOG_MAX_SECTORS 8
/** A bad block log entry: sector << 10 | length. */
#define BBLOG_LEN_BITS 10
#define BBLOG_LEN_MASK 0x3ff
#define BBLOG_END (~0ULL)
#define BBLOG_ENTRY_BYTES 8

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
	uint32_t raid_disk = get_le32(d + SB090_OFF(DESC_RAID_DISK));
	uint32_t state = get_le32(d + SB090_OFF(DESC_STATE));

	if (state & DISK_FAULTY)
		return MD_ROLE_FAULTY;
	if (state & DISK_REMOVED)
		return MD_ROLE_FAULTY;
	if ((state & (DISK_ACTIVE | DISK_SYNC)) == (DISK_ACTIVE | DISK_SYNC) &&
	    raid_disk < MD_MAX_DISKS)
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
	if (get_le32(buf + SB090_OFF(SB090_MD_MAGIC)) != MD_MAGIC) {
		if (get_be32(buf + SB090_OFF(SB090_MD_MAGIC)) == MD_MAGIC)
			log_warn("%s: big-endian md 0.90 superblock: not "
				 "supported", dev->name);
		return -ERR_NODEV;
	}
	if (get_le32(buf + SB090_OFF(SB090_MAJOR_VERSION)) != 0 ||
	    (get_le32(buf + SB090_OFF(SB090_MINOR_VERSION)) != SB090_MINOR &&
	     get_le32(buf + SB090_OFF(SB090_MINOR_VERSION)) != SB091_MINOR)) {
		log_warn("%s: md superblock version %u.%u at sector %llu: "
			 "not supported", dev->name,
			 (unsigned int)get_le32(buf +
					SB090_OFF(SB090_MAJOR_VERSION)),
			 (unsigned int)get_le32(buf +
					SB090_OFF(SB090_MINOR_VERSION)),
			 (unsigned long long)off);
		return -ERR_NOTSUP;
	}
	csum = get_le32(buf + SB090_OFF(SB090_SB_CSUM));
	for (i = 0; i < SB090_WORDS; i++) {
		if (i != SB090_SB_CSUM)
			sum += get_le32(buf + SB090_OFF(i));
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
	put_be32(sb->uuid, get_le32(buf + SB090_OFF(SB090_SET_UUID0)));
	put_be32(sb->uuid + 4, get_le32(buf + SB090_OFF(SB090_SET_UUID1)));
	put_be32(sb->uuid + 8, get_le32(buf + SB090_OFF(SB090_SET_UUID2)));
	put_be32(sb->uuid + 12, get_le32(buf + SB090_OFF(SB090_SET_UUID3)));
	sb->ctime = get_le32(buf + SB090_OFF(SB090_CTIME));
	sb->level = (int32_t)get_le32(buf + SB090_OFF(SB090_LEVEL));
	size_kb = get_le32(buf + SB090_OFF(SB090_SIZE));
	sb->raid_disks = get_le32(buf + SB090_OFF(SB090_RAID_DISKS));
	sb->preferred_minor = get_le32(buf + SB090_OFF(SB090_MD_MINOR));
	sb->clean = get_le32(buf + SB090_OFF(SB090_STATE)) & 1;
	sb->events = (uint64_t)get_le32(buf + SB090_OFF(SB090_EVENTS_HI)) <<
		     32 | get_le32(buf + SB090_OFF(SB090_EVENTS_LO));
	sb->layout = get_le32(buf + SB090_OFF(SB090_LAYOUT));
	chunk = get_le32(buf + SB090_OFF(SB090_CHUNK_SIZE));
	sb->chunk_sectors = chunk / 512;
	sb->dev_sectors = (uint64_t)size_kb * 2;
	sb->data_offset = 0;
	sb->data_size = off;
	sb->sb_offset = off;
	sb->dev_number = get_le32(buf + SB090_OFF(SB090_THIS_DISK +
						  DESC_NUMBER));
	sb->nroles = SB090_NR_DESCS;
	for (i = 0; i < SB090_NR_DESCS; i++)
		sb->roles[i] = md090_role(buf + SB090_OFF(SB090_DISKS) +
					  SB090_OFF(SB090_DESC_WORDS * i));
	if (sb->dev_number >= SB090_NR_DESCS) {
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
	unsigned int shift = buf[SB1_BBLOG_SHIFT], i;
	unsigned int size = get_le16(buf + SB1_BBLOG_SIZE);
	int32_t offset = (int32_t)get_le32(buf + SB1_BBLOG_OFFSET);
	uint64_t at;
	int rc;

	if (!size || size > BBLOG_MAX_SECTORS || !offset || shift > 32 ||
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
	for (i = 0; i < size * 512 / BBLOG_ENTRY_BYTES; i++) {
		uint64_t e = get_le64(buf + BBLOG_ENTRY_BYTES * i);
		struct md_bad_range *r;

		if (e == BBLOG_END)
			break;
		if (!e || !(e & BBLOG_LEN_MASK))
			continue;
		if (sb->nbad == MD_MAX_BAD) {
			sb->bad_overflow = true;
			break;
		}
		r = &sb->bad[sb->nbad++];
		r->start = (e >> BBLOG_LEN_BITS) << shift;
		r->count = (e & BBLOG_LEN_MASK) << shift;
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
	if (get_le32(buf + SB1_MAGIC) != MD_MAGIC)
		return -ERR_NODEV;
	if (get_le32(buf + SB1_MAJOR_VERSION) != 1) {
		log_warn("%s: md superblock major version %u at sector %llu: "
			 "not supported", dev->name,
			 (unsigned int)get_le32(buf + SB1_MAJOR_VERSION),
			 (unsigned long long)off);
		return -ERR_NOTSUP;
	}
	if (get_le64(buf + SB1_SUPER_OFFSET) != off) {
		/* A 1.x superblock seen from the wrong place (e.g. a 1.2
		 * member's superblock probed as 1.1): not ours here. */
		return -ERR_NODEV;
	}
	max_dev = get_le32(buf + SB1_MAX_DEV);
	if (max_dev > (SB_BYTES - SB1_DEV_ROLES) / 2) {
		log_error("%s: md 1.%u superblock: max_dev %u too large",
			  dev->name, minor, (unsigned int)max_dev);
		return -ERR_CORRUPT;
	}
	bytes = SB1_DEV_ROLES + 2 * max_dev;
	csum = get_le32(buf + SB1_SB_CSUM);
	for (i = 0; i + 4 <= bytes; i += 4) {
		if (i != SB1_SB_CSUM)
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
	feat = get_le32(buf + SB1_FEATURE_MAP);
	sb->feature_map = feat;
	memcpy(sb->uuid, buf + SB1_SET_UUID, 16);
	memcpy(sb->name, buf + SB1_SET_NAME, SB1_NAME_LEN);
	sb->name[SB1_NAME_LEN] = '\0';
	for (i = 0; i < SB1_NAME_LEN; i++) {
		if (sb->name[i] && (sb->name[i] < 0x20 || sb->name[i] > 0x7e))
			sb->name[i] = '?';
	}
	sb->ctime = (uint32_t)(get_le64(buf + SB1_CTIME) & 0xffffffffffULL);
	sb->level = (int32_t)get_le32(buf + SB1_LEVEL);
	sb->layout = get_le32(buf + SB1_LAYOUT);
	sb->dev_sectors = get_le64(buf + SB1_SIZE);
	sb->chunk_sectors = get_le32(buf + SB1_CHUNKSIZE);
	sb->raid_disks = get_le32(buf + SB1_RAID_DISKS);
	sb->data_offset = get_le64(buf + SB1_DATA_OFFSET);
	sb->data_size = get_le64(buf + SB1_DATA_SIZE);
	sb->sb_offset = off;
	sb->recovery_offset = get_le64(buf + SB1_RECOVERY_OFFSET);
	sb->dev_number = get_le32(buf + SB1_DEV_NUMBER);
	memcpy(sb->dev_uuid, buf + SB1_DEVICE_UUID, 16);
	sb->events = get_le64(buf + SB1_EVENTS);
	sb->clean = get_le64(buf + SB1_RESYNC_OFFSET) == ~0ULL;
	sb->recovering = (feat & (MD_FEATURE_RECOVERY_OFFSET |
				  MD_FEATURE_REPLACEMENT)) != 0;
	sb->nroles = MIN(max_dev, (uint32_t)MD_MAX_ROLES);
	for (i = 0; i < sb->nroles; i++)
		sb->roles[i] = get_le16(buf + SB1_DEV_ROLES + 2 * i);

	if (feat & ~(uint32_t)MD_FEATURE_ALL) {
		log_warn("%s: md 1.%u superblock: unknown features %#x: not "
			 "supported", dev->name, minor, (unsigned int)feat);
		return -ERR_NOTSUP;
	}
	if (feat & MD_FEATURE_RESHAPE_ACTIVE) {
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
	if (feat & MD_FEATURE_BAD_BLOCKS)
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

