/*
 * main.c - efi_main: settings, NICs, AoE discovery, choose, load, hand off.
 *
 * Every failure is one clear line and the next candidate is tried; when
 * nothing can boot, efi_main returns an error status so the firmware's boot
 * manager moves on to its next boot option (no hang, no reset).  The NICs
 * are given back to the firmware's network stack before returning.
 */
#include <efi.h>
#include "aoedev.h"
#include "efiboot.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "san.h"

#define READ_CHUNK_SECTORS	2048	/* 1 MiB per request: progress steps */
#define CMDLINE_MAX		(SET_APPEND_MAX + 512)

static const EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;

/** What one boot attempt needs; lives on efi_main's stack. */
struct efi_boot {
	struct settings set;
	struct netdev *netdevs[AOE_MAX_NETDEVS];
	unsigned int nnetdevs;
	struct efi_pxe_info pxe;
	struct aoe_ctx ctx;
	bool ctx_up;
};

/* Settings: the board first, then LoadOptions override. */
static void load_settings(struct efi_boot *b, EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *li = NULL;
	char *text;

	settings_init(&b->set);
	settings_parse(&b->set, efi_board_config, "board");
	efi_bli_defaults(&b->set);
	if (efi_bs->HandleProtocol(image, (EFI_GUID *)&loaded_image_guid,
				   (VOID **)&li) != EFI_SUCCESS || !li) {
		efi_bli_oneshot(&b->set);
		return;
	}
	text = settings_from_ucs2(li->LoadOptions,
					  li->LoadOptionsSize);
	if (text) {
		if (text[0])
			log_info("options: %s", text);
		settings_parse(&b->set, text, "options");
		plat_free(text);
	}
	efi_bli_oneshot(&b->set);
}

static void mib(char *buf, size_t size, uint64_t bytes)
{
	uint64_t tenths = (bytes * 10 + (1 << 19)) >> 20;

	fmt_snprintf(buf, size, "%llu.%llu MiB",
		     (unsigned long long)(tenths / 10),
		     (unsigned long long)(tenths % 10));
}

/* Discover (or probe the configured targets), identify, list them. */
static int find_targets(struct efi_boot *b)
{
	struct settings *set = &b->set;
	struct set_target want[SET_MAX_TARGETS + 1 + SET_MAX_INITRDS];
	unsigned int nwant = 0, i, usable = 0;
	struct aoe_target *t;
	char name[16], size[24];
	int rc;

	for (i = 0; i < set->ntargets; i++)
		want[nwant++] = set->targets[i];
	if (set->have_kernel) {
		want[nwant++] = set->kernel;
		for (i = 0; i < set->ninitrds; i++)
			want[nwant++] = set->initrds[i];
	}
	if (nwant) {
		for (i = 0; i < nwant; i++)
			if (!aoe_probe(&b->ctx, want[i].shelf, want[i].slot,
				       set->discover_ms))
				log_error("target e%u.%u did not answer",
					  want[i].shelf, want[i].slot);
	} else {
		rc = aoe_discover(&b->ctx, set->discover_ms);
		if (rc < 0) {
			log_error("discovery failed: %s", err_str(rc));
			return rc;
		}
	}
	for (i = 0; i < b->ctx.ntargets; i++) {
		t = b->ctx.targets[i];
		aoe_target_name(t, name, sizeof(name));
		rc = aoe_identify(t);
		if (rc < 0) {
			log_error("target %s: IDENTIFY failed: %s", name,
				  err_str(rc));
			continue;
		}
		usable++;
		mib(size, sizeof(size), t->nsectors * AOE_SECTOR_SIZE);
		log_info("target %s: %s, %s, %u path%s via %s", name, size,
			 t->model, t->npaths, t->npaths == 1 ? "" : "s",
			 t->paths[0].nd->name);
	}
	if (!usable) {
		log_error("no AoE targets found on %u interface%s within %u ms",
			  b->nnetdevs, b->nnetdevs == 1 ? "" : "s",
			  set->discover_ms);
		return -ERR_NODEV;
	}
	return (int)usable;
}

