/*
 * bootmeth_debian.c - the boot method for Debian's /vmlinuz and
 * /initrd.img symlinks.
 */
#include "bootmeth.h"

static void debian_collect(struct bootmgr *bm, enum bm_filter filter)
{
	bm_collect_entries(bm, &bootmeth_debian, BOOTCFG_SRC_DEBIAN, filter);
}

const struct bootmeth bootmeth_debian = {
	.name = "debian",
	.collect = debian_collect,
	.boot = bm_boot_entry,
};
