/*
 * aoedev.c - AoE targets: the initiator, discovery, IDENTIFY, choosing
 * targets (config prefix, two disks under one name, reservations).
 *
 * The windowed I/O engine that moves the sectors is aoecmd.c; both share
 * the few helpers in aoedev_int.h.
 */
#include "aoedev_int.h"
#include "byteorder.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

#define DEFAULT_INITIAL_RTO_US	250000
#define DEFAULT_MIN_RTO_US	10000
#define DEFAULT_MAX_RTO_US	2000000
#define DEFAULT_DEAD_US		10000000

static const uint8_t mac_broadcast[MAC_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

void aoe_target_name(const struct aoe_target *target, char *buf, size_t size)
{
	fmt_snprintf(buf, size, "e%u.%u", target->shelf, target->slot);
}

const char *aoe_tname(const struct aoe_target *target)
{
	return target->blk.name;
}

uint32_t aoe_new_tag(struct aoe_ctx *ctx)
{
	/* Tag 0 is what vblade's unsolicited announcements carry. */
	if (++ctx->next_tag == 0)
		ctx->next_tag = 1;
	return ctx->next_tag;
}

int aoe_init(struct aoe_ctx *ctx, struct netdev **netdevs,
	     unsigned int nnetdevs, const struct aoe_options *opt)
{
	unsigned int i, max_mtu = 1500;

	memset(ctx, 0, sizeof(*ctx));
	if (!nnetdevs || nnetdevs > AOE_MAX_NETDEVS ||
	    (opt && opt->vlan > AOE_VID_MAX))
		return -ERR_INVAL;
	for (i = 0; i < nnetdevs; i++) {
		ctx->netdevs[i] = netdevs[i];
		if (netdevs[i]->mtu > max_mtu)
			max_mtu = netdevs[i]->mtu;
	}
	ctx->nnetdevs = nnetdevs;
	if (opt)
		ctx->opt = *opt;
	ctx->opt.config_prefix = NULL;
	if (opt && opt->config_prefix && *opt->config_prefix) {
		size_t plen = strlen(opt->config_prefix);

		if (plen > AOE_CFG_STRING_MAX)
			return -ERR_INVAL;
		/* On the heap: the context often lives on a small stack. */
		ctx->config_prefix = plat_alloc(plen + 1);
		if (!ctx->config_prefix)
			return -ERR_NOMEM;
		memcpy(ctx->config_prefix, opt->config_prefix, plen + 1);
		ctx->config_prefix_len = plen;
		ctx->opt.config_prefix = ctx->config_prefix;
	}
	if (!ctx->opt.initial_rto_us)
		ctx->opt.initial_rto_us = DEFAULT_INITIAL_RTO_US;
	if (!ctx->opt.min_rto_us)
		ctx->opt.min_rto_us = DEFAULT_MIN_RTO_US;
	if (!ctx->opt.max_rto_us)
		ctx->opt.max_rto_us = DEFAULT_MAX_RTO_US;
	if (!ctx->opt.dead_us)
		ctx->opt.dead_us = DEFAULT_DEAD_US;
	if (ctx->opt.fixed_window > AOE_MAX_WINDOW)
		ctx->opt.fixed_window = AOE_MAX_WINDOW;
	/* A little more than the largest frame, for trailing padding. */
	ctx->rxbuf_size = max_mtu + ETH_HDR_LEN + 64;
	ctx->txbuf_size = max_mtu + ETH_HDR_LEN + 64;
	ctx->rxbuf = plat_alloc(ctx->rxbuf_size);
	ctx->txbuf = plat_alloc(ctx->txbuf_size);
	if (!ctx->rxbuf || !ctx->txbuf) {
		aoe_shutdown(ctx);
		return -ERR_NOMEM;
	}
	ctx->next_tag = (uint32_t)plat_now_us() << 8;
	return 0;
}

void aoe_shutdown(struct aoe_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->ntargets; i++)
		plat_free(ctx->targets[i]);
	ctx->ntargets = 0;
	plat_free(ctx->rxbuf);
	plat_free(ctx->txbuf);
	plat_free(ctx->config_prefix);
	ctx->rxbuf = NULL;
	ctx->txbuf = NULL;
	ctx->config_prefix = NULL;
	ctx->config_prefix_len = 0;
}

