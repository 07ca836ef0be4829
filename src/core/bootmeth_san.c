/*
 * bootmeth_san.c - the boot method for a disk's own loader: the platform
 * publishes the whole target as a local disk and starts its loader (UEFI:
 * \EFI\BOOT\BOOTX64.EFI or filename=; BIOS: the disk's boot sector).  A
 * target is a candidate when one of its filesystems holds that file, or,
 * on a platform that starts the boot sector, when no boot entry was found
 * on any target and its sector 0 has the boot signature; with mode=san
 * every target is (the platform's firmware may read filesystems the core
 * does not).
 */
#include "bootmeth.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

/* Does a filesystem on @t hold @path? */
static bool san_has_loader(const struct bootflow *bf,
			   const struct aoe_target *t, const char *path)
{
	char fpath[SET_FILENAME_MAX];
	struct fs_stat st;
	unsigned int i;

	/* filename= may be written the UEFI way (\EFI\x.efi). */
	for (i = 0; path[i] && i + 1 < sizeof(fpath); i++)
		fpath[i] = path[i] == '\\' ? '/' : path[i];
	fpath[i] = 0;
	for (i = 0; i < bf->nfs; i++) {
		if (bf->fs[i].vol->disk != &t->blk)
			continue;
		if (!fs_stat(bf->fs[i].fs, fpath, &st) &&
		    st.type == FS_FT_FILE)
			return true;
	}
	return false;
}

#define MBR_SIG_OFF	510	/* 55h AAh: a boot sector */

/* Does sector 0 of @t carry the boot signature? */
static bool san_has_mbr(struct aoe_target *t)
{
	uint8_t mbr[AOE_SECTOR_SIZE];

	return aoe_read(t, 0, 1, mbr) == 0 && mbr[MBR_SIG_OFF] == 0x55 &&
	       mbr[MBR_SIG_OFF + 1] == 0xAA;
}

static void san_collect(struct bootmgr *bm, enum bm_filter filter)
{
	const struct settings *set = bm->set;
	const char *loader = set->filename[0] ? set->filename :
			     bm->plat->san_loader;
	struct aoe_target *t;
	struct bm_cand *c;
	unsigned int i;

	(void)filter;
	if (!bm->plat->boot_san)
		return;
	for (i = 0; i < bm->aoe->ntargets; i++) {
		t = bm->aoe->targets[i];
		if (!t->identified)
			continue;
		if (!set->mode_san &&
		    (loader ? !san_has_loader(bm->bf, t, loader) :
		     bm->bf->ncands || !san_has_mbr(t)))
			continue;
		c = bm_add(bm, &bootmeth_san);
		if (!c)
			return;
		c->target = t;
		fmt_snprintf(c->id, sizeof(c->id), "san-%s", t->blk.name);
		fmt_snprintf(c->title, sizeof(c->title), "%s%s%s (SAN boot)",
			     t->blk.name, loader ? ": " : "",
			     loader ? loader : "");
	}
}

static int san_boot(struct bootmgr *bm, struct bm_cand *c)
{
	log_info("SAN boot of %s", c->target->blk.name);
	return bm_handoff(bm, c, c->target, NULL);
}

const struct bootmeth bootmeth_san = {
	.name = "san",
	.collect = san_collect,
	.boot = san_boot,
};
