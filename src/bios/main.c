/*
 * main.c - bios_main: console, memory, the PXE stack, AoE, boot.
 */
#include "bios.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

int bios_main(void);

/**
 * The C entry (entry.asm calls it in flat protected mode).
 *
 * @ret status	returned to the PXE ROM in AX when nothing booted
 */
int bios_main(void)
{
	int rc;

	bios_console_init();
	bios_clock_init();
	bios_printf("\naoeboot %s (BIOS, %s)\n", AOEBOOT_VERSION,
		    entry_eax == LKRN_MAGIC ? "lkrn" : "pxe");
	rc = bios_mem_init();
	if (rc < 0) {
		log_error("memory: no usable RAM above 1 MiB");
		return 1;
	}
	log_info("aoeboot: nothing booted; returning to the BIOS");
	return 1;
}