struct aoe_target *aoe_find(struct aoe_ctx *ctx, uint16_t shelf, uint8_t slot)
{
	unsigned int i;

	for (i = 0; i < ctx->ntargets; i++) {
		if (ctx->targets[i]->shelf == shelf &&
		    ctx->targets[i]->slot == slot)
			return ctx->targets[i];
	}
	return NULL;
}

/**
 * Wait for one frame on any of the initiator's netdevs.
 *
 * @ret len	frame length in ctx->rxbuf, 0 on timeout, negative on error
 */
int aoe_poll(struct aoe_ctx *ctx, uint64_t deadline_us,
		    struct netdev **from)
{
	unsigned int i;
	int len;

	if (ctx->nnetdevs == 1) {
		*from = ctx->netdevs[0];
		return ctx->netdevs[0]->ops->poll(ctx->netdevs[0], ctx->rxbuf,
						  ctx->rxbuf_size,
						  deadline_us);
	}
	for (;;) {
		uint64_t now, slice;

		for (i = 0; i < ctx->nnetdevs; i++) {
			len = ctx->netdevs[i]->ops->poll(ctx->netdevs[i],
							 ctx->rxbuf,
							 ctx->rxbuf_size, 0);
			if (len) {
				*from = ctx->netdevs[i];
				return len;
			}
		}
		now = plat_now_us();
		if (now >= deadline_us)
			return 0;
		/* Wait briefly on the first NIC, then look at all again. */
		slice = MIN(deadline_us, now + 1000);
		len = ctx->netdevs[0]->ops->poll(ctx->netdevs[0], ctx->rxbuf,
						 ctx->rxbuf_size, slice);
		if (len) {
			*from = ctx->netdevs[0];
			return len;
		}
	}
}

/* --- discovery ------------------------------------------------------------ */

static struct aoe_target *aoe_add_target(struct aoe_ctx *ctx, uint16_t shelf,
					 uint8_t slot)
{
	struct aoe_target *target = aoe_find(ctx, shelf, slot);
	unsigned int i;

	if (target)
		return target;
	if (ctx->ntargets >= AOE_MAX_TARGETS) {
		log_warn("aoe: more than %d targets, ignoring e%u.%u",
			 AOE_MAX_TARGETS, shelf, slot);
		return NULL;
	}
	target = plat_alloc(sizeof(*target));
	if (!target)
		return NULL;
	memset(target, 0, sizeof(*target));
	target->ctx = ctx;
	target->shelf = shelf;
	target->slot = slot;
	aoe_target_name(target, target->blk.name, sizeof(target->blk.name));
	target->blk.sector_size = AOE_SECTOR_SIZE;
	/* Keep the table sorted by shelf.slot: listings and the boot
	 * flow's candidate order must not depend on who answered first. */
	i = ctx->ntargets++;
	while (i > 0 && (ctx->targets[i - 1]->shelf > shelf ||
			 (ctx->targets[i - 1]->shelf == shelf &&
			  ctx->targets[i - 1]->slot > slot))) {
		ctx->targets[i] = ctx->targets[i - 1];
		i--;
	}
	ctx->targets[i] = target;
	return target;
}

void aoe_path_reset(struct aoe_ctx *ctx, struct aoe_path *path)
{
	unsigned int nframes = MIN(path->bufcnt ? path->bufcnt : 1,
				   AOE_MAX_WINDOW);

	if (ctx->opt.fixed_window) {
		path->window = ctx->opt.fixed_window;
		path->ssthresh = ctx->opt.fixed_window;
	} else {
		path->window = MAX(nframes / 2, 1u);
		path->ssthresh = nframes;
	}
	path->rto_us = ctx->opt.initial_rto_us;
}

