/*
 * pci.c - PCI configuration space (mechanism #1), BARs, DMA memory.
 *
 * Mechanism #1 is what every PC chipset QEMU emulates (i440FX, Q35) and
 * what SeaBIOS uses: write the function's address to CF8h, then move the
 * data through CFCh..CFFh.  Nothing here keeps state.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "errors.h"
#include "libc.h"
#include "pci.h"
#include "platform.h"

#define PCI_CONFIG_ADDRESS	0xCF8
#define PCI_CONFIG_DATA		0xCFC
#define PCI_CONFIG_ENABLE	0x80000000u

#define PCI_BAR_IO		0x1
#define PCI_BAR_MEM_TYPE	0x6
#define PCI_BAR_MEM_64		0x4
#define PCI_BAR_IO_MASK		0xFFFFFFFCu
#define PCI_BAR_MEM_MASK	0xFFFFFFF0u

#define PCI_BUSES		256
#define PCI_DEVICES		32
#define PCI_FUNCTIONS		8

static void pci_select(const struct pci_dev *pci, unsigned int offset)
{
	io_write32(PCI_CONFIG_ADDRESS, PCI_CONFIG_ENABLE |
		   (uint32_t)pci->bus << 16 | (uint32_t)(pci->dev & 31) << 11 |
		   (uint32_t)(pci->fn & 7) << 8 | (offset & 0xFC));
}

uint32_t pci_read32(const struct pci_dev *pci, unsigned int offset)
{
	pci_select(pci, offset);
	return io_read32(PCI_CONFIG_DATA);
}

uint16_t pci_read16(const struct pci_dev *pci, unsigned int offset)
{
	pci_select(pci, offset);
	return io_read16((uint16_t)(PCI_CONFIG_DATA + (offset & 2)));
}

uint8_t pci_read8(const struct pci_dev *pci, unsigned int offset)
{
	pci_select(pci, offset);
	return io_read8((uint16_t)(PCI_CONFIG_DATA + (offset & 3)));
}

void pci_write32(const struct pci_dev *pci, unsigned int offset, uint32_t val)
{
	pci_select(pci, offset);
	io_write32(PCI_CONFIG_DATA, val);
}

void pci_write16(const struct pci_dev *pci, unsigned int offset, uint16_t val)
{
	pci_select(pci, offset);
	io_write16((uint16_t)(PCI_CONFIG_DATA + (offset & 2)), val);
}

/* Write all ones to a BAR and read back which address bits stick. */
static uint32_t pci_bar_probe(const struct pci_dev *pci, unsigned int reg,
			      uint32_t orig)
{
	uint32_t mask;

	pci_write32(pci, reg, 0xFFFFFFFFu);
	mask = pci_read32(pci, reg);
	pci_write32(pci, reg, orig);
	return mask;
}

