/*
 * sanboot.c - SAN boot: an AoE target as an EFI disk.
 *
 * The target is published as EFI_BLOCK_IO_PROTOCOL (revision 3, reads and
 * writes) on a new handle whose device path is the NIC's path + a SATA
 * node (HBA port = shelf, port multiplier port = slot, LUN 0), as iPXE
 * does, so every target has a unique, stable path.  ConnectController
 * (recursive) lets the firmware's partition and FAT drivers bind; then the
 * disk's own loader is loaded from the first filesystem that has it and
 * started.  The disk stays published while the loader runs (it reads its
 * kernel through it); the OS takes over at ExitBootServices.
 *
 * ReadBlocks may be called at TPL_CALLBACK: the AoE engine busy-polls the
 * NIC (SNP Receive) against the TSC clock and never waits on an event.
 */
#include <efi.h>
#include "aoedev.h"
#include "efiboot.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "san.h"

#define SAN_DEFAULT_LOADER	"\\EFI\\BOOT\\BOOTX64.EFI"
#define SAN_PATH_MAX		128

static const EFI_GUID blockio_guid = EFI_BLOCK_IO_PROTOCOL_GUID;
static const EFI_GUID devpath_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
static const EFI_GUID snp_guid = EFI_SIMPLE_NETWORK_PROTOCOL_GUID;
static const EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;

/** A published disk: BlockIo first, so the protocol pointer is the disk. */
struct san_disk {
	EFI_BLOCK_IO blockio;
	EFI_BLOCK_IO_MEDIA media;
	struct aoe_target *target;
	EFI_HANDLE handle;
	EFI_DEVICE_PATH *path;
	size_t path_len;	/**< without the end node */
};

/** SATA device path node (UEFI "SATA Device Path"), 10 bytes. */
struct san_sata_node {
	EFI_DEVICE_PATH hdr;
	uint16_t hba_port;
	uint16_t pm_port;
	uint16_t lun;
} __attribute__((packed));

_Static_assert(sizeof(struct san_sata_node) == 10, "SATA node size");

static size_t dp_node_len(const EFI_DEVICE_PATH *dp)
{
	return (size_t)dp->Length[0] | (size_t)dp->Length[1] << 8;
}

/* Bytes of a device path without its end node; 0 when malformed. */
static size_t dp_len(const EFI_DEVICE_PATH *dp)
{
	const uint8_t *p = (const uint8_t *)dp;
	size_t total = 0, len;
	unsigned int n;

	for (n = 0; n < 256; n++) {
		const EFI_DEVICE_PATH *node = (const EFI_DEVICE_PATH *)(p + total);

		if (node->Type == END_DEVICE_PATH_TYPE &&
		    node->SubType == END_ENTIRE_DEVICE_PATH_SUBTYPE)
			return total;
		len = dp_node_len(node);
		if (len < sizeof(EFI_DEVICE_PATH))
			return 0;
		total += len;
	}
	return 0;
}

static void dp_set_end(void *where)
{
	EFI_DEVICE_PATH *end = where;

	end->Type = END_DEVICE_PATH_TYPE;
	end->SubType = END_ENTIRE_DEVICE_PATH_SUBTYPE;
	end->Length[0] = sizeof(*end);
	end->Length[1] = 0;
}

