/*
 * simtarget.c - an in-process AoE target and a hostile wire (see .h).
 *
 * Written independently of the core's aoe.c: frames are decoded here by
 * offset, so a mistake in the core's encoder shows up as a test failure
 * instead of being mirrored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "simtarget.h"
#include "testplat.h"
#include "../../src/core/errors.h"

#define MINU(a, b) ((a) < (b) ? (a) : (b))

static uint32_t sim_rand(struct sim_wire *w)
{
	/* xorshift64*: deterministic for a seed. */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return (uint32_t)((w->rng * 2685821657736338717ULL) >> 32);
}

static bool chance(struct sim_wire *w, unsigned int pct)
{
	return pct && sim_rand(w) % 100 < pct;
}

/* Queue a frame for the initiator, with an 802.1Q tag when @vid is set
 * (the switch port towards the initiator is a trunk). */
static void enqueue(struct sim_wire *w, const uint8_t *data, size_t len,
		    uint64_t at, int target, uint16_t vid)
{
	size_t tl = vid ? 4 : 0;
	struct sim_frame *f;

	if (w->nqueue >= SIM_QUEUE || len < 12 || len + tl > sizeof(f->data))
		return;
	f = &w->queue[w->nqueue++];
	f->at_us = at;
	f->len = (uint16_t)(len + tl);
	f->target = target;
	memcpy(f->data, data, 12);
	if (vid) {
		f->data[12] = 0x81;
		f->data[13] = 0x00;
		f->data[14] = (uint8_t)(vid >> 8);
		f->data[15] = (uint8_t)vid;
	}
	memcpy(f->data + 12 + tl, data + 12, len - 12);
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }

/** Build the target's reply to one request and queue it (impaired). */
static void sim_reply(struct sim_wire *w, int ti, uint8_t *rep, size_t len,
		      uint64_t at)
{
	uint8_t copy[9200];
	uint16_t vid = w->targets[ti].vid;

	if (chance(w, w->loss_rep))
		return;
	if (chance(w, w->reorder))
		at += w->jitter_us ? sim_rand(w) % w->jitter_us : 0;
	if (chance(w, w->wrong_tag)) {
		/* A corrupted tag first (must be ignored), the real one too. */
		memcpy(copy, rep, len);
		copy[23] ^= 0x5a;
		enqueue(w, copy, len, at, ti, vid);
	}
	if (chance(w, w->foreign)) {
		/* Same tag, but from a MAC that is no path of the target. */
		memcpy(copy, rep, len);
		copy[11] ^= 0x77;
		memset(copy + 36, 0xEE, len > 36 ? len - 36 : 0);
		enqueue(w, copy, len, at, -1, vid);
	}
	if (chance(w, w->truncate) && len > 37) {
		/* Truncated: a poisoned short copy arrives instead. */
		memcpy(copy, rep, len);
		memset(copy + 36, 0xDD, len - 36);
		enqueue(w, copy, len - 1 - sim_rand(w) % (len - 37), at, ti,
			vid);
		return;
	}
	if (chance(w, w->oversize)) {
		memcpy(copy, rep, len);
		memset(copy + len, 0xAB, 100);
		enqueue(w, copy, len + 100, at, ti, vid);
	} else {
		enqueue(w, rep, len, at, ti, vid);
	}
	if (chance(w, w->dup))
		enqueue(w, rep, len, at + sim_rand(w) % 1000, ti, vid);
}

static void sim_config(struct sim_wire *w, int ti, const uint8_t *req,
		       size_t len, uint64_t now)
{
	struct sim_target *t = &w->targets[ti];
	uint8_t ccmd = req[29] & 0x0F;
	size_t cslen = (size_t)(req[30] << 8 | req[31]), have = strlen(t->config);
	uint8_t rep[32 + sizeof(t->config)];

	if (ccmd == 3 || ccmd == 4) {
		t->config_writes++;	/* never from aoeboot: a test failure */
		return;
	}
	if (cslen > len - 32)
		return;
	/* As vblade: the tests answer only when the string matches. */
	if (!t->ignores_prefix &&
	    ((ccmd == 1 && cslen != have) ||
	     ((ccmd == 1 || ccmd == 2) &&
	      (cslen > have || memcmp(t->config, req + 32, cslen)))))
		return;
	memset(rep, 0, sizeof(rep));
	memcpy(rep, req + 6, 6);
	memcpy(rep + 6, t->mac, 6);
	put16(rep + 12, 0x88A2);
	rep[14] = 0x18;
	put16(rep + 16, t->shelf);
	rep[18] = t->slot;
	rep[19] = 1;
	memcpy(rep + 20, req + 20, 4);
	put16(rep + 24, t->bufcnt);
	put16(rep + 26, 0x4019);
	rep[28] = t->scnt;
	rep[29] = (uint8_t)(0x10 | ccmd);
	put16(rep + 30, (uint16_t)have);
	memcpy(rep + 32, t->config, have);
	sim_reply(w, ti, rep, 32 + have < 60 ? 60 : 32 + have,
		  now + 2 * w->latency_us);
}

