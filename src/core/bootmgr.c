/*
 * bootmgr.c - the boot manager: settings, targets, candidates, menu,
 * load, hand off (bootmgr.h), on top of any struct boot_platform.
 *
 * The candidates come from the boot methods (bootmeth.h) in the order of
 * one policy table; the menu shows them all; the chosen one is tried
 * first, then every other one in menu order, each failure one line.
 */
#include "abft.h"
#include "aoe.h"
#include "bootmeth.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

/*
 * The default order.  A disk's own configuration (BLS, extlinux) comes
 * first; Debian's symlinks are a guess: with a source for root= (the
 * root filesystem's /etc/kernel/cmdline or /etc/default/grub, or root= in
 * append=) the guess is good, without one the kernel would panic, so the
 * disk's own loader (SAN boot) goes before it.  A raw target (kernel=)
 * was asked for by name and leads.
 */
static const struct bm_policy {
	const struct bootmeth *meth;
	enum bm_filter filter;
} bm_policy[] = {
	{ &bootmeth_raw, BM_ALL },
	{ &bootmeth_bls, BM_ALL },
	{ &bootmeth_extlinux, BM_ALL },
	{ &bootmeth_debian, BM_WITH_ROOT },
	{ &bootmeth_san, BM_ALL },
	{ &bootmeth_debian, BM_WITHOUT_ROOT },
};

/* mode=san: the disks' own loaders only. */
static const struct bm_policy bm_policy_san[] = {
	{ &bootmeth_san, BM_ALL },
};

void bootmgr_settings(const struct boot_platform *plat, void *pctx,
		      struct settings *set, const char *board,
		      const char *cmdline)
{
	const char *name = "settings file";
	char *text = NULL;
	size_t len = 0;
	int rc;

	settings_init(set);
	if (board)
		settings_parse(set, board, "board");
	if (plat->read_settings) {
		rc = plat->read_settings(pctx, &text, &len, &name);
		if (rc == 0) {
			log_info("settings from %s", name);
			settings_parse_file(set, text, len, name);
			plat_free(text);
		} else if (rc != -ERR_NOENT) {
			log_warn("%s: not read: %s", name, err_str(rc));
		}
	}
	if (cmdline && cmdline[0]) {
		log_info("options: %s", cmdline);
		settings_parse(set, cmdline, "options");
	}
}

bool bm_has_root(const char *s)
{
	while (*s) {
		while (*s == ' ')
			s++;
		if (!strncmp(s, "root=", 5))
			return true;
		while (*s && *s != ' ')
			s++;
	}
	return false;
}

struct bm_cand *bm_add(struct bootmgr *bm, const struct bootmeth *meth)
{
	struct bm_cand *c;
	char *cmd;

	if (bm->ncands >= BM_MAX_CANDIDATES) {
		log_warn("more than %d boot candidates; ignoring the rest",
			 BM_MAX_CANDIDATES);
		return NULL;
	}
	cmd = plat_alloc(BOOTCFG_CMDLINE_MAX);
	if (!cmd) {
		log_error("out of memory for the boot menu");
		return NULL;
	}
	cmd[0] = 0;
	c = &bm->cands[bm->ncands++];
	memset(c, 0, sizeof(*c));
	c->meth = meth;
	c->flow_index = -1;
	c->cmdline = cmd;
	return c;
}

/* Does @hay contain @needle? */
static bool bm_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

void bm_collect_entries(struct bootmgr *bm, const struct bootmeth *meth,
			enum bootcfg_source src, enum bm_filter filter)
{
	const struct bootflow *bf = bm->bf;
	const struct boot_entry *e;
	struct bm_cand *c;
	unsigned int i;
	bool root;

	if (!bf)
		return;
	for (i = 0; i < bf->ncands; i++) {
		e = bf->cands[i].entry;
		if (e->source != src)
			continue;
		root = bm_has_root(e->options) || bm_has_root(bm->set->append);
		if ((filter == BM_WITH_ROOT && !root) ||
		    (filter == BM_WITHOUT_ROOT && root))
			continue;
		c = bm_add(bm, meth);
		if (!c)
			return;
		c->flow_index = (int)i;
		c->is_default = bf->default_index == (int)i;
		/* The version once: Debian's titles already carry it. */
		fmt_snprintf(c->title, sizeof(c->title), "%s%s%s (%s)",
			     e->title,
			     e->version[0] && !bm_contains(e->title,
							   e->version) ?
			     " " : "",
			     bm_contains(e->title, e->version) ? "" :
			     e->version, bf->cands[i].bfs->vol->blk->name);
		if (bootflow_options(bf, i, bm->set->append, c->cmdline,
				     BOOTCFG_CMDLINE_MAX) < 0) {
			bm->ncands--;
			plat_free(c->cmdline);
		}
	}
}

