/*
 * int13.c - SAN boot under BIOS: an AoE target as an INT 13h hard disk.
 *
 * int13_san_boot() hooks INT 13h (our drive: 80h + the BDA's disk count,
 * which goes up by one) and INT 15h E820, puts the resident stub
 * (int13.asm) and the aBFT at the top of base memory below a lowered
 * 40:13, hides the heap's used part from E820, loads the target's MBR to
 * 0:7C00 and jumps to it with DL = the drive.  The NIC stays open (UNDI or
 * the native driver): every later INT 13h call on our drive runs the AoE
 * engine again through the stub, which swaps the program image back into
 * [INT13_SWAP_LO, __end) for the call (see int13.asm).
 *
 * Functions served: 00h reset, 01h status, 02h/03h CHS read/write, 08h
 * parameters, 15h type, 41h EDD check, 42h/43h extended read/write, 48h
 * extended parameters.  The rest, and other drives, go to the old vector.
 * Writes happen only on 03h/43h.
 */
#include "aoedev.h"
#include "bios.h"
#include "byteorder.h"
#include "errors.h"
#include "int13.h"
#include "libc.h"
#include "log.h"

/* Stub header offsets (int13.asm ST_*). */
#define ST_OLD13	0x00
#define ST_OLD15	0x04
#define ST_DRIVE	0x08
#define ST_HIDE_LO	0x0C
#define ST_HIDE_HI	0x10
#define ST_GDTDESC	0x14
#define ST_SAVE		0x1C
#define ST_COPY		0x20
#define ST_SWAPLO	0x24
#define ST_SWAPDW	0x28
#define ST_MBR		0x2C
#define ST_RMJMP	0x30
#define ST_REGS		0x38
#define ST_BHIDE_LO	0x98
#define ST_BHIDE_HI	0x9C
#define ST_GDT		0x60
#define ST_ABFT		0xA0
#define ST_ABFT_MAX	0x60
#define ST_GDT_ENTRIES	7
#define ACPI_ROOM	512u	/* after the stub: the aBFT's root tables */

#define SEL_SCODE16	0x28

#define INT13_SWAP_LO	0x6000u	/* below 7C00h: rm_call's real-mode stack */
#define BDA_BASE_KIB	0x413
#define BDA_NDISKS	0x475
#define IVT_13		(0x13 * 4)
#define IVT_15		(0x15 * 4)
#define MBR_SIG_OFF	510
#define HIDE_MARGIN	(2u << 20)	/* heap kept for the engine's later use */
#define BOUNCE_SECTORS	64u

#define GEO_HEADS	255u
#define GEO_SPT		63u
#define GEO_CYL_MAX	1024u

/* INT 13h status codes (AH). */
#define ST13_OK		0x00
#define ST13_BADCMD	0x01
#define ST13_NOSECTOR	0x04
#define ST13_READERR	0x04
#define ST13_WRITEERR	0xCC

/* EDD packet (42h/43h) and result buffer (48h) offsets. */
#define DAP_SIZE	0
#define DAP_COUNT	2
#define DAP_BUF_OFF	4
#define DAP_BUF_SEG	6
#define DAP_LBA		8
#define DAP_FLAT	16
#define DAP_MIN		16
#define DAP_FLAT_MIN	24
#define EDP_SIZE	0
#define EDP_FLAGS	2
#define EDP_CYLS	4
#define EDP_HEADS	8
#define EDP_SPT		12
#define EDP_SECTORS	16
#define EDP_BPS		24
#define EDP_DPTE	26
#define EDP_LEN		26
#define EDP_LEN_DPTE	30

/** The caller's registers as int13.asm saved them (ST_REGS). */
struct int13_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
	uint16_t ds, es, fs, gs;
	uint16_t flags;		/* bit 0: CF to return */
	uint16_t pad;
};
_Static_assert(sizeof(struct int13_regs) == 40, "int13_regs layout");
_Static_assert(offsetof(struct int13_regs, ds) == 28, "int13_regs layout");
_Static_assert(ST_REGS + sizeof(struct int13_regs) <= ST_GDT, "stub header");

