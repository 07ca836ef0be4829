/*
 * bootmeth_bls.c - the boot method for BLS type 1 entries
 * (/loader/entries/NAME.conf).
 */
#include "bootmeth.h"

static void bls_collect(struct bootmgr *bm, enum bm_filter filter)
{
	bm_collect_entries(bm, &bootmeth_bls, BOOTCFG_SRC_BLS, filter);
}

const struct bootmeth bootmeth_bls = {
	.name = "bls",
	.collect = bls_collect,
	.boot = bm_boot_entry,
};
