/*
 * acpi.c - checking an RSDP, building root tables with one entry more
 * (see acpi.h).
 */
#include "acpi.h"
#include "byteorder.h"
#include "errors.h"
#include "libc.h"

/* RSDP (ACPI spec "Root System Description Pointer Structure"). */
#define RSDP_SIGNATURE		0	/* "RSD PTR " */
#define RSDP_CHECKSUM		8	/* over the first 20 bytes */
#define RSDP_REVISION		15
#define RSDP_RSDT		16	/* u32 */
#define RSDP_LENGTH		20	/* u32, revision >= 2 */
#define RSDP_XSDT		24	/* u64 */
#define RSDP_EXT_CHECKSUM	32	/* over the whole length */

/* Table header. */
#define HDR_CHECKSUM		9

uint8_t acpi_checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return (uint8_t)(0 - sum);
}

int acpi_rsdp_parse(const uint8_t *p, size_t avail, struct acpi_rsdp *out)
{
	uint32_t len = ACPI_RSDP_V1_LEN;

	if (avail < ACPI_RSDP_V1_LEN || memcmp(p, "RSD PTR ", 8) ||
	    acpi_checksum(p, ACPI_RSDP_V1_LEN))
		return -ERR_INVAL;
	out->revision = p[RSDP_REVISION];
	out->rsdt = get_le32(p + RSDP_RSDT);
	out->xsdt = 0;
	if (out->revision >= 2) {
		if (avail < ACPI_RSDP_V2_LEN)
			return -ERR_INVAL;
		len = get_le32(p + RSDP_LENGTH);
		if (len < ACPI_RSDP_V2_LEN || len > avail ||
		    acpi_checksum(p, len))
			return -ERR_INVAL;
		out->xsdt = get_le64(p + RSDP_XSDT);
	}
	out->len = len;
	return 0;
}

void acpi_rsdp_retarget(uint8_t *p, const struct acpi_rsdp *r,
			uint32_t rsdt, uint64_t xsdt)
{
	put_le32(p + RSDP_RSDT, rsdt);
	p[RSDP_CHECKSUM] = 0;
	p[RSDP_CHECKSUM] = acpi_checksum(p, ACPI_RSDP_V1_LEN);
	if (r->revision < 2)
		return;
	put_le64(p + RSDP_XSDT, xsdt);
	p[RSDP_EXT_CHECKSUM] = 0;
	p[RSDP_EXT_CHECKSUM] = acpi_checksum(p, r->len);
}

size_t acpi_sdt_add(uint8_t *out, size_t size, const uint8_t *sdt,
		    size_t avail, const char sig[4], unsigned int entry_len,
		    uint64_t table)
{
	uint32_t len;

	if (avail < ACPI_HDR_LEN || memcmp(sdt, sig, 4))
		return 0;
	len = get_le32(sdt + ACPI_HDR_LENGTH);
	if (len < ACPI_HDR_LEN || len > avail ||
	    (len - ACPI_HDR_LEN) % entry_len || acpi_checksum(sdt, len) ||
	    size < entry_len || len > size - entry_len ||
	    (entry_len == 4 && table > 0xFFFFFFFFu))
		return 0;
	memcpy(out, sdt, len);
	if (entry_len == 8)
		put_le64(out + len, table);
	else
		put_le32(out + len, (uint32_t)table);
	len += entry_len;
	put_le32(out + ACPI_HDR_LENGTH, len);
	out[HDR_CHECKSUM] = 0;
	out[HDR_CHECKSUM] = acpi_checksum(out, len);
	return len;
}
