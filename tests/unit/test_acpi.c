/*
 * test_acpi.c - the RSDP check and the root tables with one entry more that
 * the legacy BIOS links the aBFT into (src/core/acpi.c).
 */
#include <string.h>
#include "../../src/core/acpi.h"
#include "../../src/core/byteorder.h"
#include "../../src/core/errors.h"
#include "test.h"

/* An RSDP of @revision pointing at @rsdt and @xsdt, checksums right. */
static void make_rsdp(uint8_t *p, uint8_t revision, uint32_t rsdt,
		      uint64_t xsdt)
{
	memset(p, 0, ACPI_RSDP_V2_LEN);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "BOCHS ", 6);
	p[15] = revision;
	put_le32(p + 16, rsdt);
	p[8] = acpi_checksum(p, ACPI_RSDP_V1_LEN);
	if (revision >= 2) {
		put_le32(p + 20, ACPI_RSDP_V2_LEN);
		put_le64(p + 24, xsdt);
		p[32] = acpi_checksum(p, ACPI_RSDP_V2_LEN);
	}
}

/* A root table @sig with @n entries of @entry_len (values 0x1000 * i). */
static size_t make_sdt(uint8_t *p, const char *sig, unsigned int entry_len,
		       unsigned int n)
{
	size_t len = ACPI_HDR_LEN + n * entry_len;
	unsigned int i;

	memset(p, 0, len);
	memcpy(p, sig, 4);
	put_le32(p + 4, (uint32_t)len);
	p[8] = 1;
	for (i = 0; i < n; i++) {
		if (entry_len == 8)
			put_le64(p + ACPI_HDR_LEN + 8 * i, 0x1000u * (i + 1));
		else
			put_le32(p + ACPI_HDR_LEN + 4 * i, 0x1000u * (i + 1));
	}
	p[9] = acpi_checksum(p, len);
	return len;
}

static void test_rsdp(void)
{
	uint8_t p[64];
	struct acpi_rsdp r;

	/* Revision 0 (SeaBIOS under QEMU): RSDT only. */
	make_rsdp(p, 0, 0x7fe1234, 0);
	check_eq(acpi_rsdp_parse(p, ACPI_RSDP_V1_LEN, &r), 0);
	check_eq(r.revision, 0);
	check_eq(r.rsdt, 0x7fe1234);
	check_eq(r.xsdt, 0);
	check_eq(r.len, ACPI_RSDP_V1_LEN);
	/* Revision 2: the XSDT and the whole length. */
	make_rsdp(p, 2, 0x7fe0000, 0x17fe0000ull);
	check_eq(acpi_rsdp_parse(p, sizeof(p), &r), 0);
	check_eq(r.xsdt, 0x17fe0000ull);
	check_eq(r.len, ACPI_RSDP_V2_LEN);
	/* ... but not when fewer bytes than it needs are readable. */
	check_eq(acpi_rsdp_parse(p, ACPI_RSDP_V1_LEN, &r), -ERR_INVAL);
	/* A bad checksum, a bad extended checksum, a wrong signature. */
	p[20] ^= 1;
	check_eq(acpi_rsdp_parse(p, sizeof(p), &r), -ERR_INVAL);
	make_rsdp(p, 0, 0x1000, 0);
	p[16] ^= 1;
	check_eq(acpi_rsdp_parse(p, sizeof(p), &r), -ERR_INVAL);
	make_rsdp(p, 0, 0x1000, 0);
	p[0] = 'r';		/* the checksum right, the name wrong */
	p[8] = 0;
	p[8] = acpi_checksum(p, ACPI_RSDP_V1_LEN);
	check_eq(acpi_rsdp_parse(p, sizeof(p), &r), -ERR_INVAL);
	/* A length field past what is readable, or below 36. */
	make_rsdp(p, 2, 0x1000, 0x2000);
	put_le32(p + 20, 200);
	p[8] = 0;
	p[8] = acpi_checksum(p, ACPI_RSDP_V1_LEN);
	check_eq(acpi_rsdp_parse(p, sizeof(p), &r), -ERR_INVAL);
	put_le32(p + 20, 8);
	p[8] = 0;
	p[8] = acpi_checksum(p, ACPI_RSDP_V1_LEN);
	check_eq(acpi_rsdp_parse(p, sizeof(p), &r), -ERR_INVAL);
}

