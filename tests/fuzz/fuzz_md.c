/*
 * fuzz_md.c - the whole volume scan (partition tables, md superblocks on
 * disks and partitions, assembly, RAID mapping) over up to four fuzzed
 * sparse disks; every volume found is read at its start, end and middle
 * and described.
 */
#include <stdint.h>
#include <stdlib.h>
#include "sparsedisk.h"
#include "../../src/core/volume.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[300 * 512];
	static struct sd_set set;
	struct volume_set vs;
	char line[256];
	unsigned int i;

	if (sd_parse(&set, data, size))
		return 0;
	if (volume_scan(set.blks, set.ndisks, &vs))
		return 0;
	for (i = 0; i < vs.count; i++) {
		struct blkdev *b = vs.vols[i].blk;
		uint64_t n = b->nsectors;

		volume_describe(&vs.vols[i], line, sizeof(line));
		blk_read(b, 0, n < 8 ? n : 8, buf);
		if (n > 8)
			blk_read(b, n - 8, 8, buf);
		if (n > 300)
			blk_read(b, n / 3, 300, buf);
		blk_read(b, n, 1, buf);
	}
	volume_set_free(&vs);
	return 0;
}