/* int13.asm */
extern const uint8_t int13_stub_start[], int13_stub_end[];
extern const uint8_t int13_stub_entry13[], int13_stub_entry15[];
extern const uint8_t int13_stub_boot[], int13_stub_back[], int13_stub_rm[];
ASMCALL __attribute__((noreturn)) void int13_boot(void);
void int13_handle(void);

/** A far pointer for a 32-bit `jmp far [m16:32]`. */
struct far32 {
	uint32_t off;
	uint16_t sel;
} __attribute__((packed));

/* Read by int13.asm (its 32-bit side, in the image). */
uint32_t int13_stub_gdt;		/* linear address of the stub's GDTR */
struct far32 int13_stub_ret, int13_stub_bootptr;

/* The SAN disk: platform state, kept in the swapped image. */
static struct {
	struct aoe_target *target;
	uint8_t *stub;		/* the stub in base memory */
	uint8_t *save;		/* the loader's bytes of the swap area */
	uint32_t swap_len;
	uint8_t *bounce;
	uint8_t drive;
	uint8_t status;		/* last AH, for 01h */
	uint32_t cyls;
} san;

static uint32_t stub_off(const void *sym)
{
	return (uint32_t)((const uint8_t *)sym - int13_stub_start);
}

/*
 * Copy between the caller's memory at linear @lin and @buf: the part that
 * lies in the swapped area is in the save area while we run.
 */
static void caller_copy(uint32_t lin, void *buf, size_t len, bool to_caller)
{
	uint32_t lo = INT13_SWAP_LO, hi = INT13_SWAP_LO + san.swap_len;
	uint8_t *b = buf;

	while (len) {
		size_t n = len;
		uint8_t *mem;

		if (lin < lo) {
			n = MIN(n, lo - lin);
			mem = phys_ptr(lin);
		} else if (lin < hi) {
			n = MIN(n, hi - lin);
			mem = san.save + (lin - lo);
		} else {
			mem = phys_ptr(lin);
		}
		if (to_caller)
			memcpy(mem, b, n);
		else
			memcpy(b, mem, n);
		lin += (uint32_t)n;
		b += n;
		len -= n;
	}
}

/* Move @count sectors at @lba between the target and the caller's @lin. */
static uint8_t transfer(uint64_t lba, uint32_t count, uint32_t lin,
			bool write, uint32_t *done)
{
	struct aoe_target *t = san.target;
	uint32_t n;
	int rc;

	*done = 0;
	if (lba > t->nsectors || count > t->nsectors - lba)
		return ST13_NOSECTOR;
	while (*done < count) {
		n = MIN(count - *done, BOUNCE_SECTORS);
		if (write) {
			caller_copy(lin, san.bounce, n * AOE_SECTOR_SIZE, false);
			rc = aoe_write(t, lba, n, san.bounce);
		} else {
			rc = aoe_read(t, lba, n, san.bounce);
			if (rc == 0)
				caller_copy(lin, san.bounce,
					    n * AOE_SECTOR_SIZE, true);
		}
		if (rc < 0) {
			log_debug("INT 13h: %s of %u at %llu: %s",
				  write ? "write" : "read", n,
				  (unsigned long long)lba, err_str(rc));
			return write ? ST13_WRITEERR : ST13_READERR;
		}
		lba += n;
		lin += n * AOE_SECTOR_SIZE;
		*done += n;
	}
	return ST13_OK;
}

static uint8_t chs_rw(struct int13_regs *r, bool write)
{
	uint32_t count = r->eax & 0xFF, done = 0;
	uint32_t sector = r->ecx & 0x3F, head = (r->edx >> 8) & 0xFF;
	uint32_t cyl = ((r->ecx >> 8) & 0xFF) | ((r->ecx & 0xC0) << 2);
	uint8_t st;

	if (sector == 0 || sector > GEO_SPT || head >= GEO_HEADS ||
	    count == 0) {
		r->eax &= ~0xFFu;
		return ST13_BADCMD;
	}
	st = transfer(((uint64_t)cyl * GEO_HEADS + head) * GEO_SPT + sector - 1,
		      count, rm_linear(r->es, (uint16_t)r->ebx), write, &done);
	r->eax = (r->eax & ~0xFFu) | (done & 0xFF);
	return st;
}

