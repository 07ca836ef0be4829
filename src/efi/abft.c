/*
 * abft.c - the AoE Boot Firmware Table.
 *
 * The OS finds the disk the firmware booted from in this ACPI table (on
 * Linux: /sys/firmware/acpi/tables/aBFT).  The layout is iPXE's: the
 * standard 36-byte ACPI header, then the target's shelf (u16, little
 * endian like every ACPI field), slot (u8), a reserved byte and the MAC
 * address of the client NIC (6 bytes): 46 bytes in all.  It is installed
 * through EFI_ACPI_TABLE_PROTOCOL, which links it into the RSDT/XSDT.
 */
#include <efi.h>
#include "byteorder.h"
#include "efiboot.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "san.h"

/* EFI_ACPI_TABLE_PROTOCOL (UEFI spec "ACPI Table Protocol"): not in
 * gnu-efi 3.0.15. */
#define ACPI_TABLE_PROTOCOL_GUID \
	{ 0xffe06bdd, 0x6107, 0x46a6, \
	  { 0x7b, 0xb2, 0x5a, 0x9c, 0x7e, 0xc5, 0x27, 0x5c } }

struct acpi_table_protocol {
	EFI_STATUS (EFIAPI *install)(struct acpi_table_protocol *this,
				     VOID *table, UINTN size, UINTN *key);
	EFI_STATUS (EFIAPI *uninstall)(struct acpi_table_protocol *this,
				       UINTN key);
};

static const EFI_GUID acpi_table_guid = ACPI_TABLE_PROTOCOL_GUID;

/** The table as it is laid out in memory: all fields little-endian. */
struct abft_table {
	char signature[4];	/* "aBFT" */
	uint32_t length;	/* 46 */
	uint8_t revision;	/* 1 */
	uint8_t checksum;	/* the whole table sums to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
	uint16_t shelf;
	uint8_t slot;
	uint8_t reserved;
	uint8_t client_mac[6];
} __attribute__((packed));

_Static_assert(sizeof(struct abft_table) == 46, "aBFT size");
_Static_assert(__builtin_offsetof(struct abft_table, checksum) == 9,
	       "checksum offset");
_Static_assert(__builtin_offsetof(struct abft_table, shelf) == 36,
	       "shelf offset");
_Static_assert(__builtin_offsetof(struct abft_table, client_mac) == 40,
	       "MAC offset");

static struct acpi_table_protocol *acpi_tables(void)
{
	struct acpi_table_protocol *proto = NULL;

	if (efi_bs->LocateProtocol((EFI_GUID *)&acpi_table_guid, NULL,
				   (VOID **)&proto) != EFI_SUCCESS)
		return NULL;
	return proto;
}

int abft_install(struct abft *abft, const struct aoe_target *target)
{
	struct acpi_table_protocol *proto = acpi_tables();
	const uint8_t *mac = target->paths[0].nd->mac;
	struct abft_table table;
	const uint8_t *p = (const uint8_t *)&table;
	uint8_t sum = 0;
	EFI_STATUS status;
	size_t i;

	if (!proto) {
		log_warn("aBFT: the firmware has no ACPI table protocol");
		return -ERR_NOTSUP;
	}
	abft_uninstall(abft);
	memset(&table, 0, sizeof(table));
	memcpy(table.signature, "aBFT", 4);
	put_le32((uint8_t *)&table.length, sizeof(table));
	table.revision = 1;
	memcpy(table.oem_id, "AOEBT ", 6);
	memcpy(table.oem_table_id, "aoeboot ", 8);
	put_le32((uint8_t *)&table.oem_revision, 1);
	memcpy(table.creator_id, "AOEB", 4);
	put_le32((uint8_t *)&table.creator_revision, 1);
	put_le16((uint8_t *)&table.shelf, target->shelf);
	table.slot = target->slot;
	memcpy(table.client_mac, mac, 6);
	for (i = 0; i < sizeof(table); i++)
		sum = (uint8_t)(sum + p[i]);
	table.checksum = (uint8_t)(0 - sum);
	/* The protocol copies the table; ours may live on the stack. */
	status = proto->install(proto, &table, sizeof(table), &abft->key);
	if (status != EFI_SUCCESS) {
		log_error("aBFT: InstallAcpiTable: %s", efi_status_str(status));
		return -ERR_IO;
	}
	abft->installed = true;
	log_info("aBFT: e%u.%u via %02x:%02x:%02x:%02x:%02x:%02x",
		 target->shelf, target->slot, mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	return 0;
}

void abft_uninstall(struct abft *abft)
{
	struct acpi_table_protocol *proto;

	if (!abft->installed)
		return;
	proto = acpi_tables();
	if (proto)
		proto->uninstall(proto, abft->key);
	abft->installed = false;
}
