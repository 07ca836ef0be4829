/*
 * test_md.c - md superblocks and arrays made by mdadm in a VM
 * (tests/images/mkmd.sh): every array is read back through md.c and
 * compared byte for byte with what Linux wrote; superblocks are compared
 * with `mdadm --examine`; members are removed, failed and corrupted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "testplat.h"
#include "memdisk.h"
#include "../../src/core/byteorder.h"
#include "../../src/core/errors.h"
#include "../../src/core/md.h"
#include "../../src/core/part.h"

#define MD_DIR "build/images/md"
#define MAXM 6

static int images_ok = -1;
static uint8_t *data1, *data2;
static size_t data1_len;

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n);
	if (fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

static int have_images(void)
{
	if (images_ok < 0) {
		images_ok = system("tests/images/mkmd.sh " MD_DIR
				   " >build/images-md.log 2>&1") == 0;
		if (images_ok) {
			data1 = slurp(MD_DIR "/data.bin", &data1_len);
			data2 = slurp(MD_DIR "/data2.bin", NULL);
			images_ok = data1 && data2;
		}
	}
	return images_ok;
}

/** Array size in bytes as Linux reported it (manifest), or 0. */
static uint64_t manifest_size(const char *name)
{
	char line[256], want[64];
	unsigned long long size = 0;
	FILE *f;

	if (!have_images())	/* builds them on first use */
		return 0;
	f = fopen(MD_DIR "/manifest", "r");

	snprintf(want, sizeof(want), "MDINFO %s size=%%llu", name);
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, want, &size) == 1)
			break;
	}
	if (f)
		fclose(f);
	return size;
}

struct members {
	unsigned int n;
	struct memdisk md[MAXM];
	struct md_super sb[MAXM];
};

/** Load members of array @name; @mask selects which (bit i = member i). */
static int load_members(struct members *ms, const char *name, unsigned int n,
			unsigned int mask)
{
	char path[256], dname[32];
	unsigned int i;

	memset(ms, 0, sizeof(*ms));
	if (!have_images()) {
		check(!"md test images missing (see build/images-md.log)");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!(mask & (1u << i)))
			continue;
		snprintf(path, sizeof(path), MD_DIR "/%s.%u.img", name, i);
		snprintf(dname, sizeof(dname), "e%u.0", 10 + i);
		if (memdisk_load(&ms->md[ms->n], dname, path)) {
			check(!"member image missing");
			return -1;
		}
		ms->n++;
	}
	return 0;
}

static void free_members(struct members *ms)
{
	unsigned int i;

	for (i = 0; i < ms->n; i++)
		memdisk_free(&ms->md[i]);
}

static int examine_all(struct members *ms)
{
	unsigned int i;
	int bad = 0;

	for (i = 0; i < ms->n; i++) {
		int rc = md_examine(&ms->md[i].blk, &ms->sb[i]);

		check_eq(rc, 0);
		bad |= rc;
	}
	return bad;
}

/** Read the whole array in one request and in odd pieces; compare. */
static void check_array_data(struct md_array *a, const uint8_t *want,
			     uint64_t bytes)
{
	uint8_t *buf = malloc(bytes);
	uint64_t off, step = 7 * 512 + 64 * 1024;

	check_eq(a->blk.nsectors * 512, bytes);
	if (bytes > data1_len || a->blk.nsectors * 512 != bytes) {
		free(buf);
		return;
	}
	check_eq(blk_read(&a->blk, 0, bytes / 512, buf), 0);
	check(!memcmp(buf, want, bytes));
	memset(buf, 0, bytes);
	for (off = 0; off < bytes; off += step) {
		uint64_t n = bytes - off < step ? bytes - off : step;

		check_eq(blk_pread(&a->blk, off + 0, n, buf + off), 0);
	}
	check(!memcmp(buf, want, bytes));
	check_eq(blk_read(&a->blk, bytes / 512, 1, buf), -ERR_RANGE);
	free(buf);
}

/*
 * A big striped read must stay big on the members: pieces contiguous on a
 * member go down as one request (at most 4 MiB), not one per chunk.
 */
