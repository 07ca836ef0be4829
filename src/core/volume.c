/*
 * volume.c - partition tables + md arrays -> candidate volumes.
 *
 * A 0.90 or 1.0 superblock sits at the end of its device, so a member
 * partition that runs to the end of its disk may show the same superblock
 * to the whole disk too (the classic 0.90 ambiguity).  When a partition
 * holds the very superblock the whole disk sees (same place on the disk,
 * same array), the partition is the member.  When the whole disk alone has
 * one, the whole disk is the member and the partition table it shows
 * belongs to the array's contents (data starts at sector 0 for 0.90/1.0):
 * those partitions are not volumes of the disk.
 */
#include "volume.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "platform.h"

/** Scan scratch: superblocks found and which devices are md members. */
struct volume_scan_state {
	struct md_super *sbs;
	unsigned int nsbs, capacity;
};

/**
 * Examine one device for md metadata and record it.
 *
 * @v dev	device
 * @v sb	where to decode (also returned for the caller's checks)
 * @ret rc	0 valid superblock, -ERR_NODEV none, other: damaged md
 *		metadata (logged by md_examine)
 */
static int volume_examine(struct blkdev *dev, struct md_super *sb)
{
	int rc = md_examine(dev, sb);

	if (rc == -ERR_CORRUPT || rc == -ERR_NOTSUP)
		log_warn("%s: damaged or unsupported md metadata: not used "
			 "as a volume", dev->name);
	else if (rc && rc != -ERR_NODEV && rc != -ERR_NOMEM)
		log_warn("%s: md superblock probe failed (%s): not used as "
			 "a volume", dev->name, err_str(rc));
	return rc;
}

/**
 * Append a superblock to the list, growing it as needed.
 *
 * @v st	scan state
 * @v sb	superblock
 * @ret rc	0 or -ERR_NOMEM
 */
static int volume_keep_sb(struct volume_scan_state *st,
			  const struct md_super *sb)
{
	if (st->nsbs == st->capacity) {
		unsigned int cap = st->capacity ? 2 * st->capacity : 8;
		struct md_super *n = plat_alloc(cap * sizeof(*n));

		if (!n)
			return -ERR_NOMEM;
		if (st->nsbs)
			memcpy(n, st->sbs, st->nsbs * sizeof(*n));
		plat_free(st->sbs);
		st->sbs = n;
		st->capacity = cap;
	}
	memcpy(&st->sbs[st->nsbs++], sb, sizeof(*sb));
	return 0;
}

/**
 * Append a volume.
 *
 * @v set	volume set (vols sized by the caller)
 * @v kind	kind
 * @v blk	device
 * @v disk	disk, or NULL
 * @v part	partition, or NULL
 * @v md	array, or NULL
 */
static void volume_add(struct volume_set *set, enum volume_kind kind,
		       struct blkdev *blk, struct blkdev *disk,
		       const struct partition *part,
		       const struct md_array *md)
{
	struct volume *v = &set->vols[set->count++];

	v->kind = kind;
	v->blk = blk;
	v->disk = disk;
	v->part = part;
	v->md = md;
}

/**
 * Scan one disk: its table, md on it and on its partitions.
 *
 * @v set	volume set
 * @v st	scan state
 * @v i		disk index
 * @v member	per-partition flags to fill: true = md member (or damaged
 *		md metadata), not a volume
 * @v disk_member	set when the whole disk is an md member
 * @ret rc	0 or -ERR_NOMEM
 */
