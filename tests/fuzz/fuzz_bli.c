/*
 * fuzz_bli.c - bytes as the value of LoaderEntryOneShot and of
 * LoaderConfigTimeout(OneShot), as an OS (or anything with access to the
 * variable store) may have written them.  A decoded id must be printable
 * ASCII within its buffer; a timeout within the timeout= setting's range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/core/bli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char id[BLI_ID_MAX];
	const char *strs[1] = { id };
	uint8_t back[2 * BLI_ID_MAX];
	size_t i, n;
	int t;

	if (!bli_decode_id(data, size, id, sizeof(id))) {
		n = strlen(id);
		if (!n || n >= sizeof(id))
			abort();
		for (i = 0; i < n; i++)
			if (id[i] <= ' ' || id[i] > '~' || id[i] == '"')
				abort();
		/* Encoding it again gives the value's first units back. */
		if (bli_encode(strs, 1, back, sizeof(back)) != 2 * (n + 1) ||
		    memcmp(back, data, 2 * n))
			abort();
	}
	if (!bli_decode_timeout(data, size, BLI_TIMEOUT, &t) &&
	    (t < -1 || t > 3600))
		abort();
	if (!bli_decode_timeout(data, size, BLI_TIMEOUT_ONESHOT, &t) &&
	    (t < -1 || t > 3600))
		abort();
	return 0;
}
