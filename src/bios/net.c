/*
 * net.c - which NIC AoE runs on under BIOS.
 *
 * Loaded by a PXE ROM, the card it booted from is driven by our own
 * driver when one knows it, as iPXE's ipxe.pxe does: UNDI costs a real-
 * mode round trip per received frame and two per transmitted one (0.6
 * MiB/s in docs/bench-boot.md), the native drivers read at 20-30 MiB/s on
 * the same machine.  The cached DHCP packet and the settings file have
 * been read through the stack before this runs; UNDI names the card
 * (GET_NIC_TYPE), the stack is unloaded the way PXE requires, and the
 * driver opens that one PCI function with the MAC the ROM used.  net=undi,
 * a card no driver knows, or a stack that cannot say: UNDI as before.
 * Without a PXE stack (.lkrn, our option ROM) every card the drivers know.
 */
#include "bios.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "nic.h"

/* The UNDI device in @nics[0]; 1, or 0 when it does not open. */
static unsigned int net_undi(struct pxe_info *pxe, const char *why,
			     struct netdev **undi, struct netdev **nics)
{
	struct netdev *nd = pxe_open(pxe);

	if (!nd)
		return 0;
	log_info("net: UNDI (%s)", why);
	*undi = nd;
	nics[0] = nd;
	return 1;
}

/* Every card the native drivers know. */
static unsigned int net_probe(struct netdev **nics, unsigned int max,
			      unsigned int *nnics, bool had_pxe)
{
	unsigned int n = (unsigned int)MAX(nic_probe_all(nics, max), 0);

	*nnics = n;
	if (n == 0)
		log_error("no network: %s and no NIC the native drivers know",
			  had_pxe ? "the PXE stack failed" :
			  "no PXE stack (not started by a PXE ROM)");
	else
		log_info("%s: %u NIC%s through the native drivers",
			 had_pxe ? "net" : "no PXE stack", n, n == 1 ? "" : "s");
	return n;
}

unsigned int bios_net_open(struct pxe_info *pxe, bool force_undi,
			   struct netdev **undi, struct netdev **nics,
			   unsigned int max, unsigned int *nnics)
{
	const struct nic_driver *drv;
	struct pxe_nic card;
	struct netdev *nd;
	char why[48];
	int rc;

	*undi = NULL;
	*nnics = 0;
	if (max == 0)
		return 0;
	if (!pxe_find(pxe))
		return net_probe(nics, max, nnics, false);
	rc = force_undi ? -ERR_NOENT : pxe_nic(pxe, &card);
	drv = rc == 0 ? nic_driver_for_id(card.vendor, card.device) : NULL;
	if (!drv) {
		if (force_undi)
			fmt_snprintf(why, sizeof(why), "net=undi");
		else if (rc == 0)
			fmt_snprintf(why, sizeof(why), "no native driver for "
				     "%04x:%04x", card.vendor, card.device);
		else
			fmt_snprintf(why, sizeof(why), "%s",
				     rc == -ERR_NOTSUP ? "not a PCI NIC" :
				     "GET_NIC_TYPE failed");
		if (net_undi(pxe, why, undi, nics))
			return 1;
		return net_probe(nics, max, nnics, true);
	}
	pxe_stack_unload();
	nd = nic_open_pci(card.bus, card.dev, card.fn, card.mac);
	if (!nd) {
		log_error("net: %s %02x:%02x.%x did not come up after the PXE "
			  "stack was unloaded", drv->name, card.bus, card.dev,
			  card.fn);
		return net_probe(nics, max, nnics, true);
	}
	log_info("net: %s %02x:%02x.%x (native driver; PXE stack unloaded)",
		 drv->name, card.bus, card.dev, card.fn);
	nics[0] = nd;
	*nnics = 1;
	return 1;
}
