/*
 * e1000.c - polled driver for the Intel 82540EM (8086:100e, QEMU's e1000)
 * and 82545EM (8086:100f, QEMU's e1000-82545em).
 *
 * Register and descriptor layout from Intel's PCI/PCI-X Family of Gigabit
 * Ethernet Controllers Software Developer's Manual (8254x).  One legacy
 * receive ring and one legacy transmit ring of 16-byte descriptors in our
 * memory; the card owns the descriptors from head up to tail - 1, so one
 * receive descriptor is always held back (tail = the one last consumed)
 * and the transmit ring never fills completely.  Interrupts stay masked.
 */
#include <stdbool.h>
#include <stdint.h>
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "nic.h"

/* Registers (offsets into the 128 KiB MMIO BAR0). */
#define E1000_CTRL		0x0000
#define E1000_STATUS		0x0008
#define E1000_EERD		0x0014
#define E1000_ICR		0x00C0
#define E1000_IMC		0x00D8
#define E1000_RCTL		0x0100
#define E1000_TCTL		0x0400
#define E1000_TIPG		0x0410
#define E1000_RDBAL		0x2800
#define E1000_RDBAH		0x2804
#define E1000_RDLEN		0x2808
#define E1000_RDH		0x2810
#define E1000_RDT		0x2818
#define E1000_TDBAL		0x3800
#define E1000_TDBAH		0x3804
#define E1000_TDLEN		0x3808
#define E1000_TDH		0x3810
#define E1000_TDT		0x3818
#define E1000_MTA		0x5200	/* 128 entries of u32 */
#define E1000_MTA_ENTRIES	128
#define E1000_RAL0		0x5400
#define E1000_RAH0		0x5404
#define E1000_BAR_MIN		0x20000

#define E1000_CTRL_LRST		(1u << 3)
#define E1000_CTRL_ASDE		(1u << 5)
#define E1000_CTRL_SLU		(1u << 6)
#define E1000_CTRL_ILOS		(1u << 7)
#define E1000_CTRL_RST		(1u << 26)
#define E1000_CTRL_VME		(1u << 30)
#define E1000_CTRL_PHY_RST	(1u << 31)
#define E1000_STATUS_LU		(1u << 1)
#define E1000_EERD_START	(1u << 0)
#define E1000_EERD_DONE		(1u << 4)
#define E1000_EERD_ADDR_SHIFT	8
#define E1000_EERD_DATA_SHIFT	16
#define E1000_RAH_AV		(1u << 31)
#define E1000_RCTL_EN		(1u << 1)
#define E1000_RCTL_BAM		(1u << 15)	/* accept broadcast */
#define E1000_RCTL_BSIZE_2048	(0u << 16)	/* with BSEX clear */
#define E1000_RCTL_SECRC	(1u << 26)	/* strip the FCS */
#define E1000_TCTL_EN		(1u << 1)
#define E1000_TCTL_PSP		(1u << 3)	/* pad short packets */
#define E1000_TCTL_CT		(0x0Fu << 4)	/* collision threshold */
#define E1000_TCTL_COLD_FD	(0x40u << 12)	/* collision distance, FD */
#define E1000_TIPG_COPPER	(10u | 8u << 10 | 6u << 20)

/* Legacy descriptors: receive and transmit share the address and length. */
#define E1000_DESC_SIZE		16
#define E1000_DESC_ADDR		0	/* u64 */
#define E1000_DESC_LEN		8	/* u16 */
#define E1000_RXD_STATUS	12	/* u8 */
#define E1000_RXD_ERRORS	13	/* u8 */
#define E1000_TXD_CMD		11	/* u8 */
#define E1000_TXD_STATUS	12	/* u8 */
#define E1000_RXD_STAT_DD	0x01
#define E1000_RXD_STAT_EOP	0x02
#define E1000_TXD_CMD_EOP	0x01
#define E1000_TXD_CMD_IFCS	0x02
#define E1000_TXD_CMD_RS	0x08
#define E1000_TXD_STAT_DD	0x01

