/*
 * linux.c - starting a bzImage by the x86 boot protocol, 16-bit entry.
 *
 * Placement (docs/bios.md):
 *   X .. X+8000h      the setup (real-mode) part, header patched
 *   X+8000h .. +10000h  its stack and heap (heap_end_ptr = FE00h)
 *   X+10000h          the command line
 * with X as high as free base memory (40:13, below the PXE stack) allows
 * and above our own image; the protected-mode part at 1 MiB; the initrds
 * (already concatenated by the core) as high as E820 RAM and
 * initrd_addr_max allow.  The kernel and initrd sit in our heap until the
 * last moment and are moved in whichever order does not overwrite one
 * with the other; the setup does its own E820, so no zero page is built.
 */
#include "bios.h"
#include "byteorder.h"
#include "bzimage.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

#define KERNEL_PM_ADDR		0x100000u
#define SETUP_MAX		0x8000u
#define SETUP_SEGMENT_SIZE	0x10000u
#define SETUP_HEAP_END		0xFE00u	/* heap_end_ptr: end - 200h */
#define SETUP_SP		0xFFF0u
#define PAGE			4096u

static bool overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/*
 * move_big - memmove() for the kernel and the initrd (tens of MiB).
 *
 * plat.c's memmove is one `rep movsb`, and QEMU's TCG runs a rep-prefixed
 * string instruction one element per pass through its dispatch loop: 40
 * MiB took seconds.  This moves 16-byte blocks with a plain loop (one
 * translated block per 16 bytes), each 8-byte half read completely before
 * it is written, blocks in address order away from the overlap: correct
 * for any overlap, like memmove.  The remainder (< 16 bytes) goes through
 * memmove.
 */
static void move_big(void *dest, const void *src, uint32_t len)
{
	uint8_t *d = dest;
	const uint8_t *s = src;
	uint32_t blocks = len / 16, rest = len % 16;

	if (d == s || !len)
		return;
	if (d < s) {
		if (blocks)
			__asm__ volatile(
				"1:\n\t"
				"movl (%%esi), %%eax\n\t"
				"movl 4(%%esi), %%edx\n\t"
				"movl %%eax, (%%edi)\n\t"
				"movl %%edx, 4(%%edi)\n\t"
				"movl 8(%%esi), %%eax\n\t"
				"movl 12(%%esi), %%edx\n\t"
				"movl %%eax, 8(%%edi)\n\t"
				"movl %%edx, 12(%%edi)\n\t"
				"addl $16, %%esi\n\t"
				"addl $16, %%edi\n\t"
				"decl %%ecx\n\t"
				"jnz 1b"
				: "+S"(s), "+D"(d), "+c"(blocks)
				: : "eax", "edx", "memory");
		if (rest)
			memmove(d, s, rest);
		return;
	}
	/* dest above src: from the end down, the head (rest) last. */
	d += len;
	s += len;
	if (blocks)
		__asm__ volatile(
			"1:\n\t"
			"subl $16, %%esi\n\t"
			"subl $16, %%edi\n\t"
			"movl 8(%%esi), %%eax\n\t"
			"movl 12(%%esi), %%edx\n\t"
			"movl %%eax, 8(%%edi)\n\t"
			"movl %%edx, 12(%%edi)\n\t"
			"movl (%%esi), %%eax\n\t"
			"movl 4(%%esi), %%edx\n\t"
			"movl %%eax, (%%edi)\n\t"
			"movl %%edx, 4(%%edi)\n\t"
			"decl %%ecx\n\t"
			"jnz 1b"
			: "+S"(s), "+D"(d), "+c"(blocks)
			: : "eax", "edx", "memory");
	if (rest)
		memmove(dest, src, rest);
}

