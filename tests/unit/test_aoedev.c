/*
 * test_aoedev.c - the AoE engine against the simulated target: discovery,
 * IDENTIFY, reads and writes under seeded loss, duplication, reordering,
 * delay, wrong tags, truncated, oversized, foreign and error replies.
 * Every case checks the data byte for byte and ends in bounded time (the
 * clock is virtual; the wall-clock guard catches a spinning engine).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "test.h"
#include "testplat.h"
#include "simtarget.h"
#include "../../src/core/aoedev.h"
#include "../../src/core/errors.h"
#include "../../src/core/platform.h"

struct bed {
	struct sim_wire w;
	struct aoe_ctx ctx;
	struct netdev *nds[1];
};

static void bed_init(struct bed *b, unsigned int mtu, uint64_t seed,
		     const struct aoe_options *opt)
{
	sim_init(&b->w, mtu, seed);
	b->nds[0] = &b->w.nd;
	check_eq(aoe_init(&b->ctx, b->nds, 1, opt), 0);
}

static void bed_free(struct bed *b)
{
	aoe_shutdown(&b->ctx);
	sim_free(&b->w);
}

static struct aoe_target *bed_target(struct bed *b, uint16_t shelf,
				     uint8_t slot)
{
	struct aoe_target *t = aoe_probe(&b->ctx, shelf, slot, 500);

	check(t != NULL);
	if (t)
		check_eq(aoe_identify(t), 0);
	return t;
}

static double wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/** Read the whole disk and compare it with the simulator's bytes. */
static void read_and_compare(struct bed *b, struct aoe_target *t,
			     struct sim_target *st)
{
	size_t size = st->nsectors * 512;
	uint8_t *buf = malloc(size);
	uint64_t start = plat_now_us();
	double wall = wall_seconds();

	memset(buf, 0x5c, size);
	check_eq(aoe_read(t, 0, st->nsectors, buf), 0);
	check(!memcmp(buf, st->disk, size));
	/* Bounded: virtual time under a minute, real time a few seconds. */
	check(plat_now_us() - start < 60ULL * 1000000);
	check(wall_seconds() - wall < 20.0);
	free(buf);
	(void)b;
}

static void test_discovery(void)
{
	struct bed b;

	bed_init(&b, 1500, 1, NULL);
	sim_add_target(&b.w, 12, 0, 64);
	sim_add_target(&b.w, 11, 1, 128);
	sim_add_target(&b.w, 11, 0, 256)->bufcnt = 8;
	check_eq(aoe_discover(&b.ctx, 200), 3);
	/* Sorted by shelf.slot, whatever order they answered in. */
	check(!strcmp(b.ctx.targets[0]->blk.name, "e11.0"));
	check(!strcmp(b.ctx.targets[1]->blk.name, "e11.1"));
	check(!strcmp(b.ctx.targets[2]->blk.name, "e12.0"));
	check_eq(b.ctx.targets[0]->paths[0].bufcnt, 8);
	check_eq(b.ctx.targets[0]->npaths, 1);
	check_eq(aoe_identify(b.ctx.targets[0]), 0);
	check_eq(b.ctx.targets[0]->nsectors, 256);
	check(b.ctx.targets[0]->lba48);
	check(!strcmp(b.ctx.targets[0]->model, "SIM TARGET"));
	/* A second discovery does not duplicate anything. */
	check_eq(aoe_discover(&b.ctx, 100), 3);
	check_eq(b.ctx.targets[1]->npaths, 1);
	check(aoe_probe(&b.ctx, 13, 0, 100) == NULL);
	bed_free(&b);
}

static void test_clean_read(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;

	bed_init(&b, 1500, 2, NULL);
	st = sim_add_target(&b.w, 11, 0, 8192);
	t = bed_target(&b, 11, 0);
	if (t) {
		read_and_compare(&b, t, st);
		check(st->max_outstanding <= st->bufcnt);
		check_eq(st->overflow_drops, 0);
		check_eq(st->bad_requests, 0);
		/* The window opened up to bufcnt. */
		check_eq(t->paths[0].window, 16);
		check_eq(t->paths[0].retransmits, 0);
	}
	bed_free(&b);
}

static void test_jumbo_frames(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;

	bed_init(&b, 9000, 3, NULL);
	st = sim_add_target(&b.w, 11, 0, 4099);
	st->scnt = 17;
	t = bed_target(&b, 11, 0);
	if (t) {
		check_eq(aoe_target_spf(t), 17);
		read_and_compare(&b, t, st);
		check_eq(st->bad_requests, 0);
	}
	bed_free(&b);
}

