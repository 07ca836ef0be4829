/*
 * plat.c - platform.h for the legacy BIOS: memory from E820, the clock
 * (TSC calibrated against PIT channel 2), and the console on both the BIOS
 * screen (INT 10h) and COM1 (programmed directly, so a headless machine
 * with a serial console sees everything), keys from INT 16h and COM1.
 *
 * Protected mode runs with interrupts off: nothing here depends on the
 * timer interrupt being delivered.
 */
#include <stdarg.h>
#include "bios.h"
#include "console.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

#define COM1		0x3F8
#define UART_DATA	0
#define UART_IER	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_LSR_DR	0x01
#define UART_LSR_THRE	0x20
#define UART_LCR_DLAB	0x80
#define UART_LCR_8N1	0x03

#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_CTRL_B	0x61	/* bit 0 gate 2, bit 1 speaker, bit 5 OUT2 */
#define PIT_HZ		1193182u
#define PIT_CAL_TICKS	11932u	/* 10 ms */

#define BDA_BASE_KIB	0x413	/* 40:13 free base memory in KiB */
#define BDA_TICKS	0x46C	/* 40:6C timer ticks since midnight */
#define TICK_US		54925u	/* 65536 / PIT_HZ seconds */

#define HEAP_MAGIC_USED	0xA0EB007Du
#define HEAP_MIN_SPLIT	64
#define ONE_MIB		0x100000u


/* --- platform state -------------------------------------------------------- */
static struct bios_memmap memmap;
static bool com1_present;
static bool screen_present;
static bool use_tsc;
static uint64_t tsc_start;
static uint32_t tsc_per_us = 1;
static uint32_t tick_start;
static struct console con = { .puts = bios_puts };
static int serial_esc;		/* state of an ESC [ x sequence from COM1 */

/** A heap block: header in front of every allocation and free run. */
struct heap_block {
	uint32_t size;		/* including this header */
	uint32_t magic;		/* HEAP_MAGIC_USED while allocated */
	struct heap_block *next;	/* free list, by address */
	uint32_t pad;
};
_Static_assert(sizeof(struct heap_block) == 16, "heap header is 16 bytes");

static struct heap_block *heap_free;

/* --- libc (libc.h) --------------------------------------------------------- */
void *memcpy(void *dest, const void *src, size_t len)
{
	void *d = dest;

	__asm__ volatile("rep movsb"
			 : "+D"(d), "+S"(src), "+c"(len) : : "memory");
	return dest;
}

void *memmove(void *dest, const void *src, size_t len)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	if (d <= s || d >= s + len)
		return memcpy(dest, src, len);
	/* Overlapping with dest above src: copy backwards. */
	d += len - 1;
	s += len - 1;
	__asm__ volatile("std; rep movsb; cld"
			 : "+D"(d), "+S"(s), "+c"(len) : : "memory");
	return dest;
}

void *memset(void *dest, int byte, size_t len)
{
	void *d = dest;

	__asm__ volatile("rep stosb"
			 : "+D"(d), "+c"(len) : "a"(byte) : "memory");
	return dest;
}

/* --- console --------------------------------------------------------------- */
static void com1_putc(char c)
{
	unsigned int spin;

	if (!com1_present)
		return;
	for (spin = 0; spin < 100000; spin++)
		if (inb(COM1 + UART_LSR) & UART_LSR_THRE)
			break;
	outb(COM1 + UART_DATA, (uint8_t)c);
}

static void screen_putc(char c)
{
	struct rm_regs r = { .kind = RM_INT, .intno = 0x10 };

	if (!screen_present)
		return;
	r.eax = 0x0E00 | (uint8_t)c;
	r.ebx = 0x0007;
	rm_call(&r);
}

static void console_putc(char c)
{
	if (c == '\n') {
		screen_putc('\r');
		com1_putc('\r');
	}
	screen_putc(c);
	com1_putc(c);
}

void bios_puts(const char *str)
{
	for (; *str; str++)
		console_putc(*str);
}

void bios_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	bios_puts(line);
}

void bios_set_debug(bool on)
{
	con.debug = on;
}