/* Read a whole target into @buf (its size), showing progress. */
static int read_target(struct aoe_target *t, uint8_t *buf)
{
	uint64_t lba, n, start = plat_now_us(), total, us;
	char name[16], size[24];
	int rc;

	aoe_target_name(t, name, sizeof(name));
	total = t->nsectors * AOE_SECTOR_SIZE;
	for (lba = 0; lba < t->nsectors; lba += n) {
		n = MIN((uint64_t)READ_CHUNK_SECTORS, t->nsectors - lba);
		rc = aoe_read(t, lba, n, buf + lba * AOE_SECTOR_SIZE);
		if (rc < 0)
			return rc;
		plat_progress(name, (lba + n) * AOE_SECTOR_SIZE, total,
			      plat_now_us() - start);
	}
	us = plat_now_us() - start;
	mib(size, sizeof(size), total);
	log_info("loaded %s: %s in %llu ms, %llu KiB/s", name, size,
		 (unsigned long long)(us / 1000),
		 (unsigned long long)(us ? total * 1000000 / 1024 / us : 0));
	return 0;
}

/* Append " key=value"-style text to @cmd (capacity CMDLINE_MAX). */
static void cmd_add(char *cmd, const char *text)
{
	size_t len = strlen(cmd), add = strlen(text);

	if (len + add + 2 > CMDLINE_MAX)
		return;
	if (len)
		cmd[len++] = ' ';
	memcpy(cmd + len, text, add + 1);
}

/* BOOTIF= and aoeboot.targets= for the initrd (DESIGN §5). */
static void cmd_add_contract(char *cmd, struct aoe_target **used,
			     unsigned int nused)
{
	const uint8_t *mac = used[0]->paths[0].nd->mac;
	char word[160], name[16];
	size_t len;
	unsigned int i;

	fmt_snprintf(word, sizeof(word),
		     "BOOTIF=01-%02x-%02x-%02x-%02x-%02x-%02x", mac[0], mac[1],
		     mac[2], mac[3], mac[4], mac[5]);
	cmd_add(cmd, word);
	len = (size_t)fmt_snprintf(word, sizeof(word), "aoeboot.targets=");
	for (i = 0; i < nused && len + 16 < sizeof(word); i++) {
		aoe_target_name(used[i], name, sizeof(name));
		len += (size_t)fmt_snprintf(word + len, sizeof(word) - len,
					    "%s%s", i ? "," : "", name);
	}
	cmd_add(cmd, word);
}

