/*
 * main.c - NIC test program: the native drivers under the real AoE engine.
 *
 * Started by QEMU -kernel as a multiboot image (tests/nic/entry.S).  It
 * brings up every supported NIC, discovers the AoE targets on them, reads
 * the first target (or the one named) from end to end, and prints on COM1
 *
 *   NICTEST-SHA256 e<shelf>.<slot> <hex>            the whole target's hash
 *   NICTEST-RATE e<s>.<s> <netdev> <bytes> <us> <KiB/s>   the reads alone
 *   NICTEST-PATH ...        the engine's counters for each path
 *   NICTEST-REOPEN ok       the NICs reset, brought up again, first MiB
 *                           read again and equal
 *   NICTEST-DONE
 *
 * or NICTEST-FAIL <why>, then leaves QEMU through isa-debug-exit (status
 * 1 on success, 3 on failure).  The multiboot command line may hold
 * target=eS.S, window=N and sectors=N (the engine's fixed window and
 * sectors-per-frame cap, for an iPXE-like baseline), mib=N (read at most
 * N MiB) and div64 (check the division helpers first).
 */
#include <stdbool.h>
#include <stdint.h>
#include "aoedev.h"
#include "byteorder.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "sha256.h"
#include "../../src/drivers/net/nic.h"
#include "nictest.h"

#define MB_BOOT_MAGIC		0x2BADB002u
#define MB_INFO_FLAGS		0
#define MB_INFO_MEM_UPPER	8
#define MB_INFO_CMDLINE		16
#define MB_FLAG_MEM		(1u << 0)
#define MB_FLAG_CMDLINE		(1u << 2)

#define MAX_NICS		4
#define DISCOVER_MS		3000
#define CHUNK_SECTORS		2048	/* 1 MiB per aoe_read() */
#define SECTOR			512

struct nictest_args {
	unsigned int window, sectors, mib;
	bool want_target, div64;
	uint16_t shelf;
	uint8_t slot;
};

uint64_t div64_udivmod(uint64_t num, uint64_t den, uint64_t *rem);
void nictest_main(uint32_t magic, uint32_t info);

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	nictest_puts(line);
	nictest_puts("\n");
}

static __attribute__((noreturn)) void fail(const char *why)
{
	say("NICTEST-FAIL %s", why);
	nictest_exit(1);
}

