/*
 * aoecmd.c - the windowed AoE I/O engine (aoedev.c finds the targets).
 *
 * One transfer (aoe_xfer) splits a request into frames of "sectors per
 * frame", keeps up to a window of them in flight on every path to the
 * target, and completes them in whatever order replies arrive.  The window
 * starts at half the target's bufcnt, grows by one per reply in slow start
 * and by one per full window after, as in the Linux aoe driver.  Unlike
 * that driver, a loss cuts it only when it looks like congestion: the
 * smoothed RTT well above the path's minimum (a queue is building), or
 * more losses in one round trip than the path's long-run loss rate
 * explains (a queue overflowing).  A congestion timeout sets ssthresh to
 * half the window and the window to one.  docs/aoe.md has the reasoning.
 * Retransmissions carry a fresh tag; the previous tag is still accepted, so
 * a reply that was merely late is not thrown away.
 */
#include "aoedev_int.h"
#include "byteorder.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

/*
 * Frames taken after the earliest timer ran out before the timers are
 * looked at even though more keep coming: a window's worth of replies
 * plus this many others (noise on the wire).
 */
#define LATE_SLACK		16

/* Consecutive timeouts after which a path is avoided while others work. */
#define PATH_SUSPECT_LOSSES	2

/*
 * A command is taken as lost, without waiting for its timer, once this
 * many commands sent after it on the same path have been answered (TCP's
 * fast retransmit; targets answer in order, so a gap this wide is loss,
 * not reordering).
 */
#define FAST_RETRANSMIT_GAP	3

/*
 * Loss classification (docs/aoe.md).  A queue is taken to be building
 * when the recent RTT (the lowest sample of this round trip and the last,
 * path_recent_rtt()) is more than four times the minimum and at least a
 * floor above it: the floor keeps scheduling noise on a fast LAN (RTTs of
 * tens of microseconds) from looking like a queue.  The minimum is a
 * windowed one, so a path whose base RTT rises (a new route) is re-learnt.
 */
#define QUEUE_RTT_FACTOR	4
#define QUEUE_DELAY_FLOOR_US	100
#define MIN_RTT_WINDOW_US	10000000
/*
 * A round trip's losses are a burst when they exceed twice what the
 * long-run loss rate predicts for the window, plus a margin that grows
 * with the window (Poisson tails: with 1-2% random loss a window of 64
 * loses more than 9 commands in one round far less than once in 10^4).
 * The long-run rate is an average over rounds with this weight (1/64).
 */
#define BURST_MARGIN_BASE	2
#define BURST_MARGIN_DIV	16
#define LOSS_RATE_SHIFT		6
/* Random loss above 10% is a broken link: more than that counts. */
#define LOSS_RATE_MAX_Q16	(65536 / 10)


/** One command (frame) of a transfer. */
struct aoe_cmd {
	bool active;
	uint32_t tag;		/**< tag of the latest transmission */
	uint32_t old_tag;	/**< tag of the one before, still accepted */
	uint64_t lba;
	unsigned int count;	/**< sectors */
	uint8_t *buf;		/**< caller's buffer for these sectors */
	unsigned int path;	/**< index into target->paths */
	uint32_t seq;		/**< path->tx_seq of the last transmission */
	unsigned int seq_path;	/**< the path the last transmission took */
	uint32_t old_seq;	/**< seq of the one before (old_tag) ... */
	unsigned int old_path;	/**< ... and its path */
	uint64_t sent_us;	/**< last transmission */
	uint64_t first_us;	/**< first transmission: the dead timer */
	uint32_t rto_us;	/**< timeout armed for the last transmission */
	unsigned int tries;
	bool timed_out;		/**< its timer expired at least once */
};

/** State of one transfer. */
struct aoe_xfer {
	struct aoe_target *target;
	enum xfer_op op;
	uint64_t next_lba;	/**< first sector not yet sent */
	uint64_t end_lba;
	uint64_t start_lba;
	uint8_t *buf;		/**< caller's buffer for start_lba */
	unsigned int spf;	/**< sectors per frame */
	int only_path;		/**< the one path to use, or -1 for any */
	struct aoe_cmd *cmds;
	unsigned int ncmds;
	unsigned int active;
	int rc;
};

