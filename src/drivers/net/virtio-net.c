/*
 * virtio-net.c - polled driver for legacy/transitional virtio-net (1af4:1000).
 *
 * The legacy interface (virtio 0.9.5, "legacy" in virtio 1.x section 4.1.4.8)
 * is a 32-byte I/O BAR0: features, one queue at a time selected and given
 * a page frame number, a notify register and the device status.  Each
 * queue is one physically contiguous area: descriptors, the available
 * ring, padding to 4096, the used ring.  Only VIRTIO_NET_F_MAC is
 * negotiated, so every frame carries the 10-byte struct virtio_net_hdr and
 * no checksum or segmentation offload is in play (VIRTIO_NET_F_MTU too,
 * when offered: jumbo frames then need no other feature).  Without ANY_LAYOUT the
 * header must sit in a descriptor of its own, so every buffer is a chain
 * of two: header, then frame.  Queue 0 receives, queue 1 transmits.
 */
#include <stdbool.h>
#include <stdint.h>
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "nic.h"

/* Legacy I/O BAR registers. */
#define VIO_HOST_FEATURES	0x00	/* u32 */
#define VIO_GUEST_FEATURES	0x04	/* u32 */
#define VIO_QUEUE_PFN		0x08	/* u32, address >> 12 */
#define VIO_QUEUE_SIZE		0x0C	/* u16, fixed by the device */
#define VIO_QUEUE_SELECT	0x0E	/* u16 */
#define VIO_QUEUE_NOTIFY	0x10	/* u16 */
#define VIO_STATUS		0x12	/* u8 */
#define VIO_NET_MAC		0x14	/* 6 bytes, device config without MSI-X */
#define VIO_NET_MTU		0x1E	/* u16, with VIRTIO_NET_F_MTU */
#define VIO_BAR_MIN		0x20	/* what we touch */

#define VIO_STATUS_ACK		0x01
#define VIO_STATUS_DRIVER	0x02
#define VIO_STATUS_DRIVER_OK	0x04
#define VIO_STATUS_FAILED	0x80

#define VIRTIO_NET_F_MTU	(1u << 3)
#define VIRTIO_NET_F_MAC	(1u << 5)

/* Queue memory layout. */
#define VQ_ALIGN		4096
#define VQ_PFN_SHIFT		12
#define VQ_DESC_SIZE		16
#define VQ_DESC_ADDR		0	/* u64 */
#define VQ_DESC_LEN		8	/* u32 */
#define VQ_DESC_FLAGS		12	/* u16 */
#define VQ_DESC_NEXT		14	/* u16 */
#define VQ_DESC_F_NEXT		1
#define VQ_DESC_F_WRITE		2
#define VQ_AVAIL_FLAGS		0	/* u16 */
#define VQ_AVAIL_IDX		2	/* u16 */
#define VQ_AVAIL_RING		4	/* u16 per entry, then used_event */
#define VQ_USED_FLAGS		0	/* u16 */
#define VQ_USED_F_NO_NOTIFY	1
#define VQ_USED_IDX		2	/* u16 */
#define VQ_USED_RING		4	/* 8 bytes per entry: */
#define VQ_USED_ELEM_SIZE	8
#define VQ_USED_ELEM_ID		0	/* u32, head descriptor */
#define VQ_USED_ELEM_LEN	4	/* u32, bytes written */
#define VQ_MAX_SIZE		32768	/* virtio's limit on a queue's size */

#define VQ_RX			0
#define VQ_TX			1

/*
 * Buffers: each slot is a header + frame descriptor pair.  Without
 * MRG_RXBUF a receive buffer must hold the largest frame: 1518 bytes, or
 * the device's MTU (VIRTIO_NET_F_MTU, QEMU's host_mtu=) + 18 for jumbo
 * frames.
 */
