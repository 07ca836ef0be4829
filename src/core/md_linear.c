/*
 * md_linear.c - md linear arrays (drivers/md/md-linear.c): the members one
 * after the other.
 */
#include "md_pers.h"
#include "errors.h"
#include "libc.h"

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

/**
 * Size a linear array: the sum of its members, each cut to whole
 * "chunks" (the rounding linear arrays apply), none missing.
 *
 * @v a		array
 * @v fresh	newest superblock (unused)
 * @v insync	members in sync
 */
static void md_setup_linear(struct md_array *a, const struct md_super *fresh,
			    unsigned int insync)
{
	unsigned int r;

	(void)fresh;
	for (r = 0; r < a->raid_disks; r++) {
		struct md_member *m = md_slot(a, r);

		if (m && a->chunk_sectors)
			m->data_size -= m->data_size % a->chunk_sectors;
	}
	if (insync < a->raid_disks) {
		md_fail(a, "linear member missing");
		return;
	}
	for (r = 0; r < a->raid_disks; r++)
		a->blk.nsectors += md_slot(a, r)->data_size;
}

const struct md_personality md_linear_personality = {
	.levels = MD_LEVEL_BIT(MD_LEVEL_LINEAR),
	.setup = md_setup_linear,
	.read = md_read_linear,
};
