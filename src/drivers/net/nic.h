/*
 * nic.h - native polled NIC drivers behind the core's struct netdev.
 *
 * For firmware with no network stack of its own beneath aoeboot (a legacy
 * option ROM, aoeboot.lkrn started without PXE): nic_probe_all() walks the
 * PCI bus and brings up every supported card; each becomes a struct netdev
 * the AoE engine drives directly.  The drivers never take interrupts: the
 * core polls.  nic_shutdown() resets a card so the next owner (Linux) finds
 * it as the firmware left it, without rings pointing into our memory.
 */
#ifndef AOEBOOT_NIC_H
#define AOEBOOT_NIC_H

#include <stdint.h>
#include "../pci.h"
#include "platform.h"

struct nic;

/** A PCI vendor:device pair a driver takes. */
struct nic_pci_id {
	uint16_t vendor, device;
};

/** One driver: the PCI IDs it takes and how to start and stop a card. */
struct nic_driver {
	const char *name;
	const struct nic_pci_id *ids;
	unsigned int nids;
	/**
	 * Bring the card up: reset, rings, MAC; fill nic->nd (ops, mac, mtu).
	 *
	 * @v nic	nic->pci and nic->nd.name are set
	 * @ret rc	0 or negative ERR_* (the driver has logged why and
	 *		released everything)
	 */
	int (*open)(struct nic *nic);
	/**
	 * Reset the card and release its memory; nic->priv is then NULL.
	 *
	 * @v nic	an opened card
	 */
	void (*close)(struct nic *nic);
};

/** A card brought up by a driver. */
struct nic {
	struct netdev nd;	/**< what the core sees; nd.priv = this */
	const struct nic_driver *drv;
	struct pci_dev pci;
	void *priv;		/**< the driver's state */
	const uint8_t *want_mac;	/**< a MAC to use instead of the card's
					 *   own (the PXE ROM's), or NULL */
};

extern const struct nic_driver virtio_net_driver;
extern const struct nic_driver e1000_driver;

/**
 * Find and bring up every supported NIC, in PCI bus order.
 *
 * @v out	receives up to @max network devices
 * @v max	capacity of @out
 * @ret count	cards brought up (0 when none); cards that fail to come up
 *		are logged and skipped
 */
int nic_probe_all(struct netdev **out, unsigned int max);

/**
 * The driver that takes a PCI vendor:device pair.
 *
 * @v vendor	PCI vendor ID
 * @v device	PCI device ID
 * @ret drv	the driver, or NULL when none knows the card
 */
const struct nic_driver *nic_driver_for_id(uint16_t vendor, uint16_t device);

/**
 * Bring up the one card at @bus:@dev.@fn (the PXE ROM's), when a driver
 * knows the vendor:device its configuration space holds.
 *
 * @v bus, dev, fn	the PCI function
 * @v mac		the MAC to use (receive filter and source address),
 *			or NULL for the card's own
 * @ret nd		the network device (free it with nic_shutdown()), or
 *			NULL: no card there, no driver for it, or it failed to
 *			come up (logged)
 */
struct netdev *nic_open_pci(uint8_t bus, uint8_t dev, uint8_t fn,
			    const uint8_t *mac);

/**
 * Reset one card from nic_probe_all() and free it; @nd is invalid after.
 *
 * @v nd	network device, or NULL (ignored)
 */
void nic_shutdown(struct netdev *nd);

/**
 * nic_shutdown() on each of @count devices: call before a kernel hand-off.
 *
 * @v nds	devices from nic_probe_all()
 * @v count	how many
 */
void nic_shutdown_all(struct netdev **nds, unsigned int count);

/**
 * Copy a frame for transmission and pad it to the 60-byte Ethernet
 * minimum with zeros (the core leaves padding to the platform).
 *
 * @v dst	transmit buffer, at least MAX(@len, 60) bytes
 * @v frame	frame
 * @v len	frame length
 * @ret len	bytes to send
 */
size_t nic_copy_padded(void *dst, const void *frame, size_t len);

#endif