/* --- the I/O engine -------------------------------------------------------- */

unsigned int aoe_target_spf(const struct aoe_target *target)
{
	const struct aoe_ctx *ctx = target->ctx;
	unsigned int i, spf = 255;

	/* The smallest any path allows, so commands can move between paths. */
	for (i = 0; i < target->npaths; i++) {
		unsigned int p = aoe_sectors_per_frame(target->paths[i].scnt,
				aoe_vlan_mtu(target->paths[i].nd->mtu,
					     ctx->opt.vlan));
		if (p < spf)
			spf = p;
	}
	if (!target->npaths)
		spf = 1;
	if (ctx->opt.max_sectors && spf > ctx->opt.max_sectors)
		spf = ctx->opt.max_sectors;
	return spf;
}

static unsigned int path_max_window(const struct aoe_ctx *ctx,
				    const struct aoe_path *path)
{
	if (ctx->opt.fixed_window)
		return ctx->opt.fixed_window;
	return MIN(path->bufcnt ? path->bufcnt : 1u,
		   (unsigned int)AOE_MAX_WINDOW);
}

/**
 * Choose the path for a new command: one with room in its window, the
 * least loaded first.  A path that lost several commands in a row is
 * suspect: it gets nothing while a healthy path exists, so one dead port
 * costs one round of timeouts, not a stall per transfer.  It is used again
 * once it answers (a late reply) or a new discovery hears it.
 *
 * @v avoid	a path not to choose unless it is the only one, or -1
 * @ret index	path index, or -1 if every usable window is full
 */
static int pick_path(const struct aoe_target *target, int avoid)
{
	unsigned int i;
	bool healthy = false;
	int best = -1;

	for (i = 0; i < target->npaths; i++) {
		if (target->paths[i].lost_in_row < PATH_SUSPECT_LOSSES &&
		    (int)i != avoid)
			healthy = true;
	}
	for (i = 0; i < target->npaths; i++) {
		const struct aoe_path *p = &target->paths[i];

		if (p->inflight >= p->window)
			continue;
		if (healthy && (p->lost_in_row >= PATH_SUSPECT_LOSSES ||
				(int)i == avoid))
			continue;
		if (best < 0 ||
		    p->inflight * target->paths[best].window <
		    target->paths[best].inflight * p->window)
			best = (int)i;
	}
	return best;
}

/** The six LBA bytes a command carries on the wire, as a number. */
static uint64_t cmd_wire_lba(const struct aoe_target *target,
			     const struct aoe_cmd *cmd)
{
	if (target->lba48)
		return cmd->lba;
	/* 28-bit: LBA bits 24-27 in the device register, LBA mode. */
	return (cmd->lba & 0xFFFFFF) |
	       (uint64_t)(0xE0 | ((cmd->lba >> 24) & 0x0F)) << 24;
}

