/*
 * snp.c - struct netdev over EFI_SIMPLE_NETWORK_PROTOCOL.
 *
 * The firmware's Managed Network driver (MNP) binds every SNP and polls it
 * from a timer, taking frames we are waiting for.  So each SNP is opened
 * EXCLUSIVE: the firmware disconnects MNP and everything above it (ARP,
 * IP, PXE) and we are the only reader.  snp_close_all() reconnects them.
 * When exclusive access is refused, the SNP is used shared and each call
 * runs at TPL_CALLBACK, which keeps MNP's timer from running inside it.
 *
 * Transmit copies the frame into a buffer of our own, because SNP owns it
 * until GetStatus hands it back; GetStatus is called whenever a buffer is
 * wanted and while waiting for frames.
 */
#include <efi.h>
#include "dhcp.h"
#include "efiboot.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

#define SNP_TX_BUFS		32
#define SNP_TX_WAIT_US		200000	/* give up on a stuck TX ring */
#define SNP_MIN_FRAME		60

static const EFI_GUID snp_guid = EFI_SIMPLE_NETWORK_PROTOCOL_GUID;
static const EFI_GUID pxe_guid = EFI_PXE_BASE_CODE_PROTOCOL_GUID;
static const EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static const EFI_GUID devpath_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;

/** One NIC: the netdev the core sees and the SNP behind it. */
struct snp_nic {
	struct netdev nd;
	EFI_HANDLE handle;
	EFI_SIMPLE_NETWORK_PROTOCOL *snp;
	bool exclusive;		/**< opened EXCLUSIVE (MNP disconnected) */
	bool started;		/**< we called Start */
	bool initialized;	/**< we called Initialize */
	size_t frame_max;	/**< largest frame: header + MTU */
	uint8_t *rxbuf;		/**< MaxPacketSize + MediaHeaderSize + 8 */
	size_t rxsize;
	uint8_t *txbufs;	/**< SNP_TX_BUFS of frame_max (>= 60) */
	bool txbusy[SNP_TX_BUFS];
	unsigned int txnext;
	bool warned_tx;
};

static EFI_TPL snp_enter(struct snp_nic *nic)
{
	return nic->exclusive ? 0 : efi_bs->RaiseTPL(TPL_CALLBACK);
}

static void snp_leave(struct snp_nic *nic, EFI_TPL old)
{
	if (!nic->exclusive)
		efi_bs->RestoreTPL(old);
}

/* Collect the TX buffers SNP has finished with. */
static void snp_reclaim(struct snp_nic *nic)
{
	unsigned int i;
	VOID *txbuf;

	for (;;) {
		txbuf = NULL;
		/* No InterruptStatus: reading it costs a device register
		 * access (virtio's ISR) on every poll. */
		if (nic->snp->GetStatus(nic->snp, NULL, &txbuf) != EFI_SUCCESS ||
		    !txbuf)
			return;
		for (i = 0; i < SNP_TX_BUFS; i++)
			if (txbuf == nic->txbufs + i * nic->frame_max)
				nic->txbusy[i] = false;
	}
}

/* A free TX buffer index, waiting for SNP to return one if need be. */
static int snp_tx_slot(struct snp_nic *nic)
{
	uint64_t give_up = plat_now_us() + SNP_TX_WAIT_US;
	unsigned int i, idx;

	for (;;) {
		for (i = 0; i < SNP_TX_BUFS; i++) {
			idx = (nic->txnext + i) % SNP_TX_BUFS;
			if (!nic->txbusy[idx]) {
				nic->txnext = (idx + 1) % SNP_TX_BUFS;
				return (int)idx;
			}
		}
		snp_reclaim(nic);
		if (plat_now_us() >= give_up)
			break;
	}
	/*
	 * The driver never reported these buffers done.  Drivers that copy
	 * in Transmit (iPXE) are safe to reuse; say so once and go on.
	 */
	if (!nic->warned_tx) {
		log_warn("%s: SNP does not return TX buffers; reusing them",
			 nic->nd.name);
		nic->warned_tx = true;
	}
	for (i = 0; i < SNP_TX_BUFS; i++)
		nic->txbusy[i] = false;
	idx = nic->txnext;
	nic->txnext = (idx + 1) % SNP_TX_BUFS;
	return (int)idx;
}

