/*
 * bootflow.c - from AoE targets to "this entry, these bytes" (see .h).
 */
#include "bootflow.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

/** Progress of one file load, fed by the AoE engine's callback. */
struct load_progress {
	const char *what;
	uint64_t done;
	uint64_t total;
	uint64_t start_us;
};

static void load_progress_cb(void *arg, uint64_t bytes)
{
	struct load_progress *p = arg;

	p->done += bytes;
	if (p->done > p->total)
		p->done = p->total;	/* metadata reads count too */
	plat_progress(p->what, p->done, p->total,
		      plat_now_us() - p->start_us);
}

void bootflow_init(struct bootflow *bf, struct aoe_ctx *aoe)
{
	memset(bf, 0, sizeof(*bf));
	bf->aoe = aoe;
	bf->default_index = -1;
	bf->timeout_ds = -1;
}

void bootflow_add_target(struct bootflow *bf, struct aoe_target *t)
{
	unsigned int i;
	int rc;

	for (i = 0; i < bf->ntargets; i++) {
		if (bf->targets[i] == t)
			return;
	}
	rc = aoe_identify(t);
	if (rc) {
		log_warn("%s: IDENTIFY failed (%s); going on without it",
			 t->blk.name, err_str(rc));
		return;
	}
	if (bf->ntargets < AOE_MAX_TARGETS)
		bf->targets[bf->ntargets++] = t;
}

int bootflow_targets(struct bootflow *bf, struct aoe_ctx *aoe,
		     const char *list, uint32_t timeout_ms)
{
	unsigned int i;
	int rc;

	bootflow_init(bf, aoe);
	if (!list || !*list) {
		rc = aoe_discover(aoe, timeout_ms);
		if (rc < 0)
			return rc;
		for (i = 0; i < aoe->ntargets; i++)
			bootflow_add_target(bf, aoe->targets[i]);
	} else {
		const char *p = list;

		while (*p) {
			char name[24];
			size_t n = 0;
			uint16_t shelf;
			uint8_t slot;
			struct aoe_target *t;

			while (*p == ',' || *p == ' ')
				p++;
			while (*p && *p != ',' && *p != ' ') {
				if (n + 1 < sizeof(name))
					name[n++] = *p;
				p++;
			}
			name[n] = '\0';
			if (!n)
				continue;
			if (aoe_parse_name(name, &shelf, &slot)) {
				log_warn("bad target name '%s' (expected "
					 "e<shelf>.<slot>)", name);
				continue;
			}
			t = aoe_probe(aoe, shelf, slot, timeout_ms);
			if (!t) {
				log_warn("target %s did not answer; going on "
					 "without it (its arrays may be "
					 "degraded)", name);
				continue;
			}
			bootflow_add_target(bf, t);
		}
	}
	return bf->ntargets ? (int)bf->ntargets : -ERR_NODEV;
}

/** Append every entry of one mounted filesystem to the candidates. */
static void bootflow_add_entries(struct bootflow *bf, struct bootflow_fs *bfs)
{
	unsigned int i;

	for (i = 0; i < bfs->list.count; i++) {
		const struct boot_entry *e = &bfs->list.entries[i];

		if (bf->ncands >= BOOTFLOW_MAX_CANDIDATES) {
			log_warn("more than %d boot entries; ignoring the rest",
				 BOOTFLOW_MAX_CANDIDATES);
			return;
		}
		/* The first volume's default wins: volumes come in a fixed
		 * order, so the choice does not depend on timing. */
		if (e->is_default && bf->default_index < 0) {
			bf->default_index = (int)bf->ncands;
			bf->timeout_ds = bfs->list.timeout_ds;
		}
		bf->cands[bf->ncands].bfs = bfs;
		bf->cands[bf->ncands].entry = e;
		bf->ncands++;
	}
}