static void check_gathered(struct md_array *a, struct members *ms,
			   uint64_t bytes)
{
	uint8_t *buf = malloc(bytes);
	unsigned long reqs = 0, limit;
	unsigned int i;

	for (i = 0; i < ms->n; i++)
		ms->md[i].reads = 0;
	check_eq(blk_read(&a->blk, 1, bytes / 512 - 2, buf), 0);
	check(!memcmp(buf, data1 + 512, bytes - 1024));
	for (i = 0; i < ms->n; i++)
		reqs += ms->md[i].reads;
	/* Per member: its share in 4 MiB runs, plus the ends. */
	limit = ms->n * (bytes / ms->n / (4 << 20) + 3);
	if (a->level >= 4 || (a->level == 10 && (a->far_offset ||
			       a->raid_disks % a->near_copies)))
		/* Copies interleave on the members: not always contiguous,
		 * but never more requests than chunks. */
		limit = bytes / 512 / a->chunk_sectors + 1;
	if (reqs > limit || getenv("TEST_VERBOSE"))
		fprintf(stderr, "  %lu member requests for %llu bytes, limit "
			"%lu\n", reqs, (unsigned long long)bytes, limit);
	check(reqs <= limit);
	free(buf);
}

/** Compare a superblock with `mdadm --examine --export`. */
static void check_against_mdadm(const struct md_super *sb, const char *path)
{
	char cmd[300], line[256], uuid[36];
	FILE *f;
	int seen = 0;

	snprintf(cmd, sizeof(cmd), "mdadm --examine --export %s 2>/dev/null",
		 path);
	f = popen(cmd, "r");
	if (!f) {
		check(!"cannot run mdadm");
		return;
	}
	md_uuid_str(sb->uuid, uuid);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "MD_UUID=", 8)) {
			if (strcmp(line + 8, uuid))
				fprintf(stderr, "  uuid %s vs mdadm %s\n", uuid,
					line + 8);
			check(!strcmp(line + 8, uuid));
			seen++;
		} else if (!strncmp(line, "MD_LEVEL=", 9)) {
			check(!strcmp(line + 9, md_level_str(sb->level)));
			seen++;
		} else if (sscanf(line, "MD_EVENTS=%llu", &v) == 1) {
			check_eq(sb->events, v);
			seen++;
		} else if (sscanf(line, "MD_DEVICES=%llu", &v) == 1) {
			check_eq(sb->raid_disks, v);
			seen++;
		}
	}
	pclose(f);
	check_eq(seen, 4);
	/* Data offset and this device's role, from the long form. */
	snprintf(cmd, sizeof(cmd), "mdadm --examine %s 2>/dev/null", path);
	f = popen(cmd, "r");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long v;
		char *p = line + strspn(line, " ");
		uint16_t role = sb->roles[sb->dev_number];

		if (sscanf(p, "Data Offset : %llu sectors", &v) == 1)
			check_eq(sb->data_offset, v);
		else if (sscanf(p, "Device Role : Active device %llu", &v) == 1)
			check_eq(role, v);
		else if (!strncmp(p, "Device Role : spare", 19))
			check_eq(role, MD_ROLE_SPARE);
		else if (sscanf(p, "Super Offset : %llu sectors", &v) == 1)
			check_eq(sb->sb_offset, v);
	}
	if (f)
		pclose(f);
}

struct arr_case {
	const char *name;
	unsigned int n;
	int level;
	const char *version;
	const char *devname;
};

static void run_array(const struct arr_case *c)
{
	struct members ms;
	struct md_set set;
	uint64_t size;
	unsigned int i;
	char path[256];

	/* load_members() builds the images on first use: the manifest
	 * exists only after it. */
	if (load_members(&ms, c->name, c->n, 0xff))
		return;
	size = manifest_size(c->name);
	check(size > 0);
	if (examine_all(&ms) == 0) {
		for (i = 0; i < ms.n; i++) {
			snprintf(path, sizeof(path), MD_DIR "/%s.%u.img",
				 c->name, i);
			check_against_mdadm(&ms.sb[i], path);
		}
	}
	check_eq(md_assemble(ms.sb, ms.n, &set), 0);
	check_eq(set.count, 1);
	if (set.count == 1) {
		struct md_array *a = set.arrays[0];

		check_eq(a->state, MD_ARRAY_CLEAN);
		check_eq(a->level, c->level);
		check(!strcmp(a->version, c->version));
		if (strcmp(a->blk.name, c->devname))
			fprintf(stderr, "  name %s, want %s\n", a->blk.name,
				c->devname);
		check(!strcmp(a->blk.name, c->devname));
		check_array_data(a, data1, size);
		if (c->level == 0 || c->level >= 4)
			check_gathered(a, &ms, size);
	}
	md_set_free(&set);
	free_members(&ms);
}

