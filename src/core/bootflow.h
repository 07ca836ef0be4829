/*
 * bootflow.h - from AoE targets to "this entry, these bytes".
 *
 * The steps every platform runs, in order:
 *   bootflow_targets()  which targets: a given list, or all discovered
 *   bootflow_scan()     volumes (partitions, md arrays), filesystems, boot
 *                       entries; the default chosen deterministically
 *   bootflow_load()     the kernel and initrds read through the stack,
 *                       the command line with BOOTIF= and aoeboot.targets=
 * The platform then hands the image to its own loader.  Any failure moves
 * on: a target that does not answer is left out (its arrays run
 * degraded), a volume that does not mount is skipped with the reason
 * logged, and a candidate that fails to load lets the caller try the next.
 */
#ifndef AOEBOOT_BOOTFLOW_H
#define AOEBOOT_BOOTFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "aoedev.h"
#include "bootcfg.h"
#include "fs/fs.h"
#include "volume.h"

#define BOOTFLOW_MAX_FS		32
#define BOOTFLOW_MAX_CANDIDATES	64
#define BOOTFLOW_MAX_FILE	(512u << 20)	/**< largest kernel/initrd */

/** A mounted volume and the entries found on it. */
struct bootflow_fs {
	const struct volume *vol;
	struct fs *fs;
	struct boot_list list;
};

/** One bootable entry on one volume. */
struct boot_candidate {
	struct bootflow_fs *bfs;
	const struct boot_entry *entry;
};

/** The state of one boot flow. */
struct bootflow {
	struct aoe_ctx *aoe;
	struct aoe_target *targets[AOE_MAX_TARGETS];	/**< in use, in order */
	unsigned int ntargets;
	struct volume_set vols;
	bool scanned;
	struct bootflow_fs fs[BOOTFLOW_MAX_FS];
	unsigned int nfs;
	struct boot_candidate cands[BOOTFLOW_MAX_CANDIDATES];
	unsigned int ncands;
	int default_index;	/**< into cands, -1 when there is none */
	int timeout_ds;		/**< from the config, -1 when unset */
};

/** What bootflow_load() produces. */
struct boot_image {
	const struct boot_candidate *cand;
	uint8_t *kernel;
	size_t kernel_size;
	uint8_t *initrd;	/**< all initrds, each padded to 4 bytes */
	size_t initrd_size;
	size_t initrd_sizes[BOOTCFG_MAX_INITRDS];	/**< each, unpadded */
	char cmdline[BOOTCFG_CMDLINE_MAX];
	uint64_t load_us;	/**< time spent reading */
};

/** Start an empty boot flow over @aoe (no targets yet). */
void bootflow_init(struct bootflow *bf, struct aoe_ctx *aoe);

/**
 * Add one discovered or probed target (IDENTIFY is sent when it has not
 * been; a target that fails it is left out with one warning).  A target
 * already in the flow is not added twice.
 */
void bootflow_add_target(struct bootflow *bf, struct aoe_target *t);

/**
 * Choose the targets to boot from and identify them.
 *
 * @v bf	boot flow (zeroed by this call)
 * @v aoe	initiator with its netdevs
 * @v list	comma list "e11.0,e12.0" (order kept), or NULL / "" for every
 *		target that answers discovery
 * @v timeout_ms discovery / probe time
 * @ret count	targets in use (> 0), or negative ERR_* (-ERR_NODEV: none)
 */
int bootflow_targets(struct bootflow *bf, struct aoe_ctx *aoe,
		     const char *list, uint32_t timeout_ms);

/**
 * Scan the targets: volumes, filesystems, boot entries.
 *
 * @ret count	candidates found (0 is not an error), or negative ERR_*
 */
int bootflow_scan(struct bootflow *bf);

/**
 * Find a candidate by entry id or title.
 *
 * @ret index	into bf->cands, or -1
 */
int bootflow_find(const struct bootflow *bf, const char *id_or_title);

/**
 * Load candidate @index: kernel, initrds and the final command line
 * (entry options, then @append, then BOOTIF= and aoeboot.targets=).
 *
 * @ret rc	0 or negative ERR_* (the reason has been logged)
 */
int bootflow_load(struct bootflow *bf, unsigned int index,
		  const char *append, struct boot_image *img);

/**
 * The options candidate @index boots with: the entry's, then @append.
 *
 * @v buf	receives them (BOOTCFG_CMDLINE_MAX is enough for any entry)
 * @ret rc	0, -ERR_TOOBIG (logged) or -ERR_INVAL
 */
int bootflow_options(const struct bootflow *bf, unsigned int index,
		     const char *append, char *buf, size_t size);

/**
 * Load candidate @index with @options in place of the entry's own (the
 * menu's edited line): kernel, initrds (an empty one loads as empty) and
 * @options followed by BOOTIF= and aoeboot.targets=.
 *
 * @ret rc	0 or negative ERR_* (the reason has been logged)
 */
int bootflow_load_options(struct bootflow *bf, unsigned int index,
			  const char *options, struct boot_image *img);

/** Free the buffers of a loaded image. */
void bootflow_image_free(struct boot_image *img);

/**
 * The volume a path command (ls, cat) works on by default: the default
 * candidate's, else the first that mounted.
 *
 * @ret bfs	or NULL when nothing mounted
 */
struct bootflow_fs *bootflow_boot_volume(struct bootflow *bf);

/** Find a mounted volume by device name ("md0", "e11.0p1"), or NULL. */
struct bootflow_fs *bootflow_volume(struct bootflow *bf, const char *name);

/** Release everything: filesystems, volumes (not the targets). */
void bootflow_free(struct bootflow *bf);

#endif
