/*
 * test_pci.c - the host-testable parts of src/drivers/pci.c: BAR decoding
 * from what a size probe reads back, and DMA memory alignment.  Values as
 * QEMU's devices present them (e1000 BAR0, virtio-net's legacy I/O BAR0).
 */
#include <stdint.h>
#include <string.h>
#include "test.h"
#include "../../src/core/errors.h"
#include "../../src/drivers/pci.c"

static void test_bar_mem32(void)
{
	struct pci_bar bar;

	/* e1000: 128 KiB of 32-bit non-prefetchable memory at FEBC0000. */
	check_eq(pci_bar_parse(0xFEBC0000u, 0, 0xFFFE0000u, 0, &bar), 0);
	check(!bar.io);
	check_eq(bar.base, 0xFEBC0000u);
	check_eq(bar.size, 0x20000);
	/* The next BAR's value is no part of a 32-bit BAR. */
	check_eq(pci_bar_parse(0xFEBC0008u, 0x1234, 0xFFFE0008u, 0x5678, &bar), 0);
	check_eq(bar.base, 0xFEBC0000u);
	check_eq(bar.size, 0x20000);
}

static void test_bar_io(void)
{
	struct pci_bar bar;

	/* virtio-net legacy: 32 ports at C000. */
	check_eq(pci_bar_parse(0xC001u, 0, 0xFFFFFFE1u, 0, &bar), 0);
	check(bar.io);
	check_eq(bar.base, 0xC000);
	check_eq(bar.size, 32);
	/* A 16-bit decoder reads the upper half back as zero. */
	check_eq(pci_bar_parse(0xC041u, 0, 0x0000FFC1u, 0, &bar), 0);
	check_eq(bar.base, 0xC040);
	check_eq(bar.size, 64);
}

static void test_bar_mem64(void)
{
	struct pci_bar bar;

	/* 16 KiB of 64-bit prefetchable memory at 8_0000_0000. */
	check_eq(pci_bar_parse(0x0000000Cu, 0x8, 0xFFFFC00Cu, 0xFFFFFFFFu,
			       &bar), 0);
	check_eq(bar.base, 0x800000000ull);
	check_eq(bar.size, 0x4000);
	/* 8 GiB: no size bits in the lower half at all. */
	check_eq(pci_bar_parse(0x0000000Cu, 0x4, 0x0000000Cu, 0xFFFFFFFEu,
			       &bar), 0);
	check_eq(bar.base, 0x400000000ull);
	check(bar.size == 0x200000000ull);
}

static void test_bar_absent(void)
{
	struct pci_bar bar;

	/* Unimplemented: nothing sticks. */
	check_eq(pci_bar_parse(0, 0, 0, 0, &bar), -ERR_NODEV);
	check_eq(pci_bar_parse(0x1, 0, 0x1, 0, &bar), -ERR_NODEV);
	check_eq(pci_bar_parse(0x4, 0, 0x4, 0, &bar), -ERR_NODEV);
	/* Implemented but never assigned an address. */
	check_eq(pci_bar_parse(0, 0, 0xFFFE0000u, 0, &bar), -ERR_NODEV);
	check_eq(pci_bar_parse(0x1, 0, 0xFFFFFFE1u, 0, &bar), -ERR_NODEV);
}

static void test_dma_alloc(void)
{
	static const size_t aligns[] = { 1, 16, 128, 4096 };
	struct dma_buf buf;
	unsigned int i;
	size_t j;
	int rc;

	for (i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		rc = dma_alloc(&buf, 10000, aligns[i]);
		if (rc == -ERR_RANGE) {
			/* A 64-bit host's heap lies above 4 GiB, where no
			 * device of ours could reach: refused, nothing kept. */
			check(buf.virt == NULL && buf.raw == NULL);
			continue;
		}
		check_eq(rc, 0);
		if (rc)
			continue;
		check(((uintptr_t)buf.virt & (aligns[i] - 1)) == 0);
		check(buf.bus == (uintptr_t)buf.virt);
		check_eq(buf.size, 10000);
		for (j = 0; j < buf.size; j++)
			if (((uint8_t *)buf.virt)[j])
				break;
		check_eq(j, buf.size);	/* zeroed */
		memset(buf.virt, 0xA5, buf.size);	/* ASan: all ours */
		dma_free(&buf);
		check(buf.raw == NULL);
	}
	check_eq(dma_alloc(&buf, 0, 16), -ERR_INVAL);
	check_eq(dma_alloc(&buf, 16, 0), -ERR_INVAL);
	check_eq(dma_alloc(&buf, 16, 48), -ERR_INVAL);	/* not a power of 2 */
	check_eq(dma_alloc(&buf, SIZE_MAX - 8, 4096), -ERR_INVAL);
	dma_free(&buf);		/* an empty buffer is ignored */
}

int main(void)
{
	test_run(test_bar_mem32);
	test_run(test_bar_io);
	test_run(test_bar_mem64);
	test_run(test_bar_absent);
	test_run(test_dma_alloc);
	return test_exit();
}