/** Reserve/Release: answer with the list; count any attempt to set it. */
static void sim_rr(struct sim_wire *w, int ti, const uint8_t *req,
		   uint64_t now)
{
	struct sim_target *t = &w->targets[ti];
	uint8_t rep[60 + sizeof(t->rr_macs)];
	size_t len = 26 + t->rr_nmacs * 6;

	if (req[24] != 0)
		t->rr_writes++;
	if (t->rr_mode == 2)
		return;
	memset(rep, 0, sizeof(rep));
	memcpy(rep, req + 6, 6);
	memcpy(rep + 6, t->mac, 6);
	put16(rep + 12, 0x88A2);
	rep[14] = 0x18;
	put16(rep + 16, t->shelf);
	rep[18] = t->slot;
	rep[19] = 3;
	memcpy(rep + 20, req + 20, 4);
	if (t->rr_mode == 1) {
		rep[14] |= 0x04;
		rep[15] = 1;
		len = 26;
	} else {
		rep[24] = req[24];
		rep[25] = (uint8_t)t->rr_nmacs;
		memcpy(rep + 26, t->rr_macs, t->rr_nmacs * 6);
	}
	sim_reply(w, ti, rep, len < 60 ? 60 : len, now + 2 * w->latency_us);
}

static void identify_data(const struct sim_target *t, uint8_t *id)
{
	const char *model = "SIM TARGET";
	size_t i;

	memset(id, 0, 512);
	memset(id + 27 * 2, ' ', 40);
	for (i = 0; model[i]; i++)
		id[27 * 2 + (i ^ 1)] = (uint8_t)model[i];
	memset(id + 10 * 2, ' ', 20);
	for (i = 0; t->serial[i] && i < 20; i++)
		id[10 * 2 + (i ^ 1)] = (uint8_t)t->serial[i];
	if (!t->lba28) {
		id[83 * 2 + 1] = 0x04;	/* word 83 bit 10 */
		for (i = 0; i < 8; i++)
			id[100 * 2 + i] = (uint8_t)(t->nsectors >> (8 * i));
	}
	for (i = 0; i < 4; i++)
		id[60 * 2 + i] = (uint8_t)(MINU(t->nsectors, 0x0FFFFFFF) >>
					   (8 * i));
}

