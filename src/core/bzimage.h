/*
 * bzimage.h - the x86 Linux boot protocol header of a bzImage
 * (Documentation/arch/x86/boot.rst), read from untrusted kernel bytes.
 */
#ifndef AOEBOOT_BZIMAGE_H
#define AOEBOOT_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

#define BZI_SETUP_SECTS		0x1F1
#define BZI_VID_MODE		0x1FA
#define BZI_BOOT_FLAG		0x1FE
#define BZI_HEADER		0x202
#define BZI_VERSION		0x206
#define BZI_TYPE_OF_LOADER	0x210
#define BZI_LOADFLAGS		0x211
#define BZI_CODE32_START	0x214
#define BZI_RAMDISK_IMAGE	0x218
#define BZI_RAMDISK_SIZE	0x21C
#define BZI_HEAP_END_PTR	0x224
#define BZI_CMD_LINE_PTR	0x228
#define BZI_INITRD_ADDR_MAX	0x22C
#define BZI_CMDLINE_SIZE	0x238
#define BZI_INIT_SIZE		0x260
#define BZI_HEADER_END		0x264	/* what we read at most */

#define BZI_LOADED_HIGH		0x01
#define BZI_CAN_USE_HEAP	0x80
#define BZI_MAGIC		0x53726448	/* "HdrS" */
#define BZI_MIN_VERSION		0x0202

/** What a loader needs to know about a bzImage. */
struct bzimage_info {
	uint16_t version;
	uint8_t loadflags;
	uint32_t setup_size;	/**< real-mode part incl. the boot sector */
	uint32_t pm_size;	/**< the protected-mode part that follows */
	uint32_t initrd_addr_max;	/**< highest byte an initrd may use */
	uint32_t cmdline_max;	/**< longest command line, without NUL */
	uint32_t init_size;	/**< memory from 1 MiB the kernel needs */
};

/**
 * Check and read the header.
 *
 * @v img	the kernel file
 * @v len	its length
 * @v info	filled in on success
 * @ret rc	0; -ERR_NOTSUP (not a bzImage: no boot flag / HdrS, not
 *		loaded high, protocol older than 2.02), -ERR_CORRUPT
 *		(sizes that do not fit the file)
 */
int bzimage_parse(const uint8_t *img, size_t len, struct bzimage_info *info);

#endif
