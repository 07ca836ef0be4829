/*
 * plat.c - the smallest platform.h for the NIC test program: COM1 output,
 * the TSC calibrated against PIT channel 2, a bump allocator over the
 * memory above the image, and QEMU's isa-debug-exit to end the run.
 *
 * A stand-in until src/bios offers the same pieces; nothing here is meant
 * for a real boot (memory is never given back).
 */
#include <stdbool.h>
#include <stdint.h>
#include "../../src/drivers/pci.h"
#include "nictest.h"
#include "platform.h"

#define COM1			0x3F8
#define UART_THR		0
#define UART_IER		1
#define UART_DLL		0
#define UART_DLM		1
#define UART_FCR		2
#define UART_LCR		3
#define UART_MCR		4
#define UART_LSR		5
#define UART_LSR_THRE		0x20
#define UART_LCR_DLAB		0x80
#define UART_LCR_8N1		0x03
#define UART_DIVISOR_115200	1

#define PIT_CH2			0x42
#define PIT_MODE		0x43
#define PIT_MODE_CH2_ONESHOT	0xB0	/* channel 2, lo/hi byte, mode 0 */
#define PIT_HZ			1193182u
#define PORT_B			0x61
#define PORT_B_GATE2		0x01
#define PORT_B_SPEAKER		0x02
#define PORT_B_OUT2		0x20
#define CALIBRATE_MS		50

#define DEBUG_EXIT_PORT		0xF4

/* Platform-layer state. */
static uint64_t tsc_start;
static uint32_t tsc_khz = 1000000;
static uintptr_t heap_next, heap_end;

extern char _end[];

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void serial_init(void)
{
	io_write8(COM1 + UART_IER, 0);
	io_write8(COM1 + UART_LCR, UART_LCR_DLAB);
	io_write8(COM1 + UART_DLL, UART_DIVISOR_115200);
	io_write8(COM1 + UART_DLM, 0);
	io_write8(COM1 + UART_LCR, UART_LCR_8N1);
	io_write8(COM1 + UART_FCR, 0xC7);	/* FIFOs on and cleared */
	io_write8(COM1 + UART_MCR, 0x03);	/* DTR, RTS */
}

static void serial_putc(char c)
{
	while (!(io_read8(COM1 + UART_LSR) & UART_LSR_THRE))
		;
	io_write8(COM1 + UART_THR, (uint8_t)c);
}

void nictest_puts(const char *str)
{
	for (; *str; str++) {
		if (*str == '\n')
			serial_putc('\r');
		serial_putc(*str);
	}
}

/* Count TSC ticks while PIT channel 2 counts CALIBRATE_MS down. */
static void clock_init(void)
{
	uint32_t count = PIT_HZ / 1000 * CALIBRATE_MS;
	uint64_t t0, t1;
	uint8_t b;

	b = io_read8(PORT_B);
	io_write8(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) | PORT_B_GATE2));
	io_write8(PIT_MODE, PIT_MODE_CH2_ONESHOT);
	io_write8(PIT_CH2, (uint8_t)count);
	io_write8(PIT_CH2, (uint8_t)(count >> 8));
	t0 = rdtsc();
	while (!(io_read8(PORT_B) & PORT_B_OUT2))
		;
	t1 = rdtsc();
	io_write8(PORT_B, b);
	if (t1 > t0 && (t1 - t0) / CALIBRATE_MS > 0)
		tsc_khz = (uint32_t)((t1 - t0) / CALIBRATE_MS);
	tsc_start = rdtsc();
}

void nictest_plat_init(uint32_t mem_upper_kib)
{
	serial_init();
	clock_init();
	heap_next = ((uintptr_t)_end + 4095) & ~(uintptr_t)4095;
	/* mem_upper counts from 1 MiB: stop a megabyte short of the top. */
	heap_end = (uintptr_t)mem_upper_kib * 1024;
}

uint32_t nictest_tsc_khz(void)
{
	return tsc_khz;
}

void nictest_exit(unsigned int code)
{
	/* isa-debug-exit: QEMU exits with status code * 2 + 1. */
	io_write32(DEBUG_EXIT_PORT, code);
	for (;;)
		__asm__ volatile("cli; hlt");
}

uint64_t plat_now_us(void)
{
	return (rdtsc() - tsc_start) * 1000 / tsc_khz;
}

void *plat_alloc(size_t size)
{
	uintptr_t p = heap_next;

	if (size > heap_end - p)
		return NULL;
	heap_next = (p + size + 15) & ~(uintptr_t)15;
	return (void *)p;
}

void plat_free(void *ptr)
{
	(void)ptr;
}

void plat_log(enum log_level level, const char *line)
{
	if (level == LOG_DEBUG)
		return;
	nictest_puts(level == LOG_ERROR ? "error: " :
		     level == LOG_WARN ? "warning: " : "");
	nictest_puts(line);
	nictest_puts("\n");
}

void plat_progress(const char *what, uint64_t done, uint64_t total,
		   uint64_t elapsed_us)
{
	(void)what; (void)done; (void)total; (void)elapsed_us;
}