#define ARRAY_TEST(fn, ...) static void fn(void) { \
	static const struct arr_case c = { __VA_ARGS__ }; run_array(&c); }

ARRAY_TEST(test_raid1_meta090, "r1_090", 2, 1, "0.90", "md0")
ARRAY_TEST(test_raid1_meta10, "r1_10", 2, 1, "1.0", "md1")
ARRAY_TEST(test_raid1_meta12, "r1_12", 2, 1, "1.2", "md3")
ARRAY_TEST(test_raid0, "r0", 3, 0, "1.2", "md7")
ARRAY_TEST(test_raid0_zones_original, "r0zo", 3, 0, "1.2", "md9")
ARRAY_TEST(test_raid5_left_symmetric, "r5ls", 4, 5, "1.2", "md0")
ARRAY_TEST(test_raid5_right_asymmetric, "r5ra", 4, 5, "1.2", "md1")
ARRAY_TEST(test_raid5_parity_first, "r5p0", 4, 5, "1.2", "md2")
ARRAY_TEST(test_raid6, "r6", 5, 6, "1.2", "md3")
ARRAY_TEST(test_raid0_zones_alternate, "r0za", 3, 0, "1.2", "md7")
ARRAY_TEST(test_linear, "lin", 2, -1, "1.2", "md8")
ARRAY_TEST(test_raid1_named_array, "r1n", 2, 1, "1.2", "md127")
ARRAY_TEST(test_raid10_near2, "r10n2", 4, 10, "1.2", "md0")
ARRAY_TEST(test_raid10_far2, "r10f2", 4, 10, "1.2", "md1")
ARRAY_TEST(test_raid10_offset2, "r10o2", 4, 10, "1.2", "md2")
ARRAY_TEST(test_raid10_far2_3disks, "r10f2x3", 3, 10, "1.2", "md3")
ARRAY_TEST(test_raid10_near3, "r10n3", 4, 10, "1.2", "md4")

static void test_raid1_meta11_with_spare(void)
{
	struct members ms;
	struct md_set set;
	struct md_array *a;

	if (load_members(&ms, "r1_11", 3, 7) || examine_all(&ms))
		goto out;
	check_against_mdadm(&ms.sb[2], MD_DIR "/r1_11.2.img");
	check_eq(md_assemble(ms.sb, ms.n, &set), 0);
	check_eq(set.count, 1);
	a = set.arrays[0];
	check(!strcmp(a->version, "1.1"));
	check_eq(a->state, MD_ARRAY_CLEAN);
	check_eq(a->nmembers, 3);
	check_eq(a->members[2].state, MD_MEMBER_SPARE);
	check(a->members[2].dev == &ms.md[2].blk);
	check_array_data(a, data1, manifest_size("r1_11"));
	md_set_free(&set);
out:
	free_members(&ms);
}