#define VNET_HDR_LEN		10	/* struct virtio_net_hdr, no MRG_RXBUF */
#define VNET_SLOT_MIN		2048
#define VNET_SLOT_ALIGN		512
#define VNET_FRAME_OFF		64	/* frame after the header, aligned */
#define VNET_ETH_OVERHEAD	18	/* header + one VLAN tag */
#define VNET_RX_SLOTS		64
#define VNET_TX_SLOTS		32	/* a bitmap of 32 bits tracks them */
#define VNET_MTU		1500
#define VNET_MTU_MIN		68
#define VNET_MTU_MAX		9000
#define VNET_TX_WAIT_US		200000	/* a full TX queue drains in this */

/** One virtqueue. */
struct vq {
	struct dma_buf mem;
	uint8_t *desc, *avail, *used;
	uint16_t size;		/**< entries, from the device */
	uint16_t avail_idx;	/**< our copy of avail->idx */
	uint16_t used_seen;	/**< used entries consumed */
};

/** Driver state. */
struct vnet {
	uint16_t iobase;
	struct vq rx, tx;
	struct dma_buf rxbufs, txbufs;
	unsigned int rx_slots, tx_slots;
	size_t slot_size;	/**< bytes per buffer slot */
	size_t frame_max;	/**< largest frame a slot holds */
	uint32_t tx_busy;	/**< bit per TX slot the device still holds */
};

static size_t vq_used_offset(uint16_t size)
{
	size_t end = (size_t)size * VQ_DESC_SIZE + VQ_AVAIL_RING + 2u * size + 2;

	return (end + VQ_ALIGN - 1) & ~(size_t)(VQ_ALIGN - 1);
}

/* Point descriptor @index at @len bytes of bus address @addr. */
static void vq_set_desc(struct vq *vq, unsigned int index, uint64_t addr,
			uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *d = vq->desc + (size_t)index * VQ_DESC_SIZE;

	dma_put64(d, VQ_DESC_ADDR, addr);
	dma_put32(d, VQ_DESC_LEN, len);
	dma_put16(d, VQ_DESC_FLAGS, flags);
	dma_put16(d, VQ_DESC_NEXT, next);
}

/* Offer the chain starting at @head; the caller kicks. */
static void vq_push(struct vq *vq, uint16_t head)
{
	dma_put16(vq->avail, VQ_AVAIL_RING + 2u * (vq->avail_idx % vq->size),
		  head);
	dma_wmb();	/* the entry before the index that publishes it */
	vq->avail_idx++;
	dma_put16(vq->avail, VQ_AVAIL_IDX, vq->avail_idx);
}

/* Tell the device about new buffers unless it said it is polling anyway. */
static void vq_kick(struct vnet *vn, struct vq *vq, uint16_t queue)
{
	dma_mb();	/* the index store before the flags load */
	if (!(dma_get16(vq->used, VQ_USED_FLAGS) & VQ_USED_F_NO_NOTIFY))
		io_write16((uint16_t)(vn->iobase + VIO_QUEUE_NOTIFY), queue);
}

/*
 * Take the next used entry, if any.
 *
 * @ret true	*id and *len are the entry's
 */
static bool vq_pop(struct vq *vq, uint32_t *id, uint32_t *len)
{
	const uint8_t *elem;

	if (dma_get16(vq->used, VQ_USED_IDX) == vq->used_seen)
		return false;
	dma_rmb();	/* the index before the entry it covers */
	elem = vq->used + VQ_USED_RING +
	       (size_t)(vq->used_seen % vq->size) * VQ_USED_ELEM_SIZE;
	*id = dma_get32(elem, VQ_USED_ELEM_ID);
	*len = dma_get32(elem, VQ_USED_ELEM_LEN);
	vq->used_seen++;
	return true;
}

