/*
 * main.c - efi_main: the UEFI boot platform under the core's boot manager
 * (src/core/bootmgr.h): settings (the board, aoeboot.conf beside us,
 * LoadOptions), NICs, then bootmgr_run() with the operations below (menu,
 * Linux and SAN hand-off, aBFT, the settings file, origin).
 *
 * When nothing can boot, efi_main returns an error status so the
 * firmware's boot manager moves on to its next boot option (no hang, no
 * reset).  The NICs are given back to the firmware's network stack before
 * returning.
 */
#include <efi.h>
#include "aoedev.h"
#include "bootmgr.h"
#include "byteorder.h"
#include "efiboot.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "san.h"

static const EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;

/** The UEFI platform's context; lives in one allocation. */
struct efi_boot {
	struct settings set;
	struct netdev *netdevs[AOE_MAX_NETDEVS];
	unsigned int nnetdevs;
	struct efi_pxe_info pxe;
	char conf_name[128];	/* the settings file's path (CONF_NAME_MAX) */
};

#define CONF_NAME	"aoeboot.conf"
#define CONF_MAX	(64u << 10)	/* a settings file is a few lines */
#define CONF_PATH_MAX	256
#define DP_NODES_MAX	64	/* a loop bound for malformed device paths */
#define CONF_NAME_MAX	128

static const EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;

/* The program's directory (its file-path nodes) + CONF_NAME into @out. */
static int conf_path(const EFI_DEVICE_PATH *dp, CHAR16 *out)
{
	const uint8_t *n = (const uint8_t *)dp;
	size_t len = 0, cut = 0, i, nlen;
	unsigned int k;
	CHAR16 c;

	for (k = 0; n && k < DP_NODES_MAX && n[0] != END_DEVICE_PATH_TYPE;
	     k++, n += nlen) {
		nlen = get_le16(n + 2);
		if (nlen < 4)
			return -ERR_INVAL;
		if (n[0] != MEDIA_DEVICE_PATH || n[1] != MEDIA_FILEPATH_DP)
			continue;
		for (i = 4; i + 1 < nlen && (c = get_le16(n + i)); i += 2) {
			if (c == '/')
				c = '\\';
			if (c == '\\' && len && out[len - 1] == '\\')
				continue;
			if (i == 4 && c != '\\' && len && out[len - 1] != '\\')
				out[len++] = '\\';
			if (len + 2 >= CONF_PATH_MAX)
				return -ERR_TOOBIG;
			out[len++] = c;
			if (c == '\\')
				cut = len;
		}
	}
	if (!len || cut + sizeof(CONF_NAME) >= CONF_PATH_MAX)
		return -ERR_NOENT;
	for (i = 0; i < sizeof(CONF_NAME); i++)
		out[cut + i] = (unsigned char)CONF_NAME[i];
	return 0;
}

/* aoeboot.conf beside this program (e.g. \EFI\BOOT\ on a USB stick). */
static int efi_read_settings(void *pctx, char **text, size_t *len,
			     const char **pname)
{
	char *name = ((struct efi_boot *)pctx)->conf_name;
	EFI_LOADED_IMAGE *li = NULL;
	EFI_FILE_IO_INTERFACE *sfs = NULL;
	EFI_FILE_HANDLE root, f;
	CHAR16 path[CONF_PATH_MAX];
	UINTN size = CONF_MAX;
	EFI_STATUS st;
	char *buf;
	size_t i;

	if (efi_bs->HandleProtocol(efi_image, (EFI_GUID *)&loaded_image_guid,
				   (VOID **)&li) != EFI_SUCCESS || !li ||
	    conf_path(li->FilePath, path) < 0 ||
	    efi_bs->HandleProtocol(li->DeviceHandle, (EFI_GUID *)&sfs_guid,
				   (VOID **)&sfs) != EFI_SUCCESS || !sfs)
		return -ERR_NOENT;
	*pname = name;
	for (i = 0; i + 1 < CONF_NAME_MAX && path[i]; i++)
		name[i] = path[i] < 0x80 ? (char)path[i] : '?';
	name[i] = 0;
	if (sfs->OpenVolume(sfs, &root) != EFI_SUCCESS)
		return -ERR_IO;
	st = root->Open(root, &f, path, EFI_FILE_MODE_READ, 0);
	root->Close(root);
	if (st != EFI_SUCCESS)
		return st == EFI_NOT_FOUND ? -ERR_NOENT :
		       efi_err_from_status(st);
	buf = plat_alloc(CONF_MAX);
	st = buf ? f->Read(f, &size, buf) : EFI_OUT_OF_RESOURCES;
	f->Close(f);
	if (st != EFI_SUCCESS || size >= CONF_MAX) {
		plat_free(buf);
		return st != EFI_SUCCESS ? efi_err_from_status(st) :
		       -ERR_TOOBIG;
	}
	*text = buf;
	*len = size;
	return 0;
}

