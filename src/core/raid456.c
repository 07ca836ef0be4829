/*
 * raid456.c - md RAID4, RAID5 and RAID6 (drivers/md/raid5.c): data chunks
 * with P (XOR) parity, and for RAID6 Q (Reed-Solomon over GF(2^8), the
 * polynomial 0x11d of lib/raid6).  A chunk is read from its data member;
 * when that member is missing or fails, it is rebuilt from the others.
 */
#include "md_pers.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "platform.h"

/** Where one chunk of a parity array (RAID4/5/6) lives. */
struct r5_loc {
	unsigned int dd;	/**< slot holding the data */
	unsigned int pd;	/**< slot holding P */
	unsigned int qd;	/**< slot holding Q (RAID6), else ~0 */
	uint64_t addr;		/**< sector in every member's data area */
	uint64_t left;		/**< sectors left in this chunk */
};

/**
 * Map an array sector of a RAID4/5/6 (drivers/md/raid5.c
 * raid5_compute_sector, every layout of enum md_raid5_layout).  RAID4
 * keeps parity on the last member whatever the layout says.
 *
 * @v a		array
 * @v lba	array sector
 * @v l		location
 */
static void md_raid5_map(const struct md_array *a, uint64_t lba,
			 struct r5_loc *l)
{
	uint64_t cs = a->chunk_sectors, chunk = lba / cs, stripe;
	unsigned int rd = a->raid_disks;
	unsigned int ndata = rd - (a->level == 6 ? 2 : 1);
	unsigned int dd, pd = 0, qd = ~0u, s2, s1;

	stripe = chunk / ndata;
	dd = (unsigned int)(chunk % ndata);
	s2 = (unsigned int)(stripe % rd);
	s1 = (unsigned int)(stripe % (rd - 1));
	if (a->level == 4) {
		pd = ndata;
	} else if (a->level == 5) {
		switch (a->layout) {
		case MD_LAYOUT_LEFT_ASYMMETRIC:
			pd = ndata - s2;
			dd += dd >= pd;
			break;
		case MD_LAYOUT_RIGHT_ASYMMETRIC:
			pd = s2;
			dd += dd >= pd;
			break;
		case MD_LAYOUT_LEFT_SYMMETRIC:
			pd = ndata - s2;
			dd = (pd + 1 + dd) % rd;
			break;
		case MD_LAYOUT_RIGHT_SYMMETRIC:
			pd = s2;
			dd = (pd + 1 + dd) % rd;
			break;
		case MD_LAYOUT_PARITY_FIRST:
			pd = 0;
			dd++;
			break;
		default:			/* MD_LAYOUT_PARITY_LAST */
			pd = ndata;
			break;
		}
	} else {
		switch (a->layout) {
		case MD_LAYOUT_LEFT_ASYMMETRIC:
		case MD_LAYOUT_RIGHT_ASYMMETRIC:
			pd = a->layout == MD_LAYOUT_RIGHT_ASYMMETRIC ? s2 :
			     rd - 1 - s2;
			qd = pd + 1;
			if (pd == rd - 1) {
				dd++;
				qd = 0;
			} else if (dd >= pd) {
				dd += 2;
			}
			break;
		case MD_LAYOUT_LEFT_SYMMETRIC:
		case MD_LAYOUT_RIGHT_SYMMETRIC:
			pd = a->layout == MD_LAYOUT_LEFT_SYMMETRIC ?
			     rd - 1 - s2 : s2;
			qd = (pd + 1) % rd;
			dd = (pd + 2 + dd) % rd;
			break;
		case MD_LAYOUT_PARITY_FIRST:
			pd = 0;
			qd = 1;
			dd += 2;
			break;
		case MD_LAYOUT_PARITY_LAST:
			pd = ndata;
			qd = ndata + 1;
			break;
		case MD_LAYOUT_LEFT_ASYMMETRIC_6:
		case MD_LAYOUT_RIGHT_ASYMMETRIC_6:
			pd = a->layout == MD_LAYOUT_LEFT_ASYMMETRIC_6 ?
			     ndata - s1 : s1;
			dd += dd >= pd;
			qd = rd - 1;
			break;
		case MD_LAYOUT_LEFT_SYMMETRIC_6:
		case MD_LAYOUT_RIGHT_SYMMETRIC_6:
			pd = a->layout == MD_LAYOUT_LEFT_SYMMETRIC_6 ?
			     ndata - s1 : s1;
			dd = (pd + 1 + dd) % (rd - 1);
			qd = rd - 1;
			break;
		default:			/* MD_LAYOUT_PARITY_FIRST_6 */
			pd = 0;
			dd++;
			qd = rd - 1;
			break;
		}
	}
	l->dd = dd;
	l->pd = pd;
	l->qd = qd;
	l->addr = stripe * cs + lba % cs;
	l->left = cs - lba % cs;
}

