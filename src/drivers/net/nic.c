/*
 * nic.c - find supported NICs on the PCI bus and hand them to the core.
 */
#include <stdbool.h>
#include <stdint.h>
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "nic.h"

#define ETH_ZLEN	60	/* shortest frame without the FCS */

static const struct nic_driver *const nic_drivers[] = {
	&virtio_net_driver,
	&e1000_driver,
};

/* What pci_scan() carries between callbacks. */
struct nic_scan {
	struct netdev **out;
	unsigned int max;
	unsigned int count;
};

const struct nic_driver *nic_driver_for_id(uint16_t vendor, uint16_t device)
{
	size_t i;
	unsigned int j;

	for (i = 0; i < ARRAY_SIZE(nic_drivers); i++)
		for (j = 0; j < nic_drivers[i]->nids; j++)
			if (nic_drivers[i]->ids[j].vendor == vendor &&
			    nic_drivers[i]->ids[j].device == device)
				return nic_drivers[i];
	return NULL;
}

/* Bring up @pci with @drv: the device, or NULL (logged). */
static struct netdev *nic_bring_up(const struct nic_driver *drv,
				   const struct pci_dev *pci,
				   const uint8_t *mac)
{
	struct nic *nic;

	nic = plat_alloc(sizeof(*nic));
	if (!nic) {
		log_error("%s %02x:%02x.%x: out of memory", drv->name,
			  pci->bus, pci->dev, pci->fn);
		return NULL;
	}
	memset(nic, 0, sizeof(*nic));
	nic->drv = drv;
	nic->pci = *pci;
	nic->nd.priv = nic;
	nic->want_mac = mac;
	fmt_snprintf(nic->nd.name, sizeof(nic->nd.name), "%s@%02x:%02x.%x",
		     drv->name, pci->bus, pci->dev, pci->fn);
	if (drv->open(nic) < 0) {
		plat_free(nic);
		return NULL;
	}
	nic->want_mac = NULL;	/* the caller's buffer need not outlive us */
	log_info("%s: %02x:%02x:%02x:%02x:%02x:%02x, MTU %u", nic->nd.name,
		 nic->nd.mac[0], nic->nd.mac[1], nic->nd.mac[2],
		 nic->nd.mac[3], nic->nd.mac[4], nic->nd.mac[5], nic->nd.mtu);
	return &nic->nd;
}

static bool nic_scan_one(const struct pci_dev *pci, void *arg)
{
	struct nic_scan *scan = arg;
	const struct nic_driver *drv = nic_driver_for_id(pci->vendor,
							 pci->device);
	struct netdev *nd;

	if (!drv)
		return false;
	if (scan->count >= scan->max) {
		log_warn("%s %02x:%02x.%x: skipped, room for %u NICs only",
			 drv->name, pci->bus, pci->dev, pci->fn, scan->max);
		return false;
	}
	nd = nic_bring_up(drv, pci, NULL);
	if (nd)
		scan->out[scan->count++] = nd;
	return false;
}

struct netdev *nic_open_pci(uint8_t bus, uint8_t dev, uint8_t fn,
			    const uint8_t *mac)
{
	struct pci_dev pci = { .bus = bus, .dev = dev, .fn = fn };
	const struct nic_driver *drv;
	uint32_t id;

	if (dev >= 32 || fn >= 8)
		return NULL;
	id = pci_read32(&pci, PCI_VENDOR_ID);
	pci.vendor = (uint16_t)id;
	pci.device = (uint16_t)(id >> 16);
	drv = nic_driver_for_id(pci.vendor, pci.device);
	if (!drv) {
		log_error("%02x:%02x.%x: %04x:%04x, no driver for it", bus, dev,
			  fn, pci.vendor, pci.device);
		return NULL;
	}
	return nic_bring_up(drv, &pci, mac);
}

int nic_probe_all(struct netdev **out, unsigned int max)
{
	struct nic_scan scan = { .out = out, .max = max, .count = 0 };

	pci_scan(nic_scan_one, &scan);
	return (int)scan.count;
}

void nic_shutdown(struct netdev *nd)
{
	struct nic *nic;

	if (!nd)
		return;
	nic = nd->priv;
	nic->drv->close(nic);
	plat_free(nic);
}

void nic_shutdown_all(struct netdev **nds, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		nic_shutdown(nds[i]);
		nds[i] = NULL;
	}
}

size_t nic_copy_padded(void *dst, const void *frame, size_t len)
{
	memcpy(dst, frame, len);
	if (len < ETH_ZLEN) {
		memset((uint8_t *)dst + len, 0, ETH_ZLEN - len);
		len = ETH_ZLEN;
	}
	return len;
}