static uint8_t ext_rw(struct int13_regs *r, bool write)
{
	uint8_t dap[DAP_FLAT_MIN];
	uint32_t dap_lin = rm_linear(r->ds, (uint16_t)r->esi), lin, done = 0;
	uint16_t count;
	uint8_t st;

	caller_copy(dap_lin, dap, DAP_MIN, false);
	if (dap[DAP_SIZE] < DAP_MIN)
		return ST13_BADCMD;
	count = get_le16(dap + DAP_COUNT);
	lin = rm_linear(get_le16(dap + DAP_BUF_SEG),
			get_le16(dap + DAP_BUF_OFF));
	if (get_le32(dap + DAP_BUF_OFF) == 0xFFFFFFFFu) {
		/* EDD 3.0: a 64-bit flat buffer address follows */
		if (dap[DAP_SIZE] < DAP_FLAT_MIN)
			return ST13_BADCMD;
		caller_copy(dap_lin + DAP_FLAT, dap + DAP_FLAT, 8, false);
		if (get_le64(dap + DAP_FLAT) > 0xFFFFFFFFull)
			return ST13_BADCMD;
		lin = get_le32(dap + DAP_FLAT);
	}
	st = transfer(get_le64(dap + DAP_LBA), count, lin, write, &done);
	put_le16(dap + DAP_COUNT, (uint16_t)done);
	caller_copy(dap_lin + DAP_COUNT, dap + DAP_COUNT, 2, true);
	return st;
}

static uint8_t ext_params(struct int13_regs *r)
{
	uint8_t edp[EDP_LEN_DPTE];
	uint32_t lin = rm_linear(r->ds, (uint16_t)r->esi);
	uint16_t size;

	caller_copy(lin, edp, 2, false);
	size = get_le16(edp + EDP_SIZE);
	if (size < EDP_LEN)
		return ST13_BADCMD;
	size = size >= EDP_LEN_DPTE ? EDP_LEN_DPTE : EDP_LEN;
	memset(edp, 0, sizeof(edp));
	put_le16(edp + EDP_SIZE, size);
	put_le16(edp + EDP_FLAGS, 0);	/* CHS values not valid for LBA */
	put_le32(edp + EDP_CYLS, san.cyls);
	put_le32(edp + EDP_HEADS, GEO_HEADS);
	put_le32(edp + EDP_SPT, GEO_SPT);
	put_le64(edp + EDP_SECTORS, san.target->nsectors);
	put_le16(edp + EDP_BPS, AOE_SECTOR_SIZE);
	put_le32(edp + EDP_DPTE, 0xFFFFFFFFu);	/* no DPTE */
	caller_copy(lin, edp, size, true);
	return ST13_OK;
}

static uint8_t get_params(struct int13_regs *r)
{
	uint32_t maxcyl = san.cyls - 1;
	uint8_t ndisks = *(volatile uint8_t *)phys_ptr(BDA_NDISKS);

	r->ecx = (r->ecx & 0xFFFF0000u) | (maxcyl & 0xFF) << 8 |
		 (maxcyl >> 2 & 0xC0) | GEO_SPT;
	r->edx = (r->edx & 0xFFFF0000u) | (GEO_HEADS - 1) << 8 | ndisks;
	r->ebx &= ~0xFFu;
	return ST13_OK;
}

