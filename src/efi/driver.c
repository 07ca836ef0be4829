/*
 * driver.c - aoeboot as a boot-service driver, as it runs from a NIC's
 * option ROM: no disk, no PXE server.
 *
 * The driver's entry point only registers for new Simple Network Protocol
 * instances and returns.  For each NIC that appears (below the PCI device
 * whose ROM we came from) it creates a child handle carrying
 * EFI_LOAD_FILE_PROTOCOL and a device path (the NIC's path + a vendor node
 * of ours), so the firmware's boot manager lists it as a boot option, the
 * way iPXE's ROM does.  When the boot manager boots that option it calls
 * LoadFile; our LoadFile runs the whole aoeboot boot flow (main.c, linked
 * in as aoeboot_app_main by mk/rom.mk) and only returns when nothing could
 * be booted, with an error, so the boot manager moves on.
 *
 * A child handle rather than the NIC's own: iPXE's SNP driver, when it
 * shares the ROM with us, already puts its own LoadFile on the NIC handle.
 */
#include <efi.h>
#include "efiboot.h"
#include "errors.h"
#include "libc.h"

/* Vendor device path node GUID for aoeboot's boot option. */
#define AOEBOOT_DRV_GUID \
	{ 0x8f2a4c1e, 0x5b07, 0x4d3a, \
	  { 0x9e, 0x61, 0x0b, 0xa0, 0xe5, 0x7b, 0x00, 0x71 } }

static const EFI_GUID drv_node_guid = AOEBOOT_DRV_GUID;
static const EFI_GUID snp_guid = EFI_SIMPLE_NETWORK_PROTOCOL_GUID;
static const EFI_GUID load_file_guid = EFI_LOAD_FILE_PROTOCOL_GUID;
static const EFI_GUID devpath_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
static const EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static const EFI_GUID pciio_guid = EFI_PCI_IO_PROTOCOL_GUID;

/** The application flow (main.c's efi_main, renamed for this image). */
EFI_STATUS EFIAPI aoeboot_app_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

/** The driver's state, allocated at entry; the event's context. */
struct drv {
	EFI_HANDLE image;
	EFI_SYSTEM_TABLE *st;
	EFI_DEVICE_PATH *pci_path;	/**< our ROM's PCI device, or NULL */
	EFI_EVENT event;
	VOID *registration;
	bool running;			/**< a boot flow is in progress */
	struct drv_option *options;	/**< one per NIC, newest first */
};

/** One boot option: LoadFile first, so the protocol pointer is the struct. */
struct drv_option {
	EFI_LOAD_FILE_PROTOCOL load_file;
	struct drv *drv;
	EFI_HANDLE nic;
	EFI_HANDLE handle;
	EFI_DEVICE_PATH *path;
	struct drv_option *next;
};

/** A vendor messaging node as it sits in a device path. */
struct drv_vendor_node {
	EFI_DEVICE_PATH hdr;
	EFI_GUID guid;
} __attribute__((packed));

_Static_assert(sizeof(struct drv_vendor_node) == 20, "vendor node size");

static size_t dp_node_len(const EFI_DEVICE_PATH *dp)
{
	return (size_t)dp->Length[0] | (size_t)dp->Length[1] << 8;
}

static bool dp_is_end(const EFI_DEVICE_PATH *dp)
{
	return dp->Type == END_DEVICE_PATH_TYPE &&
	       dp->SubType == END_ENTIRE_DEVICE_PATH_SUBTYPE;
}

/**
 * Size of a device path in bytes without its end node (0 when malformed:
 * a node shorter than its header would loop forever).
 */
static size_t dp_size(const EFI_DEVICE_PATH *dp)
{
	const uint8_t *p = (const uint8_t *)dp;
	size_t total = 0, len;
	unsigned int n;

	for (n = 0; n < 256; n++) {
		if (dp_is_end((const EFI_DEVICE_PATH *)(p + total)))
			return total;
		len = dp_node_len((const EFI_DEVICE_PATH *)(p + total));
		if (len < sizeof(EFI_DEVICE_PATH))
			return 0;
		total += len;
	}
	return 0;
}