static int volume_scan_disk(struct volume_set *set,
			    struct volume_scan_state *st, unsigned int i,
			    bool *member, bool *disk_member)
{
	struct blkdev *disk = set->disks[i];
	struct part_table *t = &set->tables[i];
	struct md_super *dsb, *psb = NULL;
	int *prc = NULL;
	unsigned int p;
	int drc, rc = -ERR_NOMEM;

	*disk_member = false;
	dsb = plat_alloc(sizeof(*dsb));
	if (!dsb)
		return -ERR_NOMEM;
	drc = volume_examine(disk, dsb);
	if (drc == -ERR_NOMEM)
		goto out;
	set->table_rc[i] = part_scan(disk, t);
	if (set->table_rc[i] == -ERR_NOMEM)
		goto out;
	if (set->table_rc[i])
		log_error("%s: partition table unusable (%s): no partitions "
			  "from this disk", disk->name,
			  err_str(set->table_rc[i]));
	if (t->count) {
		psb = plat_alloc(t->count * sizeof(*psb));
		prc = plat_alloc(t->count * sizeof(*prc));
		if (!psb || !prc)
			goto out;
	}
	for (p = 0; p < t->count; p++) {
		struct partition *part = &t->parts[p];

		prc[p] = volume_examine(&part->blk, &psb[p]);
		if (prc[p] == -ERR_NOMEM)
			goto out;
		member[p] = prc[p] != -ERR_NODEV;
		if (!drc && !prc[p] && !memcmp(dsb->uuid, psb[p].uuid, 16) &&
		    part->start + psb[p].sb_offset == dsb->sb_offset) {
			log_info("%s: md superblock belongs to partition %s, "
				 "not the whole disk", disk->name,
				 part->blk.name);
			drc = -ERR_NODEV;
		}
	}
	if (drc == 0) {
		/* The whole disk is the member: what looks like its
		 * partitions is the array's content. */
		*disk_member = true;
		if (t->count)
			log_info("%s: whole-disk md member (metadata %u.%u): "
				 "its partition table belongs to the array",
				 disk->name, dsb->major, dsb->minor);
		rc = volume_keep_sb(st, dsb);
	} else {
		*disk_member = drc != -ERR_NODEV;
		rc = 0;
		for (p = 0; p < t->count && !rc; p++) {
			if (!prc[p])
				rc = volume_keep_sb(st, &psb[p]);
		}
	}
out:
	plat_free(dsb);
	plat_free(psb);
	plat_free(prc);
	return rc;
}

int volume_scan(struct blkdev **disks, unsigned int ndisks,
		struct volume_set *out)
{
	struct volume_scan_state st;
	bool *member[VOLUME_MAX_DISKS];
	bool disk_member[VOLUME_MAX_DISKS];
	bool md_bad[MD_MAX_ARRAYS];
	unsigned int i, p, cap;
	int rc = -ERR_NOMEM;

	memset(out, 0, sizeof(*out));
	memset(member, 0, sizeof(member));
	memset(md_bad, 0, sizeof(md_bad));
	if (ndisks > VOLUME_MAX_DISKS) {
		log_warn("%u disks: only the first %u are scanned", ndisks,
			 VOLUME_MAX_DISKS);
		ndisks = VOLUME_MAX_DISKS;
	}
	out->ndisks = ndisks;
	for (i = 0; i < ndisks; i++)
		out->disks[i] = disks[i];
	st.nsbs = 0;
	st.capacity = 0;
	st.sbs = NULL;

	for (i = 0; i < ndisks; i++) {
		member[i] = plat_alloc(PART_MAX * sizeof(bool));
		if (!member[i])
			goto out;
		memset(member[i], 0, PART_MAX * sizeof(bool));
		rc = volume_scan_disk(out, &st, i, member[i], &disk_member[i]);
		if (rc)
			goto out;
	}
	rc = md_assemble(st.sbs, st.nsbs, &out->md);
	if (rc)
		goto out;

	/* Capacity: every disk, partition, array and array partition. */
	cap = ndisks;
	for (i = 0; i < ndisks; i++)
		cap += out->tables[i].count;
	for (i = 0; i < out->md.count; i++) {
		struct md_array *a = out->md.arrays[i];

		if (a->state == MD_ARRAY_FAILED)
			continue;
		rc = part_scan(&a->blk, &out->md_tables[i]);
		if (rc == -ERR_NOMEM)
			goto out;
		md_bad[i] = rc != 0;
		if (rc)
			log_error("%s: partition table unusable (%s): array "
				  "not used", a->blk.name, err_str(rc));
		cap += 1 + out->md_tables[i].count;
	}
	out->vols = plat_alloc(cap * sizeof(*out->vols));
	rc = -ERR_NOMEM;
	if (!out->vols)
		goto out;

