/*
 * raid0.c - md RAID0 (drivers/md/raid0.c): chunks striped over the
 * members, in zones when the members differ in size.
 */
#include "md_pers.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

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
 * Place one piece of a gathered read: its member and address, cut at the
 * end of the chunk.
 *
 * @v a		array
 * @v lba	array sector
 * @v next	runs gathered so far (unused: one place per chunk)
 * @v p		piece
 * @ret rc	0
 */
static int md_raid0_map_piece(struct md_array *a, uint64_t lba,
			      const uint64_t *next, struct md_piece *p)
{
	unsigned int slot;
	uint64_t left;

	(void)next;
	md_raid0_map(a, lba, &slot, &p->addr, &left);
	p->slot = slot;
	p->n = (uint32_t)MIN(p->n, left);
	return 0;
}

/**
 * Build the RAID0 zones (raid0.c create_strip_zones): members cut to whole
 * chunks; zone 0 spans all of them up to the smallest; each next zone the
 * members still longer, from where the previous zone ended on them.
 *
 * @v a		array, all slots in sync
 * @v fresh	newest superblock (layout)
 */
static void md_raid0_create_zones(struct md_array *a,
				  const struct md_super *fresh)
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
				  (fresh->feature_map &
				   MD_FEATURE_RAID0_LAYOUT);

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
 * Check a RAID0 (chunks of 4 KiB or more, no member missing) and build
 * its zones.
 *
 * @v a		array
 * @v fresh	newest superblock
 * @v insync	members in sync
 */
static void md_setup_raid0(struct md_array *a, const struct md_super *fresh,
			   unsigned int insync)
{
	if (a->chunk_sectors < MD_MIN_CHUNK) {
		md_fail(a, "RAID0 chunk size below 4 KiB");
		return;
	}
	if (insync < a->raid_disks) {
		md_fail(a, "RAID0 member missing");
		return;
	}
	md_raid0_create_zones(a, fresh);
}

const struct md_personality md_raid0_personality = {
	.levels = MD_LEVEL_BIT(0),
	.setup = md_setup_raid0,
	.read = md_read_raid0,
	.map_piece = md_raid0_map_piece,
};