int bootflow_scan(struct bootflow *bf)
{
	struct blkdev *disks[AOE_MAX_TARGETS];
	unsigned int i;
	int rc;

	if (!bf->ntargets)
		return -ERR_NODEV;
	for (i = 0; i < bf->ntargets; i++)
		disks[i] = &bf->targets[i]->blk;
	rc = volume_scan(disks, bf->ntargets, &bf->vols);
	if (rc < 0)
		return rc;
	bf->scanned = true;
	for (i = 0; i < bf->vols.count && bf->nfs < BOOTFLOW_MAX_FS; i++) {
		const struct volume *vol = &bf->vols.vols[i];
		struct bootflow_fs *bfs = &bf->fs[bf->nfs];

		memset(bfs, 0, sizeof(*bfs));
		rc = fs_mount(vol->blk, &bfs->fs);
		if (rc == -ERR_BADFS) {
			log_debug("%s: no filesystem", vol->blk->name);
			continue;
		}
		if (rc) {
			log_warn("%s: cannot mount: %s; skipped",
				 vol->blk->name, err_str(rc));
			continue;
		}
		bfs->vol = vol;
		bf->nfs++;
		rc = bootcfg_scan(bfs->fs, &bfs->list);
		if (rc < 0) {
			log_warn("%s: boot entries unreadable: %s",
				 vol->blk->name, err_str(rc));
			continue;
		}
		bootflow_add_entries(bf, bfs);
	}
	if (bf->default_index < 0 && bf->ncands)
		bf->default_index = 0;
	return (int)bf->ncands;
}

int bootflow_find(const struct bootflow *bf, const char *want)
{
	unsigned int i;

	for (i = 0; i < bf->ncands; i++) {
		if (!strcmp(bf->cands[i].entry->id, want))
			return (int)i;
	}
	for (i = 0; i < bf->ncands; i++) {
		if (!strcmp(bf->cands[i].entry->title, want))
			return (int)i;
	}
	return -1;
}

/** Read one whole file into a new buffer, drawing progress. */
static int load_file(struct bootflow *bf, struct fs *fs, const char *path,
		     bool may_be_empty, uint8_t **out, size_t *size)
{
	struct load_progress prog;
	struct fs_file *file;
	uint8_t *buf;
	int rc;

	rc = fs_open(fs, path, &file);
	if (rc) {
		log_error("%s: cannot open %s: %s", fs->dev->name, path,
			  err_str(rc));
		return rc;
	}
	if (file->type != FS_FT_FILE) {
		log_error("%s: %s is not a regular file", fs->dev->name, path);
		fs_close(file);
		return -ERR_ISDIR;
	}
	if ((file->size == 0 && !may_be_empty) ||
	    file->size > BOOTFLOW_MAX_FILE) {
		log_error("%s: %s has an unusable size (%llu bytes)",
			  fs->dev->name, path,
			  (unsigned long long)file->size);
		fs_close(file);
		return -ERR_TOOBIG;
	}
	buf = plat_alloc((size_t)file->size + 4);
	if (!buf) {
		log_error("out of memory for %s (%llu bytes)", path,
			  (unsigned long long)file->size);
		fs_close(file);
		return -ERR_NOMEM;
	}
	prog = (struct load_progress){ .what = path, .total = file->size,
				       .start_us = plat_now_us() };
	bf->aoe->progress = load_progress_cb;
	bf->aoe->progress_arg = &prog;
	rc = file->size ? fs_read(file, 0, buf, (size_t)file->size) : 0;
	bf->aoe->progress = NULL;
	if (rc >= 0 && (uint64_t)rc != file->size)
		rc = -ERR_IO;
	if (rc < 0) {
		log_error("%s: reading %s failed: %s", fs->dev->name, path,
			  err_str(rc));
		plat_free(buf);
		fs_close(file);
		return rc;
	}
	plat_progress(path, file->size, file->size,
		      plat_now_us() - prog.start_us);
	*out = buf;
	*size = (size_t)file->size;
	fs_close(file);
	return 0;
}

int bootflow_options(const struct bootflow *bf, unsigned int index,
		     const char *append, char *buf, size_t size)
{
	const struct boot_entry *e;

	if (index >= bf->ncands)
		return -ERR_INVAL;
	e = bf->cands[index].entry;
	if (fmt_snprintf(buf, size, "%s%s%s", e->options,
			 *e->options && append && *append ? " " : "",
			 append ? append : "") >= (int)size) {
		log_error("%s: command line too long", e->id);
		return -ERR_TOOBIG;
	}
	return 0;
}

int bootflow_load(struct bootflow *bf, unsigned int index,
		  const char *append, struct boot_image *img)
{
	char *options;		/* a command line: too big for the stack */
	int rc;

	options = plat_alloc(BOOTCFG_CMDLINE_MAX);
	if (!options)
		return -ERR_NOMEM;
	rc = bootflow_options(bf, index, append, options, BOOTCFG_CMDLINE_MAX);
	if (rc == 0)
		rc = bootflow_load_options(bf, index, options, img);
	plat_free(options);
	return rc;
}