static void test_odd_ranges(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;
	uint8_t buf[40 * 512];
	static const uint64_t cases[][2] = {
		{ 0, 1 }, { 1, 1 }, { 3, 5 }, { 7, 33 }, { 999, 25 },
		{ 1023, 1 }, { 1000, 24 },
	};

	bed_init(&b, 1500, 4, NULL);
	st = sim_add_target(&b.w, 11, 0, 1024);
	t = bed_target(&b, 11, 0);
	for (size_t i = 0; t && i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 0, sizeof(buf));
		check_eq(aoe_read(t, cases[i][0], cases[i][1], buf), 0);
		check(!memcmp(buf, st->disk + cases[i][0] * 512,
			      cases[i][1] * 512));
	}
	if (t) {
		check_eq(aoe_read(t, 1024, 1, buf), -ERR_RANGE);
		check_eq(aoe_read(t, 1000, 25, buf), -ERR_RANGE);
		check_eq(aoe_read(t, ~0ULL, 2, buf), -ERR_RANGE);
		check_eq(aoe_read(t, 5, 0, buf), 0);
	}
	bed_free(&b);
}

/* One impairment mix at one seed: the data must still be exact. */
static void impaired_read(uint64_t seed, unsigned int loss,
			  unsigned int dup, unsigned int reorder,
			  unsigned int wrong_tag, unsigned int truncate,
			  unsigned int oversize, unsigned int foreign)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;

	bed_init(&b, 1500, seed, NULL);
	st = sim_add_target(&b.w, 11, 0, 2048);
	t = bed_target(&b, 11, 0);
	b.w.loss_req = loss / 2;
	b.w.loss_rep = loss - loss / 2;
	b.w.dup = dup;
	b.w.reorder = reorder;
	b.w.wrong_tag = wrong_tag;
	b.w.truncate = truncate;
	b.w.oversize = oversize;
	b.w.foreign = foreign;
	if (t)
		read_and_compare(&b, t, st);
	bed_free(&b);
}

static void test_loss_30_percent(void)
{
	for (uint64_t seed = 10; seed < 13; seed++)
		impaired_read(seed, 30, 0, 0, 0, 0, 0, 0);
}

static void test_dup_reorder_delay(void)
{
	for (uint64_t seed = 20; seed < 23; seed++)
		impaired_read(seed, 5, 20, 30, 0, 0, 0, 0);
}

static void test_hostile_replies(void)
{
	for (uint64_t seed = 30; seed < 33; seed++)
		impaired_read(seed, 0, 0, 0, 10, 10, 10, 10);
}

static void test_everything_at_once(void)
{
	for (uint64_t seed = 40; seed < 43; seed++)
		impaired_read(seed, 20, 10, 20, 5, 5, 5, 5);
}

static void test_garbage_on_wire(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;

	bed_init(&b, 1500, 50, NULL);
	st = sim_add_target(&b.w, 11, 0, 512);
	t = bed_target(&b, 11, 0);
	b.w.garbage = 20;
	if (t)
		read_and_compare(&b, t, st);
	bed_free(&b);
}

static void test_error_reply_leaves_buffer(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;
	uint8_t buf[64 * 512];

	bed_init(&b, 1500, 60, NULL);
	st = sim_add_target(&b.w, 11, 0, 256);
	t = bed_target(&b, 11, 0);
	st->error_lba = 40;
	memset(buf, 0x77, sizeof(buf));
	if (t) {
		check_eq(aoe_read(t, 0, 64, buf), -ERR_IO);
		check(strstr(test_last_log(), "e11.0") != NULL);
		check(strstr(test_last_log(), "LBA 40") != NULL);
	}
	/* The sectors the error reply answered for were never touched. */
	for (int i = 40 * 512; i < 41 * 512; i++)
		check_eq(buf[i], 0x77);
	st->error_lba = -1;
	st->ata_error_lba = 100;
	if (t) {
		check_eq(aoe_read(t, 64, 64, buf), -ERR_IO);
		check(strstr(test_last_log(), "ATA error") != NULL);
	}
	bed_free(&b);
}

