/*
 * bzimage.c - checking a bzImage's boot protocol header.
 */
#include "bzimage.h"
#include "byteorder.h"
#include "errors.h"

int bzimage_parse(const uint8_t *img, size_t len, struct bzimage_info *info)
{
	uint32_t sects;

	if (len < BZI_HEADER_END || get_le16(img + BZI_BOOT_FLAG) != 0xAA55 ||
	    get_le32(img + BZI_HEADER) != BZI_MAGIC)
		return -ERR_NOTSUP;
	info->version = get_le16(img + BZI_VERSION);
	info->loadflags = img[BZI_LOADFLAGS];
	if (info->version < BZI_MIN_VERSION ||
	    !(info->loadflags & BZI_LOADED_HIGH))
		return -ERR_NOTSUP;
	sects = img[BZI_SETUP_SECTS] ? img[BZI_SETUP_SECTS] : 4;
	info->setup_size = (sects + 1) * 512;
	if (info->setup_size >= len)
		return -ERR_CORRUPT;
	info->pm_size = (uint32_t)(len - info->setup_size);
	info->initrd_addr_max = info->version >= 0x0203 ?
				get_le32(img + BZI_INITRD_ADDR_MAX) :
				0x37FFFFFF;
	info->cmdline_max = info->version >= 0x0206 ?
			    get_le32(img + BZI_CMDLINE_SIZE) : 255;
	/* Before 2.10 the kernel does not say; decompression needs room. */
	info->init_size = info->version >= 0x020A ?
			  get_le32(img + BZI_INIT_SIZE) : 0;
	if (info->init_size < info->pm_size)
		info->init_size = info->pm_size > 0x40000000u / 4 ?
				  info->pm_size : info->pm_size * 4;
	return 0;
}