int bootflow_load_options(struct bootflow *bf, unsigned int index,
			  const char *options, struct boot_image *img)
{
	const struct boot_candidate *c;
	const struct boot_entry *e;
	struct fs *fs;
	const char *names[AOE_MAX_TARGETS];
	char tnames[AOE_MAX_TARGETS][12];
	uint8_t *parts[BOOTCFG_MAX_INITRDS] = { NULL };
	size_t total = 0, off;
	uint64_t start;
	unsigned int i;
	int rc;

	if (index >= bf->ncands)
		return -ERR_INVAL;
	c = &bf->cands[index];
	e = c->entry;
	fs = c->bfs->fs;
	memset(img, 0, sizeof(*img));
	img->cand = c;
	start = plat_now_us();

	/* The command line first: a bad one fails before any loading. */
	for (i = 0; i < bf->ntargets; i++) {
		aoe_target_name(bf->targets[i], tnames[i], sizeof(tnames[i]));
		names[i] = tnames[i];
	}
	rc = bootcfg_cmdline(options, bf->targets[0]->paths[0].nd->mac,
			     names, bf->ntargets, bf->targets[0]->ctx->opt.vlan,
			     img->cmdline, sizeof(img->cmdline));
	if (rc < 0) {
		log_error("%s: cannot build the command line: %s", e->id,
			  err_str(rc));
		return rc;
	}

	rc = load_file(bf, fs, e->kernel, false, &img->kernel, &img->kernel_size);
	if (rc)
		goto err;
	for (i = 0; i < e->ninitrd; i++) {
		rc = load_file(bf, fs, e->initrd[i], true, &parts[i],
			       &img->initrd_sizes[i]);
		if (rc)
			goto err;
		/* Each initrd starts 4-byte aligned, as the kernel's
		 * initramfs unpacker expects of concatenated archives. */
		total += (img->initrd_sizes[i] + 3) & ~(size_t)3;
	}
	if (e->ninitrd == 1) {
		img->initrd = parts[0];
		img->initrd_size = img->initrd_sizes[0];
		parts[0] = NULL;
	} else if (e->ninitrd > 1) {
		img->initrd = plat_alloc(total);
		if (!img->initrd) {
			rc = -ERR_NOMEM;
			goto err;
		}
		for (i = 0, off = 0; i < e->ninitrd; i++) {
			size_t padded = (img->initrd_sizes[i] + 3) & ~(size_t)3;

			memcpy(img->initrd + off, parts[i],
			       img->initrd_sizes[i]);
			memset(img->initrd + off + img->initrd_sizes[i], 0,
			       padded - img->initrd_sizes[i]);
			off += padded;
		}
		img->initrd_size = total;
	}
	img->load_us = plat_now_us() - start;
	for (i = 0; i < e->ninitrd; i++)
		plat_free(parts[i]);
	return 0;
err:
	for (i = 0; i < e->ninitrd; i++)
		plat_free(parts[i]);
	bootflow_image_free(img);
	return rc;
}

void bootflow_image_free(struct boot_image *img)
{
	plat_free(img->kernel);
	plat_free(img->initrd);
	img->kernel = NULL;
	img->initrd = NULL;
	img->kernel_size = 0;
	img->initrd_size = 0;
}

struct bootflow_fs *bootflow_boot_volume(struct bootflow *bf)
{
	if (bf->default_index >= 0)
		return bf->cands[bf->default_index].bfs;
	return bf->nfs ? &bf->fs[0] : NULL;
}

struct bootflow_fs *bootflow_volume(struct bootflow *bf, const char *name)
{
	unsigned int i;

	for (i = 0; i < bf->nfs; i++) {
		if (!strcmp(bf->fs[i].vol->blk->name, name))
			return &bf->fs[i];
	}
	return NULL;
}

void bootflow_free(struct bootflow *bf)
{
	unsigned int i;

	for (i = 0; i < bf->nfs; i++) {
		bootcfg_free(&bf->fs[i].list);
		fs_unmount(bf->fs[i].fs);
	}
	bf->nfs = 0;
	bf->ncands = 0;
	if (bf->scanned)
		volume_set_free(&bf->vols);
	bf->scanned = false;
}
