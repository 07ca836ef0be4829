/*
 * aoedev_int.h - what aoedev.c (targets, discovery, IDENTIFY) and
 * aoecmd.c (the windowed I/O engine) share.  Not for other files: the
 * public interface is aoedev.h.
 */
#ifndef AOEBOOT_AOEDEV_INT_H
#define AOEBOOT_AOEDEV_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "aoe.h"
#include "aoedev.h"

#define ETH_HDR_LEN		14
#define MAC_LEN			6

/** What a transfer does to each sector range. */
enum xfer_op { XFER_READ, XFER_WRITE, XFER_IDENTIFY };

/**
 * The target's name ("e11.0"), for messages.
 *
 * @v target	target
 * @ret name	its block device name
 */
const char *aoe_tname(const struct aoe_target *target);

/**
 * A fresh tag for a command (never 0: vblade's announcements carry 0).
 *
 * @v ctx	initiator
 * @ret tag	the tag
 */
uint32_t aoe_new_tag(struct aoe_ctx *ctx);

/**
 * Wait for one frame on any of the initiator's netdevs.
 *
 * @v ctx		initiator (the frame lands in ctx->rxbuf)
 * @v deadline_us	plat_now_us() value to give up at
 * @v from		set to the netdev it came from
 * @ret len		frame length, 0 on timeout, negative ERR_* on error
 */
int aoe_poll(struct aoe_ctx *ctx, uint64_t deadline_us, struct netdev **from);

/**
 * Put a path's window and RTO back to their starting values.
 *
 * @v ctx	initiator (its options)
 * @v path	path
 */
void aoe_path_reset(struct aoe_ctx *ctx, struct aoe_path *path);

/**
 * Is this received frame an AoE response addressed to @nd, on the
 * initiator's VLAN (or untagged when it has none)?
 *
 * @v ctx	initiator (its VLAN)
 * @v nd	netdev it arrived on
 * @v frame	frame bytes
 * @v len	frame length
 * @v hdr	receives the parsed AoE header
 * @ret ok	true when it is one to look at
 */
bool aoe_frame_for_us(const struct aoe_ctx *ctx, struct netdev *nd,
		      const uint8_t *frame, int len, struct aoe_hdr *hdr);

/**
 * Run one transfer to completion (aoecmd.c).
 *
 * @v target	target
 * @v op	XFER_READ, XFER_WRITE or XFER_IDENTIFY
 * @v lba	first sector
 * @v count	sectors
 * @v buf	data
 * @v only_path	the one path to use, or -1 for any
 * @ret rc	0 or negative ERR_*
 */
int aoe_xfer(struct aoe_target *target, enum xfer_op op, uint64_t lba,
	     uint64_t count, void *buf, int only_path);

#endif