static int snp_transmit(struct netdev *nd, const void *frame, size_t len)
{
	struct snp_nic *nic = nd->priv;
	uint64_t give_up;
	EFI_STATUS status;
	EFI_TPL tpl;
	size_t padded = MAX(len, (size_t)SNP_MIN_FRAME);
	uint8_t *buf;
	int idx;

	if (len > nic->frame_max)
		return -ERR_TOOBIG;
	tpl = snp_enter(nic);
	idx = snp_tx_slot(nic);
	buf = nic->txbufs + (size_t)idx * nic->frame_max;
	memcpy(buf, frame, len);
	if (padded > len)
		memset(buf + len, 0, padded - len);
	give_up = plat_now_us() + SNP_TX_WAIT_US;
	for (;;) {
		status = nic->snp->Transmit(nic->snp, 0, padded, buf, NULL,
					    NULL, NULL);
		if (status != EFI_NOT_READY || plat_now_us() >= give_up)
			break;
		snp_reclaim(nic);
	}
	if (status == EFI_SUCCESS)
		nic->txbusy[idx] = true;
	snp_leave(nic, tpl);
	if (status != EFI_SUCCESS) {
		log_debug("%s: Transmit: %s", nd->name, efi_status_str(status));
		return efi_err_from_status(status);
	}
	return 0;
}

static int snp_poll(struct netdev *nd, void *buf, size_t size,
		    uint64_t deadline_us)
{
	struct snp_nic *nic = nd->priv;
	bool direct = size >= nic->rxsize;
	bool reclaimed = false;
	EFI_STATUS status;
	EFI_TPL tpl;
	UINTN len;

	for (;;) {
		len = direct ? size : nic->rxsize;
		tpl = snp_enter(nic);
		status = nic->snp->Receive(nic->snp, NULL, &len,
					   direct ? buf : nic->rxbuf, NULL,
					   NULL, NULL);
		/* Recycle TX buffers once per wait, not on every spin: the
		 * wait loop should cost one Receive per turn. */
		if (status == EFI_NOT_READY && !reclaimed) {
			snp_reclaim(nic);
			reclaimed = true;
		}
		snp_leave(nic, tpl);
		if (status == EFI_SUCCESS) {
			if (direct)
				return (int)len;
			if (len <= size) {
				memcpy(buf, nic->rxbuf, len);
				return (int)len;
			}
			continue;	/* longer than the caller wants: drop */
		}
		if (status != EFI_NOT_READY && status != EFI_BUFFER_TOO_SMALL) {
			log_debug("%s: Receive: %s", nd->name,
				  efi_status_str(status));
			return efi_err_from_status(status);
		}
		if (!deadline_us || plat_now_us() >= deadline_us)
			return 0;
	}
}

static const struct netdev_ops snp_ops = {
	.transmit = snp_transmit,
	.poll = snp_poll,
};

/* Start, Initialize and set receive filters; undone by snp_release(). */
static EFI_STATUS snp_bring_up(struct snp_nic *nic)
{
	EFI_SIMPLE_NETWORK_PROTOCOL *snp = nic->snp;
	UINT32 want = EFI_SIMPLE_NETWORK_RECEIVE_UNICAST |
		      EFI_SIMPLE_NETWORK_RECEIVE_BROADCAST;
	EFI_STATUS status;

	if (snp->Mode->State == EfiSimpleNetworkStopped) {
		status = snp->Start(snp);
		if (status != EFI_SUCCESS)
			return status;
		nic->started = true;
	}
	if (snp->Mode->State == EfiSimpleNetworkStarted) {
		status = snp->Initialize(snp, 0, 0);
		if (status != EFI_SUCCESS)
			return status;
		nic->initialized = true;
	}
	if ((snp->Mode->ReceiveFilterMask & want) != want ||
	    snp->ReceiveFilters(snp, want, 0, FALSE, 0, NULL) != EFI_SUCCESS) {
		status = snp->ReceiveFilters(snp,
			EFI_SIMPLE_NETWORK_RECEIVE_PROMISCUOUS, 0, FALSE, 0,
			NULL);
		if (status != EFI_SUCCESS)
			log_warn("%s: cannot set receive filters (%s)",
				 nic->nd.name, efi_status_str(status));
	}
	return EFI_SUCCESS;
}

