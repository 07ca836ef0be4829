/*
 * test_volume.c - volume_scan() over mixes of real disks: GPT and MBR
 * (sgdisk/sfdisk), md arrays on partitions and whole disks (mdadm in a VM),
 * a blank disk, broken disks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "testplat.h"
#include "memdisk.h"
#include "simtarget.h"
#include "../../src/core/aoedev.h"
#include "../../src/core/errors.h"
#include "../../src/core/volume.h"

#define IMG "build/images"
#define MAXD 12

static int images_ok = -1;
static uint8_t *data1;

static int have_images(void)
{
	if (images_ok < 0) {
		FILE *f;

		images_ok = system("tests/images/mkparts.sh " IMG) == 0 &&
			    system("tests/images/mkmd.sh " IMG "/md >"
				   "build/images-md.log 2>&1") == 0;
		f = fopen(IMG "/md/data.bin", "rb");
		if (f) {
			data1 = malloc(64 << 20);
			if (fread(data1, 1, 64 << 20, f) != 64 << 20)
				images_ok = 0;
			fclose(f);
		} else {
			images_ok = 0;
		}
	}
	return images_ok;
}

struct disks {
	unsigned int n;
	struct memdisk md[MAXD];
	struct blkdev *blk[MAXD];
	uint8_t blank[1 << 20];
};

static struct disks *disks_new(void)
{
	struct disks *d = calloc(1, sizeof(*d));

	if (!have_images())
		check(!"test images missing");
	return d;
}

static struct memdisk *add(struct disks *d, const char *file)
{
	char path[256], name[16];
	struct memdisk *m = &d->md[d->n];

	snprintf(path, sizeof(path), IMG "/%s", file);
	snprintf(name, sizeof(name), "e%u.0", 11 + d->n);
	if (memdisk_load(m, name, path)) {
		check(!"image missing");
		return NULL;
	}
	d->blk[d->n++] = &m->blk;
	return m;
}

static void add_blank(struct disks *d)
{
	struct memdisk *m = &d->md[d->n];
	char name[16];

	snprintf(name, sizeof(name), "e%u.0", 11 + d->n);
	memset(d->blank, 0, sizeof(d->blank));
	memdisk_init(m, name, d->blank, sizeof(d->blank));
	m->data = NULL;		/* not freed */
	d->blk[d->n++] = &m->blk;
	m->data = d->blank;
}

static void disks_free(struct disks *d)
{
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		if (d->md[i].data != d->blank)
			memdisk_free(&d->md[i]);
	}
	free(d);
}

static void dump(const struct volume_set *set)
{
	unsigned int i;
	char line[300];

	for (i = 0; i < set->count; i++) {
		volume_describe(&set->vols[i], line, sizeof(line));
		fprintf(stderr, "  vol %u: %s\n", i, line);
	}
}

/** Volume @i must be @kind named @name. */
static const struct volume *want(const struct volume_set *set, unsigned int i,
				 enum volume_kind kind, const char *name)
{
	if (i >= set->count) {
		fprintf(stderr, "  no volume %u (want %s)\n", i, name);
		check(i < set->count);
		return NULL;
	}
	if (set->vols[i].kind != kind || strcmp(set->vols[i].blk->name, name))
		fprintf(stderr, "  volume %u: %s %s, want %s %s\n", i,
			volume_kind_str(set->vols[i].kind),
			set->vols[i].blk->name, volume_kind_str(kind), name);
	check_eq(set->vols[i].kind, kind);
	check(!strcmp(set->vols[i].blk->name, name));
	return &set->vols[i];
}

static void check_md_data(const struct volume *v, uint64_t bytes)
{
	uint8_t *buf = malloc(bytes);

	check(v && v->blk->nsectors * 512 == bytes);
	if (v && v->blk->nsectors * 512 == bytes) {
		check_eq(blk_read(v->blk, 0, bytes / 512, buf), 0);
		check(!memcmp(buf, data1, bytes));
	}
	free(buf);
}

static void check_mark(const struct volume *v, const char *mark)
{
	char buf[512];

	check(v != NULL);
	if (!v)
		return;
	check_eq(blk_read(v->blk, 0, 1, buf), 0);
	check(!memcmp(buf, mark, strlen(mark)));
}