int bm_handoff(struct bootmgr *bm, struct bm_cand *c,
	       struct aoe_target *target, const struct boot_image *img)
{
	const struct boot_platform *plat = bm->plat;
	uint8_t table[ABFT_LEN];
	bool published = false;
	int rc;

	if (plat->booting)
		plat->booting(bm->pctx, c->flow_index >= 0 ?
			      bm->bf->cands[c->flow_index].entry->id : c->id,
			      c->title);
	if (plat->abft_publish && target &&
	    abft_build(table, sizeof(table), target->shelf, target->slot,
		       target->paths[0].nd->mac) &&
	    plat->abft_publish(bm->pctx, table, sizeof(table)) == 0) {
		const uint8_t *mac = target->paths[0].nd->mac;

		published = true;
		log_info("aBFT: %s via %02x:%02x:%02x:%02x:%02x:%02x",
			 target->blk.name, mac[0], mac[1], mac[2], mac[3],
			 mac[4], mac[5]);
	}
	if (img)
		rc = plat->boot_linux(bm->pctx, img);
	else
		rc = plat->boot_san(bm->pctx, target, bm->set->filename[0] ?
				    bm->set->filename : NULL);
	if (published && plat->abft_retract)
		plat->abft_retract(bm->pctx);
	return rc;
}

int bm_boot_entry(struct bootmgr *bm, struct bm_cand *c)
{
	struct boot_image *img;	/* holds a command line: not on the stack */
	const char *id = bm->bf->cands[c->flow_index].entry->id;
	uint64_t bytes;
	int rc;

	img = plat_alloc(sizeof(*img));
	if (!img)
		return -ERR_NOMEM;
	rc = bootflow_load_options(bm->bf, (unsigned int)c->flow_index,
				   c->cmdline, img);
	if (rc < 0) {
		plat_free(img);
		return rc;
	}
	bytes = img->kernel_size + img->initrd_size;
	log_info("loaded %s: %llu bytes in %llu ms, %llu KiB/s", id,
		 (unsigned long long)bytes,
		 (unsigned long long)(img->load_us / 1000),
		 (unsigned long long)(img->load_us ?
				      bytes * 1000000 / 1024 / img->load_us :
				      0));
	log_info("command line: %s", img->cmdline);
	rc = bm_handoff(bm, c, bm->bf->targets[0], img);
	bootflow_image_free(img);
	plat_free(img);
	return rc;
}

static struct aoe_name bm_name(const struct set_target *t)
{
	return (struct aoe_name){ t->shelf, t->slot };
}

/* A key stops the wait for a late LAN (aoe_wait_targets). */
static bool bm_key(void *arg)
{
	struct bootmgr *bm = arg;

	return bm->plat->key_pressed(bm->pctx);
}

/*
 * Probe the configured targets (or discover all), waiting up to wait=
 * seconds while nothing answers (a switch port still blocking, targets
 * booting after us), identify, list them.
 */
