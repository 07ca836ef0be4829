/*
 * linux.c - hand a kernel over through its EFI stub.
 *
 * The kernel image is loaded from memory (LoadImage with a SourceBuffer),
 * its command line goes in as LoadOptions (UCS-2), and the initrd is served
 * the way Linux >= 5.7 asks for it: the stub looks for a handle whose device
 * path is exactly Vendor(LINUX_EFI_INITRD_MEDIA_GUID) + End and calls
 * LoadFile2 on it, first with no buffer to learn the size.
 */
#include <efi.h>
#include "efiboot.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

#define EFI_LOAD_FILE2_PROTOCOL_GUID \
	{ 0x4006c0c1, 0xfcb3, 0x403e, \
	  { 0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d } }
#define LINUX_EFI_INITRD_MEDIA_GUID \
	{ 0x5568e427, 0x68fc, 0x4f3d, \
	  { 0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68 } }

static const EFI_GUID load_file2_guid = EFI_LOAD_FILE2_PROTOCOL_GUID;
static const EFI_GUID devpath_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
static const EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;

/** The initrd's device path: one vendor media node and the end node. */
struct initrd_dp {
	VENDOR_DEVICE_PATH vendor;
	EFI_DEVICE_PATH end;
} __attribute__((packed));

_Static_assert(sizeof(VENDOR_DEVICE_PATH) == 20, "vendor node size");
_Static_assert(sizeof(struct initrd_dp) == 24, "initrd device path size");

static const struct initrd_dp initrd_dp = {
	.vendor = {
		.Header = {
			.Type = MEDIA_DEVICE_PATH,
			.SubType = MEDIA_VENDOR_DP,
			.Length = { sizeof(VENDOR_DEVICE_PATH), 0 },
		},
		.Guid = LINUX_EFI_INITRD_MEDIA_GUID,
	},
	.end = {
		.Type = END_DEVICE_PATH_TYPE,
		.SubType = END_ENTIRE_DEVICE_PATH_SUBTYPE,
		.Length = { sizeof(EFI_DEVICE_PATH), 0 },
	},
};

/** LoadFile2 for the initrd; the protocol comes first (systemd-boot style). */
struct initrd_loader {
	EFI_LOAD_FILE_PROTOCOL load_file;	/* LoadFile2 has the same shape */
	const void *data;
	size_t size;
};

static EFI_STATUS EFIAPI initrd_load_file(EFI_LOAD_FILE_PROTOCOL *this,
					  EFI_DEVICE_PATH *path,
					  BOOLEAN boot_policy,
					  UINTN *buffer_size, VOID *buffer)
{
	struct initrd_loader *loader = (struct initrd_loader *)this;

	(void)path;
	if (!this || !buffer_size)
		return EFI_INVALID_PARAMETER;
	if (boot_policy)
		return EFI_UNSUPPORTED;	/* LoadFile2 never boots */
	if (!buffer || *buffer_size < loader->size) {
		*buffer_size = loader->size;
		return EFI_BUFFER_TOO_SMALL;
	}
	memcpy(buffer, loader->data, loader->size);
	*buffer_size = loader->size;
	return EFI_SUCCESS;
}

int linux_boot(const void *kernel, size_t kernel_size, const void *initrd,
	       size_t initrd_size, const char *cmdline)
{
	struct initrd_loader loader = {
		.load_file = { .LoadFile = initrd_load_file },
		.data = initrd,
		.size = initrd_size,
	};
	EFI_HANDLE image = NULL, initrd_handle = NULL;
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS status;
	CHAR16 *options = NULL;
	size_t options_size = 0;
	UINTN exit_size = 0;
	CHAR16 *exit_data = NULL;
	int rc;

	options = efi_ascii_to_ucs2(cmdline, &options_size);
	if (!options)
		return -ERR_NOMEM;
	status = efi_bs->LoadImage(FALSE, efi_image, NULL, (VOID *)kernel,
				   kernel_size, &image);
	if (status != EFI_SUCCESS) {
		log_error("kernel image rejected by the firmware: %s "
			  "(not an EFI stub kernel?)", efi_status_str(status));
		rc = efi_err_from_status(status);
		goto out;
	}
	status = efi_bs->HandleProtocol(image, (EFI_GUID *)&loaded_image_guid,
					(VOID **)&li);
	if (status != EFI_SUCCESS) {
		log_error("kernel: no LoadedImage: %s", efi_status_str(status));
		rc = efi_err_from_status(status);
		goto out_unload;
	}
	li->LoadOptions = options;
	li->LoadOptionsSize = (UINT32)options_size;
	if (initrd && initrd_size) {
		status = efi_bs->InstallMultipleProtocolInterfaces(
			&initrd_handle, (EFI_GUID *)&devpath_guid,
			(VOID *)&initrd_dp, (EFI_GUID *)&load_file2_guid,
			&loader.load_file, NULL);
		if (status != EFI_SUCCESS) {
			log_error("cannot publish the initrd (LoadFile2): %s%s",
				  efi_status_str(status),
				  status == EFI_ALREADY_STARTED ?
				  " (another loader published one)" : "");
			rc = efi_err_from_status(status);
			goto out_unload;
		}
	}
	log_info("starting the kernel (%llu bytes, initrd %llu bytes), "
		 "%llu ms after aoeboot started",
		 (unsigned long long)kernel_size,
		 (unsigned long long)initrd_size,
		 (unsigned long long)(plat_now_us() / 1000));
	status = efi_bs->StartImage(image, &exit_size, &exit_data);
	/* Only a failing kernel (stub) comes back here. */
	log_error("the kernel returned: %s", efi_status_str(status));
	rc = status == EFI_SUCCESS ? -ERR_IO : efi_err_from_status(status);
	if (exit_data)
		efi_bs->FreePool(exit_data);
	if (initrd_handle)
		efi_bs->UninstallMultipleProtocolInterfaces(
			initrd_handle, (EFI_GUID *)&devpath_guid,
			(VOID *)&initrd_dp, (EFI_GUID *)&load_file2_guid,
			&loader.load_file, NULL);
	/* StartImage unloads an image that exits; nothing more to undo. */
	goto out;
out_unload:
	if (initrd_handle)
		efi_bs->UninstallMultipleProtocolInterfaces(
			initrd_handle, (EFI_GUID *)&devpath_guid,
			(VOID *)&initrd_dp, (EFI_GUID *)&load_file2_guid,
			&loader.load_file, NULL);
	efi_bs->UnloadImage(image);
out:
	plat_free(options);
	return rc;
}