int linux_boot(const uint8_t *kernel, size_t ksize, const uint8_t *initrd,
	       size_t isize, const char *cmdline,
	       void (*before_jump)(void *ctx), void *ctx)
{
	const struct bios_memmap *mm = bios_memmap();
	struct bzimage_info bz;
	uint32_t x, cmdlen, kneed, ktop, itop, idest = 0, ksrc, isrc;
	uint32_t our_end = ((uint32_t)(uintptr_t)__end + PAGE - 1) & ~(PAGE - 1);
	uint32_t base_top = (uint32_t)*(volatile uint16_t *)phys_ptr(0x413)
			    << 10;
	uint8_t *setup;
	bool kernel_first;
	int rc;

	rc = bzimage_parse(kernel, ksize, &bz);
	if (rc == -ERR_NOTSUP) {
		log_error("kernel: not a bzImage of boot protocol 2.02 or "
			  "later (no HdrS, too old, or not loaded high)");
		return rc;
	}
	if (rc < 0) {
		log_error("kernel: corrupt boot protocol header: %s",
			  err_str(rc));
		return rc;
	}
	if (bz.setup_size > SETUP_MAX) {
		log_error("kernel: setup of %u bytes is larger than %u",
			  bz.setup_size, SETUP_MAX);
		return -ERR_TOOBIG;
	}
	cmdlen = (uint32_t)strlen(cmdline);
	if (cmdlen > bz.cmdline_max) {
		log_error("kernel: command line of %u bytes, the kernel takes "
			  "at most %u", cmdlen, bz.cmdline_max);
		return -ERR_TOOBIG;
	}
	/* Low memory: as high as base memory allows, above us. */
	if (base_top > 0xA0000)
		base_top = 0xA0000;
	x = base_top - SETUP_SEGMENT_SIZE - (cmdlen + 1);
	x &= ~(PAGE - 1);
	if (base_top < SETUP_SEGMENT_SIZE + cmdlen + 1 + our_end ||
	    x < our_end) {
		log_error("kernel: no room below %u KiB for its setup code",
			  base_top >> 10);
		return -ERR_NOMEM;
	}
	/* High memory: the kernel at 1 MiB, the initrd at the top. */
	kneed = MAX(bz.init_size, bz.pm_size);
	if (!bios_mem_is_ram(KERNEL_PM_ADDR, kneed)) {
		log_error("kernel: needs %u KiB of RAM at 1 MiB", kneed >> 10);
		return -ERR_NOMEM;
	}
	ktop = KERNEL_PM_ADDR + kneed;
	ksrc = (uint32_t)(uintptr_t)(kernel + bz.setup_size);
	isrc = (uint32_t)(uintptr_t)initrd;
	if (isize) {
		itop = mm->heap_hi;
		if (bz.initrd_addr_max < 0xFFFFFFFFu &&
		    itop > bz.initrd_addr_max + 1)
			itop = bz.initrd_addr_max + 1;
		if (itop < ktop || itop - ktop < isize) {
			log_error("kernel: %u KiB of kernel and %u KiB of initrd "
				  "do not fit in memory", kneed >> 10,
				  (uint32_t)(isize >> 10));
			return -ERR_NOMEM;
		}
		idest = (itop - (uint32_t)isize) & ~(PAGE - 1);
	}
	/* Move the one whose destination is clear of the other's source. */
	kernel_first = !overlap(KERNEL_PM_ADDR, kneed, isrc, (uint32_t)isize);
	if (!kernel_first &&
	    (overlap(idest, (uint32_t)isize, ksrc, bz.pm_size) ||
	     overlap(idest, (uint32_t)isize, KERNEL_PM_ADDR, kneed))) {
		log_error("kernel: kernel and initrd cannot be placed without "
			  "overlapping (too large for memory)");
		return -ERR_NOMEM;
	}

	setup = phys_ptr(x);
	memcpy(setup, kernel, bz.setup_size);
	setup[BZI_TYPE_OF_LOADER] = 0xFF;
	setup[BZI_LOADFLAGS] |= BZI_CAN_USE_HEAP;
	put_le16(setup + BZI_HEAP_END_PTR, SETUP_HEAP_END);
	put_le32(setup + BZI_CMD_LINE_PTR, x + SETUP_SEGMENT_SIZE);
	put_le32(setup + BZI_RAMDISK_IMAGE, isize ? idest : 0);
	put_le32(setup + BZI_RAMDISK_SIZE, (uint32_t)isize);
	memcpy(phys_ptr(x + SETUP_SEGMENT_SIZE), cmdline, cmdlen + 1);
	log_info("kernel: boot protocol %u.%02u, setup at 0x%x, %u KiB at "
		 "1 MiB, initrd %u KiB at 0x%x", bz.version >> 8,
		 bz.version & 0xFF, x, bz.pm_size >> 10,
		 (uint32_t)(isize >> 10), idest);

	if (before_jump)
		before_jump(ctx);
	if (kernel_first) {
		move_big(phys_ptr(KERNEL_PM_ADDR), kernel + bz.setup_size,
			 bz.pm_size);
		if (isize)
			move_big(phys_ptr(idest), initrd, (uint32_t)isize);
	} else {
		move_big(phys_ptr(idest), initrd, (uint32_t)isize);
		move_big(phys_ptr(KERNEL_PM_ADDR), kernel + bz.setup_size,
			 bz.pm_size);
	}
	bios_start_linux(x >> 4, SETUP_SP);
}
