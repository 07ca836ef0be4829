/* fstest.h - helpers shared by the filesystem tests (fstest.c). */
#ifndef AOEBOOT_FSTEST_H
#define AOEBOOT_FSTEST_H

#include <stddef.h>
#include <stdint.h>
#include "../../src/core/fs/fs.h"

/** Directory of the test images (build/images/fs). */
const char *fstest_dir(void);

/** Path of @name inside fstest_dir() (static buffer, one at a time). */
const char *fstest_path(const char *name);

/**
 * Compare the host tree @host (a directory) with @path inside @fs: every
 * file's bytes, every symlink's target, every directory's entry names.
 * Files larger than @max_file are compared only in their first and last
 * MiB and at every data extent the host reports.  Returns the number of
 * mismatches (each printed to stderr); *nfiles counts files compared.
 */
int fstest_compare_tree(struct fs *fs, const char *host, const char *path,
			uint64_t max_file, unsigned int *nfiles);

/**
 * Walk the whole filesystem: list every directory, read every file (at
 * most @max_bytes of each), read every symlink.  Never fails on errors
 * (they are counted); used on corrupted images and by fuzzers.
 * Returns the number of errors met.
 */
int fstest_walk_all(struct fs *fs, size_t max_bytes);

/**
 * Decode a fuzz_ext4/fuzz_fat input (format in tests/fuzz/fuzzfs.h) into
 * a malloc()ed image.  Returns 0 or -1.
 */
int fstest_fuzz_image(const char *file, uint8_t **data, size_t *size);

#endif