/** Build and transmit @cmd on its path with a fresh tag. */
static int xfer_send(struct aoe_xfer *x, struct aoe_cmd *cmd)
{
	struct aoe_target *target = x->target;
	struct aoe_ctx *ctx = target->ctx;
	struct aoe_path *path = &target->paths[cmd->path];
	struct aoe_hdr hdr;
	struct aoe_ata ata;
	const void *data = NULL;
	size_t datalen = 0, len;
	int rc;

	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.dst, path->mac, MAC_LEN);
	memcpy(hdr.src, path->nd->mac, MAC_LEN);
	hdr.shelf = target->shelf;
	hdr.slot = target->slot;
	hdr.cmd = AOE_CMD_ATA;
	hdr.vid = ctx->opt.vlan;
	cmd->old_tag = cmd->tag;
	cmd->tag = aoe_new_tag(ctx);
	hdr.tag = cmd->tag;

	memset(&ata, 0, sizeof(ata));
	ata.count = (uint8_t)cmd->count;
	if (x->op == XFER_IDENTIFY) {
		ata.cmd_status = ATA_CMD_IDENTIFY;
	} else if (target->lba48) {
		ata.aflags = AOE_AFL_EXT;
		ata.cmd_status = x->op == XFER_WRITE ? ATA_CMD_WRITE_EXT :
						       ATA_CMD_READ_EXT;
		ata.lba = cmd_wire_lba(target, cmd);
	} else {
		ata.cmd_status = x->op == XFER_WRITE ? ATA_CMD_WRITE :
						       ATA_CMD_READ;
		ata.lba = cmd_wire_lba(target, cmd);
	}
	if (x->op == XFER_WRITE) {
		ata.aflags |= AOE_AFL_WRITE;
		data = cmd->buf;
		datalen = (size_t)cmd->count * AOE_SECTOR_SIZE;
	}
	len = aoe_build_ata(ctx->txbuf, &hdr, &ata, data, datalen);
	cmd->sent_us = plat_now_us();
	cmd->rto_us = path->rto_us;
	cmd->tries++;
	cmd->old_seq = cmd->seq;
	cmd->old_path = cmd->seq_path;
	cmd->seq = ++path->tx_seq;
	cmd->seq_path = cmd->path;
	path->sent++;
	rc = path->nd->ops->transmit(path->nd, ctx->txbuf, len);
	/* A failed transmit is just a loss: the timer will retry it. */
	if (rc)
		log_debug("aoe: %s: transmit failed: %s", aoe_tname(target),
			  err_str(rc));
	return 0;
}

/** Start new commands while some path has room and work remains. */
static int xfer_fill(struct aoe_xfer *x)
{
	struct aoe_target *target = x->target;
	unsigned int i;

	while (x->next_lba < x->end_lba) {
		int p = x->only_path >= 0 ? x->only_path : pick_path(target, -1);
		struct aoe_cmd *cmd = NULL;

		if (p < 0 || target->paths[p].inflight >=
			     target->paths[p].window)
			return 0;
		for (i = 0; i < x->ncmds; i++) {
			if (!x->cmds[i].active) {
				cmd = &x->cmds[i];
				break;
			}
		}
		if (!cmd)
			return 0;
		memset(cmd, 0, sizeof(*cmd));
		cmd->active = true;
		cmd->lba = x->next_lba;
		cmd->count = (unsigned int)MIN((uint64_t)x->spf,
					       x->end_lba - x->next_lba);
		cmd->buf = x->buf + (cmd->lba - x->start_lba) *
				    AOE_SECTOR_SIZE;
		cmd->path = (unsigned int)p;
		cmd->first_us = plat_now_us();
		target->paths[p].inflight++;
		x->active++;
		x->next_lba += cmd->count;
		xfer_send(x, cmd);
	}
	return 0;
}

static void path_rtt_sample(struct aoe_ctx *ctx, struct aoe_path *path,
			    uint64_t rtt)
{
	uint32_t r = rtt > 0xFFFFFFF ? 0xFFFFFFF : (uint32_t)rtt;
	uint64_t now = plat_now_us(), rto;

	if (!r)
		r = 1;
	if (!path->min_rtt_us || r <= path->min_rtt_us ||
	    now - path->min_rtt_stamp_us > MIN_RTT_WINDOW_US) {
		path->min_rtt_us = r;
		path->min_rtt_stamp_us = now;
	}
	if (!path->round_min_rtt_us || r < path->round_min_rtt_us)
		path->round_min_rtt_us = r;

	if (!path->srtt_us) {
		path->srtt_us = r ? r : 1;
		path->rttvar_us = r / 2;
	} else {
		int32_t err = (int32_t)r - (int32_t)path->srtt_us;
		uint32_t aerr = err < 0 ? (uint32_t)-err : (uint32_t)err;

		path->srtt_us = (uint32_t)((int32_t)path->srtt_us + err / 8);
		if (!path->srtt_us)
			path->srtt_us = 1;
		path->rttvar_us = (uint32_t)((int32_t)path->rttvar_us +
				  ((int32_t)aerr - (int32_t)path->rttvar_us) / 4);
	}
	/* As the Linux driver: 2 * srtt + 8 * rttdev. */
	rto = 2 * (uint64_t)path->srtt_us + 8 * (uint64_t)path->rttvar_us;
	if (rto < ctx->opt.min_rto_us)
		rto = ctx->opt.min_rto_us;
	if (rto > ctx->opt.max_rto_us)
		rto = ctx->opt.max_rto_us;
	path->rto_us = (uint32_t)rto;
}