#define E1000_RX_DESCS		64	/* ring bytes a multiple of 128 */
#define E1000_RX_BATCH		16	/* consumed descriptors per RDT write */
#define E1000_TX_DESCS		32
#define E1000_BUF_SIZE		2048	/* matches RCTL.BSIZE */
#define E1000_MTU		1500
#define E1000_RESET_US		100000
#define E1000_RESET_PAUSE_US	1000	/* the manual: wait before access */
#define E1000_EEPROM_US		10000
#define E1000_LINK_US		3000000
#define E1000_TX_WAIT_US	200000

/** Driver state. */
struct e1000 {
	volatile uint8_t *regs;
	struct dma_buf rx_ring, tx_ring, rx_bufs, tx_bufs;
	unsigned int rx_next;	/**< next descriptor the card fills */
	unsigned int rx_unreturned;	/**< consumed, RDT not yet moved */
	unsigned int tx_tail;	/**< next descriptor we fill */
	unsigned int tx_head;	/**< oldest descriptor not yet done */
	unsigned int tx_pending;
};

static uint32_t e1000_read(const struct e1000 *hw, size_t reg)
{
	return mmio_read32(hw->regs, reg);
}

static void e1000_write(struct e1000 *hw, size_t reg, uint32_t val)
{
	mmio_write32(hw->regs, reg, val);
}

/* Wait for (register & mask) == want, for up to @us microseconds. */
static bool e1000_wait(const struct e1000 *hw, size_t reg, uint32_t mask,
		       uint32_t want, uint32_t us)
{
	uint64_t deadline = plat_now_us() + us;

	for (;;) {
		if ((e1000_read(hw, reg) & mask) == want)
			return true;
		if (plat_now_us() >= deadline)
			return false;
		cpu_relax();
	}
}

/* Busy-wait @us microseconds. */
static void e1000_delay(uint32_t us)
{
	uint64_t until = plat_now_us() + us;

	while (plat_now_us() < until)
		cpu_relax();
}

/* Software reset, interrupts masked and acknowledged. */
static int e1000_reset(struct e1000 *hw)
{
	e1000_write(hw, E1000_IMC, 0xFFFFFFFFu);
	e1000_write(hw, E1000_RCTL, 0);
	e1000_write(hw, E1000_TCTL, 0);
	e1000_write(hw, E1000_CTRL, e1000_read(hw, E1000_CTRL) | E1000_CTRL_RST);
	e1000_delay(E1000_RESET_PAUSE_US);
	if (!e1000_wait(hw, E1000_CTRL, E1000_CTRL_RST, 0, E1000_RESET_US))
		return -ERR_TIMEOUT;
	e1000_write(hw, E1000_IMC, 0xFFFFFFFFu);
	(void)e1000_read(hw, E1000_ICR);
	return 0;
}

/* One EEPROM word through EERD; -1 on timeout. */
static int32_t e1000_eeprom_word(struct e1000 *hw, unsigned int addr)
{
	uint32_t v;
	uint64_t deadline;

	e1000_write(hw, E1000_EERD,
		    E1000_EERD_START | (uint32_t)addr << E1000_EERD_ADDR_SHIFT);
	deadline = plat_now_us() + E1000_EEPROM_US;
	for (;;) {
		v = e1000_read(hw, E1000_EERD);
		if (v & E1000_EERD_DONE)
			return (int32_t)(v >> E1000_EERD_DATA_SHIFT);
		if (plat_now_us() >= deadline)
			return -1;
		cpu_relax();
	}
}

/* The MAC: the one asked for, else receive address 0 if valid, else
 * EEPROM words 0-2. */
