/*
 * bios.h - the legacy BIOS platform: real-mode calls, memory map, console,
 * the PXE stack we were loaded from, and the Linux hand-off.
 *
 * The program runs as flat 32-bit protected-mode C linked at 0x7C00 (see
 * entry.asm and docs/bios.md); everything it owns lies in base memory, so a
 * pointer to it converts to a real-mode segment:offset directly.
 */
#ifndef AOEBOOT_BIOS_H
#define AOEBOOT_BIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dhcp.h"
#include "platform.h"

/** Registers for one real-mode call (entry.asm uses the same layout). */
struct rm_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
	uint16_t ds, es;
	uint16_t flags;		/**< after the call */
	uint8_t kind;		/**< RM_INT or RM_FAR */
	uint8_t intno;		/**< for RM_INT */
	uint16_t target_off;	/**< for RM_FAR */
	uint16_t target_seg;
	uint16_t nstack;	/**< words pushed before the call, at most 3 */
	uint16_t stack[3];	/**< stack[0] is pushed first */
};

_Static_assert(offsetof(struct rm_regs, ds) == 28, "rm_regs layout");
_Static_assert(offsetof(struct rm_regs, flags) == 32, "rm_regs layout");
_Static_assert(offsetof(struct rm_regs, target_off) == 36, "rm_regs layout");
_Static_assert(offsetof(struct rm_regs, nstack) == 40, "rm_regs layout");
_Static_assert(sizeof(struct rm_regs) == 48, "rm_regs layout");

enum { RM_INT = 0, RM_FAR = 1 };
#define RM_FLAG_CF	0x0001
#define RM_FLAG_ZF	0x0040

/* entry.asm takes its arguments on the stack whatever -mregparm says. */
#define ASMCALL __attribute__((regparm(0)))

/** Run INT n / a far call in real mode (entry.asm); @regs is updated. */
ASMCALL void rm_call(struct rm_regs *regs);

/** Jump to a Linux setup at @seg:0 with SP=@sp (entry.asm); no return. */
ASMCALL __attribute__((noreturn)) void bios_start_linux(uint32_t seg,
							uint32_t sp);

/* Entry state saved by entry.asm. */
extern uint32_t entry_eax, entry_esi;
extern uint16_t entry_es, entry_bx, entry_pxe_off, entry_pxe_seg;
extern uint8_t a20_result;
/** Set to 1 once the PXE stack is unloaded: "nothing booted" then takes
 *  INT 18h instead of the far return to the PXE ROM. */
extern uint8_t exit_int18;
extern char __image_start[], __image_end[], __end[];

#define LKRN_MAGIC	0x4E524B4Cu	/* 'LKRN' in EAX: started by lkrn.asm */
#define ROM_MAGIC	0x4D4F5241u	/* 'AROM' in EAX: started by romprefix.asm */

/** Real-mode pointer <-> linear address. */
static inline uint32_t rm_linear(uint16_t seg, uint16_t off)
{
	return (uint32_t)seg * 16 + off;
}
static inline uint16_t rm_seg(const void *p)
{
	return (uint16_t)((uintptr_t)p >> 4);
}
static inline uint16_t rm_off(const void *p)
{
	return (uint16_t)((uintptr_t)p & 15);
}
static inline void *rm_ptr(uint16_t seg, uint16_t off)
{
	return (void *)(uintptr_t)rm_linear(seg, off);
}

/**
 * A pointer to physical address @addr.  Laundered through asm so GCC does
 * not take a low constant address (the BIOS data area) for a null-pointer
 * offset and warn about it.
 */
static inline void *phys_ptr(uint32_t addr)
{
	void *p;

	__asm__("" : "=r"(p) : "0"(addr));
	return p;
}

/* --- port I/O ------------------------------------------------------------ */
static inline void outb(uint16_t port, uint8_t val)
{
	__asm__ volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
	uint8_t val;

	__asm__ volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

/* --- memory (plat.c) ------------------------------------------------------- */
#define E820_MAX	64
#define E820_RAM	1

struct e820_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
};

