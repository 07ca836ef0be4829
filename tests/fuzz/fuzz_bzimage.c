/*
 * fuzz_bzimage.c - bytes as a kernel file into bzimage_parse(); an
 * accepted header must describe parts that lie inside the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include "../../src/core/bzimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bzimage_info bz;

	if (bzimage_parse(data, size, &bz) == 0 &&
	    ((size_t)bz.setup_size + bz.pm_size != size ||
	     bz.setup_size < 512 || bz.init_size < bz.pm_size ||
	     bz.version < BZI_MIN_VERSION))
		abort();
	return 0;
}