static int vq_setup(struct nic *nic, struct vnet *vn, struct vq *vq,
		    uint16_t queue)
{
	size_t used_off, bytes;
	int rc;

	io_write16((uint16_t)(vn->iobase + VIO_QUEUE_SELECT), queue);
	vq->size = io_read16((uint16_t)(vn->iobase + VIO_QUEUE_SIZE));
	if (vq->size < 2 || vq->size > VQ_MAX_SIZE ||
	    (vq->size & (vq->size - 1))) {
		log_error("%s: queue %u has size %u", nic->nd.name, queue,
			  vq->size);
		return -ERR_NODEV;
	}
	if (io_read32((uint16_t)(vn->iobase + VIO_QUEUE_PFN))) {
		log_error("%s: queue %u still in use after reset",
			  nic->nd.name, queue);
		return -ERR_IO;
	}
	used_off = vq_used_offset(vq->size);
	bytes = used_off + VQ_USED_RING + (size_t)vq->size * VQ_USED_ELEM_SIZE + 2;
	rc = dma_alloc(&vq->mem, bytes, VQ_ALIGN);
	if (rc < 0) {
		log_error("%s: queue %u: no memory for %zu bytes",
			  nic->nd.name, queue, bytes);
		return rc;
	}
	if ((vq->mem.bus >> VQ_PFN_SHIFT) > 0xFFFFFFFFu) {
		log_error("%s: queue %u memory beyond the legacy PFN's reach",
			  nic->nd.name, queue);
		dma_free(&vq->mem);
		return -ERR_RANGE;
	}
	vq->desc = vq->mem.virt;
	vq->avail = vq->desc + (size_t)vq->size * VQ_DESC_SIZE;
	vq->used = vq->desc + used_off;
	vq->avail_idx = 0;
	vq->used_seen = 0;
	io_write32((uint16_t)(vn->iobase + VIO_QUEUE_PFN),
		   (uint32_t)(vq->mem.bus >> VQ_PFN_SHIFT));
	return 0;
}

/* Post RX slot @slot (descriptors 2*slot and 2*slot+1) to the device. */
static void vnet_rx_post(struct vnet *vn, unsigned int slot)
{
	uint16_t head = (uint16_t)(2 * slot);
	uint64_t bus = vn->rxbufs.bus + (uint64_t)slot * vn->slot_size;

	vq_set_desc(&vn->rx, head, bus, VNET_HDR_LEN,
		    VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, (uint16_t)(head + 1));
	vq_set_desc(&vn->rx, head + 1u, bus + VNET_FRAME_OFF,
		    (uint32_t)vn->frame_max, VQ_DESC_F_WRITE, 0);
	vq_push(&vn->rx, head);
}

/* Mark the TX slots the device is done with as free. */
static void vnet_tx_reclaim(struct nic *nic, struct vnet *vn)
{
	uint32_t id, len;

	while (vq_pop(&vn->tx, &id, &len)) {
		if ((id & 1) || id / 2 >= vn->tx_slots) {
			log_warn("%s: device returned TX descriptor %u",
				 nic->nd.name, (unsigned int)id);
			continue;
		}
		vn->tx_busy &= ~(1u << (id / 2));
	}
}

static int vnet_transmit(struct netdev *nd, const void *frame, size_t len)
{
	struct nic *nic = nd->priv;
	struct vnet *vn = nic->priv;
	uint64_t deadline = 0;
	unsigned int slot;
	uint8_t *buf;
	uint64_t bus;
	uint16_t head;
	uint32_t full = vn->tx_slots == 32 ? 0xFFFFFFFFu :
			(1u << vn->tx_slots) - 1;

	if (len > vn->frame_max || len < 14)
		return -ERR_INVAL;
	for (;;) {
		vnet_tx_reclaim(nic, vn);
		if (vn->tx_busy != full)
			break;
		if (!deadline)
			deadline = plat_now_us() + VNET_TX_WAIT_US;
		else if (plat_now_us() >= deadline) {
			log_error("%s: transmit queue stuck", nd->name);
			return -ERR_TIMEOUT;
		}
		cpu_relax();
	}
	for (slot = 0; vn->tx_busy & (1u << slot); slot++)
		;
	buf = (uint8_t *)vn->txbufs.virt + (size_t)slot * vn->slot_size;
	bus = vn->txbufs.bus + (uint64_t)slot * vn->slot_size;
	len = nic_copy_padded(buf + VNET_FRAME_OFF, frame, len);
	head = (uint16_t)(2 * slot);
	/* The header stays zero: no offloads were negotiated. */
	vq_set_desc(&vn->tx, head, bus, VNET_HDR_LEN, VQ_DESC_F_NEXT,
		    (uint16_t)(head + 1));
	vq_set_desc(&vn->tx, head + 1u, bus + VNET_FRAME_OFF, (uint32_t)len,
		    0, 0);
	vn->tx_busy |= 1u << slot;
	vq_push(&vn->tx, head);
	vq_kick(vn, &vn->tx, VQ_TX);
	return 0;
}

