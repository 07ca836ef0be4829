/*
 * main.c - bios_main: console, memory, settings, the PXE stack, then the
 * core's boot flow; "nothing booted" returns to the BIOS (entry.asm: far
 * return to the PXE ROM, or INT 18h under .lkrn) so it tries its next
 * boot device.
 *
 * The policy (targets and the wait for late ones, candidates of every boot
 * method, the menu, one line per failure then the next) is the core's
 * bootmgr_run(); this file only offers the BIOS operations of struct
 * boot_platform.
 */
#include "abft.h"
#include "aoedev.h"
#include "bios.h"
#include "bootflow.h"
#include "bootmgr.h"
#include "errors.h"
#include "int13.h"
#include "libc.h"
#include "log.h"
#include "nic.h"

int bios_main(void);

#define CMDLINE_ADDR_MAX	0x100000u	/* base memory or an option ROM */
#define LKRN_CMDLINE_MAX	4096
#define SETTINGS_FILE_NAME	"aoeboot.conf"
#define SETTINGS_FILE_MAX	16384

/** One boot attempt's state, on the heap. */
struct bios_boot {
	struct settings set;
	struct pxe_info pxe;
	struct netdev *nd;		/* the PXE stack's UNDI, or NULL */
	struct netdev *nics[AOE_MAX_NETDEVS];	/* native drivers otherwise */
	unsigned int nnics;
	char cmdline[LKRN_CMDLINE_MAX];	/* .lkrn: our part of it */
	char settings_path[DHCP_FILE_LEN];	/* aoeboot.conf on the server */
};