static void sim_ata(struct sim_wire *w, int ti, const uint8_t *req,
		    size_t len, uint64_t now)
{
	struct sim_target *t = &w->targets[ti];
	static uint8_t rep[9200];
	uint8_t aflags = req[24], count = req[26], cmd = req[27];
	uint64_t lba = 0, start, extra = 0;
	size_t replen = 36;
	uint8_t status = 0x40;
	int i;

	t->requests++;
	/* Commands still queued at the target when this one arrives (one
	 * latency from now) are those not yet served by then. */
	for (i = 0; i < (int)t->nends;) {
		if (t->ends[i] <= now + w->latency_us)
			t->ends[i] = t->ends[--t->nends];
		else
			i++;
	}
	t->outstanding = t->nends;
	if (t->outstanding >= (t->queue_limit ? t->queue_limit : t->bufcnt) ||
	    t->nends >= 256) {
		t->overflow_drops++;	/* as vblade: more than bufcnt dropped */
		return;
	}
	for (i = 0; i < 6; i++)
		lba |= (uint64_t)req[28 + i] << (8 * i);
	memcpy(rep, req, 36);
	memcpy(rep, req + 6, 6);
	memcpy(rep + 6, t->mac, 6);
	rep[14] = 0x18;
	if (cmd == 0xEC) {
		identify_data(t, rep + 36);
		replen += 512;
	} else if (cmd == 0x24 || cmd == 0x34 || cmd == 0x20 || cmd == 0x30) {
		bool ext = cmd == 0x24 || cmd == 0x34;
		bool write = cmd == 0x34 || cmd == 0x30;

		if (ext != !!(aflags & 0x40) || write != !!(aflags & 0x01) ||
		    (t->lba28 && ext) || !count) {
			t->bad_requests++;
			return;
		}
		if (!ext) {
			if ((req[31] & 0xF0) != 0xE0) {
				t->bad_requests++;
				return;
			}
			lba &= 0x0FFFFFFF;
		}
		if (count > (t->scnt ? t->scnt : 2)) {
			rep[14] |= 0x04;	/* error: bad argument */
			rep[15] = 2;
		} else if (lba + count > t->nsectors) {
			status = 0x51;
			rep[25] = 0x04;
		} else if (t->error_lba >= 0 && (uint64_t)t->error_lba >= lba &&
			   (uint64_t)t->error_lba < lba + count) {
			rep[14] |= 0x04;
			rep[15] = 3;
		} else if (t->ata_error_lba >= 0 &&
			   (uint64_t)t->ata_error_lba >= lba &&
			   (uint64_t)t->ata_error_lba < lba + count) {
			status = 0x51;
			rep[25] = 0x40;
		} else if (write) {
			if (t->readonly) {
				status = 0x51;
				rep[25] = 0x04;
			} else if (len >= 36 + (size_t)count * 512) {
				memcpy(t->disk + lba * 512, req + 36,
				       (size_t)count * 512);
			} else {
				t->bad_requests++;
				return;
			}
		} else {
			memcpy(rep + 36, t->disk + lba * 512,
			       (size_t)count * 512);
			replen += (size_t)count * 512;
			t->reads++;
		}
	} else {
		rep[14] |= 0x04;
		rep[15] = 1;
	}
	rep[27] = status;
	if (replen < 60) {
		memset(rep + replen, 0, 60 - replen);
		replen = 60;
	}
	/* A single queue: commands are served one after another. */
	start = now + w->latency_us;
	if (t->busy_until > start)
		start = t->busy_until;
	t->busy_until = start + w->service_us;
	t->ends[t->nends++] = t->busy_until;
	t->outstanding++;
	if (t->outstanding > t->max_outstanding)
		t->max_outstanding = t->outstanding;
	if (w->slow && cmd != 0xEC && w->slow_lba >= lba &&
	    w->slow_lba < lba + count) {
		w->slow = false;
		extra = w->slow_us;
	}
	sim_reply(w, ti, rep, replen, t->busy_until + w->latency_us + extra);
}

static int sim_transmit(struct netdev *nd, const void *frame, size_t len)
{
	struct sim_wire *w = nd->priv;
	const uint8_t *f = frame;
	static uint8_t untagged[9200];
	uint64_t now = plat_now_us();
	uint16_t shelf, vid = 0;
	uint8_t slot;
	unsigned int i;

	if (len > w->tx_max)
		w->tx_max = len;
	if (len >= 18 && f[12] == 0x81 && f[13] == 0x00) {
		/* A VLAN-aware switch: the VID picks the LAN, the tag goes. */
		vid = (uint16_t)((f[14] & 0x0F) << 8 | f[15]);
		if ((f[14] & 0xF0) || !vid || vid == 0xFFF ||
		    len - 4 > sizeof(untagged)) {
			w->tx_bad_tag++;	/* PCP/DEI set, or no VLAN */
			return 0;
		}
		memcpy(untagged, f, 12);
		memcpy(untagged + 12, f + 16, len - 16);
		f = untagged;
		len -= 4;
		w->tx_tagged++;
	} else {
		w->tx_untagged++;
	}
	if (len < 60 || f[12] != 0x88 || f[13] != 0xA2 || (f[14] & 0x08))
		return -ERR_INVAL;
	shelf = (uint16_t)(f[16] << 8 | f[17]);
	slot = f[18];
	if (chance(w, w->loss_req))
		return 0;
	for (i = 0; i < w->ntargets; i++) {
		struct sim_target *t = &w->targets[i];
		bool bcast = f[0] == 0xff && f[1] == 0xff;

		if (t->dead || t->vid != vid)
			continue;
		if (!bcast && memcmp(f, t->mac, 6))
			continue;
		if (f[19] == 1) {
			if ((shelf == 0xFFFF || shelf == t->shelf) &&
			    (slot == 0xFF || slot == t->slot))
				sim_config(w, (int)i, f, len, now);
		} else if (f[19] == 3) {
			if (!bcast && shelf == t->shelf && slot == t->slot)
				sim_rr(w, (int)i, f, now);
		} else if (f[19] == 0) {
			/* Never ATA to the broadcast name: a test failure. */
			if (shelf == 0xFFFF || slot == 0xFF || bcast)
				t->bad_requests++;
			else if (shelf == t->shelf && slot == t->slot)
				sim_ata(w, (int)i, f, len, now);
		}
	}
	return 0;
}

