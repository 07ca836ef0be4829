/*
 * bootmeth_raw.c - the boot method for raw targets: kernel=eX.Y is a
 * whole target holding a kernel image, initrd=eX.Y,... whole targets
 * holding initrds (concatenated in order).  The command line is append=
 * and the contract (BOOTIF=, aoeboot.targets= naming these targets).
 */
#include "bootmeth.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

#define RAW_CHUNK_SECTORS	2048	/* 1 MiB per request: progress steps */

static void raw_collect(struct bootmgr *bm, enum bm_filter filter)
{
	const struct settings *set = bm->set;
	struct bm_cand *c;
	char name[16];

	(void)filter;
	if (!set->have_kernel)
		return;
	c = bm_add(bm, &bootmeth_raw);
	if (!c)
		return;
	fmt_snprintf(name, sizeof(name), "e%u.%u", set->kernel.shelf,
		     set->kernel.slot);
	fmt_snprintf(c->id, sizeof(c->id), "%s", name);
	fmt_snprintf(c->title, sizeof(c->title),
		     "Linux from %s (whole target)", name);
	fmt_snprintf(c->cmdline, BOOTCFG_CMDLINE_MAX, "%s", set->append);
	c->is_default = true;
}

/* Read a whole target into @buf (its size), showing progress. */
static int raw_read(struct aoe_target *t, uint8_t *buf)
{
	uint64_t lba, n, start = plat_now_us(), total, us;
	char size[24];
	int rc;

	total = t->nsectors * AOE_SECTOR_SIZE;
	for (lba = 0; lba < t->nsectors; lba += n) {
		n = MIN((uint64_t)RAW_CHUNK_SECTORS, t->nsectors - lba);
		rc = aoe_read(t, lba, n, buf + lba * AOE_SECTOR_SIZE);
		if (rc < 0)
			return rc;
		plat_progress(t->blk.name, (lba + n) * AOE_SECTOR_SIZE, total,
			      plat_now_us() - start);
	}
	us = plat_now_us() - start;
	fmt_size(size, sizeof(size), total);
	log_info("loaded %s: %s in %llu ms, %llu KiB/s", t->blk.name, size,
		 (unsigned long long)(us / 1000),
		 (unsigned long long)(us ? total * 1000000 / 1024 / us : 0));
	return 0;
}

/* The kernel= and initrd= targets, or NULL with the missing one logged. */
static struct aoe_target *raw_target(struct bootmgr *bm,
				     const struct set_target *st,
				     const char *what)
{
	struct aoe_target *t = aoe_find(bm->aoe, st->shelf, st->slot);

	if (!t || !t->identified) {
		log_error("%s target e%u.%u is not available", what,
			  st->shelf, st->slot);
		return NULL;
	}
	return t;
}

static int raw_boot(struct bootmgr *bm, struct bm_cand *c)
{
	const struct settings *set = bm->set;
	struct aoe_target *used[1 + SET_MAX_INITRDS];
	const char *names[1 + SET_MAX_INITRDS];
	struct boot_image *img;	/* holds a command line: not on the stack */
	uint64_t ksize, isize = 0, off = 0;
	unsigned int i, nused = 0;
	int rc;

	used[nused] = raw_target(bm, &set->kernel, "kernel");
	if (!used[nused++])
		return -ERR_NODEV;
	for (i = 0; i < set->ninitrds; i++) {
		used[nused] = raw_target(bm, &set->initrds[i], "initrd");
		if (!used[nused])
			return -ERR_NODEV;
		isize += used[nused++]->nsectors * AOE_SECTOR_SIZE;
	}
	for (i = 0; i < nused; i++)
		names[i] = used[i]->blk.name;
	ksize = used[0]->nsectors * AOE_SECTOR_SIZE;
	if (ksize > BOOTFLOW_MAX_FILE || isize > BOOTFLOW_MAX_FILE) {
		log_error("%s: too large for a kernel or initrd", c->id);
		return -ERR_TOOBIG;
	}
	img = plat_alloc(sizeof(*img));
	if (!img)
		return -ERR_NOMEM;
	memset(img, 0, sizeof(*img));
	rc = bootcfg_cmdline(c->cmdline, used[0]->paths[0].nd->mac, names,
			     nused, used[0]->ctx->opt.vlan, img->cmdline,
			     sizeof(img->cmdline));
	if (rc < 0) {
		log_error("%s: cannot build the command line: %s", c->id,
			  err_str(rc));
		goto out;
	}
	img->kernel = plat_alloc((size_t)ksize);
	img->initrd = isize ? plat_alloc((size_t)isize) : NULL;
	if (!img->kernel || (isize && !img->initrd)) {
		log_error("not enough memory for the kernel and initrd");
		rc = -ERR_NOMEM;
		goto out;
	}
	img->kernel_size = (size_t)ksize;
	img->initrd_size = (size_t)isize;
	rc = raw_read(used[0], img->kernel);
	for (i = 1; rc == 0 && i < nused; i++) {
		img->initrd_sizes[i - 1] =
			(size_t)(used[i]->nsectors * AOE_SECTOR_SIZE);
		rc = raw_read(used[i], img->initrd + off);
		off += used[i]->nsectors * AOE_SECTOR_SIZE;
	}
	if (rc < 0) {
		log_error("loading failed: %s", err_str(rc));
		goto out;
	}
	log_info("command line: %s", img->cmdline);
	rc = bm_handoff(bm, c, used[0], img);
out:
	bootflow_image_free(img);
	plat_free(img);
	return rc;
}

const struct bootmeth bootmeth_raw = {
	.name = "raw",
	.collect = raw_collect,
	.boot = raw_boot,
};