static int bm_targets(struct bootmgr *bm, unsigned int nnetdevs)
{
	const struct settings *set = bm->set;
	struct aoe_name names[SET_MAX_TARGETS + 1 + SET_MAX_INITRDS];
	struct aoe_wait wait = { 0 };
	unsigned int nwant = 0, i, usable = 0;
	struct aoe_target *t;
	char size[24];
	int rc;

	for (i = 0; i < set->ntargets; i++)
		names[nwant++] = bm_name(&set->targets[i]);
	if (set->have_kernel) {
		names[nwant++] = bm_name(&set->kernel);
		for (i = 0; i < set->ninitrds; i++)
			names[nwant++] = bm_name(&set->initrds[i]);
	}
	wait.first_ms = set->discover_ms;
	wait.wait_ms = set->wait_s * 1000u;
	wait.settle_ms = set->discover_ms;
	if (bm->plat->key_pressed) {
		wait.stop = bm_key;
		wait.arg = bm;
	}
	rc = aoe_wait_targets(bm->aoe, names, nwant, &wait);
	if (rc < 0) {
		log_error("discovery failed: %s", err_str(rc));
		return rc;
	}
	for (i = 0; i < nwant; i++)
		if (!aoe_find(bm->aoe, names[i].shelf, names[i].slot))
			log_warn("target e%u.%u did not answer; going on "
				 "without it (its arrays may be degraded)",
				 names[i].shelf, names[i].slot);
	for (i = 0; i < bm->aoe->ntargets; i++) {
		t = bm->aoe->targets[i];
		rc = aoe_identify(t);
		if (rc < 0) {
			log_error("target %s: IDENTIFY failed: %s",
				  t->blk.name, err_str(rc));
			continue;
		}
		usable++;
		fmt_size(size, sizeof(size), t->nsectors * AOE_SECTOR_SIZE);
		log_info("target %s: %s, %s, %u path%s via %s", t->blk.name,
			 size, t->model, t->npaths, t->npaths == 1 ? "" : "s",
			 t->paths[0].nd->name);
	}
	if (!usable) {
		log_error("no AoE targets found on %u interface%s within %u ms",
			  nnetdevs, nnetdevs == 1 ? "" : "s",
			  set->discover_ms + set->wait_s * 1000u);
		return -ERR_NODEV;
	}
	return (int)usable;
}

/* The disks to scan: targets= in order, else every one that answered
 * (kernel= and initrd= targets are images, not disks). */
static void bm_scan(struct bootmgr *bm)
{
	const struct settings *set = bm->set;
	struct aoe_target *t;
	unsigned int i;
	int rc;

	bootflow_init(bm->bf, bm->aoe);
	if (set->ntargets) {
		for (i = 0; i < set->ntargets; i++) {
			t = aoe_find(bm->aoe, set->targets[i].shelf,
				     set->targets[i].slot);
			if (t && t->identified)
				bootflow_add_target(bm->bf, t);
		}
	} else if (!set->have_kernel) {
		for (i = 0; i < bm->aoe->ntargets; i++)
			if (bm->aoe->targets[i]->identified)
				bootflow_add_target(bm->bf,
						    bm->aoe->targets[i]);
	}
	if (!bm->bf->ntargets)
		return;
	rc = bootflow_scan(bm->bf);
	if (rc < 0)
		log_warn("scanning the targets failed: %s", err_str(rc));
}

/* Find a candidate by id or title (entry=). */
static int bm_find(const struct bootmgr *bm, const char *want)
{
	const struct bm_cand *c;
	unsigned int i;

	for (i = 0; i < bm->ncands; i++) {
		c = &bm->cands[i];
		if (!strcmp(c->flow_index >= 0 ?
			    bm->bf->cands[c->flow_index].entry->id : c->id,
			    want))
			return (int)i;
	}
	for (i = 0; i < bm->ncands; i++) {
		c = &bm->cands[i];
		if (!strcmp(c->title, want) ||
		    (c->flow_index >= 0 &&
		     !strcmp(bm->bf->cands[c->flow_index].entry->title, want)))
			return (int)i;
	}
	return -1;
}

