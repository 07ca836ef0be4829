/*
 * fuzz_fat.c - a hostile fat image (format in fuzzfs.h): mount, walk the
 * whole tree reading every file and symlink, scan for boot entries.
 * Seeds: tests/fuzz/corpus/fuzz_fat/, made by tests/fuzz/mkseeds-fs.sh.
 */
#include "fuzzfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_fs_one(data, size);
}
