/*
 * pci.h - the tiny PCI and DMA interface the native NIC drivers stand on.
 *
 * Configuration space through mechanism #1 (ports CF8h/CFCh), BAR decoding,
 * port I/O and MMIO accessors, bus-master enable and DMA-able memory.  x86
 * only (port I/O), but neither BIOS- nor UEFI-specific: the drivers run
 * wherever memory is identity-mapped (flat 32-bit protected mode with
 * paging off, or UEFI's identity map), so a buffer's bus address is its
 * address.  Memory comes from plat_alloc().
 *
 * Shared memory (descriptor rings) is read and written with the dma_*
 * accessors: one aligned load or store of the field's full width, so a
 * 16-bit ring index the device is updating is never seen half old, half
 * new (the byte-wise byteorder.h helpers could tear it).
 */
#ifndef AOEBOOT_PCI_H
#define AOEBOOT_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(__i386__) && !defined(__x86_64__)
#error "src/drivers: port I/O and the identity-mapped DMA model are x86 only"
#endif
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "src/drivers: the dma_* accessors assume a little-endian CPU"
#endif

/* Configuration space offsets (PCI Local Bus 3.0, type 0 header). */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_COMMAND_IO		0x0001
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_COMMAND_INTX_OFF	0x0400
#define PCI_HEADER_TYPE		0x0E
#define PCI_HEADER_MULTIFN	0x80
#define PCI_BAR0		0x10
#define PCI_BAR_COUNT		6

/** One PCI function. */
struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
};

/** A decoded base address register. */
struct pci_bar {
	bool io;		/**< I/O space (else memory) */
	uint64_t base;		/**< port or physical address */
	uint64_t size;		/**< bytes decoded; 0 when unimplemented */
};

/** Read a 32-bit config register (@offset 4-aligned). */
uint32_t pci_read32(const struct pci_dev *pci, unsigned int offset);
/** Read a 16-bit config register (@offset 2-aligned). */
uint16_t pci_read16(const struct pci_dev *pci, unsigned int offset);
/** Read an 8-bit config register. */
uint8_t pci_read8(const struct pci_dev *pci, unsigned int offset);
/** Write a 32-bit config register (@offset 4-aligned). */
void pci_write32(const struct pci_dev *pci, unsigned int offset, uint32_t val);
/** Write a 16-bit config register (@offset 2-aligned). */
void pci_write16(const struct pci_dev *pci, unsigned int offset, uint16_t val);

/**
 * Decode base address register @index (0..5), sizing it by the usual
 * write-ones probe with decoding switched off meanwhile.
 *
 * @v pci	function
 * @v index	BAR number
 * @v bar	filled in
 * @ret rc	0, -ERR_NODEV when the BAR is unimplemented or unassigned,
 *		-ERR_INVAL for a bad index or the upper half of a 64-bit BAR
 */
int pci_bar_decode(const struct pci_dev *pci, unsigned int index,
		   struct pci_bar *bar);

/**
 * Decode a BAR from its value and what stuck of an all-ones write: the
 * arithmetic of pci_bar_decode(), apart so the host can test it.
 *
 * @v lo	the BAR's value
 * @v hi	the next BAR's value, for a 64-bit memory BAR (else ignored)
 * @v mask_lo	the BAR read back after writing all ones
 * @v mask_hi	the same for the upper half of a 64-bit BAR
 * @v bar	filled in
 * @ret rc	0, or -ERR_NODEV when unimplemented or unassigned (base 0)
 */
int pci_bar_parse(uint32_t lo, uint32_t hi, uint32_t mask_lo,
		  uint32_t mask_hi, struct pci_bar *bar);

/**
 * Turn on I/O and/or memory decoding and bus mastering, and mask INTx:
 * the drivers poll.
 *
 * @v pci	function
 * @v io	enable I/O space decoding
 * @v mem	enable memory space decoding
 */
void pci_enable(const struct pci_dev *pci, bool io, bool mem);

/** Turn bus mastering off again (before a hand-off, after a reset). */
void pci_disable_master(const struct pci_dev *pci);

/**
 * Called by pci_scan() for every function present.
 *
 * @v pci	the function
 * @v arg	the caller's argument
 * @ret stop	true to end the scan
 */
typedef bool (*pci_scan_fn)(const struct pci_dev *pci, void *arg);