static void path_grow(struct aoe_ctx *ctx, struct aoe_path *path)
{
	unsigned int max = path_max_window(ctx, path);

	if (ctx->opt.fixed_window)
		return;
	if (path->window < path->ssthresh) {
		path->window++;
	} else if (++path->acked >= path->window) {
		path->acked = 0;
		path->window++;
	}
	if (path->window > max)
		path->window = max;
}

/**
 * The path's RTT now, filtered: the lowest sample of this round and the
 * last.  A queue delays every command of a round; a descheduled process
 * or a busy CPU delays a few, and those would push a smoothed average up.
 *
 * @ret rtt	microseconds, 0 before any sample
 */
static uint32_t path_recent_rtt(const struct aoe_path *path)
{
	uint32_t a = path->round_min_rtt_us, b = path->last_round_min_rtt_us;

	if (!a || (b && b < a))
		return b;
	return a;
}

/** Does the RTT show a queue building on the path (docs/aoe.md)? */
static bool path_queue_evident(const struct aoe_path *path)
{
	uint64_t recent = path_recent_rtt(path);

	return path->min_rtt_us &&
	       recent > QUEUE_RTT_FACTOR * (uint64_t)path->min_rtt_us &&
	       recent > path->min_rtt_us + QUEUE_DELAY_FLOOR_US;
}

/** Has this round lost more than random loss at the usual rate would? */
static bool path_round_is_burst(const struct aoe_path *path)
{
	uint64_t expected_q16 = (uint64_t)path->window * path->loss_rate_q16;
	uint64_t limit_q16 = 2 * expected_q16 +
			     ((uint64_t)(BURST_MARGIN_BASE +
					 path->window / BURST_MARGIN_DIV) << 16);

	return ((uint64_t)path->round_losses << 16) > limit_q16;
}

/**
 * Close the path's round once the last command sent when it began has
 * been answered: fold its loss fraction into the long-run rate, unless
 * the round was a burst (congestion must not teach the engine that such
 * losses are normal, or a slowly filling queue would never count).
 */
static void path_round_update(struct aoe_path *path)
{
	uint32_t sent = path->tx_seq - path->round_start_seq;
	int64_t rate, delta;

	if ((int32_t)(path->acked_seq - path->round_end_seq) < 0)
		return;
	if (sent && !path_round_is_burst(path) && !path_queue_evident(path)) {
		rate = ((int64_t)MIN(path->round_losses, sent) << 16) / sent;
		delta = rate - (int64_t)path->loss_rate_q16;
		path->loss_rate_q16 = (uint32_t)((int64_t)path->loss_rate_q16 +
						 delta / (1 << LOSS_RATE_SHIFT));
		if (path->loss_rate_q16 > LOSS_RATE_MAX_Q16)
			path->loss_rate_q16 = LOSS_RATE_MAX_Q16;
	}
	if (path->round_min_rtt_us)
		path->last_round_min_rtt_us = path->round_min_rtt_us;
	path->round_min_rtt_us = 0;
	path->round_start_seq = path->tx_seq;
	path->round_end_seq = path->tx_seq;
	path->round_losses = 0;
}