static void test_dead_target(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;
	struct aoe_options opt = { .dead_us = 3000000 };
	uint8_t buf[128 * 512];
	uint64_t start;

	bed_init(&b, 1500, 70, &opt);
	st = sim_add_target(&b.w, 11, 0, 4096);
	t = bed_target(&b, 11, 0);
	st->dead = true;
	start = plat_now_us();
	if (t) {
		check_eq(aoe_read(t, 100, 128, buf), -ERR_TIMEOUT);
		check(strstr(test_last_log(), "stopped answering at LBA") !=
		      NULL);
	}
	/* Gave up within the retry budget plus one maximal RTO. */
	check(plat_now_us() - start <= 3000000 + 2000000 + 100000);
	bed_free(&b);
}

static void test_write_and_readonly(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;
	uint8_t buf[100 * 512], back[100 * 512];

	bed_init(&b, 1500, 80, NULL);
	st = sim_add_target(&b.w, 11, 0, 1024);
	t = bed_target(&b, 11, 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	b.w.loss_rep = 10;
	b.w.dup = 10;
	if (t) {
		check_eq(aoe_write(t, 333, 100, buf), 0);
		check(!memcmp(st->disk + 333 * 512, buf, sizeof(buf)));
		check_eq(aoe_read(t, 333, 100, back), 0);
		check(!memcmp(back, buf, sizeof(buf)));
		st->readonly = true;
		check_eq(aoe_write(t, 0, 1, buf), -ERR_ROFS);
		check(strstr(test_last_log(), "refused the write") != NULL);
	}
	bed_free(&b);
}

static void test_lba28_target(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;

	bed_init(&b, 1500, 90, NULL);
	st = sim_add_target(&b.w, 3, 7, 1500);
	st->lba28 = true;
	t = bed_target(&b, 3, 7);
	if (t) {
		check(!t->lba48);
		check_eq(t->nsectors, 1500);
		read_and_compare(&b, t, st);
		check_eq(st->bad_requests, 0);
	}
	bed_free(&b);
}

static void test_two_paths_failover(void)
{
	struct bed b;
	struct sim_target *st, *port2;
	struct aoe_target *t;
	uint8_t *buf;

	bed_init(&b, 1500, 100, NULL);
	st = sim_add_target(&b.w, 11, 0, 4096);
	port2 = sim_add_port(&b.w, 0);
	t = bed_target(&b, 11, 0);
	buf = malloc(4096 * 512);
	if (t) {
		check_eq(t->npaths, 2);
		check_eq(aoe_read(t, 0, 2048, buf), 0);
		/* Load was spread over both ports. */
		check(st->requests > 100 && port2->requests > 100);
		st->dead = true;
		check_eq(aoe_read(t, 0, 4096, buf), 0);
		check(!memcmp(buf, port2->disk, 4096 * 512));
	}
	free(buf);
	bed_free(&b);
}

static void test_fixed_window_baseline(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;
	struct aoe_options opt = { .fixed_window = 1, .max_sectors = 2 };

	bed_init(&b, 9000, 110, &opt);
	st = sim_add_target(&b.w, 11, 0, 512);
	st->scnt = 17;
	t = bed_target(&b, 11, 0);
	if (t) {
		check_eq(aoe_target_spf(t), 2);
		read_and_compare(&b, t, st);
		check_eq(st->max_outstanding, 1);
	}
	bed_free(&b);
}

static void test_bufcnt_respected(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;

	bed_init(&b, 1500, 120, NULL);
	st = sim_add_target(&b.w, 11, 0, 4096);
	st->bufcnt = 4;
	b.w.service_us = 50;
	t = bed_target(&b, 11, 0);
	if (t) {
		read_and_compare(&b, t, st);
		check(t->paths[0].window <= 4);
		check_eq(st->overflow_drops, 0);
	}
	bed_free(&b);
}

/**
 * Read @nsectors from a fresh target on a wire with @latency_us each way,
 * @loss percent each way and the given engine options; return the virtual
 * time it took and leave the path's counters in @stats.
 */
static uint64_t timed_read(uint64_t seed, const struct aoe_options *opt,
			   uint32_t latency_us, unsigned int loss,
			   uint64_t nsectors, struct aoe_path *stats)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;
	uint64_t start, took = 0;
	uint8_t *buf = malloc(nsectors * 512);

	bed_init(&b, 1500, seed, opt);
	st = sim_add_target(&b.w, 11, 0, nsectors);
	st->bufcnt = 64;
	b.w.service_us = 1;
	b.w.latency_us = latency_us;
	t = bed_target(&b, 11, 0);
	b.w.loss_req = loss;
	b.w.loss_rep = loss;
	if (t) {
		start = plat_now_us();
		check_eq(aoe_read(t, 0, nsectors, buf), 0);
		took = plat_now_us() - start;
		check(!memcmp(buf, st->disk, nsectors * 512));
		*stats = t->paths[0];
	}
	free(buf);
	bed_free(&b);
	return took ? took : 1;
}

