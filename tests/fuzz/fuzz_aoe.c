/*
 * fuzz_aoe.c - hostile AoE replies into discovery, IDENTIFY and reads.
 *
 * The input is a sequence of records [flags][len_hi][len_lo][bytes...],
 * each delivered as one received frame.  Flag bit 0 stamps the tag of the
 * last request we sent and bit 1 our MAC as destination, so the fuzzer
 * reaches the validation paths behind the tag lookup (IDENTIFY of every
 * path, the reservation query, reads).  Inputs of odd length discover with
 * a config-string prefix.  Inputs whose length has bit 1 set run on 802.1Q
 * VLAN 5 (every request tagged); flag bit 2 inserts a tag with VID 5
 * after the MACs of the frame, so the tagged parsers see every kind of
 * reply on either setting.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/core/aoedev.h"
#include "../../src/core/platform.h"

struct fuzz_nic {
	struct netdev nd;
	const uint8_t *data;
	size_t size, pos;
	uint8_t last_tag[4];
};

#define FZ_VID		5

/* Where the AoE tag is in @frame: 4 bytes later behind an 802.1Q tag. */
static size_t fz_tag_off(const uint8_t *frame, size_t len)
{
	return len >= 14 && frame[12] == 0x81 && frame[13] == 0x00 ? 24 : 20;
}

static int fz_transmit(struct netdev *nd, const void *frame, size_t len)
{
	struct fuzz_nic *nic = nd->priv;
	size_t off = fz_tag_off(frame, len);

	if (len >= off + 4)
		memcpy(nic->last_tag, (const uint8_t *)frame + off, 4);
	return 0;
}

static int fz_poll(struct netdev *nd, void *buf, size_t size,
		   uint64_t deadline_us)
{
	struct fuzz_nic *nic = nd->priv;
	size_t len;
	uint8_t flags;

	(void)deadline_us;
	if (nic->pos + 3 > nic->size)
		return 0;
	flags = nic->data[nic->pos];
	len = (size_t)nic->data[nic->pos + 1] << 8 | nic->data[nic->pos + 2];
	nic->pos += 3;
	if (len > nic->size - nic->pos)
		len = nic->size - nic->pos;
	if (len > size)
		len = size;
	memcpy(buf, nic->data + nic->pos, len);
	nic->pos += len;
	if ((flags & 4) && len >= 12 && len + 4 <= size) {
		uint8_t *b = buf;

		memmove(b + 16, b + 12, len - 12);
		b[12] = 0x81;
		b[13] = 0x00;
		b[14] = 0;
		b[15] = FZ_VID;
		len += 4;
	}
	if ((flags & 1) && len >= fz_tag_off(buf, len) + 4)
		memcpy((uint8_t *)buf + fz_tag_off(buf, len), nic->last_tag, 4);
	if ((flags & 2) && len >= 6)
		memcpy(buf, nd->mac, 6);
	return (int)len;
}

static const struct netdev_ops fz_ops = { fz_transmit, fz_poll };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_nic nic;
	struct netdev *nds[1] = { &nic.nd };
	struct aoe_options opt = { .dead_us = 30000, .initial_rto_us = 2000,
				   .max_rto_us = 4000 };
	struct aoe_ctx ctx;
	struct aoe_rr rr;
	unsigned int i;
	uint8_t buf[8 * 512];

	/* The Reserve/Release parser on the raw bytes too. */
	aoe_parse_rr(data, size, &rr);
	/* Odd sizes discover with a config prefix: the filter's paths. */
	if (size & 1)
		opt.config_prefix = "rack1/";
	if (size & 2)
		opt.vlan = FZ_VID;
	memset(&nic, 0, sizeof(nic));
	nic.nd.ops = &fz_ops;
	nic.nd.mtu = 9000;
	nic.nd.priv = &nic;
	memcpy(nic.nd.mac, "\x02\x00\x00\x00\x00\x01", 6);
	nic.data = data;
	nic.size = size;
	if (aoe_init(&ctx, nds, 1, &opt))
		return 0;
	aoe_discover(&ctx, 20);
	for (i = 0; i < ctx.ntargets; i++) {
		struct aoe_target *t = ctx.targets[i];

		if (aoe_identify(t) == 0 && t->nsectors >= 8) {
			aoe_read(t, t->nsectors - 8, 8, buf);
			aoe_read(t, 0, 3, buf);
		}
	}
	aoe_shutdown(&ctx);
	return 0;
}
