/*
 * nictest.h - what the NIC test program's platform offers its main.
 */
#ifndef AOEBOOT_NICTEST_H
#define AOEBOOT_NICTEST_H

#include <stdint.h>

/** Serial console, clock and heap; @mem_upper_kib from multiboot. */
void nictest_plat_init(uint32_t mem_upper_kib);
/** Write a string to COM1 ('\n' becomes CR LF). */
void nictest_puts(const char *str);
/** The calibrated TSC rate. */
uint32_t nictest_tsc_khz(void);
/** End the VM through isa-debug-exit (QEMU exits with 2 * @code + 1). */
void nictest_exit(unsigned int code) __attribute__((noreturn));

#endif
