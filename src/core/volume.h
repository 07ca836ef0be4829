/*
 * volume.h - from a set of disks to the volumes that may hold filesystems.
 *
 * volume_scan() reads every disk's partition table, looks for md
 * superblocks on every disk and partition, assembles the arrays across all
 * of them, and lists the candidates in a fixed order:
 *   1. md arrays that are readable (clean or degraded), in the order of
 *      their first member; an array holding a partition table contributes
 *      its partitions ("md0p1") instead of itself;
 *   2. then, disk by disk in the order given: its partitions in table
 *      order, or the whole disk when it has no table.
 * md members (any device with an md superblock, even a damaged one) are
 * never volumes themselves.  A device that fails is logged and skipped.
 */
#ifndef AOEBOOT_VOLUME_H
#define AOEBOOT_VOLUME_H

#include <stddef.h>
#include "blk.h"
#include "md.h"
#include "part.h"

/** Most disks one scan takes. */
#define VOLUME_MAX_DISKS 64

/** What a volume is. */
enum volume_kind {
	VOLUME_DISK,		/**< a whole disk without a partition table */
	VOLUME_PARTITION,	/**< a partition of a disk */
	VOLUME_MD,		/**< an md array */
	VOLUME_MD_PARTITION,	/**< a partition of an md array */
};

/** One candidate volume. */
struct volume {
	enum volume_kind kind;
	struct blkdev *blk;		/**< read the filesystem through this */
	struct blkdev *disk;		/**< the disk (DISK, PARTITION) */
	const struct partition *part;	/**< PARTITION, MD_PARTITION */
	const struct md_array *md;	/**< MD, MD_PARTITION */
};

/** Everything one scan found; owns the partition and array devices. */
struct volume_set {
	unsigned int count;		/**< volumes in @vols */
	struct volume *vols;
	unsigned int ndisks;
	struct blkdev *disks[VOLUME_MAX_DISKS];
	struct part_table tables[VOLUME_MAX_DISKS];	/**< per disk */
	int table_rc[VOLUME_MAX_DISKS];	/**< part_scan() result per disk */
	struct md_set md;		/**< every array, failed ones too */
	struct part_table md_tables[MD_MAX_ARRAYS];	/**< per array */
};

/**
 * Scan disks for volumes.
 *
 * @v disks	disks (must outlive @out)
 * @v ndisks	number of disks (at most VOLUME_MAX_DISKS are used)
 * @v out	result; free with volume_set_free()
 * @ret rc	0 (problems with single devices are logged and skipped) or
 *		-ERR_NOMEM
 */
int volume_scan(struct blkdev **disks, unsigned int ndisks,
		struct volume_set *out);

/**
 * Free a volume set (the disks themselves are untouched).
 *
 * @v set	set from volume_scan(), zeroed afterwards
 */
void volume_set_free(struct volume_set *set);

/**
 * Name of a volume kind ("disk", "partition", "md", "md partition").
 *
 * @v kind	kind
 * @ret name	static string
 */
const char *volume_kind_str(enum volume_kind kind);

/**
 * One line describing a volume, for menus and logs, e.g.
 * "e11.0p2 partition 2 of e11.0, 4.0 MiB, Linux filesystem \"root\"" or
 * "md0 raid1 (metadata 1.2) degraded, 15.0 MiB: e11.0p3 in sync, - missing".
 *
 * @v vol	volume
 * @v buf	output
 * @v size	size of @buf
 * @ret len	length fmt_snprintf() would have written
 */
int volume_describe(const struct volume *vol, char *buf, size_t size);

#endif