/*
 * 1% loss each way, 100 us each way, a target that is never the
 * bottleneck: no queue builds, so the losses are not congestion.  The
 * engine must stay near a fixed window of 64 (scenario d of scripts/bench),
 * where the every-loss-is-congestion rule collapses.
 */
static void test_random_loss_keeps_window(void)
{
	struct aoe_options fixed = { .fixed_window = 64 };
	struct aoe_options classic = { .loss_is_congestion = true };
	struct aoe_path pf, pa, pc;
	uint64_t tf, ta, tc;

	memset(&pa, 0, sizeof(pa));
	tf = timed_read(130, &fixed, 100, 1, 32768, &pf);
	ta = timed_read(130, NULL, 100, 1, 32768, &pa);
	tc = timed_read(130, &classic, 100, 1, 32768, &pc);
	fprintf(stderr, "  random loss: fixed w64 %llu us, adaptive %llu us "
		"(%.2f of fixed; %llu random losses, %llu cuts, window %u), "
		"every loss a cut %llu us (%.2f)\n",
		(unsigned long long)tf, (unsigned long long)ta,
		(double)tf / (double)ta, (unsigned long long)pa.random_losses,
		(unsigned long long)pa.congestion_cuts, pa.window,
		(unsigned long long)tc, (double)tf / (double)tc);
	check(pa.retransmits + pa.fast_retransmits > 50);
	check(pa.random_losses > 50);
	check(pa.congestion_cuts <= 3);
	check(pa.window >= 56);
	check(tf * 10 >= ta * 8);	/* at least 0.8 of the fixed window */
	check(tf * 2 < tc);		/* and the old rule really collapses */
}

/*
 * A target that announces bufcnt 64 but queues only 16 and is itself the
 * bottleneck (30 us per command): the queue fills, the RTT rises, excess
 * commands are dropped.  That is congestion: the window must come down to
 * about what the queue holds and the drops must stay rare.
 */
static void test_queue_overflow_backs_off(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;

	bed_init(&b, 1500, 140, NULL);
	st = sim_add_target(&b.w, 11, 0, 16384);
	st->bufcnt = 64;
	st->queue_limit = 16;
	b.w.service_us = 30;
	t = bed_target(&b, 11, 0);
	if (t) {
		read_and_compare(&b, t, st);
		fprintf(stderr, "  overflow: %lu drops of %lu requests, %llu "
			"cuts (%llu queue, %llu burst), %llu random, window "
			"%u, srtt %u min %u us\n",
			st->overflow_drops, st->requests,
			(unsigned long long)t->paths[0].congestion_cuts,
			(unsigned long long)t->paths[0].queue_cuts,
			(unsigned long long)t->paths[0].burst_cuts,
			(unsigned long long)t->paths[0].random_losses,
			t->paths[0].window, t->paths[0].srtt_us,
			t->paths[0].min_rtt_us);
		check(st->overflow_drops > 0);
		check(t->paths[0].congestion_cuts > 0);
		check(st->overflow_drops * 20 < st->requests);
		check(t->paths[0].window <= 24);
	}
	bed_free(&b);
}

/*
 * A target that queues only 4 commands and serves them fast: its queue is
 * too short to show in the RTT, but overrunning it drops many commands in
 * one round trip, far above the path's usual loss rate.  That burst must
 * cut the window too.
 */
static void test_small_queue_burst_backs_off(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;

	bed_init(&b, 1500, 150, NULL);
	st = sim_add_target(&b.w, 11, 0, 16384);
	st->bufcnt = 64;
	st->queue_limit = 4;
	b.w.service_us = 4;
	b.w.latency_us = 50;
	t = bed_target(&b, 11, 0);
	if (t) {
		read_and_compare(&b, t, st);
		fprintf(stderr, "  small queue: %lu drops of %lu requests, %llu "
			"cuts (%llu queue, %llu burst), window %u\n",
			st->overflow_drops, st->requests,
			(unsigned long long)t->paths[0].congestion_cuts,
			(unsigned long long)t->paths[0].queue_cuts,
			(unsigned long long)t->paths[0].burst_cuts,
			t->paths[0].window);
		check(t->paths[0].burst_cuts > 0);
		check(st->overflow_drops * 10 < st->requests);
		check(t->paths[0].window <= 40);
	}
	bed_free(&b);
}