static void efi_booting(void *pctx, const char *id, const char *title)
{
	(void)pctx;
	(void)title;
	efi_bli_exec(id);
}

static int efi_boot_linux(void *pctx, const struct boot_image *img)
{
	(void)pctx;
	return linux_boot(img->kernel, img->kernel_size, img->initrd,
			  img->initrd_size, img->cmdline);
}

static void efi_origin(void *pctx, struct boot_origin *origin)
{
	struct efi_boot *b = pctx;

	origin->root_path = b->pxe.root_path[0] ? b->pxe.root_path : NULL;
	origin->have_boot_mac = b->pxe.have_mac;
	memcpy(origin->boot_mac, b->pxe.mac, sizeof(origin->boot_mac));
}

/* Any key stops the wait for late targets. */
static bool efi_key_pressed(void *pctx)
{
	uint16_t scan, ch;

	(void)pctx;
	return efi_read_key(&scan, &ch) == 0;
}

static const struct boot_platform efi_platform = {
	.name = "UEFI",
	.san_loader = SAN_LOADER_UEFI,
	.menu = menu_choose,
	.booting = efi_booting,
	.boot_linux = efi_boot_linux,
	.boot_san = san_boot,
	.abft_publish = abft_install,
	.abft_retract = abft_uninstall,
	.read_settings = efi_read_settings,
	.key_pressed = efi_key_pressed,
	.origin = efi_origin,
};

/* Settings: the board, the file, bootctl's defaults, LoadOptions, then
 * bootctl's one-shot wishes. */
static void load_settings(struct efi_boot *b, EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *li = NULL;
	char *text;

	bootmgr_settings(&efi_platform, b, &b->set, efi_board_config, NULL);
	efi_bli_defaults(&b->set);
	if (efi_bs->HandleProtocol(image, (EFI_GUID *)&loaded_image_guid,
				   (VOID **)&li) == EFI_SUCCESS && li) {
		text = settings_from_ucs2(li->LoadOptions,
					  li->LoadOptionsSize);
		if (text) {
			if (text[0])
				log_info("options: %s", text);
			settings_parse(&b->set, text, "options");
			plat_free(text);
		}
	}
	efi_bli_oneshot(&b->set);
}

/**
 * The firmware's entry point: the PE image's AddressOfEntryPoint
 * (src/tools/elf2efi.c), called by the firmware with the UEFI (MS) ABI.
 *
 * @ret status	an error when nothing could be booted, so the boot manager
 *		tries its next option
 */
EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct efi_boot *b;
	int rc;

	efi_plat_init(image, systab);
	efi_bli_start(AOEBOOT_VERSION);
	efi_printf("\naoeboot %s (UEFI, board %s)\n", AOEBOOT_VERSION,
		   efi_board_name);
	b = plat_alloc(sizeof(*b));
	if (!b)
		return EFI_OUT_OF_RESOURCES;
	memset(b, 0, sizeof(*b));
	load_settings(b, image);
	efi_set_debug(b->set.debug);
	b->nnetdevs = snp_open_all(efi_image, b->netdevs, AOE_MAX_NETDEVS,
				   b->set.have_iface ? b->set.iface : NULL,
				   &b->pxe);
	rc = -ERR_NODEV;
	if (b->nnetdevs == 0)
		log_error("no usable network interface (Simple Network "
			  "Protocol)%s", b->set.have_iface ?
			  " matching iface=" : "");
	else
		rc = bootmgr_run(&efi_platform, b, &b->set, b->netdevs,
				 b->nnetdevs);
	snp_close_all(b->netdevs, b->nnetdevs);
	plat_free(b);
	log_error("aoeboot: nothing booted (%s); returning to the firmware",
		  err_str(rc));
	return efi_status_from_err(rc < 0 ? rc : -ERR_IO);
}