static int sim_poll(struct netdev *nd, void *buf, size_t size,
		    uint64_t deadline_us)
{
	struct sim_wire *w = nd->priv;
	unsigned int i, best = 0;
	struct sim_frame *f;
	int len;

	if (w->garbage && chance(w, w->garbage)) {
		/* Noise on the wire: random bytes, sometimes AoE-looking. */
		uint8_t *b = buf;
		size_t n = 14 + sim_rand(w) % 100;

		for (i = 0; i < n && i < size; i++)
			b[i] = (uint8_t)sim_rand(w);
		if (sim_rand(w) % 2 && n > 14) {
			b[12] = 0x88;
			b[13] = 0xA2;
		}
		return (int)(n < size ? n : size);
	}
	if (++w->polls == w->stall_at)
		test_clock_advance(w->stall_us);
	for (i = 1; i < w->nqueue; i++) {
		if (w->queue[i].at_us < w->queue[best].at_us)
			best = i;
	}
	/* A frame that has arrived is there however short the wait (a
	 * deadline already past polls without waiting, as on a real NIC). */
	if (!w->nqueue || (w->queue[best].at_us > deadline_us &&
			   w->queue[best].at_us > plat_now_us())) {
		test_clock_set(deadline_us);
		return 0;
	}
	f = &w->queue[best];
	test_clock_set(f->at_us);
	len = f->len;
	if ((size_t)len > size)
		len = -1;
	else
		memcpy(buf, f->data, (size_t)len);
	w->queue[best] = w->queue[--w->nqueue];
	return len < 0 ? 0 : len;
}

static const struct netdev_ops sim_ops = {
	.transmit = sim_transmit,
	.poll = sim_poll,
};

void sim_init(struct sim_wire *w, unsigned int mtu, uint64_t seed)
{
	memset(w, 0, sizeof(*w));
	w->nd.ops = &sim_ops;
	w->nd.mtu = mtu;
	w->nd.priv = w;
	memcpy(w->nd.mac, "\x02\x00\x00\x00\x00\x01", 6);
	strcpy(w->nd.name, "sim0");
	w->rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	w->latency_us = 20;
	w->service_us = 5;
	w->jitter_us = 500;
	w->queue = calloc(SIM_QUEUE, sizeof(*w->queue));
}

void sim_free(struct sim_wire *w)
{
	unsigned int i;

	for (i = 0; i < w->ntargets; i++) {
		unsigned int j;
		bool shared = false;

		for (j = 0; j < i; j++)
			shared |= w->targets[j].disk == w->targets[i].disk;
		if (!shared)
			free(w->targets[i].disk);
	}
	free(w->queue);
}

struct sim_target *sim_add_target(struct sim_wire *w, uint16_t shelf,
				  uint8_t slot, uint64_t nsectors)
{
	struct sim_target *t = &w->targets[w->ntargets];
	uint64_t i;

	if (w->ntargets >= SIM_MAX_TARGETS)
		abort();	/* a test asking for too many */
	memset(t, 0, sizeof(*t));
	t->shelf = shelf;
	t->slot = slot;
	memcpy(t->mac, "\x02\x00\x00\x00\x10\x00", 6);
	t->mac[5] = (uint8_t)w->ntargets;
	t->nsectors = nsectors;
	t->bufcnt = 16;
	t->scnt = 2;
	t->error_lba = -1;
	t->ata_error_lba = -1;
	snprintf(t->serial, sizeof(t->serial), "SIM%u", w->ntargets);
	t->disk = malloc(nsectors * 512);
	for (i = 0; i < nsectors * 512; i++)
		t->disk[i] = (uint8_t)(sim_rand(w) >> 7);
	w->ntargets++;
	return t;
}

struct sim_target *sim_add_port(struct sim_wire *w, unsigned int idx)
{
	struct sim_target *t = &w->targets[w->ntargets];

	if (w->ntargets >= SIM_MAX_TARGETS)
		abort();
	*t = w->targets[idx];
	t->mac[4] = 0x20;
	t->mac[5] = (uint8_t)w->ntargets;
	t->outstanding = 0;
	t->max_outstanding = 0;
	t->requests = 0;
	w->ntargets++;
	return t;
}