/** Record one Query Config answer as a target and path. */
static void aoe_config_answer(struct aoe_ctx *ctx, struct netdev *nd,
			      const struct aoe_hdr *hdr,
			      const struct aoe_cfg *cfg)
{
	struct aoe_target *target;
	struct aoe_path *path;
	unsigned int i;

	if (ctx->config_prefix_len &&
	    (cfg->cslen < ctx->config_prefix_len ||
	     memcmp(cfg->cs, ctx->config_prefix, ctx->config_prefix_len))) {
		/* A target that ignored the prefix test, or an unsolicited
		 * announcement: not one of ours. */
		return;
	}
	target = aoe_add_target(ctx, hdr->shelf, hdr->slot);
	if (!target)
		return;
	target->fwver = cfg->fwver;
	memcpy(target->config, cfg->cs, cfg->cslen);
	target->config[cfg->cslen] = '\0';
	for (i = 0; i < target->npaths; i++) {
		path = &target->paths[i];
		if (path->nd == nd && !memcmp(path->mac, hdr->src, MAC_LEN))
			break;
	}
	if (i == target->npaths) {
		if (target->npaths >= AOE_MAX_PATHS)
			return;
		path = &target->paths[target->npaths++];
		memset(path, 0, sizeof(*path));
		path->nd = nd;
		memcpy(path->mac, hdr->src, MAC_LEN);
		/* A new MAC must prove it is the same disk before use. */
		target->identified = false;
	}
	path = &target->paths[i];
	path->bufcnt = cfg->bufcnt ? cfg->bufcnt : 1;
	path->scnt = cfg->scnt;
	path->lost_in_row = 0;	/* it answers again */
	aoe_path_reset(ctx, path);
}

/** Is this received frame an AoE response addressed to @nd? */
bool aoe_frame_for_us(const struct aoe_ctx *ctx, struct netdev *nd,
		      const uint8_t *frame, int len, struct aoe_hdr *hdr)
{
	if (len <= 0 || aoe_parse_hdr(frame, (size_t)len, hdr))
		return false;
	/* Another VLAN's (or the untagged LAN's) target is not ours, even
	 * with the same shelf.slot. */
	if (!(hdr->flags & AOE_FL_RESPONSE) || hdr->vid != ctx->opt.vlan)
		return false;
	return !memcmp(hdr->dst, nd->mac, MAC_LEN) ||
	       !memcmp(hdr->dst, mac_broadcast, MAC_LEN);
}

static int aoe_send_query(struct aoe_ctx *ctx, struct netdev *nd,
			  uint16_t shelf, uint8_t slot)
{
	struct aoe_hdr hdr;
	size_t len;

	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.dst, mac_broadcast, MAC_LEN);
	memcpy(hdr.src, nd->mac, MAC_LEN);
	hdr.shelf = shelf;
	hdr.slot = slot;
	hdr.cmd = AOE_CMD_CONFIG;
	hdr.tag = aoe_new_tag(ctx);
	hdr.vid = ctx->opt.vlan;
	if (ctx->config_prefix_len)
		len = aoe_build_cfg_prefix(ctx->txbuf, &hdr,
					   (const uint8_t *)ctx->config_prefix,
					   ctx->config_prefix_len);
	else
		len = aoe_build_cfg_query(ctx->txbuf, &hdr);
	return nd->ops->transmit(nd, ctx->txbuf, len);
}

/* Query Config is repeated this often until the deadline: on a lossy
 * link one broadcast (or its answer) may well be lost. */
#define QUERY_INTERVAL_US	150000
#define QUERY_LATE_MAX		(AOE_MAX_TARGETS * 2)	/* answers past the deadline */

/** Broadcast one Query Config on every netdev; true if any went out. */
static bool aoe_query_all(struct aoe_ctx *ctx, uint16_t shelf, uint8_t slot)
{
	bool sent = false;
	unsigned int i;
	int rc;

	for (i = 0; i < ctx->nnetdevs; i++) {
		rc = aoe_send_query(ctx, ctx->netdevs[i], shelf, slot);
		if (rc)
			log_debug("aoe: cannot send on %s: %s",
				  ctx->netdevs[i]->name, err_str(rc));
		else
			sent = true;
	}
	return sent;
}

/**
 * Query and collect config answers until the deadline, or until the one
 * wanted target answered.
 */
