/*
 * md.h - Linux md software RAID: superblocks and read-only arrays.
 *
 * md_examine() finds and checks an md superblock on one device (0.90 and
 * 1.0 at the end, 1.1 at sector 0, 1.2 at 4 KiB).  md_assemble() groups
 * the superblocks by array UUID, picks the members with the newest event
 * count (older ones are stale and never read), and builds each array as a
 * struct blkdev: RAID1 (any in-sync member, failover on read errors), RAID0
 * (zones when members differ in size), RAID10 (near, far and offset
 * layouts exactly as drivers/md/raid10.c maps them), RAID4/5/6 (every
 * layout of enum md_raid5_layout, missing data rebuilt from P or Q) and
 * linear.  Degraded arrays are readable as long as every chunk has a copy,
 * or its parity, on in-sync members.
 *
 * Code: md_super.c (superblocks), md.c (assembly, the blkdev), one file
 * per level behind md_pers.h (md_linear.c, raid0.c, raid1.c, raid10.c,
 * raid456.c).
 */
#ifndef AOEBOOT_MD_H
#define AOEBOOT_MD_H

#include <stdbool.h>
#include <stdint.h>
#include "blk.h"

#define MD_MAGIC 0xa92b4efc
/** Most raid slots an array may have. */
#define MD_MAX_DISKS 32
/** Most member devices (in sync, spare, faulty, stale) kept per array. */
#define MD_MAX_MEMBERS 48
/** Most entries of a superblock's device role table we keep. */
#define MD_MAX_ROLES 256
/** Most arrays in one md_set. */
#define MD_MAX_ARRAYS 32
/** Most bad-block ranges kept per member (more: the member is not used). */
#define MD_MAX_BAD 32

/** Role table values (1.x dev_roles encoding; 0.90 is translated). */
#define MD_ROLE_SPARE 0xffff
#define MD_ROLE_FAULTY 0xfffe
#define MD_ROLE_JOURNAL 0xfffd

/** md levels as the superblock stores them. */
#define MD_LEVEL_LINEAR (-1)

/** 1.x feature_map bits (md_p.h). */
#define MD_FEATURE_BITMAP_OFFSET 1
#define MD_FEATURE_RECOVERY_OFFSET 2	/**< partly recovered member */
#define MD_FEATURE_RESHAPE_ACTIVE 4
#define MD_FEATURE_BAD_BLOCKS 8		/**< a bad block log is present */
#define MD_FEATURE_REPLACEMENT 16	/**< member replacing another */
#define MD_FEATURE_RAID0_LAYOUT 4096	/**< multi-zone RAID0 layout valid */
#define MD_FEATURE_ALL 0x1fff		/**< every bit Linux knows */

/**
 * RAID4/5/6 layouts (the superblock's layout field), Linux's
 * ALGORITHM_* values under the names mdadm gives them.  "Left": parity
 * starts on the last member and moves left; "right": starts on the first
 * and moves right; "asymmetric": data restarts at member 0 each stripe;
 * "symmetric": data continues after the parity.  The "-6" layouts are
 * RAID6 with Q always on the last member and P placed as in RAID5.
 */
enum md_raid5_layout {
	MD_LAYOUT_LEFT_ASYMMETRIC = 0,
	MD_LAYOUT_RIGHT_ASYMMETRIC = 1,
	MD_LAYOUT_LEFT_SYMMETRIC = 2,
	MD_LAYOUT_RIGHT_SYMMETRIC = 3,
	MD_LAYOUT_PARITY_FIRST = 4,
	MD_LAYOUT_PARITY_LAST = 5,
	MD_LAYOUT_LEFT_ASYMMETRIC_6 = 16,
	MD_LAYOUT_RIGHT_ASYMMETRIC_6 = 17,
	MD_LAYOUT_LEFT_SYMMETRIC_6 = 18,
	MD_LAYOUT_RIGHT_SYMMETRIC_6 = 19,
	MD_LAYOUT_PARITY_FIRST_6 = 20,
};

struct md_personality;

/** A range of sectors recorded as bad in a member's bad block log. */
struct md_bad_range {
	uint64_t start;		/**< first device sector (absolute) */
	uint64_t count;		/**< sectors */
};

/** One device's superblock, decoded and checked. */
struct md_super {
	struct blkdev *dev;	/**< the device it was found on */
	uint8_t major, minor;	/**< metadata 0.90, 1.0, 1.1, 1.2 */
	uint8_t uuid[16];	/**< array UUID (0.90: words big-endian) */
	uint8_t dev_uuid[16];	/**< 1.x device UUID */
	char name[33];		/**< 1.x array name ("host:0"), "" for 0.90 */
	uint32_t ctime;		/**< creation time (low 32 bits) */
	int32_t level;		/**< -1 linear, 0, 1, 4, 5, 6, 10 */
	uint32_t layout;
	uint32_t chunk_sectors;
	uint32_t raid_disks;
	uint64_t events;
	uint64_t dev_sectors;	/**< per-device size used by the array */
	uint64_t data_offset;	/**< first data sector on the device */
	uint64_t data_size;	/**< sectors available for data */
	uint64_t sb_offset;	/**< sector of the superblock on the device */
	uint32_t dev_number;	/**< index of this device in @roles */
	uint32_t preferred_minor;	/**< 0.90 md_minor */
	bool clean;		/**< array was shut down cleanly */
	bool recovering;	/**< only up to @recovery_offset is in sync */
	uint64_t recovery_offset;
	uint32_t feature_map;
	bool bad_overflow;	/**< more bad ranges than MD_MAX_BAD */
	unsigned int nbad;	/**< entries in @bad */
	struct md_bad_range bad[MD_MAX_BAD];	/**< 1.x bad block log */
	unsigned int nroles;	/**< entries in @roles */
	uint16_t roles[MD_MAX_ROLES];	/**< every device's role, this sb's view */
};