/** int13.asm calls this for our drive, with the image swapped in. */
void int13_handle(void)
{
	struct int13_regs *r = (struct int13_regs *)(san.stub + ST_REGS);
	uint8_t fn = (uint8_t)(r->eax >> 8), st;
	uint64_t n;

	switch (fn) {
	case 0x00:
		st = ST13_OK;
		break;
	case 0x01:
		st = san.status;
		r->eax = (r->eax & ~0xFFFFu) | (uint32_t)st << 8 | st;
		r->flags = st ? 1 : 0;
		return;		/* AH = AL = the last status; not itself a status */
	case 0x02:
	case 0x03:
		st = chs_rw(r, fn == 0x03);
		break;
	case 0x08:
		st = get_params(r);
		break;
	case 0x15:
		n = MIN(san.target->nsectors, 0xFFFFFFFFull);
		r->ecx = (r->ecx & 0xFFFF0000u) | (uint32_t)(n >> 16);
		r->edx = (r->edx & 0xFFFF0000u) | (uint32_t)(n & 0xFFFF);
		r->eax = (r->eax & ~0xFF00u) | 0x0300;	/* hard disk */
		r->flags = 0;
		san.status = ST13_OK;
		return;
	case 0x41:
		if ((r->ebx & 0xFFFF) != 0x55AA) {
			st = ST13_BADCMD;
			break;
		}
		r->ebx = (r->ebx & 0xFFFF0000u) | 0xAA55;
		r->ecx = (r->ecx & 0xFFFF0000u) | 0x0001;	/* 42h-44h,47h,48h */
		r->eax = (r->eax & ~0xFF00u) | 0x3000;		/* EDD 3.0 */
		r->flags = 0;
		san.status = ST13_OK;
		return;
	case 0x42:
	case 0x43:
		st = ext_rw(r, fn == 0x43);
		break;
	case 0x48:
		st = ext_params(r);
		break;
	default:
		st = ST13_BADCMD;
		break;
	}
	san.status = st;
	r->eax = (r->eax & ~0xFF00u) | (uint32_t)st << 8;
	r->flags = st ? 1 : 0;
}

/* An 8-byte GDT descriptor: base @base, limit FFFFFh/FFFFh, @access, @flags. */
static void gdt_entry(uint8_t *p, uint32_t base, uint8_t access,
		      uint8_t flags)
{
	put_le32(p, (base & 0xFFFF) << 16 | 0xFFFF);
	put_le32(p + 4, (base >> 16 & 0xFF) | (uint32_t)access << 8 |
		 (uint32_t)(flags | 0x0F) << 16 | (base & 0xFF000000u));
}

/*
 * Hide the heap's used part: return the lowest address still in use
 * minus a margin for the engine's later allocations.
 */
static uint32_t hide_from(void)
{
	const struct bios_memmap *mm = bios_memmap();
	uint32_t lo = bios_heap_reserve(HIDE_MARGIN);

	return lo < mm->heap_lo ? mm->heap_lo : lo & ~0xFFFu;
}

