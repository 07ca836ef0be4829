/*
 * main.c - efi_main: the UEFI boot platform under the core's boot manager
 * (src/core/bootmgr.h): settings, NICs, then bootmgr_run() with the
 * operations below (menu, Linux and SAN hand-off, aBFT, origin).
 *
 * When nothing can boot, efi_main returns an error status so the
 * firmware's boot manager moves on to its next boot option (no hang, no
 * reset).  The NICs are given back to the firmware's network stack before
 * returning.
 */
#include <efi.h>
#include "aoedev.h"
#include "bootmgr.h"
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
};

static int efi_menu(void *pctx, struct boot_menu_entry *entries,
		    unsigned int count, unsigned int def, int timeout)
{
	(void)pctx;
	return menu_choose(entries, count, def, timeout);
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

static int efi_boot_san(void *pctx, struct aoe_target *target,
			const char *filename)
{
	(void)pctx;
	return san_boot(target, filename);
}

static int efi_abft_publish(void *pctx, const void *table, size_t len)
{
	(void)pctx;
	return abft_install(table, len);
}

static void efi_abft_retract(void *pctx)
{
	(void)pctx;
	abft_uninstall();
}

static void efi_origin(void *pctx, struct boot_origin *origin)
{
	struct efi_boot *b = pctx;

	origin->root_path = b->pxe.root_path[0] ? b->pxe.root_path : NULL;
	origin->have_boot_mac = b->pxe.have_mac;
	memcpy(origin->boot_mac, b->pxe.mac, sizeof(origin->boot_mac));
}

static const struct boot_platform efi_platform = {
	.name = "UEFI",
	.san_loader = SAN_LOADER_UEFI,
	.menu = efi_menu,
	.booting = efi_booting,
	.boot_linux = efi_boot_linux,
	.boot_san = efi_boot_san,
	.abft_publish = efi_abft_publish,
	.abft_retract = efi_abft_retract,
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
 * The firmware's entry point (gnu-efi's crt0 calls it, not EFIAPI).
 *
 * @ret status	an error when nothing could be booted, so the boot manager
 *		tries its next option
 */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
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