static int aoe_query(struct aoe_ctx *ctx, uint16_t shelf, uint8_t slot,
		     uint32_t timeout_ms)
{
	uint64_t now = plat_now_us();
	uint64_t deadline = now + (uint64_t)timeout_ms * 1000;
	uint64_t next_send = now;
	bool found = false, sent = false;
	unsigned int late = 0;

	for (;;) {
		struct netdev *nd;
		struct aoe_hdr hdr;
		struct aoe_cfg cfg;
		uint64_t until;
		int len;

		/*
		 * Answers already queued count, however late this loop got to
		 * them (a descheduled initiator): past the deadline, take what
		 * is there without waiting, a bounded number (a flood cannot
		 * hold us), then stop.
		 */
		now = plat_now_us();
		if (now >= deadline && ++late > QUERY_LATE_MAX)
			break;
		if (!late && !found && now >= next_send) {
			sent |= aoe_query_all(ctx, shelf, slot);
			next_send = now + (ctx->query_interval_us ?
					   ctx->query_interval_us :
					   QUERY_INTERVAL_US);
		}
		until = late ? 0 : found ? deadline : MIN(next_send, deadline);
		len = aoe_poll(ctx, until, &nd);
		if (len < 0)
			return len;
		if (len == 0 && late)
			break;
		if (!aoe_frame_for_us(ctx, nd, ctx->rxbuf, len, &hdr))
			continue;
		if (hdr.cmd != AOE_CMD_CONFIG || (hdr.flags & AOE_FL_ERROR))
			continue;
		/* Answers still carrying the wildcard name no target. */
		if (hdr.shelf == AOE_SHELF_ANY || hdr.slot == AOE_SLOT_ANY)
			continue;
		if (shelf != AOE_SHELF_ANY &&
		    (hdr.shelf != shelf || hdr.slot != slot))
			continue;
		if (aoe_parse_cfg(ctx->rxbuf, (size_t)len, &cfg))
			continue;
		aoe_config_answer(ctx, nd, &hdr, &cfg);
		if (shelf != AOE_SHELF_ANY && !found) {
			/* Give other ports of the same target a moment. */
			found = true;
			if (now + 20000 < deadline)
				deadline = now + 20000;
		}
	}
	if (!sent) {
		log_warn("aoe: could not send a Query Config on any interface");
		return -ERR_IO;
	}
	return 0;
}

int aoe_discover(struct aoe_ctx *ctx, uint32_t timeout_ms)
{
	int rc = aoe_query(ctx, AOE_SHELF_ANY, AOE_SLOT_ANY, timeout_ms);

	return rc < 0 ? rc : (int)ctx->ntargets;
}

struct aoe_target *aoe_probe(struct aoe_ctx *ctx, uint16_t shelf,
			     uint8_t slot, uint32_t timeout_ms)
{
	struct aoe_target *target = aoe_find(ctx, shelf, slot);

	if (target && target->npaths)
		return target;
	if (shelf == AOE_SHELF_ANY || slot == AOE_SLOT_ANY)
		return NULL;
	if (aoe_query(ctx, shelf, slot, timeout_ms) < 0)
		return NULL;
	return aoe_find(ctx, shelf, slot);
}

/* --- IDENTIFY ------------------------------------------------------------- */

/* IDENTIFY DEVICE words. */
#define ATA_ID_SERIAL		10	/**< 10 words */
#define ATA_ID_FIRMWARE		23	/**< 4 words */
#define ATA_ID_MODEL		27	/**< 20 words */
#define ATA_ID_LBA28_SECTORS	60	/**< 2 words */
#define ATA_ID_CMDSET2		83
#define ATA_ID_LBA48		(1 << 10)	/**< in ATA_ID_CMDSET2 */
#define ATA_ID_LBA48_SECTORS	100	/**< 4 words */

/* Copy an ATA string (byte-swapped 16-bit words), trimming spaces. */
static void ata_string(char *out, const uint8_t *id, unsigned int word,
		       unsigned int nwords)
{
	unsigned int i, n = 0;

	for (i = 0; i < nwords; i++) {
		out[n++] = (char)id[(word + i) * 2 + 1];
		out[n++] = (char)id[(word + i) * 2];
	}
	out[n] = '\0';
	while (n && (out[n - 1] == ' ' || out[n - 1] == '\0'))
		out[--n] = '\0';
	for (i = 0; i < n; i++) {
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] > 0x7e)
			out[i] = '?';
	}
}