/* --- GF(2^8), for RAID6 ------------------------------------------------- */

/** Multiply in GF(2^8) with the RAID6 polynomial 0x11d. */
static uint8_t gf_mul(uint8_t a, uint8_t b)
{
	unsigned int x = a, r = 0;

	while (b) {
		if (b & 1)
			r ^= x;
		x <<= 1;
		if (x & 0x100)
			x ^= 0x11d;
		b >>= 1;
	}
	return (uint8_t)r;
}

/** Fill @t with x -> @g * x in GF(2^8), so a buffer costs a lookup a byte. */
static void gf_table(uint8_t g, uint8_t *t)
{
	unsigned int x;

	for (x = 0; x < 256; x++)
		t[x] = gf_mul(g, (uint8_t)x);
}

/** 2 to the power @n in GF(2^8). */
static uint8_t gf_exp2(unsigned int n)
{
	uint8_t r = 1;

	while (n--)
		r = gf_mul(r, 2);
	return r;
}

/** Inverse in GF(2^8) (@a != 0): a^254. */
static uint8_t gf_inv(uint8_t a)
{
	uint8_t r = 1;
	unsigned int i;

	for (i = 0; i < 254; i++)
		r = gf_mul(r, a);
	return r;
}

/* --- reading ------------------------------------------------------------ */

/**
 * The Q coefficient index of each data slot of a RAID6 stripe: md counts
 * data members walking from the one after Q (raid6_d0 / raid6_idx_to_slot).
 *
 * @v a		array
 * @v l		stripe location
 * @v coef	per slot: index (data slots only)
 */
static void md_raid6_coef(const struct md_array *a, const struct r5_loc *l,
			  unsigned int *coef)
{
	unsigned int rd = a->raid_disks;
	unsigned int i = l->qd == rd - 1 ? 0 : l->qd + 1, k = 0, n;

	for (n = 0; n < rd; n++, i = (i + 1) % rd) {
		if (i != l->pd && i != l->qd)
			coef[i] = k++;
	}
}

/**
 * Rebuild the data of one chunk from the other members: with P, the XOR
 * of every member but the data and Q; RAID6 without P, from Q; RAID6 with
 * a second data member gone, from P and Q together.
 *
 * @v a		array
 * @v l		location of the data
 * @v n		sectors (within one chunk)
 * @v out	destination
 * @ret rc	0 or negative ERR_*
 */
static int md_raid5_rebuild(struct md_array *a, const struct r5_loc *l,
			    uint64_t n, uint8_t *out)
{
	size_t len = (size_t)n * 512, i;
	unsigned int coef[MD_MAX_DISKS], s, y = ~0u, nmiss = 0;
	bool use_q = false;
	uint8_t *tmp, *pq = NULL, mt[256];
	int rc = 0;

	/* Which members besides the target are gone? */
	for (s = 0; s < a->raid_disks; s++) {
		if (s == l->dd || md_slot(a, s))
			continue;
		nmiss++;
		if (s != l->qd)
			y = s;
	}
	if (a->level == 6 && y != ~0u)
		use_q = true;		/* P or a second data member gone */
	else if (y != ~0u || (a->level != 6 && nmiss))
		return -ERR_IO;
	if (use_q && nmiss > 1)
		return -ERR_IO;
	tmp = plat_alloc(len);
	if (use_q)
		pq = plat_alloc(len);
	if (!tmp || (use_q && !pq)) {
		plat_free(tmp);
		plat_free(pq);
		return -ERR_NOMEM;
	}
	if (use_q)
		md_raid6_coef(a, l, coef);
	/* out = XOR of the data (and P) read; pq = Q minus the data read. */
	memset(out, 0, len);
	if (use_q)
		memset(pq, 0, len);
	for (s = 0; s < a->raid_disks && !rc; s++) {
		struct md_member *m = md_slot(a, s);

		if (s == l->dd || s == y || !m || (s == l->qd && !use_q))
			continue;
		rc = md_member_read(a, m, l->addr, n, tmp);
		if (rc)
			break;
		if (s == l->qd) {
			for (i = 0; i < len; i++)
				pq[i] ^= tmp[i];
			continue;
		}
		for (i = 0; i < len; i++)
			out[i] ^= tmp[i];
		if (use_q && s != l->pd) {
			gf_table(gf_exp2(coef[s]), mt);
			for (i = 0; i < len; i++)
				pq[i] ^= mt[tmp[i]];
		}
	}
	if (!rc && use_q) {
		uint8_t gx = gf_exp2(coef[l->dd]);

		if (y == l->pd) {
			/* Q alone: D = (Q + sum g^c D_i) / g^cx. */
			gf_table(gf_inv(gx), mt);
			for (i = 0; i < len; i++)
				out[i] = mt[pq[i]];
		} else {
			/* Two data members: out holds Dx+Dy, pq holds
			 * g^cx Dx + g^cy Dy; Dx = (g^cy (Dx+Dy) + pq) /
			 * (g^cx + g^cy). */
			uint8_t gy = gf_exp2(coef[y]), mi[256];

			gf_table(gy, mt);
			gf_table(gf_inv((uint8_t)(gx ^ gy)), mi);
			for (i = 0; i < len; i++)
				out[i] = mi[(uint8_t)(mt[out[i]] ^ pq[i])];
		}
	}
	plat_free(tmp);
	plat_free(pq);
	return rc;
}