/* Words bzImage loaders add for a kernel, not settings of ours. */
static bool loader_word(const char *w, size_t len)
{
	static const char *const prefixes[] = { "BOOT_IMAGE=", "initrd=" };
	unsigned int i;

	if (len == 7 && !strncmp(w, "keeppxe", 7))	/* pxelinux */
		return true;
	for (i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (len >= strlen(prefixes[i]) &&
		    !strncmp(w, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/*
 * Under .lkrn the command line (copied to base memory by lkrn.asm; in
 * our option ROM, romprefix.asm's compiled-in board settings),
 * without the words the loader added (pxelinux and GRUB put BOOT_IMAGE=
 * first; keeppxe is pxelinux's own).
 *
 * @v out	buffer of @size bytes
 * @ret text	@out, or NULL when we were not started as .lkrn or ROM
 */
static const char *lkrn_cmdline(char *out, size_t size)
{
	const char *in, *w;
	size_t len, n = 0;

	if ((entry_eax != LKRN_MAGIC && entry_eax != ROM_MAGIC) ||
	    entry_esi == 0 ||
	    entry_esi >= CMDLINE_ADDR_MAX || size == 0)
		return NULL;
	in = phys_ptr(entry_esi);
	for (;;) {
		while (*in == ' ' || *in == '\t')
			in++;
		if (!*in)
			break;
		for (w = in; *in && *in != ' ' && *in != '\t'; in++)
			;
		len = (size_t)(in - w);
		if (loader_word(w, len) || n + len + 2 > size)
			continue;
		if (n)
			out[n++] = ' ';
		memcpy(out + n, w, len);
		n += len;
	}
	out[n] = 0;
	return out;
}

static void before_jump(void *ctx)
{
	struct bios_boot *b = ctx;

	if (b->nd)
		pxe_unload(b->nd);
	b->nd = NULL;
	nic_shutdown_all(b->nics, b->nnics);
	b->nnics = 0;
}

static int bios_boot_linux(void *pctx, const struct boot_image *img)
{
	struct bios_boot *b = pctx;

	return linux_boot(img->kernel, img->kernel_size, img->initrd,
			  img->initrd_size, img->cmdline, before_jump, b);
}

static void bios_origin(void *pctx, struct boot_origin *origin)
{
	struct bios_boot *b = pctx;

	origin->root_path = b->pxe.root_path[0] ? b->pxe.root_path : NULL;
	origin->have_boot_mac = b->pxe.have_bootif;
	memcpy(origin->boot_mac, b->pxe.bootif, 6);
}

/*
 * The settings file: aoeboot.conf beside our boot file on the TFTP server
 * we were loaded from (as UEFI reads it beside the program), through the
 * PXE stack's TFTP API before UNDI is opened.  Under .lkrn, or without a
 * boot server, there is none.
 */
static int bios_read_settings(void *pctx, char **text, size_t *len,
			      const char **name)
{
	struct bios_boot *b = pctx;
	int rc;

	if (!pxe_find(&b->pxe) || !b->pxe.boot_file[0])
		return -ERR_NOENT;
	rc = dhcp_file_beside(b->pxe.boot_file, SETTINGS_FILE_NAME,
			      b->settings_path, sizeof(b->settings_path));
	if (rc < 0)
		return rc;
	*name = b->settings_path;
	log_debug("settings: asking %u.%u.%u.%u for %s", b->pxe.tftp_server[0],
		  b->pxe.tftp_server[1], b->pxe.tftp_server[2],
		  b->pxe.tftp_server[3], b->settings_path);
	return pxe_tftp_read(&b->pxe, b->settings_path, SETTINGS_FILE_MAX,
			     text, len);
}

/*
 * SAN boot through INT 13h (int13.c), the aBFT in the hidden base memory;
 * the NIC stays open for it.
 */
static int bios_boot_san(void *pctx, struct aoe_target *target,
			 const char *filename)
{
	uint8_t abft[ABFT_LEN];
	size_t len;

	(void)pctx;
	(void)filename;		/* the MBR is the loader */
	len = abft_build(abft, sizeof(abft), target->shelf, target->slot,
			 target->paths[0].nd->mac);
	return int13_san_boot(target, len ? abft : NULL, len);
}

/* Any key (INT 16h or COM1) stops the wait for late targets. */
static bool bios_key_pressed(void *pctx)
{
	(void)pctx;
	return bios_getkey(0) != KEY_NONE;
}

static const struct boot_platform bios_platform = {
	.name = "BIOS",
	.menu = bios_menu,
	.boot_linux = bios_boot_linux,
	.boot_san = bios_boot_san,
	.read_settings = bios_read_settings,
	.key_pressed = bios_key_pressed,
	.origin = bios_origin,
};

/**
 * The C entry (entry.asm calls it in flat protected mode).
 *
 * @ret status	returned to the PXE ROM in AX when nothing booted
 */
int bios_main(void)
{
	struct bios_boot *b;
	unsigned int n;
	int rc;

	bios_console_init();
	bios_clock_init();
	bios_printf("\naoeboot %s (BIOS, %s)\n", AOEBOOT_VERSION,
		    entry_eax == LKRN_MAGIC ? "lkrn" :
		    entry_eax == ROM_MAGIC ? "option ROM" : "pxe");
	if (!a20_result)
		log_warn("A20 did not come on");
	rc = bios_mem_init();
	if (rc < 0) {
		log_error("memory: no usable RAM above 1 MiB");
		return 1;
	}
	b = plat_alloc(sizeof(*b));
	if (!b) {
		log_error("memory: out of memory");
		return 1;
	}
	memset(b, 0, sizeof(*b));
	bootmgr_settings(&bios_platform, b, &b->set, NULL,
			 lkrn_cmdline(b->cmdline, sizeof(b->cmdline)));
	bios_set_debug(b->set.debug);
	n = bios_net_open(&b->pxe, b->set.net_undi, &b->nd, b->nics,
			  AOE_MAX_NETDEVS, &b->nnics);
	rc = n ? bootmgr_run(&bios_platform, b, &b->set, b->nics, n) :
	     -ERR_NODEV;
	pxe_close(b->nd);
	nic_shutdown_all(b->nics, b->nnics);
	plat_free(b);
	log_error("aoeboot: nothing booted (%s); returning to the BIOS",
		  err_str(rc));
	return 1;
}