/* --- choosing targets on a shared wire -------------------------------- */

static bool all_untouched(const struct sim_wire *w)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < w->ntargets; i++)
		ok &= !w->targets[i].config_writes && !w->targets[i].rr_writes;
	return ok;
}

/*
 * config=<prefix>: only targets whose config string starts with it are
 * kept: the prefix test makes the others stay silent, and a target that
 * ignores the test (or an unsolicited announcement) is filtered here.
 * Nothing ever sets a config string.
 */
static void test_config_prefix(void)
{
	struct aoe_options opt = { .config_prefix = "rack1/" };
	struct bed b;
	struct sim_target *other;

	bed_init(&b, 1500, 160, &opt);
	strcpy(sim_add_target(&b.w, 11, 0, 64)->config, "rack1/web7");
	strcpy(sim_add_target(&b.w, 12, 0, 64)->config, "rack2/db1");
	strcpy(sim_add_target(&b.w, 13, 0, 64)->config, "rack1");
	other = sim_add_target(&b.w, 14, 0, 64);
	strcpy(other->config, "lab/rack1/");
	other->ignores_prefix = true;
	sim_add_target(&b.w, 15, 0, 64);	/* no config string at all */
	check_eq(aoe_discover(&b.ctx, 200), 1);
	check(aoe_find(&b.ctx, 11, 0) != NULL);
	if (b.ctx.ntargets)
		check(!strcmp(b.ctx.targets[0]->config, "rack1/web7"));
	check(aoe_probe(&b.ctx, 12, 0, 100) == NULL);
	check(aoe_probe(&b.ctx, 14, 0, 100) == NULL);
	check(aoe_probe(&b.ctx, 15, 0, 100) == NULL);
	check(all_untouched(&b.w));
	bed_free(&b);

	/* Without a prefix every target is kept. */
	bed_init(&b, 1500, 161, NULL);
	strcpy(sim_add_target(&b.w, 11, 0, 64)->config, "rack1/web7");
	sim_add_target(&b.w, 15, 0, 64);
	check_eq(aoe_discover(&b.ctx, 200), 2);
	bed_free(&b);

	/* A prefix longer than a config string can be is refused. */
	{
		static char huge[AOE_CFG_STRING_MAX + 2];
		struct aoe_ctx ctx;
		struct sim_wire w;
		struct netdev *nds[1] = { &w.nd };

		memset(huge, 'x', sizeof(huge) - 1);
		opt.config_prefix = huge;
		sim_init(&w, 1500, 162);
		check_eq(aoe_init(&ctx, nds, 1, &opt), -ERR_INVAL);
		sim_free(&w);
	}
}

/*
 * 802.1Q: disk A as e7.1 on VLAN 5, a decoy disk B as the same e7.1 on
 * the untagged LAN of the same wire.  With vlan=5 every frame goes out
 * tagged (PCP 0), only A answers and A's bytes are read; without vlan= B
 * is the one; on VLAN 6 nobody is.  Tagged frames stay within the MTU.
 */