static void stale_member_never_read(const char *name, const char *version)
{
	struct members ms;
	struct md_set set;
	struct md_array *a;
	uint64_t size = manifest_size(name);
	uint8_t *want;

	if (load_members(&ms, name, 3, 7) || examine_all(&ms))
		goto out;
	check(ms.sb[2].events < ms.sb[0].events);
	want = malloc(size);
	memcpy(want, data1, size);
	memcpy(want, data2, 4 << 20);
	/* Stale member first in the list: must still not be used. */
	{
		struct md_super sbs[3] = { ms.sb[2], ms.sb[0], ms.sb[1] };

		check_eq(md_assemble(sbs, 3, &set), 0);
	}
	a = set.arrays[0];
	check(!strcmp(a->version, version));
	check_eq(a->state, MD_ARRAY_DEGRADED);
	check_eq(a->members[0].state, MD_MEMBER_STALE);
	check(a->members[0].dev == &ms.md[2].blk);
	check(strstr(a->why, "2 of 3") != NULL);
	ms.md[2].reads = 0;
	check_array_data(a, want, size);
	check_eq(ms.md[2].reads, 0);
	md_set_free(&set);
	/* Alone, the stale member is all there is: its own (old) data. */
	check_eq(md_assemble(&ms.sb[2], 1, &set), 0);
	check_eq(set.arrays[0]->state, MD_ARRAY_DEGRADED);
	check_array_data(set.arrays[0], data1, size);
	md_set_free(&set);
	free(want);
out:
	free_members(&ms);
}

static void test_raid1_stale_member_never_read(void)
{
	stale_member_never_read("r1s", "1.2");
}

static void test_raid1_meta090_stale_member_never_read(void)
{
	stale_member_never_read("r1s090", "0.90");
}

static void test_raid1_missing_member_and_failover(void)
{
	struct members ms;
	struct md_set set;
	struct md_array *a;
	uint64_t size = manifest_size("r1_12");
	uint8_t *buf = malloc(size);

	if (load_members(&ms, "r1_12", 2, 2) || examine_all(&ms))
		goto out;
	check_eq(md_assemble(ms.sb, 1, &set), 0);
	a = set.arrays[0];
	check_eq(a->state, MD_ARRAY_DEGRADED);
	check_eq(a->nmembers, 2);
	check_eq(a->members[1].state, MD_MEMBER_MISSING);
	check_eq(a->members[1].role, 0);
	check_array_data(a, data1, size);
	md_set_free(&set);
	free_members(&ms);

	/* Both members; the first fails every read: the second serves. */
	if (load_members(&ms, "r1_12", 2, 3) || examine_all(&ms))
		goto out;
	check_eq(md_assemble(ms.sb, 2, &set), 0);
	a = set.arrays[0];
	ms.md[0].fail_after = 0;
	ms.md[1].reads = 0;
	a->next_read = 0;
	check_eq(blk_read(&a->blk, 0, size / 512, buf), 0);
	check(!memcmp(buf, data1, size));
	check_eq(ms.md[1].reads, 1);		/* one request, not split */
	check(a->members[0].read_errors > 0);
	check(strstr(test_last_log(), "read error on member e10.0") != NULL);
	/* Both failing: a clear error. */
	ms.md[1].fail_after = 0;
	check_eq(blk_read(&a->blk, 0, 8, buf), -ERR_IO);
	check(strstr(test_last_log(), "unreadable on every member") != NULL);
	md_set_free(&set);
out:
	free(buf);
	free_members(&ms);
}

static void r10_degraded(const char *name, unsigned int mask, int readable)
{
	struct members ms;
	struct md_set set;

	if (load_members(&ms, name, 4, mask) || examine_all(&ms))
		goto out;
	check_eq(md_assemble(ms.sb, ms.n, &set), 0);
	check_eq(set.count, 1);
	if (readable) {
		check_eq(set.arrays[0]->state, MD_ARRAY_DEGRADED);
		check_array_data(set.arrays[0], data1, manifest_size(name));
	} else {
		uint8_t b[512];

		check_eq(set.arrays[0]->state, MD_ARRAY_FAILED);
		check(strstr(test_last_log(), "no copy left") != NULL);
		check_eq(blk_read(&set.arrays[0]->blk, 0, 1, b), -ERR_RANGE);
	}
	md_set_free(&set);
out:
	free_members(&ms);
}

static void test_raid10_degraded(void)
{
	r10_degraded("r10n2", 0xd, 1);	/* member 1 missing */
	r10_degraded("r10n2", 0xc, 0);	/* 0 and 1: a mirror pair gone */
	r10_degraded("r10n2", 0x5, 1);	/* 1 and 3: one of each pair */
	r10_degraded("r10f2", 0xe, 1);	/* member 0 missing */
	r10_degraded("r10o2", 0xa, 1);	/* 0 and 2 missing */
	r10_degraded("r10o2", 0xc, 0);	/* 0 and 1 missing */
	r10_degraded("r10n3", 0x9, 1);	/* two of three copies gone */
}