void bios_console_init(void)
{
	uint16_t int10_seg = ((volatile uint16_t *)phys_ptr(0))[0x10 * 2 + 1];

	/*
	 * The screen only when INT 10h is a video ROM's (C000h-EFFFh).  A
	 * vector into the BIOS itself is either a stub (no display) or a
	 * serial redirection such as SeaBIOS's sercon, which would print
	 * every line a second time next to ours on COM1.
	 */
	screen_present = int10_seg >= 0xC000 && int10_seg < 0xF000;
	/* No UART answers 0xFF on its line status register. */
	if (inb(COM1 + UART_LSR) == 0xFF)
		return;
	com1_present = true;
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, UART_LCR_DLAB);
	outb(COM1 + UART_DATA, 1);	/* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, UART_LCR_8N1);
	outb(COM1 + UART_FCR, 0xC7);	/* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x03);	/* DTR, RTS */
}

void plat_log(enum log_level level, const char *line)
{
	console_log(&con, level, line);
}

void plat_progress(const char *what, uint64_t done, uint64_t total,
		   uint64_t elapsed_us)
{
	console_progress(&con, what, done, total, elapsed_us, plat_now_us());
}

/* A COM1 byte, arrow keys decoded from ESC [ A..D / H / F / 3 ~. */
static int com1_getkey(void)
{
	uint8_t c;

	if (!com1_present || !(inb(COM1 + UART_LSR) & UART_LSR_DR))
		return KEY_NONE;
	c = inb(COM1 + UART_DATA);
	if (serial_esc == 1) {
		serial_esc = c == '[' ? 2 : 0;
		return c == '[' ? KEY_NONE : c;
	}
	if (serial_esc == 2) {
		serial_esc = 0;
		switch (c) {
		case 'A': return KEY_UP;
		case 'B': return KEY_DOWN;
		case 'C': return KEY_RIGHT;
		case 'D': return KEY_LEFT;
		case 'H': return KEY_HOME;
		case 'F': return KEY_END;
		case '3': serial_esc = 3; return KEY_NONE;
		default: return KEY_NONE;
		}
	}
	if (serial_esc == 3) {
		serial_esc = 0;
		return c == '~' ? KEY_DELETE : KEY_NONE;
	}
	if (c == 0x1B) {
		serial_esc = 1;
		return KEY_NONE;
	}
	if (c == 0x7F)
		return '\b';
	return c;
}

/* INT 16h: AH=01h peeks (ZF set when empty), AH=00h takes the key. */
static int bios_kbd_getkey(void)
{
	struct rm_regs r = { .kind = RM_INT, .intno = 0x16, .eax = 0x0100 };
	uint8_t ascii, scan;

	rm_call(&r);
	if (r.flags & RM_FLAG_ZF)
		return KEY_NONE;
	r = (struct rm_regs){ .kind = RM_INT, .intno = 0x16, .eax = 0 };
	rm_call(&r);
	ascii = (uint8_t)r.eax;
	scan = (uint8_t)(r.eax >> 8);
	if (ascii && ascii != 0xE0)
		return ascii;
	switch (scan) {
	case 0x48: return KEY_UP;
	case 0x50: return KEY_DOWN;
	case 0x4B: return KEY_LEFT;
	case 0x4D: return KEY_RIGHT;
	case 0x47: return KEY_HOME;
	case 0x4F: return KEY_END;
	case 0x53: return KEY_DELETE;
	default: return KEY_NONE;
	}
}

int bios_getkey(uint64_t timeout_us)
{
	uint64_t end = plat_now_us() + timeout_us;
	int key;

	do {
		key = com1_getkey();
		if (key == KEY_NONE)
			key = bios_kbd_getkey();
		if (key != KEY_NONE)
			return key;
	} while (plat_now_us() < end);
	/* A lone ESC from the serial line is the Escape key. */
	if (serial_esc == 1) {
		serial_esc = 0;
		return 0x1B;
	}
	return KEY_NONE;
}

/* --- clock ----------------------------------------------------------------- */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static bool cpu_has_tsc(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(1));
	return d & (1u << 4);
}

static uint32_t bios_ticks(void)
{
	return *(volatile uint32_t *)phys_ptr(BDA_TICKS);
}