/** What a loss says about the path (path_loss_kind()). */
enum loss_kind {
	LOSS_RANDOM,	/**< no sign of congestion: keep the window */
	LOSS_QUEUE,	/**< the RTT shows a queue building */
	LOSS_BURST,	/**< far more losses this round than usual */
	LOSS_RULE,	/**< opt.loss_is_congestion */
};

/**
 * Does a loss on @path look like congestion rather than random loss?
 * Yes when a queue is building (RTT rising over its minimum) or when this
 * round trip lost far more than the path usually loses.
 */
static enum loss_kind path_loss_kind(const struct aoe_ctx *ctx,
				     const struct aoe_path *path)
{
	if (ctx->opt.loss_is_congestion)
		return LOSS_RULE;
	if (path_queue_evident(path))
		return LOSS_QUEUE;
	if (path_round_is_burst(path))
		return LOSS_BURST;
	return LOSS_RANDOM;
}

static void xfer_finish_cmd(struct aoe_xfer *x, struct aoe_cmd *cmd)
{
	struct aoe_path *path = &x->target->paths[cmd->path];

	path->inflight--;
	cmd->active = false;
	x->active--;
}

/** Find the in-flight command a reply's tag belongs to. */
static struct aoe_cmd *xfer_lookup(struct aoe_xfer *x, uint32_t tag)
{
	unsigned int i;

	for (i = 0; i < x->ncmds; i++) {
		struct aoe_cmd *cmd = &x->cmds[i];

		if (cmd->active && (cmd->tag == tag ||
				    (cmd->old_tag && cmd->old_tag == tag)))
			return cmd;
	}
	return NULL;
}

/** Which path of the target does a reply from @src on @nd belong to? */
static int target_path_of(const struct aoe_target *target,
			  const struct netdev *nd, const uint8_t *src)
{
	unsigned int i;

	for (i = 0; i < target->npaths; i++) {
		if (target->paths[i].nd == nd &&
		    !memcmp(target->paths[i].mac, src, MAC_LEN))
			return (int)i;
	}
	return -1;
}

/**
 * Validate one received frame completely and, only then, consume it.
 * Frames that are not ours are ignored; bad replies are counted and
 * ignored (the command's timer will retry); a well-formed error reply ends
 * the transfer with an error.
 */