static void test_vlan_decoy(void)
{
	struct aoe_options opt = { .vlan = 5 };
	struct sim_target *a, *decoy;
	struct aoe_target *t;
	struct bed b;

	bed_init(&b, 1500, 170, &opt);
	decoy = sim_add_target(&b.w, 7, 1, 2048);
	a = sim_add_target(&b.w, 7, 1, 4096);
	a->vid = 5;
	check(memcmp(a->disk, decoy->disk, 2048 * 512) != 0);
	t = bed_target(&b, 7, 1);
	if (t) {
		check_eq(t->npaths, 1);
		check(!memcmp(t->paths[0].mac, a->mac, 6));
		check_eq(t->nsectors, 4096);
		check_eq(aoe_target_spf(t), 2);
		read_and_compare(&b, t, a);
	}
	check_eq(decoy->requests, 0);
	check_eq(b.w.tx_untagged, 0);
	check_eq(b.w.tx_bad_tag, 0);
	check(b.w.tx_tagged > 0);
	check(b.w.tx_max <= 1500 + 14);
	bed_free(&b);

	/* No vlan=: the untagged decoy, and a tagged answer is not ours. */
	bed_init(&b, 1500, 171, NULL);
	decoy = sim_add_target(&b.w, 7, 1, 2048);
	a = sim_add_target(&b.w, 7, 1, 4096);
	a->vid = 5;
	t = bed_target(&b, 7, 1);
	if (t) {
		check_eq(t->npaths, 1);
		check(!memcmp(t->paths[0].mac, decoy->mac, 6));
		read_and_compare(&b, t, decoy);
	}
	check_eq(b.w.tx_tagged, 0);
	check_eq(a->requests, 0);
	bed_free(&b);

	/* Another VLAN: nothing there. */
	opt.vlan = 6;
	bed_init(&b, 1500, 172, &opt);
	sim_add_target(&b.w, 7, 1, 64);
	sim_add_target(&b.w, 7, 1, 64)->vid = 5;
	check(aoe_probe(&b.ctx, 7, 1, 200) == NULL);
	check_eq(aoe_discover(&b.ctx, 200), 0);
	bed_free(&b);

	/* 4095 and above is no VLAN id. */
	{
		struct aoe_ctx ctx;
		struct sim_wire w;
		struct netdev *nds[1] = { &w.nd };

		opt.vlan = 4095;
		sim_init(&w, 1500, 173);
		check_eq(aoe_init(&ctx, nds, 1, &opt), -ERR_INVAL);
		sim_free(&w);
	}
}

/*
 * A jumbo MTU on a VLAN: the sectors per frame as the MTU less the tag
 * allows (17 at 9000, as untagged), frames within MTU + 14, under loss.
 */
static void test_vlan_jumbo_lossy(void)
{
	struct aoe_options opt = { .vlan = 4094 };
	struct sim_target *st;
	struct aoe_target *t;
	struct bed b;

	bed_init(&b, 9000, 174, &opt);
	b.w.loss_req = 10;
	b.w.loss_rep = 10;
	b.w.wrong_tag = 5;
	b.w.truncate = 5;
	st = sim_add_target(&b.w, 7, 1, 4099);
	st->scnt = 17;
	st->vid = 4094;
	t = bed_target(&b, 7, 1);
	if (t) {
		check_eq(aoe_target_spf(t), 17);
		read_and_compare(&b, t, st);
	}
	check_eq(b.w.tx_untagged, 0);
	check(b.w.tx_max <= 9000 + 14);
	bed_free(&b);

	/* An MTU where the tag costs a sector: (1063 - 4 - 36) / 512 = 1. */
	bed_init(&b, 1063, 175, &opt);
	st = sim_add_target(&b.w, 7, 1, 257);
	st->vid = 4094;
	t = bed_target(&b, 7, 1);
	if (t) {
		check_eq(aoe_target_spf(t), 1);
		read_and_compare(&b, t, st);
	}
	check(b.w.tx_max <= 1063 + 14);
	bed_free(&b);
}

/*
 * Two answers for e11.0 from different MACs whose IDENTIFY serials differ:
 * two disks with one name.  Refused, one line naming both MACs; not one
 * sector is read from either.
 */
static void test_two_disks_one_name(void)
{
	struct bed b;
	struct sim_target *a, *c;
	struct aoe_target *t;
	uint8_t buf[512];

	bed_init(&b, 1500, 170, NULL);
	a = sim_add_target(&b.w, 11, 0, 256);
	c = sim_add_target(&b.w, 11, 0, 256);
	check(strcmp(a->serial, c->serial) != 0);
	check_eq(aoe_discover(&b.ctx, 200), 1);
	t = aoe_find(&b.ctx, 11, 0);
	check(t != NULL);
	if (t) {
		check_eq(t->npaths, 2);
		check_eq(aoe_identify(t), -ERR_PROTO);
		check(t->conflict);
		check(strstr(test_last_log(), "02:00:00:00:10:00") != NULL);
		check(strstr(test_last_log(), "02:00:00:00:10:01") != NULL);
		check(strstr(test_last_log(), "e11.0") != NULL);
		check_eq(aoe_read(t, 0, 1, buf), -ERR_PROTO);
		check_eq(aoe_identify(t), -ERR_PROTO);
	}
	check_eq(a->reads + c->reads, 0);
	check(all_untouched(&b.w));
	bed_free(&b);
}

/*
 * A path that appears after IDENTIFY must prove it is the same disk
 * before it carries a command; the same disk on a second port is fine.
 */