static void test_raid10_read_error_failover(void)
{
	static const char *const names[] = { "r10n2", "r10f2", "r10o2" };
	unsigned int k;

	for (k = 0; k < 3; k++) {
		struct members ms;
		struct md_set set;
		uint64_t size = manifest_size(names[k]);
		uint8_t *buf = malloc(size);

		if (load_members(&ms, names[k], 4, 0xf) || examine_all(&ms))
			goto next;
		check_eq(md_assemble(ms.sb, ms.n, &set), 0);
		/* Member 2 fails every read from now on. */
		ms.md[2].fail_after = (int)ms.md[2].reads;
		check_eq(blk_read(&set.arrays[0]->blk, 0, size / 512, buf), 0);
		check(!memcmp(buf, data1, size));
		check(set.arrays[0]->members[2].read_errors > 0);
		/* And now member 3 too: near2 and offset2 lose data (2 and 3
		 * hold the same chunks / adjacent copies), far2 as well. */
		ms.md[3].fail_after = (int)ms.md[3].reads;
		check(blk_read(&set.arrays[0]->blk, 0, size / 512, buf) < 0);
		check(strstr(test_last_log(), "unreadable on every copy") !=
		      NULL);
		md_set_free(&set);
next:
		free(buf);
		free_members(&ms);
	}
}

static void test_raid0_member_read_error(void)
{
	struct members ms;
	struct md_set set;
	uint8_t *buf = malloc(1 << 20);

	if (load_members(&ms, "r0", 3, 7) || examine_all(&ms))
		goto out;
	check_eq(md_assemble(ms.sb, ms.n, &set), 0);
	ms.md[1].fail_after = (int)ms.md[1].reads;
	check_eq(blk_read(&set.arrays[0]->blk, 0, 2048, buf), -ERR_IO);
	check(strstr(test_last_log(), "read error on member e11.0") != NULL);
	/* The first chunk lives on member 0 only. */
	check_eq(blk_read(&set.arrays[0]->blk, 0, 128, buf), 0);
	check(!memcmp(buf, data1, 128 * 512));
	md_set_free(&set);
out:
	free(buf);
	free_members(&ms);
}

static void test_duplicate_member_not_used(void)
{
	struct members ms;
	struct md_set set;
	struct md_array *a;

	/* The same member image seen twice (two targets exporting one
	 * file): the second claim on its slot is not used. */
	if (load_members(&ms, "r1_12", 2, 3) || examine_all(&ms))
		goto out;
	check_eq(memdisk_load(&ms.md[2], "e19.0", MD_DIR "/r1_12.0.img"), 0);
	ms.n = 3;
	check_eq(md_examine(&ms.md[2].blk, &ms.sb[2]), 0);
	check_eq(md_assemble(ms.sb, 3, &set), 0);
	a = set.arrays[0];
	check_eq(a->state, MD_ARRAY_CLEAN);
	check_eq(a->members[2].state, MD_MEMBER_DUPLICATE);
	check(strstr(test_last_log(), "both claim slot 0") != NULL);
	check_array_data(a, data1, manifest_size("r1_12"));
	md_set_free(&set);
out:
	free_members(&ms);
}

/** Recompute a 1.x superblock checksum in place. */
static void fix_csum_1x(uint8_t *s)
{
	uint32_t i, bytes = 256 + 2 * get_le32(s + 220);
	uint64_t sum = 0;

	for (i = 0; i + 4 <= bytes; i += 4)
		if (i != 216)
			sum += get_le32(s + i);
	if (bytes % 4)
		sum += get_le16(s + bytes - 2);
	put_le32(s + 216, (uint32_t)((sum & 0xffffffff) + (sum >> 32)));
}

/*
 * A bad block log entry (as the kernel records a failed write) on member
 * 0 over sectors whose content there is garbage: RAID1 must read them from
 * member 1; with member 1 gone they are an error, the rest still reads.
 * mdadm --examine-badblocks must agree with what we parsed.
 */
