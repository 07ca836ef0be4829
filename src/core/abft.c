/*
 * abft.c - the AoE Boot Firmware Table's bytes (see abft.h).
 */
#include "abft.h"
#include "acpi.h"
#include "byteorder.h"
#include "libc.h"

/* ACPI table header (ACPI spec "System Description Table Header"). */
#define ABFT_SIGNATURE		0	/* "aBFT" */
#define ABFT_LENGTH		4	/* u32: the whole table */
#define ABFT_REVISION		8	/* u8: 1 */
#define ABFT_CHECKSUM		9	/* u8: all bytes sum to 0 */
#define ABFT_OEM_ID		10	/* 6 bytes */
#define ABFT_OEM_TABLE_ID	16	/* 8 bytes */
#define ABFT_OEM_REVISION	24	/* u32 */
#define ABFT_CREATOR_ID		28	/* 4 bytes */
#define ABFT_CREATOR_REVISION	32	/* u32 */
/* The AoE part. */
#define ABFT_SHELF		36	/* u16 */
#define ABFT_SLOT		38	/* u8, then one reserved byte */
#define ABFT_CLIENT_MAC		40	/* 6 bytes */

size_t abft_build(uint8_t *buf, size_t size, uint16_t shelf, uint8_t slot,
		  const uint8_t mac[6])
{
	if (size < ABFT_LEN)
		return 0;
	memset(buf, 0, ABFT_LEN);
	memcpy(buf + ABFT_SIGNATURE, "aBFT", 4);
	put_le32(buf + ABFT_LENGTH, ABFT_LEN);
	buf[ABFT_REVISION] = 1;
	memcpy(buf + ABFT_OEM_ID, "AOEBT ", 6);
	memcpy(buf + ABFT_OEM_TABLE_ID, "aoeboot ", 8);
	put_le32(buf + ABFT_OEM_REVISION, 1);
	memcpy(buf + ABFT_CREATOR_ID, "AOEB", 4);
	put_le32(buf + ABFT_CREATOR_REVISION, 1);
	put_le16(buf + ABFT_SHELF, shelf);
	buf[ABFT_SLOT] = slot;
	memcpy(buf + ABFT_CLIENT_MAC, mac, 6);
	buf[ABFT_CHECKSUM] = acpi_checksum(buf, ABFT_LEN);
	return ABFT_LEN;
}
