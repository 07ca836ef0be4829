/*
 * fuzz_acpi.c - bytes as an RSDP and as a root table, as a BIOS (or
 * anything that wrote low memory before us) left them.  What parses must
 * be self-consistent; a table built from it must carry one entry more and
 * a right checksum, and never be written past its buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/core/acpi.h"
#include "../../src/core/byteorder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_rsdp r, again;
	uint8_t *copy, *out;
	size_t len, room;
	unsigned int entry;

	if (acpi_rsdp_parse(data, size, &r) == 0) {
		if (r.len > size || r.len < 20 || (r.revision < 2 && r.xsdt))
			abort();
		copy = malloc(r.len);
		memcpy(copy, data, r.len);
		acpi_rsdp_retarget(copy, &r, 0x9f400, 0x9f500);
		if (acpi_rsdp_parse(copy, r.len, &again) ||
		    again.rsdt != 0x9f400 ||
		    again.xsdt != (r.revision >= 2 ? 0x9f500u : 0))
			abort();
		free(copy);
	}
	/* The first byte picks the entry size and the room left. */
	if (size < 1)
		return 0;
	entry = data[0] & 1 ? 8 : 4;
	room = size - 1 + (data[0] >> 1);
	out = malloc(room ? room : 1);
	len = acpi_sdt_add(out, room, data + 1, size - 1,
			   entry == 8 ? "XSDT" : "RSDT", entry, 0x9f6a0);
	if (len && (len > room || len != get_le32(data + 5) + entry ||
		    get_le32(out + 4) != len || acpi_checksum(out, len)))
		abort();
	free(out);
	return 0;
}
