/*
 * abft.c - publishing the AoE Boot Firmware Table the core built
 * (src/core/abft.c) through EFI_ACPI_TABLE_PROTOCOL, which links it into
 * the RSDT/XSDT.
 */
#include <efi.h>
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

/* The one installed table's key (platform-layer state). */
static UINTN abft_key;
static bool abft_installed;

static struct acpi_table_protocol *acpi_tables(void)
{
	struct acpi_table_protocol *proto = NULL;

	if (efi_bs->LocateProtocol((EFI_GUID *)&acpi_table_guid, NULL,
				   (VOID **)&proto) != EFI_SUCCESS)
		return NULL;
	return proto;
}

int abft_install(void *pctx, const void *table, size_t len)
{
	struct acpi_table_protocol *proto = acpi_tables();
	EFI_STATUS status;

	if (!proto) {
		log_warn("aBFT: the firmware has no ACPI table protocol");
		return -ERR_NOTSUP;
	}
	abft_uninstall(pctx);
	/* The protocol copies the table. */
	status = proto->install(proto, (VOID *)table, len, &abft_key);
	if (status != EFI_SUCCESS) {
		log_error("aBFT: InstallAcpiTable: %s", efi_status_str(status));
		return -ERR_IO;
	}
	abft_installed = true;
	return 0;
}

void abft_uninstall(void *pctx)
{
	struct acpi_table_protocol *proto;

	(void)pctx;
	if (!abft_installed)
		return;
	proto = acpi_tables();
	if (proto)
		proto->uninstall(proto, abft_key);
	abft_installed = false;
}