int int13_san_boot(struct aoe_target *target, const void *abft, size_t len)
{
	const struct bios_memmap *mm = bios_memmap();
	uint32_t stub_len = (uint32_t)(int13_stub_end - int13_stub_start);
	uint32_t base_kib, stub_lin, swap_len;
	uint8_t *mbr, *copy, *s, *gdt;
	volatile uint16_t *bda_kib = phys_ptr(BDA_BASE_KIB);
	volatile uint8_t *bda_ndisks = phys_ptr(BDA_NDISKS);
	volatile uint32_t *ivt = phys_ptr(0);
	char name[16];
	int rc;

	aoe_target_name(target, name, sizeof(name));
	swap_len = ((uint32_t)(uintptr_t)__end - INT13_SWAP_LO + 3) & ~3u;
	mbr = plat_alloc(AOE_SECTOR_SIZE);
	if (!mbr)
		return -ERR_NOMEM;
	rc = aoe_read(target, 0, 1, mbr);
	if (rc < 0 || mbr[MBR_SIG_OFF] != 0x55 || mbr[MBR_SIG_OFF + 1] != 0xAA) {
		log_info("SAN: %s has no bootable MBR", name);
		plat_free(mbr);
		return rc < 0 ? rc : -ERR_NOENT;
	}
	base_kib = *bda_kib;
	/* Whole pages, so that Linux lists none of it as System RAM and
	 * /dev/mem shows the aBFT (it reads RAM in the first MiB as 0s). */
	stub_lin = ((base_kib << 10) - stub_len - ACPI_ROOM) & ~0xFFFu;
	if (stub_lin < (uint32_t)(uintptr_t)__end || stub_len > 0x1000 ||
	    len > ST_ABFT_MAX) {
		log_error("SAN: no room in base memory for the INT 13h stub");
		plat_free(mbr);
		return -ERR_NOMEM;
	}
	san.save = plat_alloc(swap_len);
	copy = plat_alloc(swap_len);
	san.bounce = plat_alloc(BOUNCE_SECTORS * AOE_SECTOR_SIZE);
	if (!san.save || !copy || !san.bounce) {
		plat_free(san.save);
		plat_free(copy);
		plat_free(san.bounce);
		plat_free(mbr);
		return -ERR_NOMEM;
	}
	san.target = target;
	san.swap_len = swap_len;
	san.drive = (uint8_t)(0x80 + *bda_ndisks);
	san.cyls = (uint32_t)MIN(target->nsectors / (GEO_HEADS * GEO_SPT),
				 GEO_CYL_MAX);
	if (san.cyls == 0)
		san.cyls = 1;
	target->ctx->progress = NULL;

	/* The stub, its header and GDT, the aBFT. */
	s = san.stub = phys_ptr(stub_lin);
	memcpy(s, int13_stub_start, stub_len);
	put_le32(s + ST_OLD13, ivt[0x13]);
	put_le32(s + ST_OLD15, ivt[0x15]);
	s[ST_DRIVE] = san.drive;
	put_le32(s + ST_HIDE_LO, hide_from());
	put_le32(s + ST_HIDE_HI, mm->heap_hi);
	put_le32(s + ST_BHIDE_LO, stub_lin);
	put_le32(s + ST_BHIDE_HI, base_kib << 10);
	put_le16(s + ST_GDTDESC, ST_GDT_ENTRIES * 8 - 1);
	put_le32(s + ST_GDTDESC + 2, stub_lin + ST_GDT);
	put_le32(s + ST_SAVE, (uint32_t)(uintptr_t)san.save);
	put_le32(s + ST_COPY, (uint32_t)(uintptr_t)copy);
	put_le32(s + ST_SWAPLO, INT13_SWAP_LO);
	put_le32(s + ST_SWAPDW, swap_len / 4);
	put_le32(s + ST_MBR, (uint32_t)(uintptr_t)mbr);
	put_le16(s + ST_RMJMP, (uint16_t)stub_off(int13_stub_rm));
	put_le16(s + ST_RMJMP + 2, (uint16_t)(stub_lin >> 4));
	gdt = s + ST_GDT;
	memset(gdt, 0, 8);
	gdt_entry(gdt + 0x08, 0, 0x9A, 0xC0);
	gdt_entry(gdt + 0x10, 0, 0x92, 0xC0);
	gdt_entry(gdt + 0x18, 0, 0x9A, 0x00);
	gdt_entry(gdt + 0x20, 0, 0x92, 0x00);
	gdt_entry(gdt + 0x28, stub_lin, 0x9A, 0x00);
	gdt_entry(gdt + 0x30, stub_lin, 0x92, 0x00);
	/* 16-bit segments: 64 KiB limit (the G bit off, limit 0FFFFh). */
	gdt[0x18 + 6] = gdt[0x20 + 6] = gdt[0x28 + 6] = gdt[0x30 + 6] = 0;
	if (abft && len) {
		memcpy(s + ST_ABFT, abft, len);
		bios_acpi_publish(stub_lin + ST_ABFT,
				  s + ((stub_len + 15) & ~15u), ACPI_ROOM);
	}
	int13_stub_gdt = stub_lin + ST_GDTDESC;
	int13_stub_ret = (struct far32){ stub_off(int13_stub_back), SEL_SCODE16 };
	int13_stub_bootptr = (struct far32){ stub_off(int13_stub_boot),
					     SEL_SCODE16 };

	log_info("SAN boot: %s as BIOS drive %02xh (%llu sectors), starting "
		 "its MBR", name, san.drive,
		 (unsigned long long)target->nsectors);
	log_debug("SAN: stub at %05x, %u KiB base memory left, hidden "
		  "%08x-%08x", stub_lin, stub_lin >> 10,
		  get_le32(s + ST_HIDE_LO), mm->heap_hi);

	/* Hide it all, hook, count the disk, go. */
	*bda_kib = (uint16_t)(stub_lin >> 10);
	(*bda_ndisks)++;
	ivt[0x13] = (stub_lin >> 4) << 16 | stub_off(int13_stub_entry13);
	ivt[0x15] = (stub_lin >> 4) << 16 | stub_off(int13_stub_entry15);
	int13_boot();
}