static void test_late_path_checked(void)
{
	struct bed b;
	struct sim_target *a, *c;
	struct aoe_target *t;
	uint8_t buf[512];

	bed_init(&b, 1500, 180, NULL);
	a = sim_add_target(&b.w, 11, 0, 256);
	c = sim_add_target(&b.w, 11, 0, 256);
	c->dead = true;			/* not there yet */
	t = bed_target(&b, 11, 0);
	if (t) {
		check_eq(t->npaths, 1);
		check_eq(aoe_read(t, 0, 1, buf), 0);
		c->dead = false;
		check_eq(aoe_discover(&b.ctx, 200), 1);
		check_eq(t->npaths, 2);
		a->reads = 0;
		check_eq(aoe_read(t, 0, 1, buf), -ERR_PROTO);
		check_eq(a->reads + c->reads, 0);
	}
	bed_free(&b);
	/* Two ports of one disk (one serial) stay two paths. */
	bed_init(&b, 1500, 181, NULL);
	a = sim_add_target(&b.w, 11, 0, 256);
	c = sim_add_port(&b.w, 0);
	t = bed_target(&b, 11, 0);
	if (t) {
		check_eq(t->npaths, 2);
		check(!t->conflict);
		check_eq(aoe_read(t, 0, 1, buf), 0);
		check(!memcmp(buf, a->disk, 512));
	}
	bed_free(&b);
}

/*
 * Reserve/Release: a target reserved to another host is reported and
 * skipped; one reserved to us, one without reservations, one that does
 * not know the command and one that never answers it are used.  Only the
 * read of the list is ever sent.
 */
static void test_reserved_target(void)
{
	static const uint8_t other_host[6] = { 0x02, 0x99, 0, 0, 0, 0x42 };
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;
	uint8_t buf[512];

	bed_init(&b, 1500, 190, NULL);
	st = sim_add_target(&b.w, 11, 0, 64);
	memcpy(st->rr_macs[0], other_host, 6);
	memcpy(st->rr_macs[1], "\x02\x99\x00\x00\x00\x43", 6);
	st->rr_nmacs = 2;
	st = sim_add_target(&b.w, 12, 0, 64);
	memcpy(st->rr_macs[0], other_host, 6);
	memcpy(st->rr_macs[1], b.w.nd.mac, 6);
	st->rr_nmacs = 2;
	sim_add_target(&b.w, 13, 0, 64)->rr_mode = 1;
	sim_add_target(&b.w, 14, 0, 64)->rr_mode = 2;
	check_eq(aoe_discover(&b.ctx, 200), 4);
	t = aoe_find(&b.ctx, 11, 0);
	if (t) {
		check_eq(aoe_identify(t), -ERR_PERM);
		check(t->reserved);
		check_eq(t->nreserved, 2);
		check(strstr(test_last_log(), "e11.0 is reserved to "
					      "02:99:00:00:00:42") != NULL);
		check_eq(aoe_read(t, 0, 1, buf), -ERR_PERM);
	}
	check_eq(b.w.targets[0].reads, 0);
	for (uint16_t shelf = 12; shelf <= 14; shelf++) {
		t = aoe_find(&b.ctx, shelf, 0);
		check(t != NULL);
		if (!t)
			continue;
		check_eq(aoe_identify(t), 0);
		check(!t->reserved);
		check_eq(aoe_read(t, 5, 1, buf), 0);
		check(!memcmp(buf, b.w.targets[shelf - 11].disk + 5 * 512,
			      512));
	}
	check(all_untouched(&b.w));
	bed_free(&b);
}

/*
 * The initiator is descheduled right after its Query Config goes out, for
 * longer than the whole discovery timeout: when it polls again the
 * deadline has passed, but every answer is already queued.  They count:
 * all three targets are found, whatever time it is.
 */
static void test_discovery_stall_answers_not_lost(void)
{
	struct bed b;

	bed_init(&b, 1500, 7, NULL);
	sim_add_target(&b.w, 12, 0, 64);
	sim_add_target(&b.w, 11, 1, 128);
	sim_add_target(&b.w, 11, 0, 256);
	b.w.stall_at = b.w.polls + 1;
	b.w.stall_us = 300000;	/* past the 200 ms below */
	check_eq(aoe_discover(&b.ctx, 200), 3);
	check(b.w.polls >= b.w.stall_at);
	bed_free(&b);
}