static void test_mixed_disks(void)
{
	struct disks *d = disks_new();
	struct volume_set set;
	unsigned int i = 0;

	if (!add(d, "gpt.img") || !add(d, "mbr.img") ||
	    !add(d, "md/pt.0.img") || !add(d, "md/pt.1.img") ||
	    !add(d, "md/r1_10.0.img") || !add(d, "md/r1_10.1.img") ||
	    !add(d, "md/r1_12.1.img") || !add(d, "md/r0.0.img") ||
	    !add(d, "md/r1s090.0.img"))
		goto out;
	add_blank(d);
	check_eq(volume_scan(d->blk, d->n, &set), 0);
	dump(&set);
	/* Arrays first, in order of their first member. */
	check_md_data(want(&set, i++, VOLUME_MD, "md5"), 6291456);
	check_md_data(want(&set, i++, VOLUME_MD, "md6"), 8323072);
	check_md_data(want(&set, i++, VOLUME_MD, "md1"), 16711680);
	check_md_data(want(&set, i++, VOLUME_MD, "md3"), 15728640);
	check_eq(set.vols[3].md->state, MD_ARRAY_DEGRADED);
	/* 0.90 preferred minor 5 is taken by the array above: md127. */
	want(&set, i++, VOLUME_MD, "md127");
	/* Then the disks. */
	check_mark(want(&set, i++, VOLUME_PARTITION, "e11.0p1"), "MARK.gpt.p1");
	want(&set, i++, VOLUME_PARTITION, "e11.0p2");
	want(&set, i++, VOLUME_PARTITION, "e11.0p3");
	check_mark(want(&set, i++, VOLUME_PARTITION, "e11.0p5"), "MARK.gpt.p5");
	want(&set, i++, VOLUME_PARTITION, "e12.0p1");
	want(&set, i++, VOLUME_PARTITION, "e12.0p3");
	want(&set, i++, VOLUME_PARTITION, "e12.0p5");
	check_mark(want(&set, i++, VOLUME_PARTITION, "e12.0p6"), "MARK.mbr.p6");
	want(&set, i++, VOLUME_PARTITION, "e12.0p7");
	want(&set, i++, VOLUME_DISK, "e20.0");
	check_eq(set.count, i);
	/* The failed RAID0 is kept for display, not offered as a volume. */
	check_eq(set.md.count, 6);
	check_eq(set.md.arrays[4]->state, MD_ARRAY_FAILED);
	check(!strcmp(set.md.arrays[4]->blk.name, "md7"));
	volume_set_free(&set);
out:
	disks_free(d);
}

/*
 * A whole-disk RAID1 (1.0: data from sector 0) whose content is a GPT:
 * the member disks show that GPT too, but only md1p1... are volumes.
 */
static void test_whole_disk_member_with_partitioned_array(void)
{
	struct disks *d = disks_new();
	struct volume_set set;
	const uint64_t asz = 16711680;	/* r1_10 array size */
	const char *tmp = IMG "/md/gpt-in-array.img";
	char cmd[512];
	uint8_t *img;
	FILE *f;
	unsigned int k;

	snprintf(cmd, sizeof(cmd), "rm -f %s && truncate -s %llu %s && "
		 "sgdisk -n 1:2048:+4M -t 1:8300 -c 1:inner -n 2:0:0 %s "
		 ">/dev/null && printf 'MARK.inner' | dd of=%s bs=512 "
		 "seek=2048 conv=notrunc status=none", tmp,
		 (unsigned long long)asz, tmp, tmp, tmp);
	check_eq(system(cmd), 0);
	if (!add(d, "md/r1_10.0.img") || !add(d, "md/r1_10.1.img"))
		goto out;
	img = malloc(asz);
	f = fopen(tmp, "rb");
	check(f && fread(img, 1, asz, f) == asz);
	if (f)
		fclose(f);
	for (k = 0; k < 2; k++)
		memcpy(d->md[k].data, img, asz);
	free(img);
	check_eq(volume_scan(d->blk, d->n, &set), 0);
	dump(&set);
	check_mark(want(&set, 0, VOLUME_MD_PARTITION, "md1p1"), "MARK.inner");
	want(&set, 1, VOLUME_MD_PARTITION, "md1p2");
	check_eq(set.count, 2);
	check(set.count && !strcmp(set.vols[0].part->label, "inner"));
	check_eq(set.tables[0].count, 2);	/* seen, but not volumes */
	volume_set_free(&set);
out:
	disks_free(d);
}

static void test_broken_disks_skipped(void)
{
	struct disks *d = disks_new();
	struct volume_set set;
	struct memdisk *bad, *gpt;

	if (!(bad = add(d, "mbr.img")) || !(gpt = add(d, "gpt.img")) ||
	    !add(d, "md/pt.0.img") || !add(d, "md/pt.1.img"))
		goto out;
	bad->fail_after = 0;			/* every read fails */
	gpt->data[512 + 60] ^= 1;		/* both GPT headers bad */
	gpt->data[gpt->size - 512 + 60] ^= 1;
	d->md[2].data[2048 * 512 + 8 * 512 + 40] ^= 1;	/* pt.0 p1 md sb */
	check_eq(volume_scan(d->blk, d->n, &set), 0);
	dump(&set);
	check_eq(set.table_rc[0], -ERR_IO);
	check_eq(set.table_rc[1], -ERR_CORRUPT);
	/* md5 from pt.1 p1 alone (pt.0 p1's superblock is damaged and that
	 * partition is not offered either), md6 whole. */
	want(&set, 0, VOLUME_MD, "md6");
	want(&set, 1, VOLUME_MD, "md5");
	check_eq(set.count, 2);
	if (set.count == 2) {
		check_eq(set.vols[1].md->state, MD_ARRAY_DEGRADED);
		check_md_data(&set.vols[1], 6291456);
	}
	volume_set_free(&set);
out:
	disks_free(d);
}

