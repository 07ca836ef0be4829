/*
 * bootmeth_extlinux.c - the boot method for extlinux.conf and
 * syslinux.cfg entries.
 */
#include "bootmeth.h"

static void extlinux_collect(struct bootmgr *bm, enum bm_filter filter)
{
	bm_collect_entries(bm, &bootmeth_extlinux, BOOTCFG_SRC_EXTLINUX, filter);
}

const struct bootmeth bootmeth_extlinux = {
	.name = "extlinux",
	.collect = extlinux_collect,
	.boot = bm_boot_entry,
};