int pci_bar_parse(uint32_t lo, uint32_t hi, uint32_t mask_lo,
		  uint32_t mask_hi, struct pci_bar *bar)
{
	bool mem64 = !(lo & PCI_BAR_IO) &&
		     (lo & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_64;
	uint64_t mask;

	memset(bar, 0, sizeof(*bar));
	bar->io = lo & PCI_BAR_IO;
	if (bar->io) {
		if (!(mask_lo & PCI_BAR_IO_MASK))
			return -ERR_NODEV;	/* unimplemented */
		/* I/O BARs decode 16 address bits at most; some devices read
		 * the bits above as zero. */
		bar->base = lo & PCI_BAR_IO_MASK;
		bar->size = (uint32_t)(~((mask_lo & PCI_BAR_IO_MASK) |
					 0xFFFF0000u) + 1);
	} else {
		if (!mem64) {
			hi = 0;
			mask_hi = 0xFFFFFFFFu;	/* no address bits up there */
		}
		mask = (uint64_t)mask_hi << 32 | (mask_lo & PCI_BAR_MEM_MASK);
		if (!(mask_lo & PCI_BAR_MEM_MASK) && (!mem64 || !mask_hi))
			return -ERR_NODEV;	/* unimplemented */
		bar->base = (uint64_t)hi << 32 | (lo & PCI_BAR_MEM_MASK);
		bar->size = ~mask + 1;
	}
	if (bar->base == 0)
		return -ERR_NODEV;	/* the firmware left it unassigned */
	return 0;
}

int pci_bar_decode(const struct pci_dev *pci, unsigned int index,
		   struct pci_bar *bar)
{
	unsigned int reg = PCI_BAR0 + 4 * index;
	uint32_t lo, hi = 0, mask_lo, mask_hi = 0;
	uint16_t cmd;
	bool mem64;

	memset(bar, 0, sizeof(*bar));
	if (index >= PCI_BAR_COUNT)
		return -ERR_INVAL;
	lo = pci_read32(pci, reg);
	mem64 = !(lo & PCI_BAR_IO) && (lo & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_64;
	if (mem64) {
		if (index + 1 >= PCI_BAR_COUNT)
			return -ERR_INVAL;
		hi = pci_read32(pci, reg + 4);
	}

	/* No decoding while the BAR briefly points at all ones. */
	cmd = pci_read16(pci, PCI_COMMAND);
	pci_write16(pci, PCI_COMMAND,
		    cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	mask_lo = pci_bar_probe(pci, reg, lo);
	if (mem64)
		mask_hi = pci_bar_probe(pci, reg + 4, hi);
	pci_write16(pci, PCI_COMMAND, cmd);
	return pci_bar_parse(lo, hi, mask_lo, mask_hi, bar);
}

void pci_enable(const struct pci_dev *pci, bool io, bool mem)
{
	uint16_t cmd = pci_read16(pci, PCI_COMMAND);

	cmd |= PCI_COMMAND_MASTER | PCI_COMMAND_INTX_OFF;
	if (io)
		cmd |= PCI_COMMAND_IO;
	if (mem)
		cmd |= PCI_COMMAND_MEMORY;
	pci_write16(pci, PCI_COMMAND, cmd);
}

void pci_disable_master(const struct pci_dev *pci)
{
	uint16_t cmd = pci_read16(pci, PCI_COMMAND);

	pci_write16(pci, PCI_COMMAND,
		    cmd & ~(PCI_COMMAND_MASTER | PCI_COMMAND_INTX_OFF));
}

unsigned int pci_scan(pci_scan_fn fn, void *arg)
{
	struct pci_dev pci;
	unsigned int bus, dev, fnum, nfn, count = 0;
	uint32_t id;

	for (bus = 0; bus < PCI_BUSES; bus++) {
		for (dev = 0; dev < PCI_DEVICES; dev++) {
			nfn = 1;
			for (fnum = 0; fnum < nfn; fnum++) {
				pci.bus = (uint8_t)bus;
				pci.dev = (uint8_t)dev;
				pci.fn = (uint8_t)fnum;
				id = pci_read32(&pci, PCI_VENDOR_ID);
				if ((id & 0xFFFF) == 0xFFFF || (id & 0xFFFF) == 0)
					continue;
				if (fnum == 0 &&
				    (pci_read8(&pci, PCI_HEADER_TYPE) &
				     PCI_HEADER_MULTIFN))
					nfn = PCI_FUNCTIONS;
				pci.vendor = (uint16_t)id;
				pci.device = (uint16_t)(id >> 16);
				count++;
				if (fn(&pci, arg))
					return count;
			}
		}
	}
	return count;
}

int dma_alloc(struct dma_buf *buf, size_t size, size_t align)
{
	uintptr_t addr;

	memset(buf, 0, sizeof(*buf));
	if (!size || !align || (align & (align - 1)) || size > SIZE_MAX - align)
		return -ERR_INVAL;
	buf->raw = plat_alloc(size + align - 1);
	if (!buf->raw)
		return -ERR_NOMEM;
	addr = ((uintptr_t)buf->raw + align - 1) & ~(uintptr_t)(align - 1);
	if ((uint64_t)addr + size > 0x100000000ull) {
		plat_free(buf->raw);
		buf->raw = NULL;
		return -ERR_RANGE;
	}
	buf->virt = (void *)addr;
	buf->bus = addr;	/* identity-mapped: see pci.h */
	buf->size = size;
	memset(buf->virt, 0, size);
	return 0;
}

void dma_free(struct dma_buf *buf)
{
	if (buf->raw)
		plat_free(buf->raw);
	memset(buf, 0, sizeof(*buf));
}