/**
 * Walk every bus, device and function (0..255, 0..31, 0..7; functions 1-7
 * only on multi-function devices) in order.
 *
 * @v fn	callback
 * @v arg	passed to @fn
 * @ret count	functions visited
 */
unsigned int pci_scan(pci_scan_fn fn, void *arg);

/** Memory a device may read and write. */
struct dma_buf {
	void *virt;		/**< CPU address, aligned as asked */
	uint64_t bus;		/**< the device's address for it */
	size_t size;
	void *raw;		/**< what plat_alloc() returned */
};

/**
 * Allocate zeroed DMA-able memory below 4 GiB.
 *
 * @v buf	filled in
 * @v size	bytes
 * @v align	alignment, a power of two (4096 for a virtio queue)
 * @ret rc	0, -ERR_NOMEM, or -ERR_RANGE if the memory lies above 4 GiB
 */
int dma_alloc(struct dma_buf *buf, size_t size, size_t align);

/** Free memory from dma_alloc(); an empty buffer is ignored. */
void dma_free(struct dma_buf *buf);

/* --- port I/O ------------------------------------------------------------ */

static inline uint8_t io_read8(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %w1, %b0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t io_read16(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %w1, %w0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t io_read32(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void io_write8(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %b0, %w1" : : "a"(v), "Nd"(port));
}

static inline void io_write16(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %w0, %w1" : : "a"(v), "Nd"(port));
}

static inline void io_write32(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %w1" : : "a"(v), "Nd"(port));
}

/* --- MMIO registers (uncached: the compiler must not merge or reorder) ---- */

static inline uint32_t mmio_read32(const volatile void *base, size_t reg)
{
	return *(const volatile uint32_t *)((const volatile uint8_t *)base + reg);
}

static inline void mmio_write32(volatile void *base, size_t reg, uint32_t v)
{
	__asm__ volatile("" : : : "memory");
	*(volatile uint32_t *)((volatile uint8_t *)base + reg) = v;
}

/* --- barriers --------------------------------------------------------------
 * x86 keeps stores in order and loads in order with respect to each other
 * on write-back memory, so publishing a descriptor before its index only
 * needs the compiler held back.  A store followed by a load of something
 * else (write the avail index, then read whether the device wants a kick)
 * needs a full fence; a locked add does that on every i686 (mfence would
 * need SSE2). */

/** Order earlier stores to shared memory before later ones. */
static inline void dma_wmb(void)
{
	__asm__ volatile("" : : : "memory");
}

/** Order earlier loads from shared memory before later ones. */
static inline void dma_rmb(void)
{
	__asm__ volatile("" : : : "memory");
}

/** Order everything before against everything after. */
static inline void dma_mb(void)
{
#ifdef __x86_64__
	__asm__ volatile("lock; addl $0, (%%rsp)" : : : "memory", "cc");
#else
	__asm__ volatile("lock; addl $0, (%%esp)" : : : "memory", "cc");
#endif
}

/* --- shared-memory fields (little-endian, naturally aligned) -------------- */

static inline uint8_t dma_get8(const void *base, size_t off)
{
	return *(const volatile uint8_t *)((const uint8_t *)base + off);
}

static inline uint16_t dma_get16(const void *base, size_t off)
{
	return *(const volatile uint16_t *)(const void *)
		((const uint8_t *)base + off);
}

static inline uint32_t dma_get32(const void *base, size_t off)
{
	return *(const volatile uint32_t *)(const void *)
		((const uint8_t *)base + off);
}

static inline void dma_put8(void *base, size_t off, uint8_t v)
{
	*(volatile uint8_t *)((uint8_t *)base + off) = v;
}

static inline void dma_put16(void *base, size_t off, uint16_t v)
{
	*(volatile uint16_t *)(void *)((uint8_t *)base + off) = v;
}

static inline void dma_put32(void *base, size_t off, uint32_t v)
{
	*(volatile uint32_t *)(void *)((uint8_t *)base + off) = v;
}

/** A 64-bit field as two 32-bit stores, low half first (no 64-bit store
 * on i686 without SSE; the device reads it only once it is published). */
static inline void dma_put64(void *base, size_t off, uint64_t v)
{
	dma_put32(base, off, (uint32_t)v);
	dma_put32(base, off + 4, (uint32_t)(v >> 32));
}

/** Spin-wait hint for polling loops. */
static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

#endif