/**
 * Read for RAID4/5/6, chunk by chunk: from the data member, or rebuilt
 * from parity when it is missing or fails.
 *
 * @v a		array
 * @v lba	first array sector
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
static int md_read_raid5(struct md_array *a, uint64_t lba, uint64_t count,
			 void *buf)
{
	uint8_t *out = buf;
	int rc;

	while (count) {
		struct r5_loc l;
		struct md_member *m;
		uint64_t n;

		md_raid5_map(a, lba, &l);
		n = MIN(count, l.left);
		m = md_slot(a, l.dd);
		rc = m ? md_member_read(a, m, l.addr, n, out) : -ERR_IO;
		if (rc)
			rc = md_raid5_rebuild(a, &l, n, out);
		if (rc) {
			log_error("%s: sectors %llu+%llu unreadable and not "
				  "rebuildable from parity", a->blk.name,
				  (unsigned long long)lba,
				  (unsigned long long)n);
			return rc;
		}
		out += n * 512;
		lba += n;
		count -= n;
	}
	return 0;
}

/**
 * Place one piece of a gathered read on its data member.
 *
 * @v a		array
 * @v lba	array sector
 * @v next	runs gathered so far (unused: data has one place)
 * @v p		piece
 * @ret rc	0, or 1: the data member is missing (rebuilt chunk by chunk)
 */
static int md_raid5_map_piece(struct md_array *a, uint64_t lba,
			      const uint64_t *next, struct md_piece *p)
{
	struct r5_loc l;

	(void)next;
	md_raid5_map(a, lba, &l);
	if (!md_slot(a, l.dd))
		return 1;
	p->slot = l.dd;
	p->addr = l.addr;
	return 0;
}

/**
 * Check a RAID4/5/6 geometry and size it (raid5.c: each member's size cut
 * to whole chunks, times the data members).  One member may be missing
 * (two on RAID6).
 *
 * @v a		array
 * @v fresh	newest superblock (unused)
 * @v insync	members in sync
 */
static void md_setup_raid5(struct md_array *a, const struct md_super *fresh,
			   unsigned int insync)
{
	unsigned int parity = a->level == 6 ? 2 : 1;
	uint64_t cs = a->chunk_sectors;
	bool algo_ok;

	(void)fresh;
	if (a->level == 4)
		algo_ok = true;
	else if (a->level == 5)
		algo_ok = a->layout <= MD_LAYOUT_PARITY_LAST;
	else
		algo_ok = a->layout <= MD_LAYOUT_PARITY_LAST ||
			  (a->layout >= MD_LAYOUT_LEFT_ASYMMETRIC_6 &&
			   a->layout <= MD_LAYOUT_PARITY_FIRST_6);
	if (!algo_ok) {
		md_fail(a, "parity layout not supported");
		return;
	}
	if (cs < MD_MIN_CHUNK || cs % MD_MIN_CHUNK) {
		md_fail(a, "chunk size not a multiple of 4 KiB");
		return;
	}
	if (a->raid_disks < parity + 1 + (a->level == 6)) {
		md_fail(a, "too few members for the level");
		return;
	}
	if (insync + parity < a->raid_disks) {
		md_fail(a, parity == 1 ? "more than one member missing" :
			   "more than two members missing");
		return;
	}
	a->blk.nsectors = (a->dev_sectors - a->dev_sectors % cs) *
			  (a->raid_disks - parity);
}

const struct md_personality md_raid456_personality = {
	.levels = MD_LEVEL_BIT(4) | MD_LEVEL_BIT(5) | MD_LEVEL_BIT(6),
	.setup = md_setup_raid5,
	.read = md_read_raid5,
	.map_piece = md_raid5_map_piece,
	.redundant = true,
};
