/*
 * acpi.c - the aBFT in the ACPI tables under BIOS, where that can be done
 * safely.
 *
 * A BIOS offers no service for adding a table, and its tables are left
 * as they are: copies of its RSDT and XSDT with the aBFT as one entry more
 * go into memory of ours (hidden with the aBFT), and the RSDP is pointed
 * at them.  The RSDP lies in the EBDA or in the BIOS's shadow at
 * E0000h-FFFFFh, which most BIOSes (SeaBIOS among them) have made
 * read-only by the time they boot: we write it, read it back, and when
 * the write did not take put back what was there, so nothing changed.
 * The OS then finds the aBFT by scanning base memory, as it finds iPXE's
 * under BIOS.
 */
#include "acpi.h"
#include "bios.h"
#include "byteorder.h"
#include "errors.h"
#include "int13.h"
#include "libc.h"
#include "log.h"

#define BDA_EBDA_SEG	0x40E
#define EBDA_LO		0x80000u	/* an EBDA segment outside this is bogus */
#define EBDA_HI		0xA0000u
#define EBDA_SCAN	1024u		/* the RSDP may be in its first KiB */
#define BIOS_AREA_LO	0xE0000u
#define BIOS_AREA_HI	0x100000u
#define RSDP_MAX	64u		/* the longest RSDP we rewrite */
#define SDT_MAX		1024u		/* the longest root table we copy */

/* The first valid RSDP in [lo, hi) on a 16-byte boundary. */
static uint32_t rsdp_scan(uint32_t lo, uint32_t hi, struct acpi_rsdp *r)
{
	for (; lo + ACPI_RSDP_V1_LEN <= hi; lo += 16)
		if (!acpi_rsdp_parse(phys_ptr(lo), hi - lo, r))
			return lo;
	return 0;
}

/* Where the OS looks, in its order: the EBDA's first KiB, the BIOS area. */
static uint32_t rsdp_find(struct acpi_rsdp *r)
{
	uint32_t ebda = (uint32_t)get_le16(phys_ptr(BDA_EBDA_SEG)) << 4;
	uint32_t at = 0;

	if (ebda >= EBDA_LO && ebda < EBDA_HI)
		at = rsdp_scan(ebda, MIN(ebda + EBDA_SCAN, EBDA_HI), r);
	return at ? at : rsdp_scan(BIOS_AREA_LO, BIOS_AREA_HI, r);
}

/* The root table at @addr copied to @out with @table added; 0: not done. */
static size_t sdt_copy(uint8_t *out, size_t size, uint32_t addr,
		       const char *sig, unsigned int entry_len, uint32_t table)
{
	uint32_t len = get_le32((const uint8_t *)phys_ptr(addr) +
				ACPI_HDR_LENGTH);

	return acpi_sdt_add(out, size, phys_ptr(addr), MIN(len, SDT_MAX), sig,
			    entry_len, table);
}

int bios_acpi_publish(uint32_t table, uint8_t *room, size_t size)
{
	uint8_t saved[RSDP_MAX], want[RSDP_MAX];
	volatile uint8_t *rsdp;
	struct acpi_rsdp r;
	uint32_t at, rsdt = 0, xsdt = 0;
	const char *why = NULL;
	size_t half = size / 2, i;

	at = rsdp_find(&r);
	if (!at)
		why = "no RSDP";
	else if (r.len > RSDP_MAX || r.xsdt >> 32 || (!r.rsdt && !r.xsdt))
		why = "an RSDP we cannot rewrite";
	else if (r.rsdt && !sdt_copy(room, half, r.rsdt, "RSDT", 4, table))
		why = "a bad RSDT";
	else if (r.xsdt && !sdt_copy(room + half, half, (uint32_t)r.xsdt,
				     "XSDT", 8, table))
		why = "a bad XSDT";
	if (!why) {
		/* The RSDT's copy in the first half of @room, the XSDT's in
		 * the second. */
		rsdt = r.rsdt ? (uint32_t)(uintptr_t)room : 0;
		xsdt = r.xsdt ? (uint32_t)(uintptr_t)(room + half) : 0;
		rsdp = phys_ptr(at);
		for (i = 0; i < r.len; i++)
			saved[i] = want[i] = rsdp[i];
		acpi_rsdp_retarget(want, &r, rsdt, xsdt);
		for (i = 0; i < r.len; i++)
			rsdp[i] = want[i];
		for (i = 0; i < r.len && rsdp[i] == want[i]; i++)
			;
		if (i == r.len) {
			log_info("aBFT: in the ACPI tables (RSDP at %05x: RSDT "
				 "%08x, XSDT %08x)", at, rsdt, xsdt);
			return 0;
		}
		for (i = 0; i < r.len; i++)
			rsdp[i] = saved[i];
		why = "a read-only RSDP (ACPI tables left as they were)";
	}
	log_info("aBFT: %s at %05x; in base memory only", why, at);
	return -ERR_NOTSUP;
}