static int aoe_blk_read(struct blkdev *dev, uint64_t lba, uint64_t count,
			void *buf)
{
	return aoe_read(container_of(dev, struct aoe_target, blk), lba, count,
			buf);
}

static int aoe_blk_write(struct blkdev *dev, uint64_t lba, uint64_t count,
			 const void *buf)
{
	return aoe_write(container_of(dev, struct aoe_target, blk), lba, count,
			 buf);
}

static const struct blkdev_ops aoe_blk_ops = {
	.read = aoe_blk_read,
	.write = aoe_blk_write,
};

/** What IDENTIFY says about a disk. */
struct ata_id {
	bool lba48;
	uint64_t nsectors;
	char model[41];
	char serial[21];
	char firmware[9];
};

static void ata_id_parse(const uint8_t *id, struct ata_id *out)
{
	out->lba48 = (get_le16(id + ATA_ID_CMDSET2 * 2) & ATA_ID_LBA48) != 0;
	if (out->lba48)
		out->nsectors = get_le64(id + ATA_ID_LBA48_SECTORS * 2) &
				0xFFFFFFFFFFFFULL;
	else
		out->nsectors = get_le32(id + ATA_ID_LBA28_SECTORS * 2);
	ata_string(out->serial, id, ATA_ID_SERIAL, 10);
	ata_string(out->firmware, id, ATA_ID_FIRMWARE, 4);
	ata_string(out->model, id, ATA_ID_MODEL, 20);
}

