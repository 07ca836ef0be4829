/*
 * aoewait.c - waiting for a LAN that is not there yet (see aoedev.h,
 * aoe_wait_targets): late links, targets that boot after their clients.
 */
#include "aoedev.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

#define WAIT_ROUND_MS		1000	/* one round of asking while waiting */
#define WAIT_INTERVAL_MAX_US	1000000	/* Query Config at most 1/s by then */
#define WAIT_SAY_EVERY_US	5000000	/* the countdown line */

static bool have(struct aoe_ctx *ctx, const struct aoe_name *n)
{
	struct aoe_target *t = aoe_find(ctx, n->shelf, n->slot);

	return t && t->npaths;
}

/* Ask for the missing ones (or everyone) for @ms; returns how many of
 * @want are known then (all known targets when discovering). */
static int round_of(struct aoe_ctx *ctx, const struct aoe_name *want,
		    unsigned int nwant, uint32_t ms)
{
	unsigned int i, missing = 0, found = 0;

	if (!nwant)
		return aoe_discover(ctx, ms);
	for (i = 0; i < nwant; i++)
		missing += !have(ctx, &want[i]);
	for (i = 0; i < nwant; i++)
		if (!have(ctx, &want[i]))
			aoe_probe(ctx, want[i].shelf, want[i].slot,
				  MAX(ms / missing, 100u));
	for (i = 0; i < nwant; i++)
		found += have(ctx, &want[i]);
	return (int)found;
}

int aoe_wait_targets(struct aoe_ctx *ctx, const struct aoe_name *want,
		     unsigned int nwant, const struct aoe_wait *w)
{
	uint64_t start = plat_now_us(), said = start, now, limit;
	uint32_t saved = ctx->query_interval_us;
	bool waited = false;
	int n;

	n = round_of(ctx, want, nwant, w->first_ms);
	limit = plat_now_us() + (uint64_t)w->wait_ms * 1000;
	ctx->query_interval_us = 150000;
	while (n == 0 && (now = plat_now_us()) < limit) {
		if (w->stop && w->stop(w->arg)) {
			log_info("aoe: stopped waiting for targets (a key)");
			break;
		}
		if (!waited || now - said >= WAIT_SAY_EVERY_US) {
			log_info("aoe: no target answers yet; asking again for "
				 "%u s more (any key: stop waiting)",
				 (unsigned int)((limit - now + 999999) / 1000000));
			said = now;
			waited = true;
		}
		n = round_of(ctx, want, nwant, WAIT_ROUND_MS);
		ctx->query_interval_us = MIN(ctx->query_interval_us * 2,
					     WAIT_INTERVAL_MAX_US);
	}
	ctx->query_interval_us = saved;
	if (n > 0 && waited)
		log_info("aoe: a target answered after %u ms",
			 (unsigned int)((plat_now_us() - start) / 1000));
	/* The rest of an array, other paths: a moment more once one is here. */
	if (n > 0 && (waited || (nwant && (unsigned int)n < nwant)) &&
	    w->settle_ms)
		n = round_of(ctx, want, nwant, w->settle_ms);
	return n;
}
