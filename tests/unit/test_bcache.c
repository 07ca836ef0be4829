/* test_bcache.c - the metadata read cache: hits, LRU, bypass, errors. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "memdisk.h"
#include "../../src/core/bcache.h"
#include "../../src/core/errors.h"

#define DISK_SECTORS 1000

static uint8_t *pattern_disk(void)
{
	uint8_t *d = malloc(DISK_SECTORS * 512);
	size_t i;

	for (i = 0; i < DISK_SECTORS * 512; i++)
		d[i] = (uint8_t)(i * 7 + i / 512);
	return d;
}

static void test_bcache_small_reads_hit(void)
{
	uint8_t *d = pattern_disk();
	struct memdisk md;
	struct bcache *bc;
	uint8_t buf[4096];

	memdisk_init(&md, "e1.0", d, DISK_SECTORS * 512);
	bc = bcache_create(&md.blk, 8, 4);
	check(bc != NULL);
	check(!strcmp(bc->blk.name, "e1.0"));
	check_eq(bc->blk.nsectors, DISK_SECTORS);
	/* Unaligned byte reads through blk_pread. */
	check_eq(blk_pread(&bc->blk, 1000, 100, buf), 0);
	check(!memcmp(buf, d + 1000, 100));
	check_eq(md.reads, 1);
	check_eq(blk_pread(&bc->blk, 1500, 600, buf), 0);
	check(!memcmp(buf, d + 1500, 600));
	check_eq(md.reads, 1);
	check(bc->hits >= 2);
	/* A read crossing a block boundary: one more block read. */
	check_eq(blk_read(&bc->blk, 6, 4, buf), 0);
	check(!memcmp(buf, d + 6 * 512, 4 * 512));
	check_eq(md.reads, 2);
	bcache_free(bc);
	free(d);
}

static void test_bcache_lru_eviction(void)
{
	uint8_t *d = pattern_disk();
	struct memdisk md;
	struct bcache *bc;
	uint8_t buf[512];

	memdisk_init(&md, "e1.0", d, DISK_SECTORS * 512);
	bc = bcache_create(&md.blk, 8, 2);
	check_eq(blk_read(&bc->blk, 0, 1, buf), 0);	/* A */
	check_eq(blk_read(&bc->blk, 8, 1, buf), 0);	/* B */
	check_eq(blk_read(&bc->blk, 1, 1, buf), 0);	/* A again: hit */
	check_eq(md.reads, 2);
	check_eq(blk_read(&bc->blk, 16, 1, buf), 0);	/* C evicts B */
	check_eq(md.reads, 3);
	check_eq(blk_read(&bc->blk, 2, 1, buf), 0);	/* A still there */
	check_eq(md.reads, 3);
	check_eq(blk_read(&bc->blk, 9, 1, buf), 0);	/* B was evicted */
	check_eq(md.reads, 4);
	check(!memcmp(buf, d + 9 * 512, 512));
	bcache_free(bc);
	free(d);
}

static void test_bcache_large_read_bypasses_in_one_request(void)
{
	uint8_t *d = pattern_disk();
	uint8_t *buf = malloc(DISK_SECTORS * 512);
	struct memdisk md;
	struct bcache *bc;

	memdisk_init(&md, "e1.0", d, DISK_SECTORS * 512);
	bc = bcache_create(&md.blk, 8, 4);
	check_eq(blk_read(&bc->blk, 3, 900, buf), 0);
	check_eq(md.reads, 1);
	check_eq(md.read_sectors, 900);
	check_eq(bc->bypassed, 1);
	check(!memcmp(buf, d + 3 * 512, 900 * 512));
	/* Unaligned big pread: head and tail bounced, the middle in one go. */
	md.reads = 0;
	check_eq(blk_pread(&bc->blk, 100, 300000, buf), 0);
	check(!memcmp(buf, d + 100, 300000));
	check(md.reads <= 3);
	bcache_free(bc);
	free(buf);
	free(d);
}

static void test_bcache_device_end_and_errors(void)
{
	uint8_t *d = pattern_disk();
	struct memdisk md;
	struct bcache *bc;
	uint8_t buf[4096];

	/* 1000 sectors: the last 8-sector block holds only 0 sectors past
	 * 992..999, all 8 valid; use 7 blocks of 8 + 4 instead. */
	memdisk_init(&md, "e1.0", d, 996 * 512);
	bc = bcache_create(&md.blk, 8, 4);
	check_eq(blk_read(&bc->blk, 994, 2, buf), 0);
	check(!memcmp(buf, d + 994 * 512, 1024));
	check_eq(blk_read(&bc->blk, 995, 2, buf), -ERR_RANGE);
	/* A failing device: error returned, nothing cached. */
	md.fail_after = 0;
	check_eq(blk_read(&bc->blk, 100, 1, buf), -ERR_IO);
	md.fail_after = -1;
	check_eq(blk_read(&bc->blk, 100, 1, buf), 0);
	check(!memcmp(buf, d + 100 * 512, 512));
	/* Writes: read-only memdisk. */
	check_eq(blk_write(&bc->blk, 0, 1, buf), -ERR_ROFS);
	bcache_invalidate(bc);
	check_eq(blk_read(&bc->blk, 100, 1, buf), 0);
	check(bcache_create(&md.blk, 3, 4) == NULL);
	bcache_free(bc);
	bcache_free(NULL);
	free(d);
}

int main(void)
{
	test_run(test_bcache_small_reads_hit);
	test_run(test_bcache_lru_eviction);
	test_run(test_bcache_large_read_bypasses_in_one_request);
	test_run(test_bcache_device_end_and_errors);
	return test_exit();
}