/* Check a BlockIo request against the medium; count in sectors. */
static EFI_STATUS san_check(struct san_disk *disk, UINT32 media_id,
			    EFI_LBA lba, UINTN size, VOID *buf,
			    uint64_t *count)
{
	if (media_id != disk->media.MediaId)
		return EFI_MEDIA_CHANGED;
	if (!buf)
		return EFI_INVALID_PARAMETER;
	if (size % AOE_SECTOR_SIZE)
		return EFI_BAD_BUFFER_SIZE;
	*count = size / AOE_SECTOR_SIZE;
	if (lba > disk->media.LastBlock ||
	    *count > disk->media.LastBlock + 1 - lba)
		return EFI_INVALID_PARAMETER;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI san_reset(EFI_BLOCK_IO *this, BOOLEAN extended)
{
	(void)this;
	(void)extended;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI san_read(EFI_BLOCK_IO *this, UINT32 media_id,
				  EFI_LBA lba, UINTN size, VOID *buf)
{
	struct san_disk *disk = (struct san_disk *)this;
	uint64_t count;
	EFI_STATUS status;

	status = san_check(disk, media_id, lba, size, buf, &count);
	if (status != EFI_SUCCESS || count == 0)
		return status;
	return efi_status_from_err(aoe_read(disk->target, lba, count, buf));
}

static EFI_STATUS EFIAPI san_write(EFI_BLOCK_IO *this, UINT32 media_id,
				   EFI_LBA lba, UINTN size, VOID *buf)
{
	struct san_disk *disk = (struct san_disk *)this;
	uint64_t count;
	EFI_STATUS status;

	status = san_check(disk, media_id, lba, size, buf, &count);
	if (status != EFI_SUCCESS || count == 0)
		return status;
	return efi_status_from_err(aoe_write(disk->target, lba, count, buf));
}

/* AoE writes are acknowledged once the target has them: nothing cached. */
static EFI_STATUS EFIAPI san_flush(EFI_BLOCK_IO *this)
{
	(void)this;
	return EFI_SUCCESS;
}

/* The device path of the SNP handle whose MAC is @mac, or NULL. */
static EFI_DEVICE_PATH *san_nic_path(const uint8_t *mac)
{
	EFI_HANDLE *handles = NULL;
	EFI_DEVICE_PATH *path = NULL, *dp;
	EFI_SIMPLE_NETWORK *snp;
	UINTN count = 0, i;

	if (efi_bs->LocateHandleBuffer(ByProtocol, (EFI_GUID *)&snp_guid, NULL,
				       &count, &handles) != EFI_SUCCESS)
		return NULL;
	for (i = 0; i < count && !path; i++) {
		if (efi_bs->HandleProtocol(handles[i], (EFI_GUID *)&snp_guid,
					   (VOID **)&snp) != EFI_SUCCESS ||
		    !snp->Mode ||
		    memcmp(snp->Mode->CurrentAddress.Addr, mac, 6))
			continue;
		if (efi_bs->HandleProtocol(handles[i],
					   (EFI_GUID *)&devpath_guid,
					   (VOID **)&dp) == EFI_SUCCESS && dp)
			path = dp;
	}
	efi_bs->FreePool(handles);
	return path;
}

/* Build NIC path + SATA(shelf, slot, 0) + End for @disk. */
static int san_make_path(struct san_disk *disk)
{
	const struct aoe_target *t = disk->target;
	EFI_DEVICE_PATH *nic = san_nic_path(t->paths[0].nd->mac);
	struct san_sata_node *sata;
	size_t len;

	if (!nic || !(len = dp_len(nic))) {
		log_error("SAN: no device path for the NIC of e%u.%u",
			  t->shelf, t->slot);
		return -ERR_NODEV;
	}
	disk->path = plat_alloc(len + sizeof(*sata) + sizeof(EFI_DEVICE_PATH));
	if (!disk->path)
		return -ERR_NOMEM;
	memcpy(disk->path, nic, len);
	sata = (struct san_sata_node *)((uint8_t *)disk->path + len);
	sata->hdr.Type = MESSAGING_DEVICE_PATH;
	sata->hdr.SubType = MSG_SATA_DP;
	sata->hdr.Length[0] = sizeof(*sata);
	sata->hdr.Length[1] = 0;
	sata->hba_port = t->shelf;
	sata->pm_port = t->slot;
	sata->lun = 0;
	dp_set_end(sata + 1);
	disk->path_len = len + sizeof(*sata);
	return 0;
}

/* Publish @disk and connect the firmware's drivers to it. */
static int san_publish(struct san_disk *disk)
{
	struct aoe_target *t = disk->target;
	EFI_STATUS status;
	int rc;

	rc = san_make_path(disk);
	if (rc < 0)
		return rc;
	/* Reads may come long after whoever set a progress callback left. */
	t->ctx->progress = NULL;
	disk->media = (EFI_BLOCK_IO_MEDIA){
		.MediaId = 0,
		.RemovableMedia = FALSE,
		.MediaPresent = TRUE,
		.LogicalPartition = FALSE,
		.ReadOnly = FALSE,
		.WriteCaching = FALSE,
		.BlockSize = AOE_SECTOR_SIZE,
		.IoAlign = 0,
		.LastBlock = t->nsectors - 1,
		.LowestAlignedLba = 0,
		.LogicalBlocksPerPhysicalBlock = 1,
		.OptimalTransferLengthGranularity = 0,
	};
	disk->blockio = (EFI_BLOCK_IO){
		.Revision = EFI_BLOCK_IO_PROTOCOL_REVISION3,
		.Media = &disk->media,
		.Reset = san_reset,
		.ReadBlocks = san_read,
		.WriteBlocks = san_write,
		.FlushBlocks = san_flush,
	};
	status = efi_bs->InstallMultipleProtocolInterfaces(
		&disk->handle, (EFI_GUID *)&devpath_guid, disk->path,
		(EFI_GUID *)&blockio_guid, &disk->blockio, NULL);
	if (status != EFI_SUCCESS) {
		log_error("SAN: cannot publish e%u.%u: %s", t->shelf, t->slot,
			  efi_status_str(status));
		return efi_err_from_status(status);
	}
	/* Partitions, then filesystems on them: recursive. */
	status = efi_bs->ConnectController(disk->handle, NULL, NULL, TRUE);
	log_debug("SAN: ConnectController(e%u.%u): %s", t->shelf, t->slot,
		  efi_status_str(status));
	return 0;
}

/*
 * Take @disk back from the firmware.
 *
 * @ret ok	false when the firmware would not let go of it (someone still
 *		has it open): then @disk must stay allocated, forever
 */
static bool san_unpublish(struct san_disk *disk)
{
	if (disk->handle) {
		efi_bs->DisconnectController(disk->handle, NULL, NULL);
		if (efi_bs->UninstallMultipleProtocolInterfaces(
			    disk->handle, (EFI_GUID *)&devpath_guid, disk->path,
			    (EFI_GUID *)&blockio_guid, &disk->blockio, NULL) !=
		    EFI_SUCCESS) {
			log_warn("SAN: the disk is still in use; left published");
			return false;
		}
		disk->handle = NULL;
	}
	plat_free(disk->path);
	disk->path = NULL;
	return true;
}

/*
 * Device path of @filename on the filesystem at @fs_path: the filesystem's
 * path + a file path node (UCS-2) + End.
 */
static EFI_DEVICE_PATH *san_file_path(const EFI_DEVICE_PATH *fs_path,
				      const char *filename)
{
	size_t len = dp_len(fs_path), nlen = strlen(filename), node_len, i;
	EFI_DEVICE_PATH *path, *node;
	CHAR16 *name;

	if (!len || nlen >= SAN_PATH_MAX)
		return NULL;
	node_len = sizeof(EFI_DEVICE_PATH) + (nlen + 1) * sizeof(CHAR16);
	path = plat_alloc(len + node_len + sizeof(EFI_DEVICE_PATH));
	if (!path)
		return NULL;
	memcpy(path, fs_path, len);
	node = (EFI_DEVICE_PATH *)((uint8_t *)path + len);
	node->Type = MEDIA_DEVICE_PATH;
	node->SubType = MEDIA_FILEPATH_DP;
	node->Length[0] = (uint8_t)node_len;
	node->Length[1] = (uint8_t)(node_len >> 8);
	name = (CHAR16 *)(node + 1);
	for (i = 0; i <= nlen; i++)
		name[i] = filename[i] == '/' ? '\\' : (CHAR16)filename[i];
	dp_set_end((uint8_t *)node + node_len);
	return path;
}

/*
 * Load @filename from the first filesystem below @disk that has it.
 *
 * @ret rc	0 with @image set, or -ERR_NOENT
 */
static int san_load(struct san_disk *disk, const char *filename,
		    EFI_HANDLE *image)
{
	EFI_HANDLE *handles = NULL;
	EFI_DEVICE_PATH *fs_path, *file;
	UINTN count = 0, i;
	EFI_STATUS status;
	int rc = -ERR_NOENT;

	if (efi_bs->LocateHandleBuffer(ByProtocol, (EFI_GUID *)&sfs_guid, NULL,
				       &count, &handles) != EFI_SUCCESS)
		return -ERR_NOENT;
	for (i = 0; i < count && rc < 0; i++) {
		if (efi_bs->HandleProtocol(handles[i],
					   (EFI_GUID *)&devpath_guid,
					   (VOID **)&fs_path) != EFI_SUCCESS ||
		    dp_len(fs_path) < disk->path_len ||
		    memcmp(fs_path, disk->path, disk->path_len))
			continue;	/* not on our disk */
		file = san_file_path(fs_path, filename);
		if (!file)
			continue;
		status = efi_bs->LoadImage(FALSE, efi_image, file, NULL, 0,
					   image);
		plat_free(file);
		log_debug("SAN: LoadImage %s from filesystem %u: %s", filename,
			  (unsigned int)i, efi_status_str(status));
		if (status == EFI_SUCCESS) {
			rc = 0;
			continue;
		}
		/* Secure Boot refusals still hand back a handle to unload. */
		if (status == EFI_SECURITY_VIOLATION && *image)
			efi_bs->UnloadImage(*image);
		*image = NULL;
		if (status != EFI_NOT_FOUND)
			log_warn("SAN: loading %s: %s", filename,
				 efi_status_str(status));
	}
	efi_bs->FreePool(handles);
	return rc;
}

int san_boot(void *pctx, struct aoe_target *target,
	     const char *filename)
{
	struct san_disk *disk;
	EFI_HANDLE image = NULL;
	EFI_STATUS status;
	char name[16];
	int rc;

	(void)pctx;
	if (!filename || !*filename)
		filename = SAN_DEFAULT_LOADER;
	aoe_target_name(target, name, sizeof(name));
	disk = plat_alloc(sizeof(*disk));
	if (!disk)
		return -ERR_NOMEM;
	memset(disk, 0, sizeof(*disk));
	disk->target = target;
	rc = san_publish(disk);
	if (rc < 0)
		goto out;
	rc = san_load(disk, filename, &image);
	if (rc < 0) {
		log_info("SAN: %s has no %s", name, filename);
		goto out;
	}
	log_info("SAN boot: %s as an EFI disk, starting %s", name, filename);
	status = efi_bs->StartImage(image, NULL, NULL);
	log_warn("SAN: %s returned: %s", filename, efi_status_str(status));
	rc = status == EFI_SUCCESS ? -ERR_ABORTED : efi_err_from_status(status);
out:
	if (san_unpublish(disk))
		plat_free(disk);
	return rc;
}
