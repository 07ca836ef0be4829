/*
 * fuzz_elf2efi.c - bytes as a linked ELF into src/tools/elf2efi.c's
 * converter; an accepted file must give a PE image whose section table
 * and .reloc lie inside it and inside SizeOfImage.
 */
#include <stdint.h>
#include <stdlib.h>

#define ELF2EFI_NO_MAIN
#include "../../src/tools/elf2efi.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *img;
	size_t len, i;
	char err[256];
	uint32_t nsect, simage;
	const uint8_t *sh;

	if (elf2efi(data, size, SUBSYSTEM_APP, &img, &len, err, sizeof(err)))
		return 0;
	if (len < OPT_BASE + OPT_SIZEOF)
		abort();
	nsect = get16(img + PE_OFF + COFF_NSECTIONS);
	simage = get32(img + OPT_BASE + OPT_SIZE_IMAGE);
	if (get32(img + OPT_BASE + OPT_SIZE_HEADERS) <
	    OPT_BASE + OPT_SIZEOF + nsect * SECT_SIZEOF)
		abort();
	sh = img + OPT_BASE + OPT_SIZEOF;
	for (i = 0; i < nsect; i++, sh += SECT_SIZEOF) {
		uint32_t va = get32(sh + SECT_VADDR), vs = get32(sh + SECT_VSIZE);
		uint32_t ptr = get32(sh + SECT_RAWPTR), raw = get32(sh + SECT_RAWSIZE);

		if (va % SECT_ALIGN || (uint64_t)va + vs > simage ||
		    (uint64_t)ptr + raw > len || raw < vs)
			abort();
	}
	free(img);
	return 0;
}