static int vnet_poll(struct netdev *nd, void *buf, size_t size,
		     uint64_t deadline_us)
{
	struct nic *nic = nd->priv;
	struct vnet *vn = nic->priv;
	uint32_t id, len;
	unsigned int slot;
	size_t frame_len;

	for (;;) {
		while (vq_pop(&vn->rx, &id, &len)) {
			if ((id & 1) || id / 2 >= vn->rx_slots) {
				log_warn("%s: device returned RX descriptor %u",
					 nd->name, (unsigned int)id);
				continue;
			}
			slot = id / 2;
			frame_len = len >= VNET_HDR_LEN ? len - VNET_HDR_LEN : 0;
			if (frame_len > vn->frame_max)
				frame_len = 0;	/* nonsense: drop */
			if (frame_len && frame_len <= size)
				memcpy(buf, (uint8_t *)vn->rxbufs.virt +
				       (size_t)slot * vn->slot_size +
				       VNET_FRAME_OFF, frame_len);
			vnet_rx_post(vn, slot);
			vq_kick(vn, &vn->rx, VQ_RX);
			if (frame_len && frame_len <= size)
				return (int)frame_len;
		}
		if (!deadline_us || plat_now_us() >= deadline_us)
			return 0;
		cpu_relax();
	}
}

static const struct netdev_ops vnet_ops = {
	.transmit = vnet_transmit,
	.poll = vnet_poll,
};

static void vnet_free(struct vnet *vn)
{
	dma_free(&vn->rx.mem);
	dma_free(&vn->tx.mem);
	dma_free(&vn->rxbufs);
	dma_free(&vn->txbufs);
	plat_free(vn);
}

/* Reset: the device forgets its queues and stops touching our memory. */
static void vnet_reset(struct vnet *vn)
{
	io_write8((uint16_t)(vn->iobase + VIO_STATUS), 0);
	(void)io_read8((uint16_t)(vn->iobase + VIO_STATUS));
}