	for (i = 0; i < out->md.count; i++) {
		struct md_array *a = out->md.arrays[i];
		struct part_table *t = &out->md_tables[i];

		if (a->state == MD_ARRAY_FAILED || md_bad[i])
			continue;
		if (t->scheme == PART_SCHEME_NONE) {
			volume_add(out, VOLUME_MD, &a->blk, NULL, NULL, a);
			continue;
		}
		for (p = 0; p < t->count; p++)
			volume_add(out, VOLUME_MD_PARTITION,
				   &t->parts[p].blk, NULL, &t->parts[p], a);
	}
	for (i = 0; i < ndisks; i++) {
		struct part_table *t = &out->tables[i];

		if (disk_member[i] || out->table_rc[i])
			continue;
		if (t->scheme == PART_SCHEME_NONE) {
			volume_add(out, VOLUME_DISK, disks[i], disks[i], NULL,
				   NULL);
			continue;
		}
		for (p = 0; p < t->count; p++) {
			if (!member[i][p])
				volume_add(out, VOLUME_PARTITION,
					   &t->parts[p].blk, disks[i],
					   &t->parts[p], NULL);
		}
	}
	rc = 0;
out:
	for (i = 0; i < ndisks; i++)
		plat_free(member[i]);
	plat_free(st.sbs);
	if (rc)
		volume_set_free(out);
	return rc;
}

void volume_set_free(struct volume_set *set)
{
	unsigned int i;

	for (i = 0; i < VOLUME_MAX_DISKS; i++)
		part_table_free(&set->tables[i]);
	for (i = 0; i < MD_MAX_ARRAYS; i++)
		part_table_free(&set->md_tables[i]);
	md_set_free(&set->md);
	plat_free(set->vols);
	memset(set, 0, sizeof(*set));
}

const char *volume_kind_str(enum volume_kind kind)
{
	switch (kind) {
	case VOLUME_DISK: return "disk";
	case VOLUME_PARTITION: return "partition";
	case VOLUME_MD: return "md";
	case VOLUME_MD_PARTITION: return "md partition";
	}
	return "?";
}

int volume_describe(const struct volume *vol, char *buf, size_t size)
{
	char sz[24];
	const char *tn;
	int len;
	unsigned int i;

	fmt_size(sz, sizeof(sz), (uint64_t)vol->blk->nsectors *
		 vol->blk->sector_size);
	switch (vol->kind) {
	case VOLUME_DISK:
		return fmt_snprintf(buf, size, "%s whole disk, %s",
				    vol->blk->name, sz);
	case VOLUME_PARTITION:
	case VOLUME_MD_PARTITION:
		tn = part_type_name(vol->part);
		return fmt_snprintf(buf, size,
				    "%s partition %u of %s, %s, %s%s%s%s",
				    vol->blk->name, vol->part->number,
				    vol->part->disk->name, sz,
				    tn ? tn : "unknown type",
				    vol->part->label[0] ? " \"" : "",
				    vol->part->label,
				    vol->part->label[0] ? "\"" : "");
	case VOLUME_MD:
		len = fmt_snprintf(buf, size, "%s %s (metadata %s) %s, %s:",
				   vol->blk->name, md_level_str(vol->md->level),
				   vol->md->version,
				   md_array_state_str(vol->md->state), sz);
		for (i = 0; i < vol->md->nmembers; i++) {
			const struct md_member *m = &vol->md->members[i];
			size_t used = (size_t)len < size ? (size_t)len : size;

			len += fmt_snprintf(buf + used, size - used, "%s %s %s",
					    i ? "," : "",
					    m->dev ? m->dev->name : "-",
					    md_member_state_str(m->state));
		}
		return len;
	}
	return fmt_snprintf(buf, size, "%s", vol->blk->name);
}