/** The memory map, read once at start. */
struct bios_memmap {
	struct e820_entry e[E820_MAX];
	unsigned int count;
	uint32_t base_top;	/**< end of free base memory (40:13), bytes */
	uint32_t heap_lo, heap_hi;	/**< the heap: [lo, hi) above 1 MiB */
};

/** The map (read by bios_mem_init). */
const struct bios_memmap *bios_memmap(void);

/**
 * Read E820 (or E801/88h as fallback) and set up the heap in the RAM
 * region above 1 MiB.
 *
 * @ret rc	0 or -ERR_NOMEM when there is no usable memory above 1 MiB
 */
int bios_mem_init(void);

/**
 * Does [base, base+len) lie inside one E820 RAM region?
 *
 * @v base	start address
 * @v len	length in bytes
 * @ret ok	true when it is all RAM
 */
bool bios_mem_is_ram(uint64_t base, uint64_t len);

/**
 * Give the heap's unused bottom up for good (SAN boot: the OS gets it, the
 * rest stays hidden): the lowest free run shrinks to its top @margin
 * bytes, page-aligned.
 *
 * @v margin	bytes of free heap to keep below what is in use
 * @ret lo	the heap's new low end; [lo, heap_hi) stays ours
 */
uint32_t bios_heap_reserve(uint32_t margin);

/* --- console and clock (plat.c) -------------------------------------------- */
/** Set up COM1 and calibrate the clock. */
void bios_console_init(void);

/** Calibrate the TSC against the PIT (or fall back to the BIOS tick). */
void bios_clock_init(void);

/** Write a string to the BIOS screen and COM1 ('\n' becomes CR LF). */
void bios_puts(const char *str);

/** printf to the console. */
void bios_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Show debug log lines or not. */
void bios_set_debug(bool on);

/** Keys the menu understands, beside plain ASCII. */
enum {
	KEY_NONE = 0,
	KEY_UP = 0x100,
	KEY_DOWN,
	KEY_LEFT,
	KEY_RIGHT,
	KEY_HOME,
	KEY_END,
	KEY_DELETE,
};

/**
 * A key from INT 16h or COM1, or KEY_NONE.
 *
 * @v timeout_us	how long to wait (0: just look)
 * @ret key		ASCII, a KEY_* code, or KEY_NONE
 */
int bios_getkey(uint64_t timeout_us);

/* --- menu (menu.c) --------------------------------------------------------- */
struct boot_menu_entry;

/** The boot_platform menu operation (bootmgr.h) on the BIOS console. */
int bios_menu(void *pctx, struct boot_menu_entry *entries, unsigned int count,
	      unsigned int def, int timeout);

/* --- PXE (pxe.c) ----------------------------------------------------------- */
#define PXE_ROOT_PATH_MAX	256

/** What we learn from the PXE stack that loaded us. */
struct pxe_info {
	bool found;			/**< a PXE stack answered */
	char root_path[PXE_ROOT_PATH_MAX];	/**< DHCP option 17, or "" */
	uint8_t bootif[6];		/**< the NIC we were booted from */
	bool have_bootif;
	uint8_t tftp_server[4];		/**< siaddr: where we came from */
	uint8_t tftp_gateway[4];	/**< giaddr */
	char boot_file[DHCP_FILE_LEN];	/**< our file name there, or "" */
};

/**
 * Find the PXE stack (as pxe_open) and read its cached DHCP replies into
 * @info, without opening UNDI; does nothing when @info->found already.
 *
 * @ret found	a PXE stack answered
 */
bool pxe_find(struct pxe_info *info);

/**
 * Read a whole file from the boot server over the PXE stack's TFTP API
 * (before UNDI is opened: the stack's own network code runs).
 *
 * @v info	from pxe_find(): server and gateway
 * @v path	the TFTP path
 * @v max	largest file taken
 * @v data	set to the bytes (plat_alloc()ed), not NUL-terminated
 * @v len	set to their number
 * @ret rc	0; -ERR_NOENT (no stack, no such file), -ERR_TOOBIG, -ERR_IO
 */
