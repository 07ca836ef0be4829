/*
 * abftcheck.c - a tiny EFI program for the SAN boot test (test-vm/san_boot.sh).
 *
 * Put on the AoE disk's ESP as \EFI\BOOT\BOOTX64.EFI, it proves that the
 * firmware started it from the SAN disk and reports what an OS would see:
 *
 *   AOETEST-MARKER: started from <device path of its disk>
 *   AOETEST-ABFT: shelf=<n> slot=<n> mac=<mac> length=<n> rev=<n> checksum=ok|BAD
 *   (or AOETEST-ABFT: none)
 *   AOETEST-TPL-READ: ok | failed (...)     its partition's first block read
 *                                           through BlockIo at TPL_CALLBACK
 *   AOETEST-WRITE: ok | failed (<status>)   \AOETEST.TXT written on its own disk
 *   AOETEST-RETURN: ...   when \AOETEST.RET exists on that disk
 *
 * The aBFT is looked up the way an OS does it: the ACPI 2.0 RSDP from the
 * system configuration table, then every table the XSDT lists.  Then the
 * machine is switched off, so the test need not wait; or, when the disk
 * holds \AOETEST.RET, the program returns EFI_ABORTED to aoeboot, which
 * must take the disk and the aBFT back and give up cleanly.
 */
#include <efi.h>
#include <efilib.h>

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;

static int same_guid(EFI_GUID *a, EFI_GUID *b)
{
	return CompareMem(a, b, sizeof(*a)) == 0;
}

/* The aBFT from the XSDT, or NULL. */
static UINT8 *find_abft(void)
{
	UINT8 *rsdp = NULL, *xsdt, *t;
	UINT32 len, i, n;
	UINT64 addr;

	for (i = 0; i < ST->NumberOfTableEntries; i++)
		if (same_guid(&ST->ConfigurationTable[i].VendorGuid, &acpi20_guid))
			rsdp = ST->ConfigurationTable[i].VendorTable;
	if (!rsdp || CompareMem(rsdp, "RSD PTR ", 8) || rsdp[15] < 2)
		return NULL;
	CopyMem(&addr, rsdp + 24, 8);
	xsdt = (UINT8 *)(UINTN)addr;
	if (!xsdt || CompareMem(xsdt, "XSDT", 4))
		return NULL;
	CopyMem(&len, xsdt + 4, 4);
	n = (len - 36) / 8;
	for (i = 0; i < n; i++) {
		CopyMem(&addr, xsdt + 36 + 8 * i, 8);
		t = (UINT8 *)(UINTN)addr;
		if (t && !CompareMem(t, "aBFT", 4))
			return t;
	}
	return NULL;
}

static void report_abft(void)
{
	UINT8 *t = find_abft(), sum = 0;
	UINT32 len, i;
	UINT16 shelf;

	if (!t) {
		Print(L"AOETEST-ABFT: none\n");
		return;
	}
	CopyMem(&len, t + 4, 4);
	for (i = 0; i < len && i < 4096; i++)
		sum += t[i];
	CopyMem(&shelf, t + 36, 2);
	Print(L"AOETEST-ABFT: shelf=%d slot=%d mac=%02x:%02x:%02x:%02x:%02x:%02x "
	      L"length=%d rev=%d checksum=%a\n", shelf, t[38], t[40], t[41],
	      t[42], t[43], t[44], t[45], len, t[8], sum ? "BAD" : "ok");
}

/*
 * Read the first block of our partition at TPL_CALLBACK, as firmware
 * callbacks may: the SAN disk below must busy-poll, not wait on events.
 */
static void read_at_callback(EFI_HANDLE disk)
{
	EFI_BLOCK_IO *bio = NULL;
	EFI_STATUS status;
	EFI_TPL old;
	UINT8 *buf;

	status = uefi_call_wrapper(BS->HandleProtocol, 3, disk, &BlockIoProtocol,
				   (VOID **)&bio);
	if (EFI_ERROR(status) || !bio) {
		Print(L"AOETEST-TPL-READ: failed (no BlockIo: %r)\n", status);
		return;
	}
	buf = AllocatePool(bio->Media->BlockSize);
	if (!buf) {
		Print(L"AOETEST-TPL-READ: failed (no memory)\n");
		return;
	}
	old = uefi_call_wrapper(BS->RaiseTPL, 1, TPL_CALLBACK);
	status = uefi_call_wrapper(bio->ReadBlocks, 5, bio, bio->Media->MediaId,
				   0, bio->Media->BlockSize, buf);
	uefi_call_wrapper(BS->RestoreTPL, 1, old);
	if (EFI_ERROR(status))
		Print(L"AOETEST-TPL-READ: failed (%r)\n", status);
	else if (buf[510] != 0x55 || buf[511] != 0xAA)
		Print(L"AOETEST-TPL-READ: failed (no 55 AA)\n");
	else
		Print(L"AOETEST-TPL-READ: ok\n");
	FreePool(buf);
}

/* Write \AOETEST.TXT on the disk this program was loaded from. */
static void write_file(EFI_HANDLE disk)
{
	static CHAR8 text[] = "written through aoeboot's BlockIo\n";
	EFI_FILE_HANDLE root, file;
	UINTN size = sizeof(text) - 1;
	EFI_STATUS status;

	root = LibOpenRoot(disk);
	if (!root) {
		Print(L"AOETEST-WRITE: failed (no filesystem)\n");
		return;
	}
	status = uefi_call_wrapper(root->Open, 5, root, &file, L"\\AOETEST.TXT",
				   EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE |
				   EFI_FILE_MODE_CREATE, 0);
	if (!EFI_ERROR(status)) {
		status = uefi_call_wrapper(file->Write, 3, file, &size, text);
		if (!EFI_ERROR(status))
			status = uefi_call_wrapper(file->Close, 1, file);
	}
	uefi_call_wrapper(root->Close, 1, root);
	if (EFI_ERROR(status))
		Print(L"AOETEST-WRITE: failed (%r)\n", status);
	else
		Print(L"AOETEST-WRITE: ok\n");
}

/* True when \AOETEST.RET exists on @disk. */
static int want_return(EFI_HANDLE disk)
{
	EFI_FILE_HANDLE root, file;
	EFI_STATUS status;

	root = LibOpenRoot(disk);
	if (!root)
		return 0;
	status = uefi_call_wrapper(root->Open, 5, root, &file,
				   L"\\AOETEST.RET", EFI_FILE_MODE_READ, 0);
	if (!EFI_ERROR(status))
		uefi_call_wrapper(file->Close, 1, file);
	uefi_call_wrapper(root->Close, 1, root);
	return !EFI_ERROR(status);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li = NULL;
	CHAR16 *where = NULL;

	InitializeLib(image, systab);
	uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
			  (VOID **)&li);
	if (li)
		where = DevicePathToStr(DevicePathFromHandle(li->DeviceHandle));
	Print(L"AOETEST-MARKER: started from %s\n", where ? where : L"?");
	report_abft();
	if (li)
		read_at_callback(li->DeviceHandle);
	if (li)
		write_file(li->DeviceHandle);
	if (li && want_return(li->DeviceHandle)) {
		Print(L"AOETEST-RETURN: returning EFI_ABORTED to aoeboot\n");
		return EFI_ABORTED;
	}
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0,
			  NULL);
	return EFI_SUCCESS;
}
