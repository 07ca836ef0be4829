/*
 * aoedev.h - AoE targets: discovery, IDENTIFY and the windowed I/O engine.
 *
 * An initiator (struct aoe_ctx) owns the network devices it may use and the
 * table of targets discovered through them.  Each target exposes a struct
 * blkdev, so partitions, md and filesystems stack on it directly.
 *
 * The engine keeps many commands in flight per path (bounded by the
 * target's bufcnt), grows the window by slow start then +1 per full window,
 * and halves it only on a loss that looks like congestion (the RTT well
 * above its minimum, or a burst of losses far above the recent loss rate;
 * see docs/aoe.md), not on every loss as the Linux aoe driver does.  It
 * estimates RTT (Jacobson, Karn's rule: no samples from retransmitted
 * commands), retransmits with a fresh tag, spreads commands over every path
 * (MAC) that answered and fails over when one stops.  Every reply is
 * validated before a byte of it is copied into the caller's buffer.
 */
#ifndef AOEBOOT_AOEDEV_H
#define AOEBOOT_AOEDEV_H

#include <stdbool.h>
#include <stdint.h>
#include "aoe.h"
#include "blk.h"
#include "platform.h"

#define AOE_MAX_NETDEVS		8
#define AOE_MAX_TARGETS		64
#define AOE_MAX_PATHS		8
#define AOE_MAX_WINDOW		64	/**< per path, like the Linux driver */

/** One way to reach a target: a local NIC and the target's MAC on it. */
struct aoe_path {
	struct netdev *nd;
	uint8_t mac[6];
	uint16_t bufcnt;	/**< what this port said it queues */
	uint8_t scnt;		/**< what this port said it accepts */
	/* Congestion state (per path, as in the Linux driver). */
	unsigned int window;	/**< commands allowed in flight (cwnd) */
	unsigned int ssthresh;
	unsigned int inflight;
	unsigned int acked;	/**< replies since the window last grew */
	uint32_t srtt_us;	/**< smoothed RTT, 0 until the first sample */
	uint32_t rttvar_us;
	uint32_t rto_us;	/**< current retransmission timeout */
	unsigned int lost_in_row; /**< consecutive timeouts: failover hint */
	uint64_t loss_epoch_us;	/**< last window cut: once per loss event */
	unsigned int undo_window;	/**< window before a timeout's cut */
	unsigned int undo_ssthresh;
	bool undo_valid;	/**< that cut may still prove spurious */
	uint32_t tx_seq;	/**< numbers each transmission on this path */
	uint32_t acked_seq;	/**< highest transmission answered */
	uint64_t rto_epoch_us;	/**< last RTO backoff: once per loss event */
	/* Telling random loss from congestion (docs/aoe.md). */
	uint32_t min_rtt_us;	/**< lowest RTT sample in the last window */
	uint64_t min_rtt_stamp_us;	/**< when min_rtt_us was taken */
	uint32_t round_min_rtt_us;	/**< lowest RTT sample this round */
	uint32_t last_round_min_rtt_us;	/**< ... and in the round before */
	uint32_t round_start_seq;	/**< tx_seq when this round began */
	uint32_t round_end_seq;	/**< the round ends once this is answered */
	unsigned int round_losses;	/**< commands lost in this round */
	uint32_t loss_rate_q16;	/**< long-run loss fraction, 1/65536 units */
	/* Statistics. */
	uint64_t sent, received, retransmits, fast_retransmits, spurious,
		 bad_replies;
	uint64_t random_losses;	/**< loss events that left the window alone */
	uint64_t congestion_cuts;	/**< loss events that cut it ... */
	uint64_t queue_cuts;	/**< ... because the RTT showed a queue */
	uint64_t burst_cuts;	/**< ... because of a burst of losses */
};

/** A discovered target e<shelf>.<slot>. */
struct aoe_target {
	struct aoe_ctx *ctx;
	uint16_t shelf;
	uint8_t slot;
	struct aoe_path paths[AOE_MAX_PATHS];
	unsigned int npaths;
	uint16_t fwver;
	char config[AOE_CFG_STRING_MAX + 1];	/**< NUL-terminated */
	/*
	 * Why the target must not be used, 0 if it may: -ERR_PROTO when
	 * different disks answer for its name (their MACs were logged),
	 * -ERR_PERM when it is reserved to other hosts.  Sticky for the
	 * initiator's lifetime.
	 */
	int refused;
	bool conflict;		/**< two disks answer as this shelf.slot */
	bool reserved;		/**< reserved to other hosts */
	unsigned int nreserved;	/**< MACs in its reservation list */
	uint8_t reserved_by[6];	/**< the first of them */
	/* From ATA IDENTIFY (valid once identified). */
	bool identified;
	bool lba48;
	uint64_t nsectors;
	char model[41];
	char serial[21];
	char firmware[9];
	/* Block device view (name "e<shelf>.<slot>"). */
	struct blkdev blk;
};

/** Tunables; zero means the default. */
struct aoe_options {
	unsigned int fixed_window;	/**< commands in flight; 0 = adaptive */
	unsigned int max_sectors;	/**< cap sectors per frame; 0 = no cap */
	uint32_t initial_rto_us;	/**< default 250 ms */
	uint32_t min_rto_us;		/**< default 10 ms */
	uint32_t max_rto_us;		/**< default 2 s */
	uint32_t dead_us;		/**< give up on a command; default 10 s */
	/**
	 * Treat every loss as congestion (the Linux aoe driver's rule), for
	 * comparison; by default only losses with a rising RTT or a burst
	 * above the usual loss rate cut the window.
	 */
	bool loss_is_congestion;
	/**
	 * Use only targets whose AoE config string starts with this
	 * (NUL-terminated, at most AOE_CFG_STRING_MAX bytes; NULL or "" for
	 * all).  Discovery asks with Query Config's prefix test, so other
	 * targets stay silent, and checks every answer too.  The string is
	 * copied by aoe_init().
	 */
	const char *config_prefix;
	/**
	 * 802.1Q VLAN id (1..4094), 0 for none.  Every frame goes out tagged
	 * with it (PCP 0) and only replies tagged with it are looked at;
	 * without one, only untagged (or VID 0 priority-tagged) replies.
	 * The data per frame is kept within the MTU less the tag.
	 */
	uint16_t vlan;
};