static void test_raid1_bad_block_log(void)
{
	struct members ms;
	struct md_set set;
	uint64_t size = manifest_size("r1_12"), bad;
	uint8_t *sb, *buf = malloc(size);
	char line[256];
	FILE *f;
	int seen = 0;

	if (load_members(&ms, "r1_12", 2, 3) || examine_all(&ms))
		goto out;
	sb = ms.md[0].data + 8 * 512;
	check_eq(get_le32(sb + 188), 16);	/* mdadm's default place */
	bad = ms.sb[0].data_offset + 1000;
	put_le32(sb + 8, get_le32(sb + 8) | 8);
	memset(sb + 16 * 512, 0xff, 8 * 512);
	put_le64(sb + 16 * 512, bad << 10 | 24);
	fix_csum_1x(sb);
	memset(ms.md[0].data + bad * 512, 0x55, 24 * 512);
	f = fopen(MD_DIR "/bb.img", "wb");
	check(f && fwrite(ms.md[0].data, 1, ms.md[0].size, f) == ms.md[0].size);
	if (f)
		fclose(f);
	f = popen("mdadm --examine-badblocks " MD_DIR "/bb.img 2>&1", "r");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long a, b;

		if (sscanf(line, " %llu for %llu sectors", &a, &b) == 2) {
			check_eq(a, bad);
			check_eq(b, 24);
			seen++;
		}
	}
	if (f)
		pclose(f);
	check_eq(seen, 1);
	remove(MD_DIR "/bb.img");

	check_eq(md_examine(&ms.md[0].blk, &ms.sb[0]), 0);
	check_eq(ms.sb[0].nbad, 1);
	check_eq(md_assemble(ms.sb, 2, &set), 0);
	set.arrays[0]->next_read = 0;
	check_array_data(set.arrays[0], data1, size);
	check(strstr(test_last_log(), "bad block log") != NULL ||
	      set.arrays[0]->next_read == 1);
	md_set_free(&set);
	/* Member 0 alone: the bad range is an error, the rest reads. */
	check_eq(md_assemble(ms.sb, 1, &set), 0);
	check_eq(blk_read(&set.arrays[0]->blk, 990, 20, buf), -ERR_IO);
	check(strstr(test_last_log(), "unreadable on every member") != NULL);
	check_eq(blk_read(&set.arrays[0]->blk, 0, 1000, buf), 0);
	check(!memcmp(buf, data1, 1000 * 512));
	check_eq(blk_read(&set.arrays[0]->blk, 1024, 1000, buf), 0);
	check(!memcmp(buf, data1 + 1024 * 512, 1000 * 512));
	md_set_free(&set);
out:
	free(buf);
	free_members(&ms);
}

static void test_raid0_zones_without_layout_refused(void)
{
	struct members ms;
	struct md_set set;
	unsigned int i;

	if (load_members(&ms, "r0zo", 3, 7))
		goto out;
	for (i = 0; i < 3; i++) {
		uint8_t *sb = ms.md[i].data + 8 * 512;

		put_le32(sb + 8, get_le32(sb + 8) & ~0x1000u);
		fix_csum_1x(sb);
		check_eq(md_examine(&ms.md[i].blk, &ms.sb[i]), 0);
	}
	check_eq(md_assemble(ms.sb, 3, &set), 0);
	check_eq(set.arrays[0]->state, MD_ARRAY_FAILED);
	check(strstr(test_last_log(), "multi-zone RAID0 without a layout") !=
	      NULL);
	md_set_free(&set);
out:
	free_members(&ms);
}

/*
 * Parity arrays with members missing: every single member in turn (data
 * rebuilt from P, or from Q when P is the one gone), every pair (RAID6:
 * rebuilt from P and Q; RAID5: refused); then a member failing reads while
 * present (rebuilt on the fly).
 */
