/*
 * flow.c - the storage boot flow on UEFI: the core's bootflow (volumes,
 * filesystems, boot entries) feeding the menu, then the Linux handoff.
 *
 * The chosen entry is tried first, then every other one in menu order;
 * each failure is one line.  An edited command line replaces the entry's
 * options (and the append= words, which the menu shows as part of it).
 */
#include <efi.h>
#include "aoedev.h"
#include "bootflow.h"
#include "efiboot.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "san.h"

#define TITLE_MAX	160

/** The menu's view of the candidates, with the unedited command lines. */
struct flow_menu {
	struct menu_entry *entries;
	char *titles;		/* TITLE_MAX each */
	char *cmdlines;		/* BOOTCFG_CMDLINE_MAX each, editable */
	char *originals;	/* BOOTCFG_CMDLINE_MAX each */
	unsigned int count;
};

static void flow_menu_free(struct flow_menu *m)
{
	plat_free(m->entries);
	plat_free(m->titles);
	plat_free(m->cmdlines);
	plat_free(m->originals);
}

static int flow_menu_build(struct flow_menu *m, const struct bootflow *bf,
			   const char *append)
{
	const struct boot_entry *e;
	char *title, *cmd;
	unsigned int i;

	m->count = bf->ncands;
	m->entries = plat_alloc(sizeof(*m->entries) * m->count);
	m->titles = plat_alloc((size_t)TITLE_MAX * m->count);
	m->cmdlines = plat_alloc((size_t)BOOTCFG_CMDLINE_MAX * m->count);
	m->originals = plat_alloc((size_t)BOOTCFG_CMDLINE_MAX * m->count);
	if (!m->entries || !m->titles || !m->cmdlines || !m->originals)
		return -ERR_NOMEM;
	for (i = 0; i < m->count; i++) {
		e = bf->cands[i].entry;
		title = m->titles + (size_t)i * TITLE_MAX;
		cmd = m->cmdlines + (size_t)i * BOOTCFG_CMDLINE_MAX;
		fmt_snprintf(title, TITLE_MAX, "%s%s%s (%s)", e->title,
			     e->version[0] ? " " : "", e->version,
			     bf->cands[i].bfs->vol->blk->name);
		fmt_snprintf(cmd, BOOTCFG_CMDLINE_MAX, "%s%s%s", e->options,
			     e->options[0] && append[0] ? " " : "", append);
		memcpy(m->originals + (size_t)i * BOOTCFG_CMDLINE_MAX, cmd,
		       BOOTCFG_CMDLINE_MAX);
		m->entries[i] = (struct menu_entry){
			.id = e->id, .title = title, .cmdline = cmd,
			.cmdline_size = BOOTCFG_CMDLINE_MAX,
		};
	}
	return 0;
}

/* Comma list of the identified targets, for bootflow_targets(). */
static void flow_target_list(struct aoe_ctx *ctx, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < ctx->ntargets && len + 16 < size; i++) {
		if (!ctx->targets[i]->identified)
			continue;
		len += (size_t)fmt_snprintf(buf + len, size - len, "%se%u.%u",
					    len ? "," : "",
					    ctx->targets[i]->shelf,
					    ctx->targets[i]->slot);
	}
}

/* Load candidate @idx and start it; returns only on failure. */
static int flow_try(struct bootflow *bf, struct flow_menu *m,
		    unsigned int idx, const char *append)
{
	struct boot_image *img;	/* holds a command line: not on the stack */
	struct abft abft = { 0 };
	struct boot_entry *e = (struct boot_entry *)bf->cands[idx].entry;
	char *cmd = m->cmdlines + (size_t)idx * BOOTCFG_CMDLINE_MAX;
	const char *orig = m->originals + (size_t)idx * BOOTCFG_CMDLINE_MAX;
	uint64_t bytes;
	int rc;

	/* An edit replaces options + append; the flow owns the entry. */
	if (strcmp(cmd, orig)) {
		fmt_snprintf(e->options, sizeof(e->options), "%s", cmd);
		append = "";
	}
	img = plat_alloc(sizeof(*img));
	if (!img)
		return -ERR_NOMEM;
	memset(img, 0, sizeof(*img));
	rc = bootflow_load(bf, idx, append, img);
	if (rc < 0) {
		plat_free(img);
		return rc;
	}
	bytes = img->kernel_size + img->initrd_size;
	log_info("loaded %s: %llu bytes in %llu ms, %llu KiB/s", e->id,
		 (unsigned long long)bytes,
		 (unsigned long long)(img->load_us / 1000),
		 (unsigned long long)(img->load_us ?
				      bytes * 1000000 / 1024 / img->load_us :
				      0));
	log_info("command line: %s", img->cmdline);
	efi_bli_exec(e->id);
	abft_install(&abft, bf->targets[0]);	/* san.h; as BOOTIF= */
	rc = linux_boot(img->kernel, img->kernel_size, img->initrd,
			img->initrd_size, img->cmdline);
	abft_uninstall(&abft);
	bootflow_image_free(img);
	plat_free(img);
	return rc;
}

int flow_boot(struct aoe_ctx *ctx, const struct settings *set)
{
	struct flow_menu m = { 0 };
	struct bootflow *bf;
	char list[SET_MAX_TARGETS * 16 + AOE_MAX_TARGETS * 12];
	unsigned int i, idx;
	int rc, def, choice, timeout;

	bf = plat_alloc(sizeof(*bf));
	if (!bf)
		return -ERR_NOMEM;
	flow_target_list(ctx, list, sizeof(list));
	rc = bootflow_targets(bf, ctx, list, set->discover_ms);
	if (rc < 0) {
		log_error("no usable AoE target to scan");
		goto out;
	}
	rc = bootflow_scan(bf);
	if (rc <= 0) {
		log_error("no boot entries on %u target%s%s%s", bf->ntargets,
			  bf->ntargets == 1 ? "" : "s", rc < 0 ? ": " : "",
			  rc < 0 ? err_str(rc) : "");
		rc = -ERR_NOENT;
		goto out;
	}
	rc = flow_menu_build(&m, bf, set->append);
	if (rc < 0)
		goto out;
	def = bf->default_index >= 0 ? bf->default_index : 0;
	if (set->entry[0]) {
		int found = bootflow_find(bf, set->entry);

		if (found < 0)
			log_warn("no boot entry '%s'; using the default",
				 set->entry);
		else
			def = found;
	}
	timeout = set->timeout;
	if (!set->have_timeout && bf->timeout_ds >= 0)
		timeout = (bf->timeout_ds + 9) / 10;
	choice = menu_choose(m.entries, m.count, (unsigned int)def, timeout);
	if (choice < 0) {
		rc = choice;
		goto out;
	}
	for (i = 0; i < m.count; i++) {
		idx = ((unsigned int)choice + i) % m.count;
		if (i)
			log_info("trying '%s'", m.entries[idx].title);
		rc = flow_try(bf, &m, idx, set->append);
		log_error("'%s' did not boot: %s", m.entries[idx].title,
			  err_str(rc));
	}
	rc = rc < 0 ? rc : -ERR_IO;
out:
	flow_menu_free(&m);
	bootflow_free(bf);
	plat_free(bf);
	return rc;
}