/* kernel=eX.Y initrd=...: the targets are the images themselves. */
static int boot_raw(struct efi_boot *b)
{
	struct settings *set = &b->set;
	struct aoe_target *used[1 + SET_MAX_INITRDS], *t;
	uint8_t *kernel = NULL, *initrd = NULL;
	uint64_t ksize, isize = 0, off = 0;
	unsigned int i, nused = 0;
	char *cmdline = NULL, title[64], name[16];
	struct menu_entry entry;
	struct abft abft = { 0 };
	int rc;

	t = aoe_find(&b->ctx, set->kernel.shelf, set->kernel.slot);
	if (!t || !t->identified) {
		log_error("kernel target e%u.%u is not available",
			  set->kernel.shelf, set->kernel.slot);
		return -ERR_NODEV;
	}
	used[nused++] = t;
	for (i = 0; i < set->ninitrds; i++) {
		t = aoe_find(&b->ctx, set->initrds[i].shelf,
			     set->initrds[i].slot);
		if (!t || !t->identified) {
			log_error("initrd target e%u.%u is not available",
				  set->initrds[i].shelf, set->initrds[i].slot);
			return -ERR_NODEV;
		}
		used[nused++] = t;
		isize += t->nsectors * AOE_SECTOR_SIZE;
	}
	cmdline = plat_alloc(CMDLINE_MAX);
	if (!cmdline)
		return -ERR_NOMEM;
	memcpy(cmdline, set->append, strlen(set->append) + 1);
	cmd_add_contract(cmdline, used, nused);
	aoe_target_name(used[0], name, sizeof(name));
	fmt_snprintf(title, sizeof(title), "Linux from %s (whole target)",
		     name);
	entry = (struct menu_entry){ .id = name, .title = title,
				     .cmdline = cmdline,
				     .cmdline_size = CMDLINE_MAX };
	rc = menu_choose(&entry, 1, 0, set->timeout);
	if (rc < 0)
		goto out;

	ksize = used[0]->nsectors * AOE_SECTOR_SIZE;
	kernel = plat_alloc(ksize);
	initrd = isize ? plat_alloc(isize) : NULL;
	if (!kernel || (isize && !initrd)) {
		log_error("not enough memory for the kernel and initrd");
		rc = -ERR_NOMEM;
		goto out;
	}
	rc = read_target(used[0], kernel);
	for (i = 1; rc == 0 && i < nused; i++) {
		rc = read_target(used[i], initrd + off);
		off += used[i]->nsectors * AOE_SECTOR_SIZE;
	}
	if (rc < 0) {
		log_error("loading failed: %s", err_str(rc));
		goto out;
	}
	log_info("command line: %s", cmdline);
	efi_bli_exec(NULL);
	abft_install(&abft, used[0]);	/* san.h: the OS finds its target */
	rc = linux_boot(kernel, ksize, initrd, isize, cmdline);
	abft_uninstall(&abft);
out:
	plat_free(kernel);
	plat_free(initrd);
	plat_free(cmdline);
	return rc;
}

static int boot(struct efi_boot *b)
{
	struct settings *set = &b->set;
	int rc;

	b->nnetdevs = snp_open_all(efi_image, b->netdevs, AOE_MAX_NETDEVS,
				   set->have_iface ? set->iface : NULL,
				   &b->pxe);
	if (b->pxe.root_path[0]) {
		log_info("DHCP root path: %s", b->pxe.root_path);
		if (set->ntargets == 0 &&
		    aoe_parse_name(b->pxe.root_path, &set->targets[0].shelf,
				   &set->targets[0].slot) == 0)
			set->ntargets = 1;
	}
	if (b->nnetdevs == 0) {
		log_error("no usable network interface (Simple Network "
			  "Protocol)%s", set->have_iface ?
			  " matching iface=" : "");
		return -ERR_NODEV;
	}
	rc = aoe_init(&b->ctx, b->netdevs, b->nnetdevs, NULL);
	if (rc < 0) {
		log_error("AoE initiator: %s", err_str(rc));
		return rc;
	}
	b->ctx_up = true;
	rc = find_targets(b);
	if (rc < 0)
		return rc;
	if (set->mode_san)
		return san_boot_any(&b->ctx, set->filename);	/* san.h */
	if (set->have_kernel)
		return boot_raw(b);
	rc = flow_boot(&b->ctx, set);
	if (rc != -ERR_NOENT)
		return rc;
	/* No boot entries: a disk whose ESP has a loader is SAN-booted. */
	rc = san_boot_any(&b->ctx, set->filename);
	if (rc != -ERR_NOENT)
		return rc;
	log_error("nothing to boot: no boot entries and no EFI loader on the "
		  "targets");
	return -ERR_NOENT;
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
	rc = boot(b);
	if (b->ctx_up)
		aoe_shutdown(&b->ctx);
	snp_close_all(b->netdevs, b->nnetdevs);
	plat_free(b);
	log_error("aoeboot: nothing booted (%s); returning to the firmware",
		  err_str(rc));
	return efi_status_from_err(rc < 0 ? rc : -ERR_IO);
}