/** A member's state in an assembled array. */
enum md_member_state {
	MD_MEMBER_IN_SYNC,
	MD_MEMBER_SPARE,
	MD_MEMBER_FAULTY,
	MD_MEMBER_STALE,	/**< older event count: never read */
	MD_MEMBER_REBUILDING,	/**< partly recovered: not read */
	MD_MEMBER_DUPLICATE,	/**< a second device claiming a taken slot */
	MD_MEMBER_MISSING,	/**< no device for this slot */
};

/** One member (or missing slot) of an array. */
struct md_member {
	struct blkdev *dev;	/**< NULL when missing */
	int role;		/**< raid slot, -1 when none */
	enum md_member_state state;
	uint64_t events;
	uint64_t data_offset;
	uint64_t data_size;
	unsigned long read_errors;	/**< errors seen while reading */
	unsigned int nbad;		/**< known bad ranges: never read */
	struct md_bad_range bad[MD_MAX_BAD];
};

/** Overall state of an array. */
enum md_array_state {
	MD_ARRAY_CLEAN,		/**< every slot in sync */
	MD_ARRAY_DEGRADED,	/**< slots missing, all data readable */
	MD_ARRAY_FAILED,	/**< data missing or unsupported: not readable */
};

/** An assembled array. */
struct md_array {
	struct blkdev blk;	/**< the array as a device ("md0") */
	char version[8];	/**< "0.90", "1.0", "1.1", "1.2" */
	int32_t level;
	uint32_t layout;
	uint32_t chunk_sectors;
	uint32_t raid_disks;
	uint8_t uuid[16];
	char sb_name[33];
	uint64_t events;
	uint64_t dev_sectors;
	enum md_array_state state;
	const struct md_personality *pers;	/**< its level (md_pers.h) */
	char why[96];		/**< why FAILED / DEGRADED, for display */
	unsigned int nmembers;
	struct md_member members[MD_MAX_MEMBERS];
	int slot[MD_MAX_DISKS];	/**< member index serving each slot, or -1 */
	/* mapping */
	unsigned int near_copies, far_copies;
	bool far_offset;
	uint64_t stride;	/**< RAID10: sectors between far copies */
	uint64_t zone_sectors;	/**< RAID10: sectors used on each member */
	/** RAID0 zones (members of different sizes), as raid0.c builds
	 * them: zone z spans the members larger than the previous zone. */
	unsigned int nzones;
	struct {
		uint64_t end;		/**< array sector where it ends */
		uint64_t dev_start;	/**< first member sector */
		unsigned int nb_dev;	/**< members in the zone */
		uint8_t slot[MD_MAX_DISKS];	/**< their raid slots */
	} zones[MD_MAX_DISKS];
	bool raid0_orig;	/**< RAID0 layout 1 (original) vs 2 */
	unsigned int next_read;	/**< RAID1: member slot to try first */
};

/** The arrays found on a set of devices. */
struct md_set {
	unsigned int count;
	struct md_array *arrays[MD_MAX_ARRAYS];
};

/**
 * Look for an md superblock on @dev.
 *
 * @v dev	device (disk or partition)
 * @v sb	decoded superblock
 * @ret rc	0 found and valid; -ERR_NODEV none; -ERR_CORRUPT or
 *		-ERR_NOTSUP a superblock is there but unusable (logged)
 *
 * When more than one valid superblock is present (old metadata left
 * behind), the one created last wins, as mdadm decides.
 */
int md_examine(struct blkdev *dev, struct md_super *sb);

/**
 * Assemble arrays from superblocks.
 *
 * @v sbs	superblocks from md_examine(), in device order
 * @v n		number of superblocks
 * @v set	arrays, in order of their first member in @sbs; free with
 *		md_set_free().  FAILED arrays are included (for display) but
 *		refuse reads.
 * @ret rc	0 or -ERR_NOMEM
 */
int md_assemble(const struct md_super *sbs, unsigned int n,
		struct md_set *set);

/**
 * Free the arrays of a set.
 *
 * @v set	set (zeroed afterwards)
 */
void md_set_free(struct md_set *set);

/**
 * Format an md UUID as mdadm does ("xxxxxxxx:xxxxxxxx:xxxxxxxx:xxxxxxxx").
 *
 * @v uuid	16 bytes
 * @v buf	at least 36 bytes
 */
void md_uuid_str(const uint8_t *uuid, char *buf);

/**
 * Name of a level ("raid1", "raid10", "linear", ...).
 *
 * @v level	md level
 * @ret name	static string
 */
const char *md_level_str(int32_t level);

/**
 * Name of a member state ("in sync", "spare", "faulty", "stale", ...).
 *
 * @v state	member state
 * @ret name	static string
 */
const char *md_member_state_str(enum md_member_state state);

/**
 * Name of an array state ("clean", "degraded", "failed").
 *
 * @v state	array state
 * @ret name	static string
 */
const char *md_array_state_str(enum md_array_state state);

#endif