/** True when the last node of @path is a MAC address node. */
static bool dp_ends_with_mac(const EFI_DEVICE_PATH *path, size_t len)
{
	const uint8_t *p = (const uint8_t *)path;
	const EFI_DEVICE_PATH *node = NULL;
	size_t off = 0;

	while (off < len) {
		node = (const EFI_DEVICE_PATH *)(p + off);
		off += dp_node_len(node);
	}
	return node && node->Type == MESSAGING_DEVICE_PATH &&
	       node->SubType == MSG_MAC_ADDR_DP;
}

/** True when @prefix (without its end node) starts @path. */
static bool dp_starts_with(const EFI_DEVICE_PATH *path,
			   const EFI_DEVICE_PATH *prefix)
{
	size_t plen = dp_size(prefix);

	return plen && dp_size(path) >= plen && !memcmp(path, prefix, plen);
}

/* The boot manager boots our option: run the aoeboot boot flow. */
static EFI_STATUS EFIAPI drv_load_file(EFI_LOAD_FILE_PROTOCOL *this,
				       EFI_DEVICE_PATH *path,
				       BOOLEAN boot_policy, UINTN *size,
				       VOID *buffer)
{
	struct drv_option *opt = (struct drv_option *)this;
	struct drv *drv = opt->drv;
	EFI_STATUS status;

	(void)path;
	(void)buffer;
	if (!size)
		return EFI_INVALID_PARAMETER;
	if (!boot_policy)
		return EFI_UNSUPPORTED;	/* we serve no files, we boot */
	if (drv->running)
		return EFI_ALREADY_STARTED;
	drv->running = true;
	status = aoeboot_app_main(drv->image, drv->st);
	drv->running = false;
	/*
	 * Only failures return here.  Never a status that makes the boot
	 * manager expect a file (success, EFI_BUFFER_TOO_SMALL) or a warning.
	 */
	if (!EFI_ERROR(status) || status == EFI_BUFFER_TOO_SMALL)
		return EFI_NOT_FOUND;
	return status;
}

/* Give the NIC at @nic a boot option of ours. */
static void drv_add_option(struct drv *drv, EFI_HANDLE nic)
{
	EFI_DEVICE_PATH *nic_path = NULL;
	struct drv_vendor_node *node;
	struct drv_option *opt;
	EFI_DEVICE_PATH *end;
	size_t len;

	if (drv->st->BootServices->HandleProtocol(nic, (EFI_GUID *)&devpath_guid,
						  (VOID **)&nic_path) !=
	    EFI_SUCCESS || !nic_path)
		return;
	len = dp_size(nic_path);
	/*
	 * Only the NIC itself: the PXE driver installs the same SNP again on
	 * its IPv4 and IPv6 children (.../MAC()/IPv4()), which are no NICs.
	 */
	if (!len || !dp_ends_with_mac(nic_path, len))
		return;
	/* An SNP reinstalled on the same NIC signals again: one option. */
	for (opt = drv->options; opt; opt = opt->next)
		if (opt->nic == nic)
			return;
	if (drv->pci_path && !dp_starts_with(nic_path, drv->pci_path))
		return;		/* another NIC than the one our ROM is on */
	opt = plat_alloc(sizeof(*opt));
	if (!opt)
		return;
	memset(opt, 0, sizeof(*opt));
	opt->path = plat_alloc(len + sizeof(*node) + sizeof(EFI_DEVICE_PATH));
	if (!opt->path) {
		plat_free(opt);
		return;
	}
	memcpy(opt->path, nic_path, len);
	node = (struct drv_vendor_node *)((uint8_t *)opt->path + len);
	node->hdr.Type = MESSAGING_DEVICE_PATH;
	node->hdr.SubType = MSG_VENDOR_DP;
	node->hdr.Length[0] = sizeof(*node);
	node->hdr.Length[1] = 0;
	node->guid = drv_node_guid;
	end = (EFI_DEVICE_PATH *)(node + 1);
	end->Type = END_DEVICE_PATH_TYPE;
	end->SubType = END_ENTIRE_DEVICE_PATH_SUBTYPE;
	end->Length[0] = sizeof(*end);
	end->Length[1] = 0;
	opt->load_file.LoadFile = drv_load_file;
	opt->drv = drv;
	opt->nic = nic;
	if (drv->st->BootServices->InstallMultipleProtocolInterfaces(
		    &opt->handle, (EFI_GUID *)&devpath_guid, opt->path,
		    (EFI_GUID *)&load_file_guid, &opt->load_file, NULL) !=
	    EFI_SUCCESS) {
		plat_free(opt->path);
		plat_free(opt);
		return;
	}
	opt->next = drv->options;
	drv->options = opt;
}

