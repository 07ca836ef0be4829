/*
 * md.c - Linux md arrays, read-only: assembly (members grouped by array
 * UUID, the newest superblock deciding every member's role) and the array
 * as a blkdev, which hands each read to its level (md_pers.h) after trying
 * to gather a striped read into big member requests.  Superblocks are
 * md_super.c's; the levels live in md_linear.c, raid0.c, raid1.c,
 * raid10.c and raid456.c, as in drivers/md.
 */
#include "md.h"
#include "md_pers.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "platform.h"

/** Most sectors one gathered member request carries (4 MiB). */
#define MD_RUN_MAX 8192

/** Every level aoeboot reads, found by md_personality_find(). */
static const struct md_personality *const md_personalities[] = {
	&md_linear_personality,
	&md_raid0_personality,
	&md_raid1_personality,
	&md_raid10_personality,
	&md_raid456_personality,
};

/**
 * The personality of a level.
 *
 * @v level	md level
 * @ret pers	personality, or NULL when the level is not supported
 */
static const struct md_personality *md_personality_find(int32_t level)
{
	size_t i;

	if (level < MD_LEVEL_LINEAR || level > 30)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(md_personalities); i++) {
		if (md_personalities[i]->levels & MD_LEVEL_BIT(level))
			return md_personalities[i];
	}
	return NULL;
}

/* --- reading ------------------------------------------------------------ */

int md_member_read(struct md_array *a, struct md_member *m, uint64_t addr,
		   uint64_t count, void *buf)
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
 * A striped read (RAID0, 4, 5, 6, 10) spanning several chunks: the pieces that
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
	uint64_t cs = a->chunk_sectors, off = 0;
	size_t np = 0, max = (size_t)(count / cs) + 2, i, j;
	uint64_t next[MD_MAX_DISKS];
	struct md_piece *pc;
	unsigned int slot;
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
		if (a->pers->map_piece(a, at, next, p)) {
			plat_free(pc);
			return 1;
		}
		next[p->slot] = p->addr + p->n;
		off += p->n;
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
			if (rc && a->pers->redundant) {
				/* Retry this run chunk by chunk, with
				 * failover to the other copies / parity. */
				size_t k;

				rc = 0;
				for (k = i; k <= last && !rc; k++) {
					if (pc[k].slot != slot)
						continue;
					rc = a->pers->read(a, lba + pc[k].off,
							   pc[k].n,
							   buf + pc[k].off *
							   512);
				}
			}
			i = j;
		}
	}
	plat_free(pc);
	return rc;
}

/**
 * blkdev read of an array: striped levels try the gathered path first,
 * then (or else) the level's own chunk-by-chunk read.
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
	if (!a->pers)
		return -ERR_NOTSUP;
	if (a->pers->map_piece) {
		int rc = md_read_gather(a, lba, count, buf);

		if (rc <= 0)
			return rc;
	}
	return a->pers->read(a, lba, count, buf);
}

static const struct blkdev_ops md_ops = {
	.read = md_read,
};

/* --- assembly ------------------------------------------------------------ */

void md_fail(struct md_array *a, const char *why)
{
	a->state = MD_ARRAY_FAILED;
	fmt_snprintf(a->why, sizeof(a->why), "%s", why);
	a->blk.nsectors = 0;
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

	/* Geometry and size: the level's business. */
	a->pers = md_personality_find(a->level);
	if (a->pers)
		a->pers->setup(a, fresh, insync);
	else
		md_fail(a, "RAID level not supported");
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
