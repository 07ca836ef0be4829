/*
 * loaddrv.c - load aoeboot-drv.efi from disk and boot through its LoadFile,
 * the way a boot manager would (test-vm/rom_boot.sh, rom_driver_from_disk).
 *
 * As \EFI\BOOT\BOOTX64.EFI next to \aoeboot-drv.efi on an ESP: loads and
 * starts the driver (not from a ROM, so it must serve every NIC), connects
 * every controller so the NICs' SNPs appear, finds each LoadFile handle
 * whose device path ends in aoeboot's vendor node and calls LoadFile with
 * BootPolicy TRUE, as the boot manager does:
 *
 *   LOADDRV-STARTED: <status>
 *   LOADDRV-OPTION: <device path>
 *   LOADDRV-RETURNED: <status>      (one per option)
 *   LOADDRV-DONE: <number of options>
 *
 * then powers the VM off.
 */
#include <efi.h>
#include <efilib.h>

static EFI_GUID drv_node_guid = { 0x8f2a4c1e, 0x5b07, 0x4d3a,
	{ 0x9e, 0x61, 0x0b, 0xa0, 0xe5, 0x7b, 0x00, 0x71 } };

/* True when the last node of @dp is a vendor messaging node with our GUID. */
static int is_ours(EFI_DEVICE_PATH *dp)
{
	EFI_DEVICE_PATH *last = NULL;

	for (; !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp))
		last = dp;
	return last && DevicePathType(last) == MESSAGING_DEVICE_PATH &&
	       DevicePathSubType(last) == MSG_VENDOR_DP &&
	       DevicePathNodeLength(last) == 20 &&
	       CompareMem((UINT8 *)last + 4, &drv_node_guid, 16) == 0;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_HANDLE drv = NULL, *handles = NULL;
	EFI_DEVICE_PATH *path, *dp;
	EFI_LOAD_FILE_INTERFACE *lf;
	EFI_STATUS status;
	UINTN count = 0, i, size, found = 0;

	InitializeLib(image, systab);
	uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
			  (VOID **)&li);
	path = FileDevicePath(li->DeviceHandle, L"\\aoeboot-drv.efi");
	status = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, path, NULL,
				   0, &drv);
	if (!EFI_ERROR(status))
		status = uefi_call_wrapper(BS->StartImage, 3, drv, NULL, NULL);
	Print(L"LOADDRV-STARTED: %r\n", status);
	/* Every controller, recursively: the NICs get their SNP. */
	status = uefi_call_wrapper(BS->LocateHandleBuffer, 5, AllHandles, NULL,
				   NULL, &count, &handles);
	for (i = 0; !EFI_ERROR(status) && i < count; i++)
		uefi_call_wrapper(BS->ConnectController, 4, handles[i], NULL,
				  NULL, TRUE);
	FreePool(handles);
	handles = NULL;
	count = 0;
	status = uefi_call_wrapper(BS->LocateHandleBuffer, 5, ByProtocol,
				   &LoadFileProtocol, NULL, &count, &handles);
	for (i = 0; !EFI_ERROR(status) && i < count; i++) {
		dp = DevicePathFromHandle(handles[i]);
		if (!dp || !is_ours(dp))
			continue;
		found++;
		Print(L"LOADDRV-OPTION: %s\n", DevicePathToStr(dp));
		uefi_call_wrapper(BS->HandleProtocol, 3, handles[i],
				  &LoadFileProtocol, (VOID **)&lf);
		size = 0;
		Print(L"LOADDRV-RETURNED: %r\n",
		      uefi_call_wrapper(lf->LoadFile, 5, lf, dp, TRUE, &size,
					NULL));
	}
	Print(L"LOADDRV-DONE: %d\n", found);
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0,
			  NULL);
	return EFI_SUCCESS;
}