/* Undo snp_bring_up() and the open, and give the NIC back to its drivers. */
static void snp_release(struct snp_nic *nic)
{
	if (nic->initialized)
		nic->snp->Shutdown(nic->snp);
	if (nic->started)
		nic->snp->Stop(nic->snp);
	efi_bs->CloseProtocol(nic->handle, (EFI_GUID *)&snp_guid, efi_image,
			      NULL);
	if (nic->exclusive)
		efi_bs->ConnectController(nic->handle, NULL, NULL, TRUE);
	plat_free(nic->rxbuf);
	plat_free(nic->txbufs);
	plat_free(nic);
}

/* Debug: who holds this SNP (when the exclusive open was refused). */
static void snp_log_openers(struct snp_nic *nic)
{
	EFI_OPEN_PROTOCOL_INFORMATION_ENTRY *info = NULL;
	UINTN n = 0, i;

	if (efi_bs->OpenProtocolInformation(nic->handle, (EFI_GUID *)&snp_guid,
					    &info, &n) != EFI_SUCCESS)
		return;
	for (i = 0; i < n; i++)
		log_debug("%s: opened by agent %p controller %p attr %#x",
			  nic->nd.name, info[i].AgentHandle,
			  info[i].ControllerHandle,
			  (unsigned int)info[i].Attributes);
	efi_bs->FreePool(info);
}

/* Open one SNP handle and wrap it; NULL (logged) when unusable. */
static struct snp_nic *snp_open(EFI_HANDLE handle, unsigned int index)
{
	struct snp_nic *nic;
	EFI_SIMPLE_NETWORK_MODE *mode;
	EFI_STATUS status;
	VOID *iface = NULL;

	nic = plat_alloc(sizeof(*nic));
	if (!nic)
		return NULL;
	memset(nic, 0, sizeof(*nic));
	nic->handle = handle;
	fmt_snprintf(nic->nd.name, sizeof(nic->nd.name), "snp%u", index);
	status = efi_bs->OpenProtocol(handle, (EFI_GUID *)&snp_guid, &iface,
				      efi_image, NULL,
				      EFI_OPEN_PROTOCOL_EXCLUSIVE);
	if (status == EFI_ACCESS_DENIED) {
		/*
		 * After a PXE boot, the PXE driver's own SNP (on its child
		 * handle) is held BY_DRIVER|EXCLUSIVE: disconnect every
		 * driver from this handle and try once more.
		 */
		snp_log_openers(nic);
		status = efi_bs->DisconnectController(handle, NULL, NULL);
		log_debug("%s: DisconnectController: %s", nic->nd.name,
			  efi_status_str(status));
		status = efi_bs->OpenProtocol(handle, (EFI_GUID *)&snp_guid,
					      &iface, efi_image, NULL,
					      EFI_OPEN_PROTOCOL_EXCLUSIVE);
	}
	nic->exclusive = status == EFI_SUCCESS;
	if (status == EFI_INVALID_PARAMETER || status == EFI_UNSUPPORTED) {
		/* The handle went away: opening an earlier NIC exclusively
		 * disconnected the driver that had produced it. */
		log_debug("%s: SNP handle gone (%s)", nic->nd.name,
			  efi_status_str(status));
		plat_free(nic);
		return NULL;
	}
	if (!nic->exclusive) {
		log_debug("%s: no exclusive access (%s)", nic->nd.name,
			  efi_status_str(status));
		status = efi_bs->OpenProtocol(handle, (EFI_GUID *)&snp_guid,
					      &iface, efi_image, NULL,
					      EFI_OPEN_PROTOCOL_GET_PROTOCOL);
		if (status != EFI_SUCCESS) {
			plat_free(nic);
			return NULL;
		}
	}
	nic->snp = iface;
	status = snp_bring_up(nic);
	mode = nic->snp->Mode;
	if (status != EFI_SUCCESS || mode->IfType != 1 /* Ethernet */ ||
	    mode->HwAddressSize != 6 || mode->MaxPacketSize < 60) {
		log_warn("%s: unusable SNP (%s)", nic->nd.name,
			 status != EFI_SUCCESS ? efi_status_str(status) :
			 "not Ethernet");
		goto err;
	}
	memcpy(nic->nd.mac, mode->CurrentAddress.Addr, 6);
	nic->nd.mtu = mode->MaxPacketSize;
	nic->nd.ops = &snp_ops;
	nic->nd.priv = nic;
	nic->frame_max = MAX((size_t)mode->MaxPacketSize + 14,
			     (size_t)SNP_MIN_FRAME);
	nic->rxsize = mode->MaxPacketSize + mode->MediaHeaderSize + 8;
	nic->rxbuf = plat_alloc(nic->rxsize);
	nic->txbufs = plat_alloc(nic->frame_max * SNP_TX_BUFS);
	if (!nic->rxbuf || !nic->txbufs)
		goto err;
	if (mode->MediaPresentSupported && !mode->MediaPresent)
		log_info("%s: no link yet", nic->nd.name);
	return nic;
err:
	snp_release(nic);
	return NULL;
}