static void xfer_receive(struct aoe_xfer *x, struct netdev *nd, int len)
{
	struct aoe_target *target = x->target;
	struct aoe_ctx *ctx = target->ctx;
	const uint8_t *frame = ctx->rxbuf;
	const uint8_t *data;
	size_t datalen, want;
	struct aoe_hdr hdr;
	struct aoe_ata ata;
	struct aoe_cmd *cmd;
	struct aoe_path *path;
	unsigned int seq_path;
	uint32_t seq;
	int p;

	if (!aoe_frame_for_us(ctx, nd, frame, len, &hdr))
		return;
	if (hdr.cmd != AOE_CMD_ATA || hdr.shelf != target->shelf ||
	    hdr.slot != target->slot)
		return;
	p = target_path_of(target, nd, hdr.src);
	if (p < 0)
		return;		/* someone else answering for this name */
	path = &target->paths[p];
	cmd = xfer_lookup(x, hdr.tag);
	if (!cmd)
		return;		/* stale or duplicate */
	if (hdr.flags & AOE_FL_ERROR) {
		log_error("aoe: %s answered error %u (%s) at LBA %llu",
			  aoe_tname(target), hdr.error, aoe_error_str(hdr.error),
			  (unsigned long long)cmd->lba);
		x->rc = hdr.error == AOE_ERR_BADARG ? -ERR_PROTO : -ERR_IO;
		return;
	}
	if (aoe_parse_ata(frame, (size_t)len, &ata, &data, &datalen)) {
		path->bad_replies++;
		return;
	}
	if (ata.cmd_status & ATA_STAT_BAD) {
		if (x->op == XFER_WRITE)
			log_error("aoe: %s refused the write at LBA %llu "
				  "(ATA status 0x%02x error 0x%02x): read-only "
				  "target?", aoe_tname(target),
				  (unsigned long long)cmd->lba,
				  ata.cmd_status, ata.err_feature);
		else
			log_error("aoe: %s: ATA error at LBA %llu (status "
				  "0x%02x error 0x%02x)", aoe_tname(target),
				  (unsigned long long)cmd->lba,
				  ata.cmd_status, ata.err_feature);
		x->rc = x->op == XFER_WRITE && (ata.err_feature & 0x04) ?
			-ERR_ROFS : -ERR_IO;
		return;
	}
	/*
	 * The tag alone is not proof: a late reply to an old tag, or a
	 * corrupted one, may carry another command's tag.  The target echoes
	 * the LBA it served; it must be this command's.  The count register
	 * reads 0 after a finished transfer (vblade) or the count sent.
	 */
	if (x->op != XFER_IDENTIFY &&
	    ((ata.count && ata.count != cmd->count) ||
	     (ata.lba & 0xFFFFFFFFFFFFULL) != cmd_wire_lba(target, cmd))) {
		log_debug("aoe: %s: reply count %u lba %llx, sent %u %llx",
			  aoe_tname(target), ata.count, (unsigned long long)ata.lba,
			  cmd->count,
			  (unsigned long long)cmd_wire_lba(target, cmd));
		path->bad_replies++;
		return;
	}
	want = x->op == XFER_WRITE ? 0 : (size_t)cmd->count * AOE_SECTOR_SIZE;
	if (datalen < want) {
		/* Truncated: never copy a partial command. */
		path->bad_replies++;
		return;
	}
	if (want)
		memcpy(cmd->buf, data, want);
	/*
	 * The answer to the transmission before a timeout: the command was
	 * late, not lost (a busy target or a descheduled initiator).  Undo
	 * that window cut, as TCP's Eifel response does.
	 */
	if (hdr.tag == cmd->old_tag && cmd->timed_out && path->undo_valid &&
	    !ctx->opt.fixed_window) {
		path->window = MAX(path->window, path->undo_window);
		path->ssthresh = MAX(path->ssthresh, path->undo_ssthresh);
		path->undo_valid = false;
		path->spurious++;
	}
	path->received++;
	path->lost_in_row = 0;
	/*
	 * Targets answer in order, so commands sent on this path before the
	 * transmission answered here are overdue.  That is the transmission
	 * whose tag the reply carries: a late answer to the one before a
	 * retransmission says nothing about commands sent after it.
	 */
	if (hdr.tag == cmd->tag) {
		seq = cmd->seq;
		seq_path = cmd->seq_path;
	} else {
		seq = cmd->old_seq;
		seq_path = cmd->old_path;
	}
	if (seq_path == (unsigned int)p &&
	    (int32_t)(seq - path->acked_seq) > 0)
		path->acked_seq = seq;
	if (cmd->tries == 1 && cmd->path == (unsigned int)p)
		path_rtt_sample(ctx, path, plat_now_us() - cmd->sent_us);
	path_round_update(path);
	path_grow(ctx, &target->paths[cmd->path]);
	xfer_finish_cmd(x, cmd);
	if (ctx->progress)
		ctx->progress(ctx->progress_arg,
			      (uint64_t)cmd->count * AOE_SECTOR_SIZE);
}

/**
 * A command lost on @path.  The RTO backs off once per loss event; the
 * window is cut (multiplicative decrease) only if the loss looks like
 * congestion, and then once per event (commands sent before the last cut
 * were lost to the same congestion).
 *
 * @v timeout	true for a timer expiry (window to 1, RTO doubled), false
 *		for a loss seen by the replies that overtook it (halve)
 */
