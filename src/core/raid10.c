/*
 * raid10.c - md RAID10 (drivers/md/raid10.c): near, far and offset copies
 * of each chunk, mapped exactly as Linux maps them; a read takes the first
 * copy that reads.
 */
#include "md_pers.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

#define R10_MAX_COPIES MD_MAX_DISKS

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

/**
 * Place one piece of a gathered read: the first readable copy, unless
 * another one continues a run already going on its member.
 *
 * @v a		array
 * @v lba	array sector
 * @v next	per slot: the sector that continues the run there
 * @v p		piece
 * @ret rc	0, or 1: no copy readable (the chunk path reports it)
 */
static int md_raid10_map_piece(struct md_array *a, uint64_t lba,
			       const uint64_t *next, struct md_piece *p)
{
	struct r10_copy copies[R10_MAX_COPIES];
	unsigned int ncopies = a->near_copies * a->far_copies;
	unsigned int pick = ncopies, c;

	md_raid10_map(a, lba, copies);
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
	if (pick == ncopies)
		return 1;
	p->slot = copies[pick].dev;
	p->addr = copies[pick].addr;
	return 0;
}

/**
 * Set up the RAID10 geometry and size (raid10.c setup_geo/calc_sectors).
 *
 * @v a		array
 * @ret ok	true if the layout is supported
 */
static bool md_raid10_setup_geo(struct md_array *a)
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
 * Check a RAID10: its layout, members big enough for it, and a readable
 * copy of every chunk.
 *
 * @v a		array
 * @v fresh	newest superblock (unused)
 * @v insync	members in sync (unused: the copies decide)
 */
static void md_setup_raid10(struct md_array *a, const struct md_super *fresh,
			    unsigned int insync)
{
	unsigned int r;

	(void)fresh;
	(void)insync;
	if (!md_raid10_setup_geo(a))
		return;
	for (r = 0; r < a->raid_disks; r++) {
		struct md_member *m = md_slot(a, r);

		if (m && m->data_size < a->zone_sectors) {
			md_fail(a, "RAID10 member smaller than the layout "
				   "needs");
			return;
		}
	}
	if (!md_raid10_complete(a))
		md_fail(a, "no copy left of some chunks");
}

const struct md_personality md_raid10_personality = {
	.levels = MD_LEVEL_BIT(10),
	.setup = md_setup_raid10,
	.read = md_read_raid10,
	.map_piece = md_raid10_map_piece,
	.redundant = true,
};
