/*
 * fuzz_part.c - partition table parsing on a fuzzed sparse disk: scan,
 * then read the first, last and a middle run of sectors of every
 * partition through its bounds-checked device.
 */
#include <stdint.h>
#include <stdlib.h>
#include "sparsedisk.h"
#include "../../src/core/part.h"

static void read_some(struct blkdev *b)
{
	static uint8_t buf[64 * 512];
	uint64_t n = b->nsectors;

	blk_read(b, 0, n < 8 ? n : 8, buf);
	if (n > 8)
		blk_read(b, n - 8, 8, buf);
	if (n > 64)
		blk_read(b, n / 2, 64, buf);
	blk_read(b, n, 1, buf);			/* must be refused */
	blk_pread(b, 100, 1000, buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sd_set set;
	struct part_table t;
	unsigned int i;

	if (sd_parse(&set, data, size))
		return 0;
	if (part_scan(set.blks[0], &t) == 0) {
		for (i = 0; i < t.count; i++) {
			struct partition *p = &t.parts[i];

			if (p->start + p->blk.nsectors > set.blks[0]->nsectors)
				abort();	/* a partition beyond its disk */
			read_some(&p->blk);
			part_type_name(p);
		}
		part_table_free(&t);
	}
	return 0;
}