/* Parse an unsigned decimal at *p, advancing it. */
static unsigned int parse_uint(const char **p)
{
	unsigned int v = 0;

	while (**p >= '0' && **p <= '9' && v < 100000000)
		v = v * 10 + (unsigned int)(*(*p)++ - '0');
	return v;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void parse_args(const char *cmd, struct nictest_args *args)
{
	const char *p = cmd;

	while (*p) {
		if (has_prefix(p, "window=")) {
			p += 7;
			args->window = parse_uint(&p);
		} else if (has_prefix(p, "sectors=")) {
			p += 8;
			args->sectors = parse_uint(&p);
		} else if (has_prefix(p, "mib=")) {
			p += 4;
			args->mib = parse_uint(&p);
		} else if (has_prefix(p, "div64")) {
			p += 5;
			args->div64 = true;
		} else if (has_prefix(p, "target=e")) {
			p += 8;
			args->shelf = (uint16_t)parse_uint(&p);
			if (*p == '.')
				p++;
			args->slot = (uint8_t)parse_uint(&p);
			args->want_target = true;
		}
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
}

/* The 32-bit division helpers against known answers (the divl path). */
static void check_div64(void)
{
	static const struct {
		uint64_t num, den, quot, rem;
	} cases[] = {
		{ 0, 1, 0, 0 },
		{ 1000000000000ull, 1000, 1000000000ull, 0 },
		{ 0xFFFFFFFFFFFFFFFFull, 3, 0x5555555555555555ull, 0 },
		{ 0xFFFFFFFFFFFFFFFFull, 0xFFFFFFFFull, 0x100000001ull, 0 },
		{ 0x123456789ABCDEF0ull, 0x100000000ull, 0x12345678ull,
		  0x9ABCDEF0ull },
		{ 0x123456789ABCDEF0ull, 0x0FEDCBA987ull, 0x1249249ull,
		  0x246FE8971ull },
		{ 0x8000000000000001ull, 0x8000000000000000ull, 1, 1 },
		{ 7, 0, 0xFFFFFFFFFFFFFFFFull, 7 },
	};
	volatile int64_t minus7 = -7, two = 2;	/* not folded at compile time */
	unsigned int i;
	uint64_t q, r;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		q = div64_udivmod(cases[i].num, cases[i].den, &r);
		if (q != cases[i].quot || r != cases[i].rem) {
			say("NICTEST-DIV64 case %u wrong: %llx r %llx", i,
			    (unsigned long long)q, (unsigned long long)r);
			fail("div64");
		}
	}
	if (minus7 / two != -3 || minus7 % two != -1)
		fail("div64 signed");
	say("NICTEST-DIV64 ok");
}

static struct aoe_target *pick_target(struct aoe_ctx *ctx,
				      const struct nictest_args *args)
{
	if (args->want_target)
		return aoe_find(ctx, args->shelf, args->slot);
	return ctx->ntargets ? ctx->targets[0] : NULL;
}

static void hash_buf(const void *data, size_t len, uint8_t digest[32])
{
	struct sha256 sha;

	sha256_init(&sha);
	sha256_update(&sha, data, len);
	sha256_final(&sha, digest);
}

/* Hash the first @count sectors read through a fresh initiator over @nds. */
static void first_chunk_hash(struct netdev **nds, unsigned int nnics,
			     const struct aoe_options *opt,
			     const struct nictest_args *args, uint8_t *buf,
			     unsigned int count, uint8_t digest[32])
{
	struct aoe_ctx ctx;
	struct aoe_target *target;

	if (aoe_init(&ctx, nds, nnics, opt) < 0)
		fail("aoe_init after the reset");
	if (aoe_discover(&ctx, DISCOVER_MS) <= 0)
		fail("no AoE target answered after the reset");
	target = pick_target(&ctx, args);
	if (!target || aoe_identify(target) < 0 ||
	    aoe_read(target, 0, count, buf) < 0)
		fail("reading after the reset");
	hash_buf(buf, (size_t)count * SECTOR, digest);
	aoe_shutdown(&ctx);
}

void nictest_main(uint32_t magic, uint32_t info)
{
	const uint8_t *mbi = (const uint8_t *)(uintptr_t)info;
	struct nictest_args args = { 0 };
	struct netdev *nds[MAX_NICS];
	struct aoe_options opt = { 0 };
	struct aoe_ctx ctx;
	struct aoe_target *target;
	struct sha256 sha;
	uint8_t digest[32], first[32], again[32];
	char hex[65], name[16];
	uint64_t lba, total, t0, busy_us = 0, bytes;
	uint32_t flags;
	uint8_t *buf;
	unsigned int count, i;
	int nnics, rc;

	if (magic != MB_BOOT_MAGIC)
		nictest_exit(2);
	flags = get_le32(mbi + MB_INFO_FLAGS);
	nictest_plat_init(flags & MB_FLAG_MEM ?
			  get_le32(mbi + MB_INFO_MEM_UPPER) : 15 * 1024);
	if (flags & MB_FLAG_CMDLINE)
		parse_args((const char *)(uintptr_t)
			   get_le32(mbi + MB_INFO_CMDLINE), &args);
	say("NICTEST start, TSC %u kHz", (unsigned int)nictest_tsc_khz());
	if (args.div64)
		check_div64();

	nnics = nic_probe_all(nds, MAX_NICS);
	if (nnics <= 0)
		fail("no supported NIC");
	opt.fixed_window = args.window;
	opt.max_sectors = args.sectors;
	if (aoe_init(&ctx, nds, (unsigned int)nnics, &opt) < 0)
		fail("aoe_init");
	rc = aoe_discover(&ctx, DISCOVER_MS);
	if (rc <= 0)
		fail("no AoE target answered");
	target = pick_target(&ctx, &args);
	if (!target)
		fail("the target asked for did not answer");
	aoe_target_name(target, name, sizeof(name));
	rc = aoe_identify(target);
	if (rc < 0)
		fail("IDENTIFY failed");
	total = target->nsectors;
	if (args.mib && total > (uint64_t)args.mib * 2048)
		total = (uint64_t)args.mib * 2048;
	say("NICTEST-TARGET %s %llu sectors, %u per frame, %u paths, first via %s",
	    name, (unsigned long long)total, aoe_target_spf(target),
	    target->npaths, target->paths[0].nd->name);

	buf = plat_alloc(CHUNK_SECTORS * SECTOR);
	if (!buf)
		fail("no memory for the read buffer");
	sha256_init(&sha);
	for (lba = 0; lba < total; lba += count) {
		count = (unsigned int)MIN((uint64_t)CHUNK_SECTORS, total - lba);
		t0 = plat_now_us();
		rc = aoe_read(target, lba, count, buf);
		busy_us += plat_now_us() - t0;
		if (rc < 0)
			fail("read failed");
		sha256_update(&sha, buf, (size_t)count * SECTOR);
		if (lba == 0)
			hash_buf(buf, (size_t)count * SECTOR, first);
	}
	sha256_final(&sha, digest);
	sha256_hex(digest, hex);
	bytes = total * SECTOR;
	say("NICTEST-SHA256 %s %s", name, hex);
	say("NICTEST-RATE %s %s %llu %llu %llu", name,
	    target->paths[0].nd->name, (unsigned long long)bytes,
	    (unsigned long long)busy_us,
	    (unsigned long long)(busy_us ? bytes * 1000000 / 1024 / busy_us : 0));

	for (i = 0; i < target->npaths; i++)
		say("NICTEST-PATH %s %s window %u sent %llu received %llu "
		    "retransmits %llu fast %llu spurious %llu bad %llu srtt %u us",
		    name,
		    target->paths[i].nd->name, target->paths[i].window,
		    (unsigned long long)target->paths[i].sent,
		    (unsigned long long)target->paths[i].received,
		    (unsigned long long)target->paths[i].retransmits,
		    (unsigned long long)target->paths[i].fast_retransmits,
		    (unsigned long long)target->paths[i].spurious,
		    (unsigned long long)target->paths[i].bad_replies,
		    (unsigned int)target->paths[i].srtt_us);

	aoe_shutdown(&ctx);
	nic_shutdown_all(nds, (unsigned int)nnics);

	/* After a reset the cards must come up again as from power-on. */
	nnics = nic_probe_all(nds, MAX_NICS);
	if (nnics <= 0)
		fail("no NIC came up again after the reset");
	first_chunk_hash(nds, (unsigned int)nnics, &opt, &args, buf,
			 (unsigned int)MIN((uint64_t)CHUNK_SECTORS, total),
			 again);
	if (memcmp(first, again, sizeof(first)))
		fail("the first MiB differs after the reset");
	nic_shutdown_all(nds, (unsigned int)nnics);
	say("NICTEST-REOPEN ok");
	say("NICTEST-DONE");
	nictest_exit(0);
}
