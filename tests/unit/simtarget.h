/*
 * simtarget.h - an in-process AoE target on a simulated wire, for unit
 * tests of the engine: seeded loss, duplication, reordering, delay, and
 * hostile replies, all on the test platform's virtual clock.  It is in
 * addition to the real vblade tests, not instead of them.
 */
#ifndef AOEBOOT_SIMTARGET_H
#define AOEBOOT_SIMTARGET_H

#include <stdbool.h>
#include <stdint.h>
#include "../../src/core/platform.h"

#define SIM_MAX_TARGETS 8
#define SIM_QUEUE 4096

struct sim_target {
	uint16_t shelf;
	uint8_t slot;
	uint8_t mac[6];
	uint8_t *disk;
	uint64_t nsectors;
	uint16_t bufcnt;	/**< what Query Config announces */
	uint16_t queue_limit;	/**< what it really queues; 0: bufcnt */
	uint8_t scnt;
	bool lba28;		/**< IDENTIFY says no LBA48 */
	bool readonly;
	bool dead;		/**< answers nothing */
	int64_t error_lba;	/**< AoE error reply for commands covering it */
	int64_t ata_error_lba;	/**< ATA status error for it */
	char config[64];	/**< AoE config string */
	bool ignores_prefix;	/**< answers Query Config tests regardless */
	char serial[21];	/**< IDENTIFY serial (ports of one disk share it) */
	uint8_t rr_macs[4][6];	/**< Reserve/Release list */
	unsigned int rr_nmacs;
	int rr_mode;		/**< 0 answers, 1 error "bad command", 2 silent */
	uint16_t vid;		/**< 802.1Q VLAN it is on; 0: untagged LAN */
	/* Observed. */
	unsigned int outstanding;
	unsigned int max_outstanding;
	unsigned long requests, overflow_drops, bad_requests;
	unsigned long reads;		/**< ATA READ commands served */
	unsigned long config_writes;	/**< Query Config set/force set seen */
	unsigned long rr_writes;	/**< Reserve/Release set/force seen */
	uint64_t busy_until;
	uint64_t ends[256];	/**< completion times of queued commands */
	unsigned int nends;
};

struct sim_frame {
	uint64_t at_us;
	uint16_t len;
	uint8_t data[9100];
	int target;		/**< whose reply (-1: not a reply) */
};

struct sim_wire {
	struct netdev nd;
	struct sim_target targets[SIM_MAX_TARGETS];
	unsigned int ntargets;
	/* Impairments, percent per frame. */
	unsigned int loss_req, loss_rep, dup, reorder, wrong_tag, truncate,
		     oversize, foreign, garbage;
	uint32_t latency_us;	/**< one way */
	uint32_t jitter_us;	/**< reorder adds up to this much */
	uint32_t service_us;	/**< target's time per command */
	uint64_t rng;
	/* One reply held back: the first to a read covering slow_lba. */
	bool slow;
	uint64_t slow_lba;
	uint32_t slow_us;
	/* One initiator stall: before the stall_at-th poll (counting from
	 * 1), the clock jumps stall_us, as a descheduled process sees it. */
	unsigned long polls, stall_at;
	uint64_t stall_us;
	/* What the initiator sent (the wire as a VLAN-aware switch sees it). */
	unsigned long tx_tagged, tx_untagged, tx_bad_tag;
	size_t tx_max;			/**< longest frame, tag included */
	struct sim_frame *queue;	/**< pending deliveries */
	unsigned int nqueue;
};

/** Set up a wire with the given MTU and seed; nd is ready to use. */
void sim_init(struct sim_wire *w, unsigned int mtu, uint64_t seed);
void sim_free(struct sim_wire *w);

/** Add a target with a random disk of @nsectors (deterministic bytes). */
struct sim_target *sim_add_target(struct sim_wire *w, uint16_t shelf,
				  uint8_t slot, uint64_t nsectors);

/** Add a second port (path) for target @idx: same disk, another MAC. */
struct sim_target *sim_add_port(struct sim_wire *w, unsigned int idx);

#endif
