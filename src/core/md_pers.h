/*
 * md_pers.h - what md.c (assembly, the array as a blkdev) shares with the
 * level files, as Linux's md.h does with its personalities: md_linear.c,
 * raid0.c, raid1.c, raid10.c and raid456.c each provide a struct
 * md_personality; md.c finds it by level, lets it check the geometry and
 * size the array, and sends it every read.
 */
#ifndef AOEBOOT_MD_PERS_H
#define AOEBOOT_MD_PERS_H

#include <stdbool.h>
#include <stdint.h>
#include "md.h"

/** Smallest chunk accepted (4 KiB, as Linux). */
#define MD_MIN_CHUNK 8

/** One chunk-sized piece of a striped read. */
struct md_piece {
	uint64_t off;		/**< sectors into the request */
	uint64_t addr;		/**< sector in the member's data area */
	uint32_t n;		/**< sectors */
	uint32_t slot;		/**< raid slot read from */
};

/** The bit of a level (-1 linear ... 10) in md_personality.levels. */
#define MD_LEVEL_BIT(level) (1u << ((level) + 1))

/**
 * One md personality: the geometry and the reads of the levels it takes.
 * Kept to function pointers only (each one is a relocation in a
 * position-independent firmware image).
 */
struct md_personality {
	uint32_t levels;	/**< MD_LEVEL_BIT()s of the levels it takes */
	/**
	 * Check the geometry and set the array's size, or md_fail() it.
	 *
	 * @v a		array with its members in place
	 * @v fresh	newest superblock
	 * @v insync	members in sync
	 */
	void (*setup)(struct md_array *a, const struct md_super *fresh,
		      unsigned int insync);
	/**
	 * Read chunk by chunk, failing over to copies or parity.
	 *
	 * @v a		array
	 * @v lba	first array sector
	 * @v count	sectors
	 * @v buf	destination
	 * @ret rc	0 or negative ERR_*
	 */
	int (*read)(struct md_array *a, uint64_t lba, uint64_t count,
		    void *buf);
	/**
	 * Place one piece of a gathered striped read (NULL: the level is
	 * not striped, every read goes to @read).
	 *
	 * @v a		array
	 * @v lba	array sector the piece starts at
	 * @v next	per slot: the member sector that continues the run
	 *		gathered so far there (~0 when none)
	 * @v p		piece: @n set to the rest of the chunk; fill @slot
	 *		and @addr, shorten @n if the level must
	 * @ret rc	0, or 1: not gatherable, use @read for the request
	 */
	int (*map_piece)(struct md_array *a, uint64_t lba,
			 const uint64_t *next, struct md_piece *p);
	/** A failed gathered run is retried through @read (copies or
	 * parity to fail over to). */
	bool redundant;
};

extern const struct md_personality md_linear_personality;
extern const struct md_personality md_raid0_personality;
extern const struct md_personality md_raid1_personality;
extern const struct md_personality md_raid10_personality;
/** RAID4, RAID5 and RAID6 (Linux's raid456 module). */
extern const struct md_personality md_raid456_personality;

/**
 * Read from one member's data area (bad block log checked, errors
 * counted and logged).
 *
 * @v a		array
 * @v m		member
 * @v addr	sector within the member's data area
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
int md_member_read(struct md_array *a, struct md_member *m, uint64_t addr,
		   uint64_t count, void *buf);

/**
 * The in-sync member serving a raid slot (inline: every level asks on
 * every chunk).
 *
 * @v a		array
 * @v slot	raid slot
 * @ret m	member, or NULL when the slot has none
 */
static inline struct md_member *md_slot(struct md_array *a,
					unsigned int slot)
{
	if (slot >= a->raid_disks || a->slot[slot] < 0)
		return NULL;
	return &a->members[a->slot[slot]];
}

/**
 * Mark the array failed (unreadable) with a reason.
 *
 * @v a		array
 * @v why	reason, for messages and display
 */
void md_fail(struct md_array *a, const char *why);

#endif
