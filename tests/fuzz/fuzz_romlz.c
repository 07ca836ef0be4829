/*
 * fuzz_romlz.c - bytes as a romlz stream (src/tools/romlz.c's decoder, the
 * C twin of src/bios/unlz.inc): the first two bytes the output size, the
 * rest the stream; must stay inside both buffers, whatever it returns.
 */
#define ROMLZ_NO_MAIN
#define ROMLZ_NO_ENCODER
#include "../../src/tools/romlz.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t dlen;
	uint8_t *out;

	if (size < 2)
		return 0;
	dlen = (size_t)data[0] | (size_t)data[1] << 8;
	out = malloc(dlen + 1);
	if (out)
		(void)romlz_decode(data + 2, size - 2, out, dlen);
	free(out);
	return 0;
}
