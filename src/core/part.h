/*
 * part.h - partition tables: MBR (with extended/logical chains) and GPT.
 *
 * part_scan() reads a disk's table and returns its partitions, each a
 * struct blkdev over a bounds-checked range of the disk ("e11.0p1").  GPT
 * headers and entry arrays are CRC-checked; a corrupt primary falls back to
 * the backup header at the last LBA.  A disk with no table (a whole-disk
 * filesystem or md member) scans as PART_SCHEME_NONE with no partitions.
 */
#ifndef AOEBOOT_PART_H
#define AOEBOOT_PART_H

#include <stdbool.h>
#include <stdint.h>
#include "blk.h"

/** Most partitions kept per disk (primary + logical, or GPT entries). */
#define PART_MAX 128
/** Most logical partitions followed in an extended chain. */
#define PART_MAX_LOGICAL 64
/** Most GPT entries examined (entry array capped at 1 MiB). */
#define PART_GPT_MAX_ENTRIES 1024

/** Which kind of table a disk has. */
enum part_scheme {
	PART_SCHEME_NONE = 0,	/**< no table: whole disk */
	PART_SCHEME_MBR,
	PART_SCHEME_GPT,
};

/** One partition: a window on its disk. */
struct partition {
	struct blkdev blk;	/**< the partition as a device: use this */
	struct blkdev *disk;	/**< the device it lies on */
	uint64_t start;		/**< first sector on @disk */
	unsigned int number;	/**< 1-4 primary, 5+ logical; GPT entry + 1 */
	enum part_scheme scheme;
	uint8_t mbr_type;	/**< MBR system id (0 for GPT) */
	bool bootable;		/**< MBR active flag / GPT legacy BIOS bootable */
	bool logical;		/**< MBR logical partition */
	uint8_t type_guid[16];	/**< GPT partition type (on-disk byte order) */
	uint8_t uuid[16];	/**< GPT unique partition GUID */
	uint64_t attrs;		/**< GPT attribute bits */
	char label[72];		/**< GPT name as UTF-8 ("" if none) */
};

/** The result of scanning one disk. */
struct part_table {
	enum part_scheme scheme;
	bool used_backup;	/**< GPT: primary was bad, backup used */
	uint8_t disk_guid[16];	/**< GPT disk GUID */
	uint32_t mbr_id;	/**< MBR disk signature (offset 440) */
	unsigned int count;	/**< partitions in @parts */
	struct partition *parts;	/**< allocated; stable addresses */
};

/**
 * Read the partition table of @disk.
 *
 * @v disk	device to scan (must outlive @out)
 * @v out	filled in; release with part_table_free() on success
 * @ret rc	0 (also for "no table": scheme NONE, count 0), or negative
 *		ERR_* when a table is present but unusable (ERR_CORRUPT: both
 *		GPT headers bad) or the disk cannot be read
 *
 * Problems with single entries are logged and the entry skipped.
 */
int part_scan(struct blkdev *disk, struct part_table *out);

/**
 * Free what part_scan() allocated.
 *
 * @v table	table (zeroed afterwards); a zeroed table is fine
 */
void part_table_free(struct part_table *table);

/**
 * Format a GUID in its usual text form (first three fields little-endian).
 *
 * @v guid	16 bytes as stored on disk
 * @v buf	at least 37 bytes
 */
void part_guid_str(const uint8_t *guid, char *buf);

/**
 * A short human name for a partition type ("Linux filesystem", "EFI
 * System", "Linux RAID", "FAT32", "extended"...), or NULL if unknown.
 *
 * @v part	partition
 * @ret name	static string or NULL
 */
const char *part_type_name(const struct partition *part);

/**
 * Make a partition device name: "e11.0" + 1 -> "e11.0p1", "sda" -> "sda1".
 *
 * @v buf	output
 * @v size	size of @buf
 * @v disk	disk name
 * @v number	partition number
 */
void part_make_name(char *buf, size_t size, const char *disk,
		    unsigned int number);

#endif