/** An initiator. */
struct aoe_ctx {
	struct netdev *netdevs[AOE_MAX_NETDEVS];
	unsigned int nnetdevs;
	struct aoe_target *targets[AOE_MAX_TARGETS];
	unsigned int ntargets;
	struct aoe_options opt;
	char *config_prefix;	/**< opt's, copied (NULL: none) */
	size_t config_prefix_len;
	uint32_t next_tag;
	uint8_t *rxbuf;		/**< one frame, sized for the largest MTU */
	size_t rxbuf_size;
	uint8_t *txbuf;
	size_t txbuf_size;
	/**
	 * Called as commands complete with the bytes just transferred, so
	 * a front end can draw progress inside one long read; may be NULL.
	 */
	void (*progress)(void *arg, uint64_t bytes);
	void *progress_arg;
	/** How often discovery repeats Query Config; 0: 150 ms. */
	uint32_t query_interval_us;
};

/**
 * Set up an initiator over @nnetdevs network devices.
 *
 * @ret rc	0 or -ERR_NOMEM / -ERR_INVAL (also for a VLAN id above 4094)
 */
int aoe_init(struct aoe_ctx *ctx, struct netdev **netdevs,
	     unsigned int nnetdevs, const struct aoe_options *opt);

/** Free everything aoe_init() and discovery allocated. */
void aoe_shutdown(struct aoe_ctx *ctx);

/**
 * Broadcast Query Config on every netdev and collect answers for
 * @timeout_ms.  Targets and paths accumulate across calls.
 *
 * @ret count	number of targets known, or negative ERR_*
 */
int aoe_discover(struct aoe_ctx *ctx, uint32_t timeout_ms);

/**
 * Ask one target directly (broadcast Query Config to its shelf.slot), for
 * when the target list is known in advance.
 *
 * @ret target	the target, or NULL if it did not answer
 */
struct aoe_target *aoe_probe(struct aoe_ctx *ctx, uint16_t shelf,
			     uint8_t slot, uint32_t timeout_ms);

/** A target's name, e<shelf>.<slot>. */
struct aoe_name {
	uint16_t shelf;
	uint8_t slot;
};

/** How aoe_wait_targets() waits for a LAN that is not there yet. */
struct aoe_wait {
	uint32_t first_ms;	/**< the first round, as aoe_discover() */
	uint32_t wait_ms;	/**< then, while nothing answered, this long */
	uint32_t settle_ms;	/**< once one answered, this for the rest */
	/**
	 * Polled between rounds: true stops the waiting (a key was
	 * pressed).  NULL: never.
	 */
	bool (*stop)(void *arg);
	void *arg;
};

/**
 * Find targets as a machine on a real LAN must: a switch port may take
 * 30 s to forward (spanning tree), targets may boot after the clients.
 * Discover every target (@nwant 0) or probe the @want ones for
 * @w->first_ms; while none answered, go on asking, the Query Config
 * interval backing off from 150 ms to 1 s, with a countdown line every
 * 5 s, until @w->wait_ms have passed or @w->stop says so.  Once any
 * answered, the others get @w->settle_ms more (a RAID1 with one member
 * down still boots, degraded).
 *
 * @ret count	targets found (of @want, or all known), or negative ERR_*
 */
int aoe_wait_targets(struct aoe_ctx *ctx, const struct aoe_name *want,
		     unsigned int nwant, const struct aoe_wait *w);

/** Find a known target, or NULL. */
struct aoe_target *aoe_find(struct aoe_ctx *ctx, uint16_t shelf,
			    uint8_t slot);

/**
 * ATA IDENTIFY: fills capacity, LBA48, model, serial and firmware, and
 * makes target->blk usable.  A target answering from several MACs is
 * identified through each: if they are different disks (serial or size
 * differ) it is refused with one line naming both MACs, never used as
 * two paths.  Then its reservation list is read (Reserve/Release, a
 * read-only query); a target reserved to other hosts is reported and
 * refused.  A port that does not answer IDENTIFY is dropped.
 *
 * @ret rc	0, -ERR_PROTO (two disks for one name), -ERR_PERM (reserved
 *		to others) or another negative ERR_*
 */
int aoe_identify(struct aoe_target *target);

/**
 * Read @count sectors at @lba; any length, split into frames.
 *
 * @ret rc	0 or negative ERR_* (a message naming the target and LBA has
 *		been logged)
 */
int aoe_read(struct aoe_target *target, uint64_t lba, uint64_t count,
	     void *buf);

/** Write @count sectors at @lba.  The only path that ever writes. */
int aoe_write(struct aoe_target *target, uint64_t lba, uint64_t count,
	      const void *buf);

/** Sectors per frame this target is driven with. */
unsigned int aoe_target_spf(const struct aoe_target *target);

/** Format "e<shelf>.<slot>" into @buf (at least 12 bytes). */
void aoe_target_name(const struct aoe_target *target, char *buf,
		     size_t size);

#endif