static int e1000_read_mac(struct nic *nic, struct e1000 *hw)
{
	uint32_t ral = e1000_read(hw, E1000_RAL0);
	uint32_t rah = e1000_read(hw, E1000_RAH0);
	uint8_t *mac = nic->nd.mac;
	unsigned int i;
	int32_t word;

	if (nic->want_mac) {
		memcpy(mac, nic->want_mac, 6);
	} else if (rah & E1000_RAH_AV) {
		for (i = 0; i < 4; i++)
			mac[i] = (uint8_t)(ral >> (8 * i));
		mac[4] = (uint8_t)rah;
		mac[5] = (uint8_t)(rah >> 8);
	} else {
		for (i = 0; i < 3; i++) {
			word = e1000_eeprom_word(hw, i);
			if (word < 0) {
				log_error("%s: EEPROM does not answer",
					  nic->nd.name);
				return -ERR_IO;
			}
			mac[2 * i] = (uint8_t)word;
			mac[2 * i + 1] = (uint8_t)(word >> 8);
		}
	}
	if ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] |
			      mac[5])) {
		log_error("%s: no valid MAC address", nic->nd.name);
		return -ERR_NODEV;
	}
	/* Receive address 0 is the unicast filter: make sure it holds it. */
	e1000_write(hw, E1000_RAL0, (uint32_t)mac[0] | (uint32_t)mac[1] << 8 |
		    (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24);
	e1000_write(hw, E1000_RAH0, (uint32_t)mac[4] | (uint32_t)mac[5] << 8 |
		    E1000_RAH_AV);
	return 0;
}

static void e1000_setup_rx(struct e1000 *hw)
{
	unsigned int i;
	uint8_t *d;

	for (i = 0; i < E1000_RX_DESCS; i++) {
		d = (uint8_t *)hw->rx_ring.virt + (size_t)i * E1000_DESC_SIZE;
		dma_put64(d, E1000_DESC_ADDR,
			  hw->rx_bufs.bus + (uint64_t)i * E1000_BUF_SIZE);
		dma_put8(d, E1000_RXD_STATUS, 0);
	}
	dma_wmb();
	e1000_write(hw, E1000_RDBAL, (uint32_t)hw->rx_ring.bus);
	e1000_write(hw, E1000_RDBAH, (uint32_t)(hw->rx_ring.bus >> 32));
	e1000_write(hw, E1000_RDLEN, E1000_RX_DESCS * E1000_DESC_SIZE);
	e1000_write(hw, E1000_RDH, 0);
	e1000_write(hw, E1000_RDT, E1000_RX_DESCS - 1);
	hw->rx_next = 0;
	hw->rx_unreturned = 0;
	e1000_write(hw, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM |
		    E1000_RCTL_BSIZE_2048 | E1000_RCTL_SECRC);
}

static void e1000_setup_tx(struct e1000 *hw)
{
	unsigned int i;
	uint8_t *d;

	for (i = 0; i < E1000_TX_DESCS; i++) {
		d = (uint8_t *)hw->tx_ring.virt + (size_t)i * E1000_DESC_SIZE;
		dma_put64(d, E1000_DESC_ADDR,
			  hw->tx_bufs.bus + (uint64_t)i * E1000_BUF_SIZE);
	}
	dma_wmb();
	e1000_write(hw, E1000_TDBAL, (uint32_t)hw->tx_ring.bus);
	e1000_write(hw, E1000_TDBAH, (uint32_t)(hw->tx_ring.bus >> 32));
	e1000_write(hw, E1000_TDLEN, E1000_TX_DESCS * E1000_DESC_SIZE);
	e1000_write(hw, E1000_TDH, 0);
	e1000_write(hw, E1000_TDT, 0);
	hw->tx_tail = hw->tx_head = hw->tx_pending = 0;
	e1000_write(hw, E1000_TIPG, E1000_TIPG_COPPER);
	e1000_write(hw, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP |
		    E1000_TCTL_CT | E1000_TCTL_COLD_FD);
}

/* Forget the transmit descriptors the card has finished. */
static void e1000_tx_reclaim(struct e1000 *hw)
{
	const uint8_t *d;

	while (hw->tx_pending) {
		d = (const uint8_t *)hw->tx_ring.virt +
		    (size_t)hw->tx_head * E1000_DESC_SIZE;
		if (!(dma_get8(d, E1000_TXD_STATUS) & E1000_TXD_STAT_DD))
			break;
		hw->tx_head = (hw->tx_head + 1) % E1000_TX_DESCS;
		hw->tx_pending--;
	}
}