static void test_retarget(void)
{
	uint8_t p[ACPI_RSDP_V2_LEN];
	struct acpi_rsdp r, again;

	make_rsdp(p, 0, 0x7fe1234, 0);
	check_eq(acpi_rsdp_parse(p, sizeof(p), &r), 0);
	acpi_rsdp_retarget(p, &r, 0x9f400, 0x9f500);
	check_eq(acpi_rsdp_parse(p, sizeof(p), &again), 0);
	check_eq(again.rsdt, 0x9f400);
	check_eq(again.xsdt, 0);	/* revision 0 has no XSDT field */
	check_eq(get_le32(p + 20), 0);	/* and nothing past 20 bytes changed */
	make_rsdp(p, 2, 0x7fe0000, 0x7fe0100);
	check_eq(acpi_rsdp_parse(p, sizeof(p), &r), 0);
	acpi_rsdp_retarget(p, &r, 0x9f400, 0x9f500);
	check_eq(acpi_rsdp_parse(p, sizeof(p), &again), 0);
	check_eq(again.rsdt, 0x9f400);
	check_eq(again.xsdt, 0x9f500);
}

static void test_sdt_add(void)
{
	uint8_t old[256], out[256];
	size_t n, len;

	/* RSDT with 5 entries -> 6, the new one last, checksum right. */
	n = make_sdt(old, "RSDT", 4, 5);
	len = acpi_sdt_add(out, sizeof(out), old, n, "RSDT", 4, 0x9f6a0);
	check_eq(len, n + 4);
	check_eq(get_le32(out + 4), len);
	check_eq(acpi_checksum(out, len), 0);
	check(!memcmp(out + ACPI_HDR_LEN, old + ACPI_HDR_LEN, 20));
	check_eq(get_le32(out + n), 0x9f6a0);
	/* XSDT: 8-byte entries, an address above 4 GiB is fine. */
	n = make_sdt(old, "XSDT", 8, 3);
	len = acpi_sdt_add(out, sizeof(out), old, n, "XSDT", 8,
			   0x100009f6a0ull);
	check_eq(len, n + 8);
	check_eq(get_le64(out + n), 0x100009f6a0ull);
	check_eq(acpi_checksum(out, len), 0);
	/* ... but not in an RSDT. */
	n = make_sdt(old, "RSDT", 4, 2);
	check_eq(acpi_sdt_add(out, sizeof(out), old, n, "RSDT", 4,
			      0x100000000ull), 0);
	/* No room for the copy. */
	check_eq(acpi_sdt_add(out, n + 3, old, n, "RSDT", 4, 0x1000), 0);
	check_eq(acpi_sdt_add(out, n + 4, old, n, "RSDT", 4, 0x1000), n + 4);
	/* Wrong signature, bad checksum, partial entry, length past what is
	 * readable, length below the header: refused, nothing assumed. */
	check_eq(acpi_sdt_add(out, sizeof(out), old, n, "XSDT", 8, 0x1000), 0);
	old[ACPI_HDR_LEN] ^= 1;
	check_eq(acpi_sdt_add(out, sizeof(out), old, n, "RSDT", 4, 0x1000), 0);
	n = make_sdt(old, "RSDT", 4, 2);
	put_le32(old + 4, (uint32_t)n - 2);
	old[9] = 0;
	old[9] = acpi_checksum(old, n - 2);
	check_eq(acpi_sdt_add(out, sizeof(out), old, n, "RSDT", 4, 0x1000), 0);
	n = make_sdt(old, "RSDT", 4, 2);
	check_eq(acpi_sdt_add(out, sizeof(out), old, n - 1, "RSDT", 4, 0x1000),
		 0);
	put_le32(old + 4, 20);
	check_eq(acpi_sdt_add(out, sizeof(out), old, n, "RSDT", 4, 0x1000), 0);
}

int main(void)
{
	test_run(test_rsdp);
	test_run(test_retarget);
	test_run(test_sdt_add);
	return test_exit();
}