static void parity_degraded(const char *name, unsigned int n, int level)
{
	uint64_t size = manifest_size(name);
	unsigned int x, y;

	for (x = 0; x < n; x++) {
		for (y = x; y < n; y++) {
			struct members ms;
			struct md_set set;
			unsigned int mask = ((1u << n) - 1) & ~(1u << x) &
					    ~(1u << y);

			if (x != y && (level == 5 ? x || y != 1 :
				       (x + y) % 3))
				continue;	/* a few pairs are enough */
			if (load_members(&ms, name, n, mask) ||
			    examine_all(&ms))
				goto next;
			check_eq(md_assemble(ms.sb, ms.n, &set), 0);
			if (x == y || level == 6) {
				check_eq(set.arrays[0]->state,
					 MD_ARRAY_DEGRADED);
				check_array_data(set.arrays[0], data1, size);
			} else {
				check_eq(set.arrays[0]->state,
					 MD_ARRAY_FAILED);
				check(strstr(test_last_log(), "more than one "
					     "member missing") != NULL);
			}
			md_set_free(&set);
next:
			free_members(&ms);
		}
	}
	{
		struct members ms;
		struct md_set set;

		if (load_members(&ms, name, n, (1u << n) - 1) ||
		    examine_all(&ms))
			goto out;
		check_eq(md_assemble(ms.sb, ms.n, &set), 0);
		ms.md[1].fail_after = (int)ms.md[1].reads;
		check_array_data(set.arrays[0], data1, size);
		check(set.arrays[0]->members[1].read_errors > 0);
		md_set_free(&set);
out:
		free_members(&ms);
	}
}

static void test_raid5_degraded(void)
{
	parity_degraded("r5ls", 4, 5);
	parity_degraded("r5ra", 4, 5);
}

static void test_raid6_degraded(void)
{
	struct members ms;
	struct md_set set;

	parity_degraded("r6", 5, 6);
	/* Three gone: refused. */
	if (load_members(&ms, "r6", 5, 0x11) || examine_all(&ms))
		goto out;
	check_eq(md_assemble(ms.sb, ms.n, &set), 0);
	check_eq(set.arrays[0]->state, MD_ARRAY_FAILED);
	check(strstr(test_last_log(), "more than two members missing") != NULL);
	md_set_free(&set);
out:
	free_members(&ms);
}

static void test_raid0_missing_member_fails(void)
{
	struct members ms;
	struct md_set set;

	if (load_members(&ms, "r0", 3, 5) || examine_all(&ms))
		goto out;
	check_eq(md_assemble(ms.sb, ms.n, &set), 0);
	check_eq(set.arrays[0]->state, MD_ARRAY_FAILED);
	check(strstr(test_last_log(), "RAID0 member missing") != NULL);
	md_set_free(&set);
out:
	free_members(&ms);
}

static void test_corrupt_superblocks(void)
{
	struct members ms;
	struct md_super sb;
	uint64_t off;

	/* 1.2: a flipped byte in the name breaks the checksum. */
	if (load_members(&ms, "r1_12", 2, 1))
		goto out;
	ms.md[0].data[8 * 512 + 40] ^= 0x40;
	check_eq(md_examine(&ms.md[0].blk, &sb), -ERR_CORRUPT);
	check(strstr(test_last_log(), "checksum mismatch") != NULL);
	check(strstr(test_last_log(), "e10.0") != NULL);
	/* A huge max_dev is refused before the checksum is summed. */
	put_le32(ms.md[0].data + 8 * 512 + 220, 100000);
	check_eq(md_examine(&ms.md[0].blk, &sb), -ERR_CORRUPT);
	check(strstr(test_last_log(), "max_dev") != NULL);
	free_members(&ms);

	/* 0.90 at the end. */
	if (load_members(&ms, "r1_090", 2, 1))
		goto out;
	off = ((ms.md[0].blk.nsectors & ~127ULL) - 128) * 512;
	ms.md[0].data[off + 7 * 4] ^= 0x08;	/* level 1 -> 9 */
	check_eq(md_examine(&ms.md[0].blk, &sb), -ERR_CORRUPT);
	check(strstr(test_last_log(), "0.90 superblock at sector 32640: "
		     "checksum mismatch") != NULL);
	free_members(&ms);

	/* 1.0: a data area larger than the device, checksum fixed up. */
	if (load_members(&ms, "r1_10", 2, 1))
		goto out;
	off = ((ms.md[0].blk.nsectors - 16) & ~7ULL) * 512;
	{
		uint8_t *s = ms.md[0].data + off;
		uint64_t sum = 0;
		uint32_t i, bytes = 256 + 2 * get_le32(s + 220);

		put_le64(s + 136, 1ULL << 40);
		for (i = 0; i + 4 <= bytes; i += 4)
			if (i != 216)
				sum += get_le32(s + i);
		put_le32(s + 216, (uint32_t)((sum & 0xffffffff) + (sum >> 32)));
	}
	check_eq(md_examine(&ms.md[0].blk, &sb), -ERR_CORRUPT);
	check(strstr(test_last_log(), "does not fit the device") != NULL);
out:
	free_members(&ms);
}