static int e1000_transmit(struct netdev *nd, const void *frame, size_t len)
{
	struct nic *nic = nd->priv;
	struct e1000 *hw = nic->priv;
	uint64_t deadline = 0;
	uint8_t *d;

	if (len > E1000_BUF_SIZE || len < 14)
		return -ERR_INVAL;
	for (;;) {
		e1000_tx_reclaim(hw);
		if (hw->tx_pending < E1000_TX_DESCS - 1)
			break;
		if (!deadline)
			deadline = plat_now_us() + E1000_TX_WAIT_US;
		else if (plat_now_us() >= deadline) {
			log_error("%s: transmit ring stuck", nd->name);
			return -ERR_TIMEOUT;
		}
		cpu_relax();
	}
	d = (uint8_t *)hw->tx_ring.virt + (size_t)hw->tx_tail * E1000_DESC_SIZE;
	len = nic_copy_padded((uint8_t *)hw->tx_bufs.virt +
			      (size_t)hw->tx_tail * E1000_BUF_SIZE, frame, len);
	dma_put16(d, E1000_DESC_LEN, (uint16_t)len);
	dma_put8(d, E1000_TXD_CMD, E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS |
		 E1000_TXD_CMD_RS);
	dma_put8(d, E1000_TXD_STATUS, 0);
	dma_wmb();	/* descriptor and data before the tail moves */
	hw->tx_tail = (hw->tx_tail + 1) % E1000_TX_DESCS;
	hw->tx_pending++;
	e1000_write(hw, E1000_TDT, hw->tx_tail);
	return 0;
}

/*
 * Give consumed receive descriptors back: the last one consumed becomes
 * the one held back.  Batched, because every register write is a trap
 * into the hypervisor (or a slow bus cycle); the ring is four batches deep.
 */
static void e1000_rx_return(struct e1000 *hw)
{
	if (!hw->rx_unreturned)
		return;
	dma_wmb();	/* cleared status words before the card sees them */
	e1000_write(hw, E1000_RDT,
		    (hw->rx_next + E1000_RX_DESCS - 1) % E1000_RX_DESCS);
	hw->rx_unreturned = 0;
}

static int e1000_poll(struct netdev *nd, void *buf, size_t size,
		      uint64_t deadline_us)
{
	struct nic *nic = nd->priv;
	struct e1000 *hw = nic->priv;
	uint8_t *d;
	uint8_t status, errors;
	size_t len;
	bool take;

	for (;;) {
		d = (uint8_t *)hw->rx_ring.virt +
		    (size_t)hw->rx_next * E1000_DESC_SIZE;
		status = dma_get8(d, E1000_RXD_STATUS);
		if (status & E1000_RXD_STAT_DD) {
			dma_rmb();	/* status before length and data */
			len = dma_get16(d, E1000_DESC_LEN);
			errors = dma_get8(d, E1000_RXD_ERRORS);
			/* Frames spanning descriptors cannot happen with
			 * 2 KiB buffers at MTU 1500; drop them if they do. */
			take = (status & E1000_RXD_STAT_EOP) && !errors &&
			       len >= 14 && len <= E1000_BUF_SIZE && len <= size;
			if (take)
				memcpy(buf, (uint8_t *)hw->rx_bufs.virt +
				       (size_t)hw->rx_next * E1000_BUF_SIZE, len);
			dma_put8(d, E1000_RXD_STATUS, 0);
			hw->rx_next = (hw->rx_next + 1) % E1000_RX_DESCS;
			if (++hw->rx_unreturned >= E1000_RX_BATCH)
				e1000_rx_return(hw);
			if (take)
				return (int)len;
			continue;
		}
		/* Idle: the card gets everything back before we wait. */
		e1000_rx_return(hw);
		if (!deadline_us || plat_now_us() >= deadline_us)
			return 0;
		cpu_relax();
	}
}

static const struct netdev_ops e1000_ops = {
	.transmit = e1000_transmit,
	.poll = e1000_poll,
};

static void e1000_free(struct e1000 *hw)
{
	dma_free(&hw->rx_ring);
	dma_free(&hw->tx_ring);
	dma_free(&hw->rx_bufs);
	dma_free(&hw->tx_bufs);
	plat_free(hw);
}