void bios_clock_init(void)
{
	uint64_t t0, t1;
	uint32_t spin;
	uint8_t ctrl;

	tick_start = bios_ticks();
	if (!cpu_has_tsc())
		return;
	/* PIT channel 2, mode 0, gated by port 61h bit 0, speaker off. */
	ctrl = inb(PIT_CTRL_B);
	outb(PIT_CTRL_B, (uint8_t)((ctrl & ~0x02) | 0x01));
	outb(PIT_CMD, 0xB0);
	outb(PIT_CH2, PIT_CAL_TICKS & 0xFF);
	outb(PIT_CH2, PIT_CAL_TICKS >> 8);
	t0 = rdtsc();
	for (spin = 0; spin < 50000000; spin++)
		if (inb(PIT_CTRL_B) & 0x20)
			break;
	t1 = rdtsc();
	outb(PIT_CTRL_B, ctrl);
	if (spin == 50000000 || t1 <= t0)
		return;
	tsc_per_us = (uint32_t)((t1 - t0) * PIT_HZ / PIT_CAL_TICKS / 1000000);
	if (tsc_per_us == 0)
		return;
	tsc_start = t0;
	use_tsc = true;
}

uint64_t plat_now_us(void)
{
	if (use_tsc)
		return (rdtsc() - tsc_start) / tsc_per_us;
	/* Advances only while we are in real mode with interrupts on. */
	return (uint64_t)(uint32_t)(bios_ticks() - tick_start) * TICK_US;
}

/* --- memory ------------------------------------------------------------------ */
const struct bios_memmap *bios_memmap(void)
{
	return &memmap;
}

static void e820_read(void)
{
	static struct {
		uint64_t base, len;
		uint32_t type, ext;
	} __attribute__((packed)) buf;	/* base memory: the BIOS writes it */
	struct rm_regs r;
	uint32_t cont = 0;

	memmap.count = 0;
	do {
		r = (struct rm_regs){ .kind = RM_INT, .intno = 0x15 };
		r.eax = 0xE820;
		r.edx = 0x534D4150;	/* 'SMAP' */
		r.ebx = cont;
		r.ecx = sizeof(buf);
		r.es = rm_seg(&buf);
		r.edi = rm_off(&buf);
		buf.ext = 1;	/* ACPI 3 "enabled" bit, if the BIOS ignores it */
		rm_call(&r);
		if ((r.flags & RM_FLAG_CF) || r.eax != 0x534D4150)
			break;
		if (r.ecx >= 24 && !(buf.ext & 1))
			continue;	/* an entry the BIOS says to ignore */
		if (buf.len && memmap.count < E820_MAX) {
			memmap.e[memmap.count].base = buf.base;
			memmap.e[memmap.count].len = buf.len;
			memmap.e[memmap.count].type = buf.type;
			memmap.count++;
		}
		cont = r.ebx;
	} while (cont);
}

/* INT 15h E801h: KiB 1-16 MiB and 64 KiB blocks above 16 MiB. */
static void e801_read(void)
{
	struct rm_regs r = { .kind = RM_INT, .intno = 0x15, .eax = 0xE801 };
	uint32_t low_kib, high_blocks;

	rm_call(&r);
	if (r.flags & RM_FLAG_CF)
		return;
	low_kib = (r.eax & 0xFFFF) ? (r.eax & 0xFFFF) : (r.ecx & 0xFFFF);
	high_blocks = (r.ebx & 0xFFFF) ? (r.ebx & 0xFFFF) : (r.edx & 0xFFFF);
	memmap.e[0] = (struct e820_entry){ 0, memmap.base_top, E820_RAM };
	memmap.e[1] = (struct e820_entry){ ONE_MIB, (uint64_t)low_kib << 10,
					   E820_RAM };
	memmap.count = 2;
	if (high_blocks) {
		memmap.e[2] = (struct e820_entry){ 16 * (uint64_t)ONE_MIB,
			(uint64_t)high_blocks << 16, E820_RAM };
		memmap.count = 3;
	}
}

