/*
 * bootmeth.h - boot methods: where candidates come from and how each one
 * is started (U-Boot's bootmeth is the model).
 *
 * Each method is one file (bootmeth_bls.c, bootmeth_extlinux.c,
 * bootmeth_debian.c, bootmeth_raw.c, bootmeth_san.c) and offers two
 * operations: add its candidates to the boot manager's list, and boot one
 * of them.  The order of the list is the policy table in bootmgr.c, not
 * the methods.  Internal to the boot manager (bootmgr.h is the interface
 * the platforms see).
 */
#ifndef AOEBOOT_BOOTMETH_H
#define AOEBOOT_BOOTMETH_H

#include <stdbool.h>
#include <stddef.h>
#include "bootflow.h"
#include "bootmgr.h"

#define BM_MAX_CANDIDATES	(BOOTFLOW_MAX_CANDIDATES + AOE_MAX_TARGETS + 1)
#define BM_TITLE_MAX		160
#define BM_ID_MAX		24

struct bootmgr;
struct bm_cand;

/** Which candidates of a method a policy row asks for. */
enum bm_filter {
	BM_ALL = 0,		/**< every candidate of the method */
	BM_WITH_ROOT,		/**< only those with a source for root= */
	BM_WITHOUT_ROOT,	/**< only those without one */
};

/** One boot method. */
struct bootmeth {
	const char *name;	/**< "bls", "extlinux", "debian", "raw", "san" */
	/**
	 * Add this method's candidates with bm_add().
	 *
	 * @v filter	which of them this policy row wants
	 */
	void (*collect)(struct bootmgr *bm, enum bm_filter filter);
	/**
	 * Load @c and hand it to the platform.
	 *
	 * @ret rc	0 only when the platform does not really hand off
	 *		(the host's dry run); else negative ERR_* (logged)
	 */
	int (*boot)(struct bootmgr *bm, struct bm_cand *c);
};

/** One candidate: one line of the menu. */
struct bm_cand {
	const struct bootmeth *meth;
	int flow_index;			/**< into bf->cands, or -1 */
	struct aoe_target *target;	/**< SAN: the disk; raw: the kernel */
	bool is_default;		/**< the configuration's default */
	char id[BM_ID_MAX];		/**< for SAN and raw entries */
	char title[BM_TITLE_MAX];
	char *cmdline;			/**< BOOTCFG_CMDLINE_MAX, editable */
};

/** The boot manager's state for one run. */
struct bootmgr {
	const struct boot_platform *plat;
	void *pctx;
	const struct settings *set;
	struct aoe_ctx *aoe;
	struct bootflow *bf;		/**< the scanned targets */
	struct bm_cand *cands;		/**< BM_MAX_CANDIDATES */
	unsigned int ncands;
};

extern const struct bootmeth bootmeth_bls;
extern const struct bootmeth bootmeth_extlinux;
extern const struct bootmeth bootmeth_debian;
extern const struct bootmeth bootmeth_raw;
extern const struct bootmeth bootmeth_san;

/**
 * Add one candidate of @meth.
 *
 * @ret cand	zeroed but for meth, flow_index (-1) and cmdline (""), or
 *		NULL when the list is full or memory ran out (logged)
 */
struct bm_cand *bm_add(struct bootmgr *bm, const struct bootmeth *meth);

/**
 * Add the scanned entries of one configuration kind (BLS, extlinux,
 * Debian's symlinks) as candidates of @meth.
 */
void bm_collect_entries(struct bootmgr *bm, const struct bootmeth *meth,
			enum bootcfg_source src, enum bm_filter filter);

/** Boot a candidate bm_collect_entries() added (load, then hand off). */
int bm_boot_entry(struct bootmgr *bm, struct bm_cand *c);

/**
 * Hand a loaded image to the platform with the aBFT for @target
 * published around it (the OS finds its disk there).
 */
int bm_handoff(struct bootmgr *bm, struct bm_cand *c,
	       struct aoe_target *target, const struct boot_image *img);

/** True when the command line @options has a root= word. */
bool bm_has_root(const char *options);

#endif