static int e1000_open(struct nic *nic)
{
	struct pci_bar bar;
	struct e1000 *hw;
	uint32_t ctrl;
	unsigned int i;
	int rc;

	rc = pci_bar_decode(&nic->pci, 0, &bar);
	if (rc < 0 || bar.io || bar.size < E1000_BAR_MIN) {
		log_error("%s: BAR0 is not the 128 KiB register window",
			  nic->nd.name);
		return rc < 0 ? rc : -ERR_NOTSUP;
	}
	if (bar.base + bar.size > (uint64_t)UINTPTR_MAX) {
		log_error("%s: registers above the reachable address space",
			  nic->nd.name);
		return -ERR_RANGE;
	}
	hw = plat_alloc(sizeof(*hw));
	if (!hw) {
		log_error("%s: out of memory", nic->nd.name);
		return -ERR_NOMEM;
	}
	memset(hw, 0, sizeof(*hw));
	hw->regs = (volatile uint8_t *)(uintptr_t)bar.base;
	pci_enable(&nic->pci, false, true);

	rc = e1000_reset(hw);
	if (rc < 0) {
		log_error("%s: reset did not complete", nic->nd.name);
		goto err;
	}
	rc = e1000_read_mac(nic, hw);
	if (rc < 0)
		goto err;
	for (i = 0; i < E1000_MTA_ENTRIES; i++)
		e1000_write(hw, E1000_MTA + 4 * i, 0);

	rc = dma_alloc(&hw->rx_ring, E1000_RX_DESCS * E1000_DESC_SIZE, 128);
	if (rc == 0)
		rc = dma_alloc(&hw->tx_ring, E1000_TX_DESCS * E1000_DESC_SIZE,
			       128);
	if (rc == 0)
		rc = dma_alloc(&hw->rx_bufs, E1000_RX_DESCS * E1000_BUF_SIZE,
			       64);
	if (rc == 0)
		rc = dma_alloc(&hw->tx_bufs, E1000_TX_DESCS * E1000_BUF_SIZE,
			       64);
	if (rc < 0) {
		log_error("%s: no memory for the rings", nic->nd.name);
		goto err;
	}

	/* Link: force it up (QEMU and copper PHYs negotiate on their own). */
	ctrl = e1000_read(hw, E1000_CTRL);
	ctrl |= E1000_CTRL_SLU | E1000_CTRL_ASDE;
	ctrl &= ~(E1000_CTRL_LRST | E1000_CTRL_PHY_RST | E1000_CTRL_ILOS |
		  E1000_CTRL_VME);
	e1000_write(hw, E1000_CTRL, ctrl);
	e1000_setup_rx(hw);
	e1000_setup_tx(hw);
	if (!e1000_wait(hw, E1000_STATUS, E1000_STATUS_LU, E1000_STATUS_LU,
			E1000_LINK_US))
		log_warn("%s: link still down, going on", nic->nd.name);

	nic->priv = hw;
	nic->nd.ops = &e1000_ops;
	nic->nd.mtu = E1000_MTU;
	return 0;

err:
	e1000_reset(hw);
	pci_disable_master(&nic->pci);
	e1000_free(hw);
	return rc;
}

static void e1000_close(struct nic *nic)
{
	struct e1000 *hw = nic->priv;

	if (!hw)
		return;
	if (e1000_reset(hw) < 0)
		log_warn("%s: reset did not complete", nic->nd.name);
	pci_disable_master(&nic->pci);
	e1000_free(hw);
	nic->priv = NULL;
}

/* The 8254x parts with EERD and this register layout that QEMU models:
 * 82540EM (e1000) and 82545EM copper (e1000-82545em). */
static const struct nic_pci_id e1000_ids[] = {
	{ 0x8086, 0x100e },
	{ 0x8086, 0x100f },
};

const struct nic_driver e1000_driver = {
	.name = "e1000",
	.ids = e1000_ids,
	.nids = ARRAY_SIZE(e1000_ids),
	.open = e1000_open,
	.close = e1000_close,
};
