/*
 * fuzz_ext4.c - a hostile ext4 image (format in fuzzfs.h): mount, walk the
 * whole tree reading every file and symlink, scan for boot entries.
 * Seeds: tests/fuzz/corpus/fuzz_ext4/, made by tests/fuzz/mkseeds-fs.sh.
 */
#include "fuzzfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_fs_one(data, size);
}