/*
 * The initiator stalls (descheduled, a slow console) while a window of
 * replies is on its way: when it polls again every timer has run out, but
 * the replies are already queued.  They are not lost: the engine must
 * take them all before judging any timer, so nothing is retransmitted and
 * the window is not cut.
 */
static void test_stall_queued_replies_not_lost(void)
{
	struct bed b;
	struct sim_target *st;
	struct aoe_target *t;
	uint64_t n = 2048;
	uint8_t *buf = malloc(n * 512);

	bed_init(&b, 1500, 41, NULL);
	st = sim_add_target(&b.w, 11, 0, n);
	t = bed_target(&b, 11, 0);
	if (t) {
		b.w.stall_at = b.w.polls + 200;
		b.w.stall_us = 500000;	/* far beyond any RTO */
		check_eq(aoe_read(t, 0, n, buf), 0);
		check(!memcmp(buf, st->disk, n * 512));
		check(b.w.polls > b.w.stall_at);
		fprintf(stderr, "  stall: %llu retransmits, %llu cuts, "
			"window %u\n",
			(unsigned long long)t->paths[0].retransmits,
			(unsigned long long)t->paths[0].congestion_cuts,
			t->paths[0].window);
		check_eq(t->paths[0].retransmits, 0);
		check_eq(t->paths[0].fast_retransmits, 0);
		check_eq(t->paths[0].congestion_cuts, 0);
		check_eq(st->reads, n / 2);
	}
	free(buf);
	bed_free(&b);
}

/*
 * One reply is held back long enough for the replies that overtake it to
 * retransmit its command, and then arrives (the first answer, old tag).
 * It acknowledges the first transmission only: commands sent between the
 * two are not overdue, and must not be fast-retransmitted.  Over a range
 * of hold-back times the only retransmission is the held-back command's.
 */
static void test_old_tag_reply_no_spurious_retransmit(void)
{
	uint32_t slow;
	uint64_t total_fast = 0, total_reads = 0, runs = 0;

	for (slow = 20; slow <= 300; slow += 20) {
		struct bed b;
		struct sim_target *st;
		struct aoe_target *t;
		uint64_t n = 2048;
		uint8_t *buf = malloc(n * 512);

		bed_init(&b, 1500, 43 + slow, NULL);
		st = sim_add_target(&b.w, 11, 0, n);
		b.w.jitter_us = 0;
		t = bed_target(&b, 11, 0);
		if (t) {
			b.w.slow = true;
			b.w.slow_lba = 1000;
			b.w.slow_us = slow;
			check_eq(aoe_read(t, 0, n, buf), 0);
			check(!memcmp(buf, st->disk, n * 512));
			check(!b.w.slow);
			check_eq(t->paths[0].retransmits, 0);
			check(t->paths[0].fast_retransmits <= 1);
			total_fast += t->paths[0].fast_retransmits;
			total_reads += st->reads - n / 2;
			runs++;
		}
		free(buf);
		bed_free(&b);
	}
	fprintf(stderr, "  old-tag reply: %llu runs, %llu fast retransmits, "
		"%llu extra reads\n", (unsigned long long)runs,
		(unsigned long long)total_fast,
		(unsigned long long)total_reads);
	check(total_fast >= 1);		/* the hold-back did cause one */
	check(total_reads <= runs);
}

int main(void)
{
	test_run(test_discovery);
	test_run(test_clean_read);
	test_run(test_jumbo_frames);
	test_run(test_odd_ranges);
	test_run(test_loss_30_percent);
	test_run(test_dup_reorder_delay);
	test_run(test_hostile_replies);
	test_run(test_everything_at_once);
	test_run(test_garbage_on_wire);
	test_run(test_error_reply_leaves_buffer);
	test_run(test_dead_target);
	test_run(test_write_and_readonly);
	test_run(test_lba28_target);
	test_run(test_two_paths_failover);
	test_run(test_fixed_window_baseline);
	test_run(test_bufcnt_respected);
	test_run(test_random_loss_keeps_window);
	test_run(test_queue_overflow_backs_off);
	test_run(test_small_queue_burst_backs_off);
	test_run(test_config_prefix);
	test_run(test_vlan_decoy);
	test_run(test_vlan_jumbo_lossy);
	test_run(test_two_disks_one_name);
	test_run(test_late_path_checked);
	test_run(test_reserved_target);
	test_run(test_stall_queued_replies_not_lost);
	test_run(test_discovery_stall_answers_not_lost);
	test_run(test_old_tag_reply_no_spurious_retransmit);
	return test_exit();
}