static void test_no_superblock(void)
{
	static uint8_t zero[300 * 512];
	struct memdisk md;
	struct md_super sb;
	struct md_set set;

	memdisk_init(&md, "e1.0", zero, sizeof(zero));
	check_eq(md_examine(&md.blk, &sb), -ERR_NODEV);
	memdisk_init(&md, "e1.0", zero, 10 * 512);
	check_eq(md_examine(&md.blk, &sb), -ERR_NODEV);
	check_eq(md_assemble(NULL, 0, &set), 0);
	check_eq(set.count, 0);
}

static void test_partition_members(void)
{
	struct members ms;
	struct part_table t[2];
	struct md_super sbs[4];
	struct md_set set;
	unsigned int i, j, n = 0;

	if (load_members(&ms, "pt", 2, 3))
		goto out;
	for (i = 0; i < 2; i++) {
		check_eq(part_scan(&ms.md[i].blk, &t[i]), 0);
		check_eq(t[i].count, 2);
	}
	for (j = 0; j < 2; j++)
		for (i = 0; i < 2; i++)
			check_eq(md_examine(&t[i].parts[j].blk, &sbs[n++]), 0);
	check_eq(md_assemble(sbs, n, &set), 0);
	check_eq(set.count, 2);
	if (set.count == 2) {
		check(!strcmp(set.arrays[0]->version, "1.2"));
		check(!strcmp(set.arrays[0]->blk.name, "md5"));
		check_array_data(set.arrays[0], data1, manifest_size("pt1"));
		check(!strcmp(set.arrays[1]->version, "0.90"));
		check(!strcmp(set.arrays[1]->blk.name, "md6"));
		check_array_data(set.arrays[1], data1, manifest_size("pt2"));
	}
	md_set_free(&set);
	part_table_free(&t[0]);
	part_table_free(&t[1]);
out:
	free_members(&ms);
}

int main(void)
{
	test_run(test_raid1_meta090);
	test_run(test_raid1_meta10);
	test_run(test_raid1_meta11_with_spare);
	test_run(test_raid1_meta12);
	test_run(test_raid1_stale_member_never_read);
	test_run(test_raid1_meta090_stale_member_never_read);
	test_run(test_raid1_named_array);
	test_run(test_raid1_missing_member_and_failover);
	test_run(test_raid0);
	test_run(test_raid5_left_symmetric);
	test_run(test_raid5_right_asymmetric);
	test_run(test_raid5_parity_first);
	test_run(test_raid6);
	test_run(test_raid5_degraded);
	test_run(test_raid6_degraded);
	test_run(test_raid0_zones_original);
	test_run(test_raid0_zones_alternate);
	test_run(test_raid0_zones_without_layout_refused);
	test_run(test_raid0_missing_member_fails);
	test_run(test_duplicate_member_not_used);
	test_run(test_raid1_bad_block_log);
	test_run(test_raid0_member_read_error);
	test_run(test_raid10_read_error_failover);
	test_run(test_linear);
	test_run(test_raid10_near2);
	test_run(test_raid10_far2);
	test_run(test_raid10_offset2);
	test_run(test_raid10_far2_3disks);
	test_run(test_raid10_near3);
	test_run(test_raid10_degraded);
	test_run(test_corrupt_superblocks);
	test_run(test_no_superblock);
	test_run(test_partition_members);
	return test_exit();
}