static void test_describe(void)
{
	struct disks *d = disks_new();
	struct volume_set set;
	char line[300];

	if (!add(d, "gpt.img") || !add(d, "md/r1_12.0.img"))
		goto out;
	check_eq(volume_scan(d->blk, d->n, &set), 0);
	check_eq(set.count, 5);
	volume_describe(&set.vols[0], line, sizeof(line));
	check(!strcmp(line, "md3 raid1 (metadata 1.2) degraded, 15.0 MiB: "
		      "e12.0 in sync, - missing"));
	check_eq(volume_describe(&set.vols[0], line, 10), 69);
	check(!strcmp(line, "md3 raid1"));
	volume_describe(&set.vols[3], line, sizeof(line));
	check(!strcmp(line, "e11.0p3 partition 3 of e11.0, 2.0 MiB, Linux "
		      "RAID \"r\xc3\xa4id-\xc3\xbc\""));
	volume_set_free(&set);
	check_eq(volume_scan(NULL, 0, &set), 0);
	check_eq(set.count, 0);
	volume_set_free(&set);
out:
	disks_free(d);
}

/*
 * The whole stack on the AoE engine: four simulated targets (5% loss each
 * way, reordering) carry the members of a RAID10 far-2 array made by
 * mdadm; the volume scan finds it and one read of the whole array matches
 * what Linux wrote.  Then one target dies: the array still reads, from the
 * other copies.
 */
static void test_raid10_over_simulated_aoe(void)
{
	static struct sim_wire w;
	struct aoe_ctx ctx;
	struct netdev *nds[1];
	struct blkdev *blks[4];
	struct volume_set set;
	struct aoe_options opt = { .dead_us = 2000000 };
	const uint64_t asz = 31457280;
	uint8_t *buf = malloc(asz);
	unsigned int i;

	if (!have_images())
		goto out;
	sim_init(&w, 1500, 7);
	w.loss_req = 5;
	w.loss_rep = 5;
	w.reorder = 5;
	w.latency_us = 100;
	for (i = 0; i < 4; i++) {
		struct memdisk m;
		char path[64];
		struct sim_target *st;

		snprintf(path, sizeof(path), IMG "/md/r10f2.%u.img", i);
		if (memdisk_load(&m, "x", path)) {
			check(!"member image missing");
			goto out_sim;
		}
		st = sim_add_target(&w, 21, (uint8_t)i, m.blk.nsectors);
		memcpy(st->disk, m.data, m.size);
		memdisk_free(&m);
	}
	nds[0] = &w.nd;
	check_eq(aoe_init(&ctx, nds, 1, &opt), 0);
	check_eq(aoe_discover(&ctx, 200), 4);
	for (i = 0; i < 4 && i < ctx.ntargets; i++) {
		check_eq(aoe_identify(ctx.targets[i]), 0);
		blks[i] = &ctx.targets[i]->blk;
	}
	if (ctx.ntargets != 4)
		goto out_ctx;
	check_eq(volume_scan(blks, 4, &set), 0);
	check_eq(set.count, 1);
	if (set.count == 1) {
		struct blkdev *md = set.vols[0].blk;

		check(!strcmp(md->name, "md1"));
		check_eq(md->nsectors * 512, asz);
		memset(buf, 0, asz);
		check_eq(blk_read(md, 0, asz / 512, buf), 0);
		check(!memcmp(buf, data1, asz));
		/* e21.2 stops answering. */
		w.targets[2].dead = true;
		memset(buf, 0, asz);
		check_eq(blk_read(md, 0, asz / 512, buf), 0);
		check(!memcmp(buf, data1, asz));
		check(set.vols[0].md->members[2].read_errors > 0);
	}
	volume_set_free(&set);
out_ctx:
	aoe_shutdown(&ctx);
out_sim:
	sim_free(&w);
out:
	free(buf);
}

int main(void)
{
	test_run(test_mixed_disks);
	test_run(test_whole_disk_member_with_partitioned_array);
	test_run(test_broken_disks_skipped);
	test_run(test_describe);
	test_run(test_raid10_over_simulated_aoe);
	return test_exit();
}