static int vnet_open(struct nic *nic)
{
	struct pci_bar bar;
	struct vnet *vn;
	uint32_t features;
	unsigned int i, mtu;
	int rc;

	rc = pci_bar_decode(&nic->pci, 0, &bar);
	if (rc < 0 || !bar.io || bar.size < VIO_BAR_MIN) {
		log_error("%s: BAR0 is not the legacy I/O window", nic->nd.name);
		return rc < 0 ? rc : -ERR_NOTSUP;
	}
	vn = plat_alloc(sizeof(*vn));
	if (!vn) {
		log_error("%s: out of memory", nic->nd.name);
		return -ERR_NOMEM;
	}
	memset(vn, 0, sizeof(*vn));
	vn->iobase = (uint16_t)bar.base;
	pci_enable(&nic->pci, true, false);

	vnet_reset(vn);
	io_write8((uint16_t)(vn->iobase + VIO_STATUS), VIO_STATUS_ACK);
	io_write8((uint16_t)(vn->iobase + VIO_STATUS),
		  VIO_STATUS_ACK | VIO_STATUS_DRIVER);
	features = io_read32((uint16_t)(vn->iobase + VIO_HOST_FEATURES));
	io_write32((uint16_t)(vn->iobase + VIO_GUEST_FEATURES),
		   features & (VIRTIO_NET_F_MAC | VIRTIO_NET_F_MTU));
	if (!(features & VIRTIO_NET_F_MAC)) {
		log_error("%s: device offers no MAC address", nic->nd.name);
		rc = -ERR_NOTSUP;
		goto err;
	}
	mtu = VNET_MTU;
	if (features & VIRTIO_NET_F_MTU) {
		mtu = io_read16((uint16_t)(vn->iobase + VIO_NET_MTU));
		if (mtu < VNET_MTU_MIN || mtu > VNET_MTU_MAX) {
			log_warn("%s: device MTU %u out of range, using %u",
				 nic->nd.name, mtu, VNET_MTU);
			mtu = VNET_MTU;
		}
	}
	vn->frame_max = (mtu + VNET_ETH_OVERHEAD + VNET_SLOT_ALIGN - 1) &
			~(size_t)(VNET_SLOT_ALIGN - 1);
	vn->slot_size = MAX((size_t)VNET_SLOT_MIN,
			    VNET_FRAME_OFF + vn->frame_max);
	vn->frame_max = vn->slot_size - VNET_FRAME_OFF;

	rc = vq_setup(nic, vn, &vn->rx, VQ_RX);
	if (rc < 0)
		goto err;
	rc = vq_setup(nic, vn, &vn->tx, VQ_TX);
	if (rc < 0)
		goto err;
	vn->rx_slots = MIN(VNET_RX_SLOTS, vn->rx.size / 2u);
	vn->tx_slots = MIN(VNET_TX_SLOTS, vn->tx.size / 2u);
	rc = dma_alloc(&vn->rxbufs, (size_t)vn->rx_slots * vn->slot_size, 64);
	if (rc == 0)
		rc = dma_alloc(&vn->txbufs, (size_t)vn->tx_slots * vn->slot_size,
			       64);
	if (rc < 0) {
		log_error("%s: no memory for buffers", nic->nd.name);
		goto err;
	}
	for (i = 0; i < vn->rx_slots; i++)
		vnet_rx_post(vn, i);

	/*
	 * A MAC asked for goes into the config space (writable on a legacy
	 * device without VIRTIO_NET_F_CTRL_MAC_ADDR: the device filters by
	 * it); what reads back is what the device uses.
	 */
	for (i = 0; nic->want_mac && i < 6; i++)
		io_write8((uint16_t)(vn->iobase + VIO_NET_MAC + i),
			  nic->want_mac[i]);
	for (i = 0; i < 6; i++)
		nic->nd.mac[i] = io_read8((uint16_t)(vn->iobase + VIO_NET_MAC + i));
	if (nic->want_mac && memcmp(nic->nd.mac, nic->want_mac, 6))
		log_warn("%s: the device kept its own MAC", nic->nd.name);
	io_write8((uint16_t)(vn->iobase + VIO_STATUS), VIO_STATUS_ACK |
		  VIO_STATUS_DRIVER | VIO_STATUS_DRIVER_OK);
	if (io_read8((uint16_t)(vn->iobase + VIO_STATUS)) & VIO_STATUS_FAILED) {
		log_error("%s: device refused the driver", nic->nd.name);
		rc = -ERR_IO;
		goto err;
	}
	vq_kick(vn, &vn->rx, VQ_RX);

	nic->priv = vn;
	nic->nd.ops = &vnet_ops;
	nic->nd.mtu = mtu;
	return 0;

err:
	vnet_reset(vn);
	pci_disable_master(&nic->pci);
	vnet_free(vn);
	return rc;
}

static void vnet_close(struct nic *nic)
{
	struct vnet *vn = nic->priv;

	if (!vn)
		return;
	vnet_reset(vn);
	pci_disable_master(&nic->pci);
	vnet_free(vn);
	nic->priv = NULL;
}

/* Transitional virtio-net; the modern-only 1af4:1041 has no I/O BAR. */
static const struct nic_pci_id vnet_ids[] = {
	{ 0x1af4, 0x1000 },
};

const struct nic_driver virtio_net_driver = {
	.name = "virtio-net",
	.ids = vnet_ids,
	.nids = ARRAY_SIZE(vnet_ids),
	.open = vnet_open,
	.close = vnet_close,
};