/* If we were loaded over PXE: the root path, and the SNP handle used. */
static EFI_HANDLE snp_pxe_handle(EFI_HANDLE image, struct efi_pxe_info *pxe)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_PXE_BASE_CODE_PROTOCOL *pxebc = NULL;
	EFI_SIMPLE_NETWORK_PROTOCOL *snp = NULL;
	EFI_DEVICE_PATH *dp = NULL;
	EFI_HANDLE nic = NULL;

	memset(pxe, 0, sizeof(*pxe));
	if (efi_bs->HandleProtocol(image, (EFI_GUID *)&loaded_image_guid,
				   (VOID **)&li) != EFI_SUCCESS || !li ||
	    !li->DeviceHandle)
		return NULL;
	if (efi_bs->HandleProtocol(li->DeviceHandle, (EFI_GUID *)&pxe_guid,
				   (VOID **)&pxebc) != EFI_SUCCESS || !pxebc)
		return NULL;
	pxe->booted_via_pxe = true;
	if (pxebc->Mode && pxebc->Mode->DhcpAckReceived &&
	    !pxebc->Mode->UsingIpv6)
		dhcp_root_path(pxebc->Mode->DhcpAck.Raw,
			       sizeof(pxebc->Mode->DhcpAck.Raw), pxe->root_path,
			       sizeof(pxe->root_path));	/* core dhcp.c */
	/*
	 * A started PXE base code holds its NIC and refuses to let go, so the
	 * exclusive open below would fail: stop it, we have what we need.
	 */
	if (pxebc->Mode && pxebc->Mode->Started &&
	    pxebc->Stop(pxebc) != EFI_SUCCESS)
		log_debug("PXE base code did not stop");
	if (efi_bs->HandleProtocol(li->DeviceHandle, (EFI_GUID *)&devpath_guid,
				   (VOID **)&dp) != EFI_SUCCESS || !dp)
		return NULL;
	if (efi_bs->LocateDevicePath((EFI_GUID *)&snp_guid, &dp, &nic) !=
	    EFI_SUCCESS)
		return NULL;
	/*
	 * That may be the PXE driver's own SNP on its child handle, which
	 * goes away with PXE: remember the NIC by its MAC as well.
	 */
	if (efi_bs->HandleProtocol(nic, (EFI_GUID *)&snp_guid,
				   (VOID **)&snp) == EFI_SUCCESS && snp &&
	    snp->Mode) {
		memcpy(pxe->mac, snp->Mode->CurrentAddress.Addr, 6);
		pxe->have_mac = true;
	}
	return nic;
}