static void mac_name(const uint8_t *mac, char *buf, size_t size)
{
	fmt_snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		     mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/** Forget path @i of @target (outside any transfer). */
static void target_drop_path(struct aoe_target *target, unsigned int i)
{
	memmove(&target->paths[i], &target->paths[i + 1],
		(target->npaths - i - 1) * sizeof(target->paths[0]));
	target->npaths--;
}

/**
 * IDENTIFY the target through every path; refuse it if two paths reach
 * different disks.  A path that does not answer is dropped.
 *
 * @v out	what the first path that answered said
 * @ret rc	0, -ERR_PROTO for two disks, or the last path's error
 */
static int identify_paths(struct aoe_target *target, struct ata_id *out)
{
	uint8_t id[AOE_SECTOR_SIZE], ref_mac[MAC_LEN];
	struct ata_id cur;
	bool have_ref = false;
	unsigned int i = 0;
	int rc = -ERR_NODEV;

	while (i < target->npaths) {
		char a[18], b[18];

		rc = aoe_xfer(target, XFER_IDENTIFY, 0, 1, id, (int)i);
		if (rc == -ERR_TIMEOUT && target->npaths > 1) {
			mac_name(target->paths[i].mac, a, sizeof(a));
			log_warn("aoe: %s: port %s did not answer IDENTIFY; "
				 "not using it", aoe_tname(target), a);
			target_drop_path(target, i);
			continue;
		}
		if (rc)
			return rc;
		if (!have_ref) {
			ata_id_parse(id, out);
			memcpy(ref_mac, target->paths[i].mac, MAC_LEN);
			have_ref = true;
			i++;
			continue;
		}
		ata_id_parse(id, &cur);
		if (strcmp(cur.serial, out->serial) ||
		    cur.nsectors != out->nsectors) {
			mac_name(ref_mac, a, sizeof(a));
			mac_name(target->paths[i].mac, b, sizeof(b));
			log_error("aoe: %s: %s (serial \"%s\") and %s (serial "
				  "\"%s\") are different disks; refusing both",
				  aoe_tname(target), a, out->serial, b, cur.serial);
			target->conflict = true;
			return -ERR_PROTO;
		}
		i++;
	}
	return have_ref ? 0 : rc;
}

/** What a path's reservation list says (path_reservation()). */
enum rr_state {
	RR_FREE,	/**< no list, or the target keeps none */
	RR_OURS,	/**< our MAC on that path is in the list */
	RR_OTHERS,	/**< reserved, and not to us */
};

/* Tries of the reservation query; the wait doubles from the path's RTO. */
#define RR_QUERY_TRIES		3

/**
 * Read the reservation list through path @pi (Reserve/Release rcmd 0:
 * it changes nothing).  A target that answers with an error or not at all
 * keeps no reservations.  On RR_OTHERS, target->reserved_by and
 * nreserved say by whom.
 */
static enum rr_state path_reservation(struct aoe_target *target,
				      unsigned int pi)
{
	struct aoe_ctx *ctx = target->ctx;
	struct aoe_path *path = &target->paths[pi];
	uint64_t wait = MAX(path->rto_us, ctx->opt.min_rto_us);
	unsigned int try, i;

	for (try = 0; try < RR_QUERY_TRIES; try++, wait *= 2) {
		struct aoe_hdr hdr;
		uint64_t deadline;
		size_t len;

		memset(&hdr, 0, sizeof(hdr));
		memcpy(hdr.dst, path->mac, MAC_LEN);
		memcpy(hdr.src, path->nd->mac, MAC_LEN);
		hdr.shelf = target->shelf;
		hdr.slot = target->slot;
		hdr.cmd = AOE_CMD_RESERVE;
		hdr.tag = aoe_new_tag(ctx);
		hdr.vid = ctx->opt.vlan;
		len = aoe_build_rr_read(ctx->txbuf, &hdr);
		if (path->nd->ops->transmit(path->nd, ctx->txbuf, len))
			continue;
		deadline = plat_now_us() + wait;
		for (;;) {
			struct netdev *nd;
			struct aoe_hdr rh;
			struct aoe_rr rr;
			int n = aoe_poll(ctx, deadline, &nd);

			if (n <= 0)
				break;
			if (nd != path->nd ||
			    !aoe_frame_for_us(ctx, nd, ctx->rxbuf, n, &rh) ||
			    rh.cmd != AOE_CMD_RESERVE || rh.tag != hdr.tag ||
			    rh.shelf != target->shelf ||
			    rh.slot != target->slot ||
			    memcmp(rh.src, path->mac, MAC_LEN))
				continue;
			if (rh.flags & AOE_FL_ERROR)
				return RR_FREE;	/* keeps no list */
			if (aoe_parse_rr(ctx->rxbuf, (size_t)n, &rr))
				continue;
			if (!rr.nmacs)
				return RR_FREE;
			for (i = 0; i < rr.nmacs; i++) {
				if (!memcmp(rr.macs + i * MAC_LEN,
					    path->nd->mac, MAC_LEN))
					return RR_OURS;
			}
			target->nreserved = rr.nmacs;
			memcpy(target->reserved_by, rr.macs, MAC_LEN);
			return RR_OTHERS;
		}
	}
	return RR_FREE;		/* silent: keeps no list either */
}

/**
 * Drop the paths the target's reservation list does not allow us; refuse
 * the target if none is left.
 */
static int check_reservations(struct aoe_target *target)
{
	unsigned int i = 0;
	char mac[18];

	while (i < target->npaths) {
		if (path_reservation(target, i) != RR_OTHERS) {
			i++;
			continue;
		}
		if (target->npaths == 1) {
			mac_name(target->reserved_by, mac, sizeof(mac));
			log_warn("aoe: %s is reserved to %s (%u in its list); "
				 "skipping it", aoe_tname(target), mac,
				 target->nreserved);
			target->reserved = true;
			return -ERR_PERM;
		}
		target_drop_path(target, i);
	}
	return 0;
}

int aoe_identify(struct aoe_target *target)
{
	struct ata_id id;
	int rc;

	if (target->refused)
		return target->refused;
	rc = identify_paths(target, &id);
	if (!rc)
		rc = check_reservations(target);
	if (rc == -ERR_PROTO || rc == -ERR_PERM)
		target->refused = rc;
	if (rc)
		return rc;
	target->lba48 = id.lba48;
	target->nsectors = id.nsectors;
	memcpy(target->serial, id.serial, sizeof(target->serial));
	memcpy(target->firmware, id.firmware, sizeof(target->firmware));
	memcpy(target->model, id.model, sizeof(target->model));
	target->blk.ops = &aoe_blk_ops;
	target->blk.nsectors = id.nsectors;
	target->identified = true;
	return 0;
}
