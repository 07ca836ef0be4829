/*
 * test_aoewait.c - waiting for targets on a LAN that comes up late
 * (aoe_wait_targets): the target answers 20 s after we start, never, or
 * the user stops the wait; the asking backs off; once one RAID member
 * answered the other gets only the settle time.  Virtual clock.
 */
#include <stdbool.h>
#include <string.h>
#include "test.h"
#include "testplat.h"
#include "simtarget.h"
#include "../../src/core/aoedev.h"
#include "../../src/core/platform.h"

static struct sim_wire wire;
static const struct netdev_ops *sim_ops;
static unsigned long queries;		/* Query Config frames sent */
static uint64_t queries_late_from;	/* count those in the 10 s from */
static unsigned long queries_late;

static int counting_transmit(struct netdev *nd, const void *frame, size_t len)
{
	const uint8_t *f = frame;

	if (len > 19 && f[12] == 0x88 && f[13] == 0xA2 && f[19] == 1) {
		queries++;
		if (plat_now_us() >= queries_late_from &&
		    plat_now_us() < queries_late_from + 10000000)
			queries_late++;
	}
	return sim_ops->transmit(nd, frame, len);
}

static struct netdev_ops counting_ops;

struct up_at {
	struct sim_target *t;
	uint64_t at_us;		/* the link comes up then */
	uint64_t key_at_us;	/* a key is pressed then (0: never) */
};

static bool poll_world(void *arg)
{
	struct up_at *u = arg;

	if (u->t && plat_now_us() >= u->at_us)
		u->t->dead = false;
	return u->key_at_us && plat_now_us() >= u->key_at_us;
}

static void bed(struct aoe_ctx *ctx, struct netdev **nd)
{
	sim_init(&wire, 1500, 7);
	sim_ops = wire.nd.ops;
	counting_ops = *sim_ops;
	counting_ops.transmit = counting_transmit;
	wire.nd.ops = &counting_ops;
	queries = queries_late = 0;
	queries_late_from = UINT64_MAX;
	nd[0] = &wire.nd;
	check_eq(aoe_init(ctx, nd, 1, NULL), 0);
}

static void test_late_target(void)
{
	struct aoe_ctx ctx;
	struct netdev *nd[1];
	struct up_at u = { 0 };
	struct aoe_wait w = { .first_ms = 1500, .wait_ms = 60000,
			      .settle_ms = 500, .stop = poll_world, .arg = &u };
	uint64_t start;
	int n;

	bed(&ctx, nd);
	u.t = sim_add_target(&wire, 11, 0, 64);
	u.t->dead = true;
	start = plat_now_us();
	u.at_us = start + 20000000;
	queries_late_from = start + 10000000;
	n = aoe_wait_targets(&ctx, NULL, 0, &w);
	check_eq(n, 1);
	/* Found within a round of its coming up, not at the end of the wait. */
	check(plat_now_us() - start >= 20000000);
	check(plat_now_us() - start < 23000000);
	/* Backed off: between 10 s and 20 s about one query a second. */
	check(queries_late <= 11);
	check(queries > queries_late);
	check(strstr(test_last_log(), "a target answered after") != NULL);
	aoe_shutdown(&ctx);
	sim_free(&wire);
}

static void test_never(void)
{
	struct aoe_ctx ctx;
	struct netdev *nd[1];
	struct up_at u = { 0 };
	struct aoe_wait w = { .first_ms = 1500, .wait_ms = 30000,
			      .settle_ms = 500, .stop = poll_world, .arg = &u };
	uint64_t start;

	bed(&ctx, nd);
	start = plat_now_us();
	check_eq(aoe_wait_targets(&ctx, NULL, 0, &w), 0);
	/* The whole wait, and not much more. */
	check(plat_now_us() - start >= 30000000);
	check(plat_now_us() - start < 32000000);
	aoe_shutdown(&ctx);
	sim_free(&wire);
}

static void test_key_stops(void)
{
	struct aoe_ctx ctx;
	struct netdev *nd[1];
	struct up_at u = { 0 };
	struct aoe_wait w = { .first_ms = 1500, .wait_ms = 60000,
			      .settle_ms = 500, .stop = poll_world, .arg = &u };
	uint64_t start;

	bed(&ctx, nd);
	start = plat_now_us();
	u.key_at_us = start + 5000000;
	check_eq(aoe_wait_targets(&ctx, NULL, 0, &w), 0);
	check(plat_now_us() - start < 7000000);
	check(strstr(test_last_log(), "stopped waiting") != NULL);
	aoe_shutdown(&ctx);
	sim_free(&wire);
}

static void test_degraded_pair(void)
{
	struct aoe_ctx ctx;
	struct netdev *nd[1];
	const struct aoe_name want[2] = { { 11, 0 }, { 11, 1 } };
	struct aoe_wait w = { .first_ms = 1500, .wait_ms = 60000,
			      .settle_ms = 1000 };
	uint64_t start;

	bed(&ctx, nd);
	sim_add_target(&wire, 11, 0, 64);	/* e11.1 is down for good */
	start = plat_now_us();
	check_eq(aoe_wait_targets(&ctx, want, 2, &w), 1);
	/* No long wait for the missing member: first round + settle. */
	check(plat_now_us() - start <= 1500000 + 1000000 + 200000);
	check(aoe_find(&ctx, 11, 0) != NULL);
	aoe_shutdown(&ctx);
	sim_free(&wire);
}

static void test_both_at_once(void)
{
	struct aoe_ctx ctx;
	struct netdev *nd[1];
	const struct aoe_name want[2] = { { 11, 0 }, { 11, 1 } };
	struct aoe_wait w = { .first_ms = 1500, .wait_ms = 60000,
			      .settle_ms = 1000 };
	uint64_t start;

	bed(&ctx, nd);
	sim_add_target(&wire, 11, 0, 64);
	sim_add_target(&wire, 11, 1, 64);
	start = plat_now_us();
	check_eq(aoe_wait_targets(&ctx, want, 2, &w), 2);
	/* Both answer at once: no settle time spent. */
	check(plat_now_us() - start < 200000);
	aoe_shutdown(&ctx);
	sim_free(&wire);
}

int main(void)
{
	test_run(test_late_target);
	test_run(test_never);
	test_run(test_key_stops);
	test_run(test_degraded_pair);
	test_run(test_both_at_once);
	return test_exit();
}