bool bios_mem_is_ram(uint64_t base, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < memmap.count; i++) {
		const struct e820_entry *e = &memmap.e[i];

		if (e->type == E820_RAM && base >= e->base &&
		    base + len <= e->base + e->len)
			return true;
	}
	return false;
}

int bios_mem_init(void)
{
	uint64_t best_lo = 0, best_hi = 0;
	unsigned int i;

	memmap.base_top = (uint32_t)*(volatile uint16_t *)
			  phys_ptr(BDA_BASE_KIB) << 10;
	e820_read();
	if (memmap.count == 0)
		e801_read();
	/* The heap: the largest RAM region above 1 MiB, below 4 GiB. */
	for (i = 0; i < memmap.count; i++) {
		const struct e820_entry *e = &memmap.e[i];
		uint64_t lo = e->base, hi = e->base + e->len;

		if (e->type != E820_RAM)
			continue;
		if (lo < ONE_MIB)
			lo = ONE_MIB;
		if (hi > 0xFFFFF000ull)
			hi = 0xFFFFF000ull;
		if (hi > lo && hi - lo > best_hi - best_lo) {
			best_lo = lo;
			best_hi = hi;
		}
	}
	if (best_hi - best_lo < 4 * ONE_MIB)
		return -ERR_NOMEM;
	memmap.heap_lo = (uint32_t)((best_lo + 15) & ~15ull);
	memmap.heap_hi = (uint32_t)(best_hi & ~15ull);
	heap_free = (struct heap_block *)(uintptr_t)memmap.heap_lo;
	heap_free->size = memmap.heap_hi - memmap.heap_lo;
	heap_free->magic = 0;
	heap_free->next = NULL;
	return 0;
}

/*
 * Allocation is from the top of the highest free run that fits: the
 * low megabytes above 1 MiB stay free longest, which is where the Linux
 * hand-off wants to put the kernel.
 */
void *plat_alloc(size_t size)
{
	struct heap_block *b, *prev = NULL, *best = NULL, *best_prev = NULL;
	uint32_t need;

	if (size > 0xF0000000u)
		return NULL;
	need = (uint32_t)((size + 15) & ~(size_t)15) + sizeof(*b);
	for (b = heap_free; b; prev = b, b = b->next)
		if (b->size >= need) {
			best = b;
			best_prev = prev;
		}
	if (!best)
		return NULL;
	if (best->size - need >= HEAP_MIN_SPLIT) {
		best->size -= need;
		b = (struct heap_block *)((char *)best + best->size);
		b->size = need;
	} else {
		if (best_prev)
			best_prev->next = best->next;
		else
			heap_free = best->next;
		b = best;
	}
	b->magic = HEAP_MAGIC_USED;
	b->next = NULL;
	return b + 1;
}

void plat_free(void *ptr)
{
	struct heap_block *b, *prev = NULL, *next;

	if (!ptr)
		return;
	b = (struct heap_block *)ptr - 1;
	if (b->magic != HEAP_MAGIC_USED) {
		log_error("heap: bad free of %p", ptr);
		return;
	}
	b->magic = 0;
	for (next = heap_free; next && next < b; prev = next, next = next->next)
		;
	b->next = next;
	if (prev)
		prev->next = b;
	else
		heap_free = b;
	/* Merge with the neighbours it touches. */
	if (next && (char *)b + b->size == (char *)next) {
		b->size += next->size;
		b->next = next->next;
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

uint32_t bios_heap_reserve(uint32_t margin)
{
	struct heap_block *low = heap_free, *b;
	uint32_t start, end, lo;

	if (!low || (uint32_t)(uintptr_t)low != memmap.heap_lo)
		return memmap.heap_lo;	/* the bottom is in use: keep it all */
	start = (uint32_t)(uintptr_t)low;
	end = start + low->size;
	if (end - start <= margin + sizeof(*b))
		return memmap.heap_lo;
	lo = (end - margin) & ~0xFFFu;
	if (lo <= start)
		return memmap.heap_lo;
	b = (struct heap_block *)(uintptr_t)lo;
	b->size = end - lo;
	b->magic = 0;
	b->next = low->next;
	heap_free = b;
	memmap.heap_lo = lo;
	return lo;
}