/* The MAC of an SNP without opening it for real; false if unknown. */
static bool snp_peek_mac(EFI_HANDLE handle, uint8_t *mac)
{
	EFI_SIMPLE_NETWORK_PROTOCOL *snp = NULL;

	if (efi_bs->HandleProtocol(handle, (EFI_GUID *)&snp_guid,
				   (VOID **)&snp) != EFI_SUCCESS || !snp ||
	    !snp->Mode || snp->Mode->HwAddressSize != 6)
		return false;
	memcpy(mac, snp->Mode->CurrentAddress.Addr, 6);
	return true;
}

unsigned int snp_open_all(EFI_HANDLE image, struct netdev **netdevs,
			  unsigned int max, const uint8_t *only_mac,
			  struct efi_pxe_info *pxe)
{
	EFI_HANDLE *handles = NULL, first;
	UINTN nhandles = 0, i;
	unsigned int count = 0, j, k;
	struct snp_nic *nic;
	bool dup, is_pxe;
	uint8_t mac[6];

	/* Before opening anything: exclusive opens tear PXE down. */
	first = snp_pxe_handle(image, pxe);
	if (efi_bs->LocateHandleBuffer(ByProtocol, (EFI_GUID *)&snp_guid, NULL,
				       &nhandles, &handles) != EFI_SUCCESS)
		return 0;
	log_debug("%u SNP handle%s", (unsigned int)nhandles,
		  nhandles == 1 ? "" : "s");
	/* The PXE NIC first, then the rest in firmware order. */
	for (i = 0; i < nhandles; i++) {
		if (handles[i] == first && i > 0) {
			handles[i] = handles[0];
			handles[0] = first;
			break;
		}
	}
	for (i = 0; i < nhandles && count < max; i++) {
		/*
		 * Look before opening: an exclusive open disconnects the
		 * drivers above this SNP, and when that is another SNP of a
		 * NIC already open (iPXE's over the firmware's, PXE's copy)
		 * the open one would vanish under us.  So one SNP per MAC,
		 * the first in order (the one we were started through), and
		 * NICs excluded by iface= are left alone.
		 */
		if (snp_peek_mac(handles[i], mac)) {
			dup = false;
			for (j = 0; j < count; j++)
				if (!memcmp(netdevs[j]->mac, mac, 6))
					dup = true;
			if (dup || (only_mac && memcmp(only_mac, mac, 6)))
				continue;
		}
		nic = snp_open(handles[i], count);
		if (!nic)
			continue;
		dup = false;
		for (j = 0; j < count; j++)
			if (!memcmp(netdevs[j]->mac, nic->nd.mac, 6))
				dup = true;
		if (dup || (only_mac && memcmp(only_mac, nic->nd.mac, 6))) {
			snp_release(nic);
			continue;
		}
		is_pxe = pxe->have_mac && !memcmp(pxe->mac, nic->nd.mac, 6);
		k = count++;
		if (is_pxe && k > 0) {
			/* the PXE NIC goes first */
			netdevs[k] = netdevs[0];
			k = 0;
		}
		netdevs[k] = &nic->nd;
		log_info("%s: %02x:%02x:%02x:%02x:%02x:%02x, MTU %u%s%s",
			 nic->nd.name, nic->nd.mac[0], nic->nd.mac[1],
			 nic->nd.mac[2], nic->nd.mac[3], nic->nd.mac[4],
			 nic->nd.mac[5], nic->nd.mtu,
			 is_pxe ? ", PXE boot NIC" : "",
			 nic->exclusive ? "" :
			 ", shared with the firmware (no exclusive access)");
	}
	efi_bs->FreePool(handles);
	return count;
}

void snp_close_all(struct netdev **netdevs, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		snp_release(netdevs[i]->priv);
}