static void path_loss(struct aoe_ctx *ctx, struct aoe_path *path,
		      const struct aoe_cmd *cmd, bool timeout, uint64_t now)
{
	path->round_losses++;
	if (timeout && cmd->sent_us >= path->rto_epoch_us) {
		path->rto_epoch_us = now;
		path->rto_us = (uint32_t)MIN((uint64_t)path->rto_us * 2,
					     (uint64_t)ctx->opt.max_rto_us);
	}
	if (ctx->opt.fixed_window || cmd->sent_us < path->loss_epoch_us)
		return;
	switch (path_loss_kind(ctx, path)) {
	case LOSS_RANDOM:
		path->random_losses++;
		return;
	case LOSS_QUEUE:
		path->queue_cuts++;
		break;
	case LOSS_BURST:
		path->burst_cuts++;
		break;
	case LOSS_RULE:
		break;
	}
	path->loss_epoch_us = now;
	path->congestion_cuts++;
	if (timeout) {
		path->undo_window = path->window;
		path->undo_ssthresh = path->ssthresh;
		path->undo_valid = true;
	} else {
		path->undo_valid = false;
	}
	path->ssthresh = MAX(path->window / 2, 1u);
	path->window = timeout ? 1 : path->ssthresh;
	path->acked = 0;
}

/** Send @cmd again, on another path if its own keeps losing. */
static void xfer_resend(struct aoe_xfer *x, struct aoe_cmd *cmd)
{
	struct aoe_target *target = x->target;
	struct aoe_path *path = &target->paths[cmd->path];
	int np = (int)cmd->path;

	if (target->npaths > 1 && x->only_path < 0 &&
	    path->lost_in_row >= PATH_SUSPECT_LOSSES) {
		int alt = pick_path(target, (int)cmd->path);

		if (alt >= 0)
			np = alt;
	}
	if (np != (int)cmd->path) {
		path->inflight--;
		target->paths[np].inflight++;
		cmd->path = (unsigned int)np;
	}
	xfer_send(x, cmd);
}

/** Resend commands that later answers show to be lost. */
static void xfer_fast_retransmit(struct aoe_xfer *x, uint64_t now)
{
	struct aoe_target *target = x->target;
	unsigned int i;

	for (i = 0; i < x->ncmds; i++) {
		struct aoe_cmd *cmd = &x->cmds[i];
		struct aoe_path *path;

		if (!cmd->active)
			continue;
		path = &target->paths[cmd->path];
		if ((int32_t)(path->acked_seq - cmd->seq) < FAST_RETRANSMIT_GAP)
			continue;
		path->fast_retransmits++;
		path_loss(target->ctx, path, cmd, false, now);
		xfer_resend(x, cmd);
	}
}

/** Handle every command whose timer has run out. */
static void xfer_timeouts(struct aoe_xfer *x, uint64_t now)
{
	struct aoe_target *target = x->target;
	struct aoe_ctx *ctx = target->ctx;
	unsigned int i;

	for (i = 0; i < x->ncmds && !x->rc; i++) {
		struct aoe_cmd *cmd = &x->cmds[i];
		struct aoe_path *path;

		if (!cmd->active || now < cmd->sent_us + cmd->rto_us)
			continue;
		path = &target->paths[cmd->path];
		if (now - cmd->first_us >= ctx->opt.dead_us) {
			log_error("aoe: %s stopped answering at LBA %llu "
				  "(%llu of %llu sectors done, %u tries)",
				  aoe_tname(target), (unsigned long long)cmd->lba,
				  (unsigned long long)(cmd->lba - x->start_lba),
				  (unsigned long long)(x->end_lba -
						       x->start_lba),
				  cmd->tries);
			x->rc = -ERR_TIMEOUT;
			return;
		}
		path->retransmits++;
		path->lost_in_row++;
		cmd->timed_out = true;
		path_loss(ctx, path, cmd, true, now);
		xfer_resend(x, cmd);
	}
}

/**
 * Run one transfer to completion.
 *
 * @ret rc	0 or negative ERR_*
 */
