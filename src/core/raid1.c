/*
 * raid1.c - md RAID1 (drivers/md/raid1.c): every in-sync member holds all
 * of the data; a read goes whole to one member and fails over to the next,
 * starting where the last good read went.
 */
#include "md_pers.h"
#include "errors.h"
#include "log.h"

/**
 * Read for RAID1: the whole request from one in-sync member, the next one
 * on error.
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
 * Size a RAID1: the per-device size, with at least one member in sync.
 *
 * @v a		array
 * @v fresh	newest superblock (unused)
 * @v insync	members in sync
 */
static void md_setup_raid1(struct md_array *a, const struct md_super *fresh,
			   unsigned int insync)
{
	(void)fresh;
	if (!insync) {
		md_fail(a, "no member in sync");
		return;
	}
	a->blk.nsectors = a->dev_sectors;
}

const struct md_personality md_raid1_personality = {
	.levels = MD_LEVEL_BIT(1),
	.setup = md_setup_raid1,
	.read = md_read_raid1,
};