/* A Simple Network Protocol appeared (or the driver just started). */
static VOID EFIAPI drv_snp_notify(EFI_EVENT event, VOID *context)
{
	struct drv *drv = context;
	EFI_HANDLE handle;
	UINTN size;

	(void)event;
	for (;;) {
		size = sizeof(handle);
		if (drv->st->BootServices->LocateHandle(ByRegisterNotify, NULL,
							drv->registration,
							&size, &handle) !=
		    EFI_SUCCESS)
			return;
		drv_add_option(drv, handle);
	}
}

/**
 * The driver's entry point (mk/rom.mk renames it to efi_main, the PE
 * entry point of build/efi/aoeboot-drv*.efi; UEFI's MS ABI).
 *
 * @ret status	EFI_SUCCESS to stay resident, an error to be unloaded
 */
EFI_STATUS EFIAPI aoeboot_driver_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

EFI_STATUS EFIAPI aoeboot_driver_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_BOOT_SERVICES *bs = st->BootServices;
	EFI_LOADED_IMAGE *li = NULL;
	EFI_DEVICE_PATH *dev_path = NULL;
	VOID *pci_io = NULL;
	struct drv *drv;
	EFI_STATUS status;

	/* The console may not exist yet: nothing is printed here. */
	efi_plat_init(image, st);
	drv = plat_alloc(sizeof(*drv));
	if (!drv)
		return EFI_OUT_OF_RESOURCES;
	memset(drv, 0, sizeof(*drv));
	drv->image = image;
	drv->st = st;
	/*
	 * From a ROM, our device handle is the PCI device: serve only its
	 * NICs.  Loaded from a disk (the shell's `load`, a Driver####
	 * variable) it is a filesystem: serve every NIC.
	 */
	if (bs->HandleProtocol(image, (EFI_GUID *)&li_guid, (VOID **)&li) ==
	    EFI_SUCCESS && li && li->DeviceHandle &&
	    bs->HandleProtocol(li->DeviceHandle, (EFI_GUID *)&pciio_guid,
			       (VOID **)&pci_io) == EFI_SUCCESS &&
	    bs->HandleProtocol(li->DeviceHandle, (EFI_GUID *)&devpath_guid,
			       (VOID **)&dev_path) == EFI_SUCCESS)
		drv->pci_path = dev_path;
	status = bs->CreateEvent(EVT_NOTIFY_SIGNAL, TPL_CALLBACK,
				 drv_snp_notify, drv, &drv->event);
	if (status != EFI_SUCCESS)
		goto err_event;
	status = bs->RegisterProtocolNotify((EFI_GUID *)&snp_guid, drv->event,
					    &drv->registration);
	if (status != EFI_SUCCESS)
		goto err_notify;
	/* NICs that already have their SNP. */
	bs->SignalEvent(drv->event);
	return EFI_SUCCESS;

err_notify:
	bs->CloseEvent(drv->event);
err_event:
	plat_free(drv);
	return status;
}