/* The menu, then the choice and the others in menu order. */
static int bm_choose_and_boot(struct bootmgr *bm)
{
	const struct settings *set = bm->set;
	struct boot_menu_entry *menu;
	struct bm_cand *c;
	unsigned int i, idx, def = 0;
	int rc = -ERR_NOENT, choice, timeout, found;

	menu = plat_alloc(sizeof(*menu) * bm->ncands);
	if (!menu)
		return -ERR_NOMEM;
	for (i = 0; i < bm->ncands; i++) {
		c = &bm->cands[i];
		menu[i] = (struct boot_menu_entry){
			.id = c->flow_index >= 0 ?
			      bm->bf->cands[c->flow_index].entry->id : c->id,
			.title = c->title, .cmdline = c->cmdline,
			.cmdline_size = BOOTCFG_CMDLINE_MAX,
			.editable = c->meth != &bootmeth_san,
		};
	}
	/* The configuration's default unless it is behind the others (a
	 * Debian guess without root=): then the first in the order. */
	for (i = 0; i < bm->ncands; i++)
		if (bm->cands[i].is_default) {
			def = i;
			break;
		}
	for (i = 0; i < def; i++)
		if (bm->cands[i].meth == &bootmeth_san) {
			def = 0;
			break;
		}
	if (set->entry[0]) {
		found = bm_find(bm, set->entry);
		if (found < 0)
			log_warn("no boot entry '%s'; using the default",
				 set->entry);
		else
			def = (unsigned int)found;
	}
	timeout = set->timeout;
	if (!set->have_timeout && bm->bf->timeout_ds >= 0)
		timeout = (bm->bf->timeout_ds + 9) / 10;
	choice = bm->plat->menu(bm->pctx, menu, bm->ncands, def, timeout);
	if (choice < 0 || (unsigned int)choice >= bm->ncands) {
		plat_free(menu);
		return choice < 0 ? choice : -ERR_INVAL;
	}
	for (i = 0; i < bm->ncands; i++) {
		idx = ((unsigned int)choice + i) % bm->ncands;
		c = &bm->cands[idx];
		if (i)
			log_info("trying '%s'", c->title);
		rc = c->meth->boot(bm, c);
		if (rc == 0)
			break;	/* the dry run: handed off */
		log_error("'%s' did not boot: %s", c->title, err_str(rc));
	}
	plat_free(menu);
	return rc;
}

int bootmgr_run(const struct boot_platform *plat, void *pctx,
		struct settings *set, struct netdev **nds, unsigned int n)
{
	const struct bm_policy *policy = bm_policy;
	size_t npolicy = ARRAY_SIZE(bm_policy), i;
	struct boot_origin origin = { 0 };
	struct aoe_options opt = { 0 };
	struct bootmgr bm = { .plat = plat, .pctx = pctx, .set = set };
	int rc;

	if (plat->origin)
		plat->origin(pctx, &origin);
	if (origin.root_path && origin.root_path[0]) {
		log_info("DHCP root path: %s", origin.root_path);
		if (set->ntargets == 0 &&
		    aoe_parse_name(origin.root_path, &set->targets[0].shelf,
				   &set->targets[0].slot) == 0)
			set->ntargets = 1;
	}
	if (n == 0) {
		log_error("no usable network interface%s",
			  set->have_iface ? " matching iface=" : "");
		return -ERR_NODEV;
	}
	bm.aoe = plat_alloc(sizeof(*bm.aoe));
	bm.bf = plat_alloc(sizeof(*bm.bf));
	bm.cands = plat_alloc(sizeof(*bm.cands) * BM_MAX_CANDIDATES);
	if (!bm.aoe || !bm.bf || !bm.cands) {
		plat_free(bm.aoe);
		plat_free(bm.bf);
		plat_free(bm.cands);
		return -ERR_NOMEM;
	}
	bootflow_init(bm.bf, NULL);
	opt.config_prefix = set->config_prefix[0] ? set->config_prefix : NULL;
	opt.vlan = set->vlan;
	rc = aoe_init(bm.aoe, nds, n, &opt);
	if (rc < 0) {
		log_error("AoE initiator: %s", err_str(rc));
		goto out_free;
	}
	if (opt.vlan)
		log_info("AoE on 802.1Q VLAN %u", (unsigned int)opt.vlan);
	rc = bm_targets(&bm, n);
	if (rc < 0)
		goto out;
	bm_scan(&bm);
	if (set->mode_san) {
		policy = bm_policy_san;
		npolicy = ARRAY_SIZE(bm_policy_san);
	}
	for (i = 0; i < npolicy; i++)
		policy[i].meth->collect(&bm, policy[i].filter);
	if (!bm.ncands) {
		log_error("nothing to boot: no boot entries%s on %u target%s",
			  plat->boot_san ? " and no disk loader" : "",
			  bm.bf->ntargets, bm.bf->ntargets == 1 ? "" : "s");
		rc = -ERR_NOENT;
		goto out;
	}
	rc = bm_choose_and_boot(&bm);
out:
	for (i = 0; i < bm.ncands; i++)
		plat_free(bm.cands[i].cmdline);
	bootflow_free(bm.bf);
	aoe_shutdown(bm.aoe);
out_free:
	plat_free(bm.cands);
	plat_free(bm.bf);
	plat_free(bm.aoe);
	return rc;
}