int aoe_xfer(struct aoe_target *target, enum xfer_op op, uint64_t lba,
		    uint64_t count, void *buf, int only_path)
{
	struct aoe_ctx *ctx = target->ctx;
	struct aoe_xfer x;
	unsigned int i, slots = 0, late = 0;

	if (!target->npaths)
		return -ERR_NODEV;
	memset(&x, 0, sizeof(x));
	x.target = target;
	x.op = op;
	x.start_lba = lba;
	x.next_lba = lba;
	x.end_lba = lba + count;
	x.buf = buf;
	x.spf = op == XFER_IDENTIFY ? 1 : aoe_target_spf(target);
	x.only_path = only_path < (int)target->npaths ? only_path : -1;
	for (i = 0; i < target->npaths; i++) {
		struct aoe_path *path = &target->paths[i];

		slots += path_max_window(ctx, path);
		path->inflight = 0;
		if (!path->window)
			aoe_path_reset(ctx, path);
		if (ctx->opt.fixed_window)
			path->window = ctx->opt.fixed_window;
	}
	x.ncmds = slots;
	x.cmds = plat_alloc(sizeof(*x.cmds) * slots);
	if (!x.cmds)
		return -ERR_NOMEM;
	memset(x.cmds, 0, sizeof(*x.cmds) * slots);

	while (!x.rc && (x.next_lba < x.end_lba || x.active)) {
		uint64_t now, deadline = ~0ULL;
		struct netdev *nd;
		int len;

		xfer_fill(&x);
		if (!x.active) {
			x.rc = -ERR_IO;	/* cannot happen: no window at all */
			break;
		}
		for (i = 0; i < x.ncmds; i++) {
			if (x.cmds[i].active &&
			    x.cmds[i].sent_us + x.cmds[i].rto_us < deadline)
				deadline = x.cmds[i].sent_us +
					   x.cmds[i].rto_us;
		}
		len = aoe_poll(ctx, deadline, &nd);
		if (len < 0) {
			log_error("aoe: %s: receive failed: %s", aoe_tname(target),
				  err_str(len));
			x.rc = len;
			break;
		}
		now = plat_now_us();
		if (len > 0) {
			xfer_receive(&x, nd, len);
			if (!x.rc)
				xfer_fast_retransmit(&x, now);
			/*
			 * Replies already queued are not lost, however late
			 * this loop got to them (a descheduled initiator):
			 * take them all before judging a timer.  Only a
			 * flood longer than a window of replies can delay
			 * the timers.
			 */
			if (now < deadline || ++late <= x.ncmds + LATE_SLACK)
				continue;
		}
		/* Nothing was waiting at the last poll: timers are due. */
		late = 0;
		if (now >= deadline)
			xfer_timeouts(&x, now);
	}
	for (i = 0; i < target->npaths; i++)
		target->paths[i].inflight = 0;
	plat_free(x.cmds);
	return x.rc;
}

static int aoe_check_io(struct aoe_target *target, uint64_t lba,
			uint64_t count)
{
	if (target->refused)
		return target->refused;
	if (!target->identified) {
		int rc = aoe_identify(target);

		if (rc)
			return rc;
	}
	if (lba > target->nsectors || count > target->nsectors - lba) {
		log_error("aoe: %s: LBA %llu+%llu is beyond the end (%llu "
			  "sectors)", aoe_tname(target), (unsigned long long)lba,
			  (unsigned long long)count,
			  (unsigned long long)target->nsectors);
		return -ERR_RANGE;
	}
	if (!target->lba48 && lba + count > (1ULL << 28))
		return -ERR_RANGE;
	return 0;
}

int aoe_read(struct aoe_target *target, uint64_t lba, uint64_t count,
	     void *buf)
{
	int rc = aoe_check_io(target, lba, count);

	if (rc || !count)
		return rc;
	return aoe_xfer(target, XFER_READ, lba, count, buf, -1);
}

int aoe_write(struct aoe_target *target, uint64_t lba, uint64_t count,
	      const void *buf)
{
	int rc = aoe_check_io(target, lba, count);

	if (rc || !count)
		return rc;
	/* The engine only reads from the buffer for writes. */
	return aoe_xfer(target, XFER_WRITE, lba, count, (void *)(uintptr_t)buf,
			-1);
}