int pxe_tftp_read(const struct pxe_info *info, const char *path,
		  size_t max, char **data, size_t *len);

/**
 * Find the PXE stack (!PXE at SS:SP+4, PXENV+ at ES:BX, INT 1Ah 5650h, a
 * scan of base memory), read its cached DHCP reply (pxe_find, once) and
 * open UNDI.
 *
 * @v info	filled in
 * @ret nd	the UNDI network device, or NULL (the reason is logged)
 */
struct netdev *pxe_open(struct pxe_info *info);

/**
 * Give the NIC back before Linux runs: UNDI_SHUTDOWN, UNLOAD_STACK,
 * STOP_UNDI, and base memory back through 40:13 when nobody took it.
 *
 * @v nd	from pxe_open()
 */
void pxe_unload(struct netdev *nd);

/** Close UNDI but leave the stack loaded (we return to the PXE ROM). */
void pxe_close(struct netdev *nd);

/** The card UNDI drives (PXENV_UNDI_GET_NIC_TYPE, GET_INFORMATION). */
struct pxe_nic {
	uint16_t vendor, device;	/**< PCI IDs */
	uint8_t bus, dev, fn;		/**< its PCI function */
	uint8_t mac[6];			/**< the MAC the PXE stack uses */
};

/**
 * Ask UNDI which PCI device it drives (before or after UNDI_OPEN).
 *
 * @v info	pxe_find() is called on it
 * @v nic	filled in
 * @ret rc	0; -ERR_NODEV (no stack, or unloaded), -ERR_IO (a call
 *		failed), -ERR_NOTSUP (not a PCI or CardBus NIC)
 */
int pxe_nic(struct pxe_info *info, struct pxe_nic *nic);

/**
 * Shut the PXE stack down and unload it, as pxe_unload() (UNDI_SHUTDOWN,
 * UNLOAD_STACK, STOP_UNDI), whether or not UNDI was opened; from then on
 * no PXE call is made and "nothing booted" takes INT 18h.
 */
void pxe_stack_unload(void);

/* --- network (net.c) -------------------------------------------------------- */
/**
 * The NICs for AoE: under a PXE ROM our own driver for the card it booted
 * from (the stack is unloaded first), unless @force_undi or no driver
 * knows the card, then UNDI; without a PXE stack every card the native
 * drivers know.  One line says which.
 *
 * @v pxe		the PXE stack's facts (pxe_find() is called on it)
 * @v force_undi	net=undi
 * @v undi		set to the UNDI device when that is used, else NULL
 * @v nics		receives the devices to give aoe_init()
 * @v max		capacity of @nics
 * @v nnics		set to how many of @nics are native (nic_shutdown())
 * @ret count		devices in @nics; 0 when there is no network (logged)
 */
unsigned int bios_net_open(struct pxe_info *pxe, bool force_undi,
			   struct netdev **undi, struct netdev **nics,
			   unsigned int max, unsigned int *nnics);

/* --- Linux (linux.c) ------------------------------------------------------- */
/**
 * Hand a bzImage to the x86 boot protocol's 16-bit entry.  Returns only
 * when the kernel cannot be started (the reason is logged); before the
 * jump @before_jump runs (the PXE stack is shut down there).
 *
 * @v kernel, ksize	the bzImage
 * @v initrd, isize	the concatenated initrds (may be NULL / 0)
 * @v cmdline		the full command line
 * @v before_jump	called once everything is in place, or NULL
 * @v ctx		its argument
 * @ret rc		negative ERR_* (success does not return)
 */
int linux_boot(const uint8_t *kernel, size_t ksize, const uint8_t *initrd,
	       size_t isize, const char *cmdline,
	       void (*before_jump)(void *ctx), void *ctx);

#endif
