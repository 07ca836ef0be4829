/*
 * pxe.c - the PXE stack that loaded us, as the core's struct netdev.
 *
 * UNDI (PXE 2.1): open with a directed|broadcast filter, transmit whole
 * Ethernet frames (Protocol P_UNKNOWN: we give the header, AoE has no IP),
 * receive by polling the ISR entry (IN_PROCESS, then GET_NEXT until DONE;
 * a frame may come in fragments), MAC and MTU from GET_INFORMATION.  No
 * interrupt handler: the ISR is only polled.  Every parameter block and
 * buffer lies in our .bss, which is base memory as the API requires.
 *
 * The API structures are byte arrays with named offsets, filled with the
 * byte-order helpers.
 */
#include "bios.h"
#include "byteorder.h"
#include "dhcp.h"
#include "errors.h"
#include "libc.h"
#include "log.h"

/* Opcodes */
#define PXENV_UNDI_SHUTDOWN		0x0005
#define PXENV_UNDI_OPEN			0x0006
#define PXENV_UNDI_CLOSE		0x0007
#define PXENV_UNDI_TRANSMIT		0x0008
#define PXENV_UNDI_SET_PACKET_FILTER	0x000B
#define PXENV_UNDI_GET_INFORMATION	0x000C
#define PXENV_UNDI_GET_NIC_TYPE		0x0012
#define PXENV_UNDI_ISR			0x0014
#define PXENV_STOP_UNDI			0x0015
#define PXENV_TFTP_OPEN			0x0020
#define PXENV_TFTP_CLOSE		0x0021
#define PXENV_TFTP_READ			0x0022
#define PXENV_UNLOAD_STACK		0x0070
#define PXENV_GET_CACHED_INFO		0x0071
#define PXENV_STOP_BASE			0x0076

/* !PXE */
#define BANG_SIG		0x00
#define BANG_LEN		0x04
#define BANG_ENTRY_SP		0x10
#define BANG_SEGDESC		0x20	/* 7 descriptors of 8 bytes */
#define BANG_NSEGDESC		7
#define SEGDESC_ADDR		0x02	/* u32 physical address */
#define SEGDESC_SIZE		0x06	/* u16 */
/* PXENV+ */
#define PXENV_SIG		0x00
#define PXENV_VERSION		0x06
#define PXENV_LEN		0x08
#define PXENV_RMENTRY		0x0A
#define PXENV_PXEPTR		0x28

/* Parameter blocks: Status (u16) is always the first word. */
#define PB_STATUS		0
#define OPEN_OPENFLAG		2
#define OPEN_PKTFILTER		4
#define OPEN_SIZE		56
#define FILTER_FILTER		2
#define FILTER_SIZE		3
#define INFO_MTU		6
#define INFO_HWADDRLEN		10
#define INFO_CURADDR		12
#define INFO_SIZE		50
#define TX_PROTOCOL		2
#define TX_XMITFLAG		3
#define TX_DESTADDR		4	/* seg:off, offset first */
#define TX_TBD			8
#define TX_SIZE			20
#define TBD_IMMEDLEN		0
#define TBD_XMIT		2
#define TBD_BLKCOUNT		6
#define TBD_SIZE		72
#define NICTYPE_TYPE		2	/* t_PXENV_UNDI_GET_NIC_TYPE */
#define NICTYPE_VENDOR		3	/* pci_nic_info from here */
#define NICTYPE_DEVICE		5
#define NICTYPE_BUSDEVFN	11	/* bus << 8 | dev << 3 | fn */
#define NICTYPE_SIZE		17
#define NIC_TYPE_PCI		2
#define NIC_TYPE_CARDBUS	4
#define ISR_FUNCFLAG		2
#define ISR_BUFLEN		4
#define ISR_FRAMELEN		6
#define ISR_FRAME		10	/* seg:off */
#define ISR_SIZE		16
#define CACHED_PKTTYPE		2
#define CACHED_BUFSIZE		4
#define CACHED_BUFFER		6	/* seg:off */
#define CACHED_BUFLIMIT		10
#define CACHED_SIZE		12
#define UNLOAD_SIZE		22
#define TFTP_SERVER		2	/* t_PXENV_TFTP_OPEN */
#define TFTP_GATEWAY		6
#define TFTP_FILENAME		10	/* 128 bytes */
#define TFTP_PORT		138	/* big-endian */
#define TFTP_PKTSIZE		140
#define TFTP_OPEN_SIZE		142
#define TFTP_RD_BUFSIZE		4	/* t_PXENV_TFTP_READ */
#define TFTP_RD_BUFFER		6	/* seg:off, offset first */
#define TFTP_RD_SIZE		10
#define TFTP_PACKET		512	/* no blksize option: any server */
#define TFTP_PORT_NUMBER	69
#define PXENV_STATUS_TFTP_NOT_FOUND	0x3B

#define FLTR_DIRECTED		0x01
#define FLTR_BRDCST		0x02
#define ISR_IN_PROCESS		2
#define ISR_IN_GET_NEXT		3
#define ISR_OUT_DONE		0
#define ISR_OUT_TRANSMIT	2
#define ISR_OUT_RECEIVE		3
#define ISR_OUT_BUSY		4
#define XMT_DESTADDR		0
#define XMT_BROADCAST		1
#define PKT_DHCPACK		2
#define PKT_CACHED_REPLY	3

#define ETH_FRAME_MAX		1514
#define ETH_FRAME_MIN		60
#define BDA_BASE_KIB		0x413

/** The UNDI device: all in base memory (.bss). */
struct undi {
	struct netdev nd;
	uint16_t bang_seg, bang_off;	/* !PXE, 0:0 when only PXENV+ */
	uint16_t entry_seg, entry_off;	/* EntryPointSP or RMEntry */
	bool use_bang;
	bool open;
	bool gone;		/* unloaded: no call may reach it again */
	bool isr_busy;		/* inside an IN_PROCESS..DONE sequence */
	uint32_t pxe_lo, pxe_hi;	/* base memory the stack occupies */
	uint8_t pb[OPEN_SIZE];	/* parameter block (largest is OPEN) */
	uint8_t isr[ISR_SIZE];
	uint8_t tbd[TBD_SIZE];
	uint8_t txbuf[ETH_FRAME_MAX + 2];
};

static struct undi undi_dev;

/* The TFTP API's parameter block and one packet, in base memory. */
static uint8_t tftp_pb[TFTP_OPEN_SIZE];
static uint8_t tftp_packet[TFTP_PACKET];

/* Sum of @len bytes is 0 for a valid PXE structure. */
static bool checksum_ok(const uint8_t *p, unsigned int len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum == 0;
}

static const uint8_t *bang_at(uint16_t seg, uint16_t off)
{
	const uint8_t *p = rm_ptr(seg, off);

	if (rm_linear(seg, off) + 0x58 > 0xA0000 ||
	    memcmp(p + BANG_SIG, "!PXE", 4) || p[BANG_LEN] < 0x58 ||
	    !checksum_ok(p, p[BANG_LEN]))
		return NULL;
	return p;
}

static const uint8_t *pxenv_at(uint16_t seg, uint16_t off)
{
	const uint8_t *p = rm_ptr(seg, off);

	if (rm_linear(seg, off) + 0x2C > 0xA0000 ||
	    memcmp(p + PXENV_SIG, "PXENV+", 6) || p[PXENV_LEN] < 0x26 ||
	    !checksum_ok(p, p[PXENV_LEN]))
		return NULL;
	return p;
}

/* Use !PXE when we have it, PXENV+ otherwise. */
static void undi_use(struct undi *u, const uint8_t *bang,
		     const uint8_t *pxenv)
{
	if (!bang && pxenv && get_le16(pxenv + PXENV_VERSION) >= 0x0201 &&
	    pxenv[PXENV_LEN] >= 0x2C)
		bang = bang_at(get_le16(pxenv + PXENV_PXEPTR + 2),
			       get_le16(pxenv + PXENV_PXEPTR));
	if (bang) {
		u->use_bang = true;
		u->bang_seg = rm_seg(bang);
		u->bang_off = rm_off(bang);
		u->entry_off = get_le16(bang + BANG_ENTRY_SP);
		u->entry_seg = get_le16(bang + BANG_ENTRY_SP + 2);
	} else {
		u->use_bang = false;
		u->entry_off = get_le16(pxenv + PXENV_RMENTRY);
		u->entry_seg = get_le16(pxenv + PXENV_RMENTRY + 2);
	}
}

/* The order of DESIGN §8: SS:SP+4, ES:BX, INT 1Ah 5650h, a scan. */
static bool undi_find(struct undi *u)
{
	const uint8_t *bang = NULL, *pxenv = NULL;
	struct rm_regs r = { .kind = RM_INT, .intno = 0x1A, .eax = 0x5650 };
	uint32_t addr, top;

	if (entry_eax == ROM_MAGIC)	/* our own option ROM: no PXE stack */
		return false;
	if (entry_eax != LKRN_MAGIC) {
		bang = bang_at(entry_pxe_seg, entry_pxe_off);
		pxenv = pxenv_at(entry_es, entry_bx);
	}
	if (!bang && !pxenv) {
		log_debug("pxe: asking INT 1Ah");
		rm_call(&r);
		if ((r.eax & 0xFFFF) == 0x564E && !(r.flags & RM_FLAG_CF))
			pxenv = pxenv_at(r.es, (uint16_t)r.ebx);
	}
	/*
	 * The scan is for an NBP whose ROM passed no pointers.  Under .lkrn
	 * it would find what a loader that has shut its stack down (iPXE
	 * does before starting a bzImage) left behind in base memory: a
	 * valid-looking !PXE whose entry point no longer works.  There only
	 * INT 1Ah counts (pxelinux's keeppxe leaves it hooked).
	 */
	if (!bang && !pxenv && entry_eax != LKRN_MAGIC) {
		log_debug("pxe: scanning base memory");
		top = (uint32_t)*(volatile uint16_t *)phys_ptr(BDA_BASE_KIB)
		      << 10;
		for (addr = top; addr < 0xA0000 && !bang; addr += 16)
			bang = bang_at((uint16_t)(addr >> 4), 0);
		for (addr = top; addr < 0xA0000 && !bang && !pxenv; addr += 16)
			pxenv = pxenv_at((uint16_t)(addr >> 4), 0);
	}
	if (!bang && !pxenv)
		return false;
	undi_use(u, bang, pxenv);
	log_debug("pxe: %s at %04x:%04x, entry %04x:%04x", bang ? "!PXE" :
		  "PXENV+", bang ? rm_seg(bang) : rm_seg(pxenv),
		  bang ? rm_off(bang) : rm_off(pxenv), u->entry_seg,
		  u->entry_off);
	return true;
}

/* One PXE API call; 0 or -ERR_IO with the status logged at debug level. */
static int undi_call(struct undi *u, uint16_t opcode, void *block)
{
	struct rm_regs r = { .kind = RM_FAR };

	if (u->gone)
		return -ERR_IO;
	r.target_seg = u->entry_seg;
	r.target_off = u->entry_off;
	if (u->use_bang) {
		r.nstack = 3;
		r.stack[0] = rm_seg(block);
		r.stack[1] = rm_off(block);
		r.stack[2] = opcode;
	} else {
		r.ebx = opcode;
		r.es = rm_seg(block);
		r.edi = rm_off(block);
	}
	rm_call(&r);
	if ((r.eax & 0xFFFF) != 0) {
		log_debug("pxe: call %04x failed, status %04x", opcode,
			  get_le16(block));
		return -ERR_IO;
	}
	return 0;
}

static int undi_transmit(struct netdev *nd, const void *frame, size_t len)
{
	struct undi *u = container_of(nd, struct undi, nd);
	uint8_t *pb = u->pb;
	size_t padded = MAX(len, (size_t)ETH_FRAME_MIN);
	static const uint8_t bcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

	if (len < 14 || len > ETH_FRAME_MAX)
		return -ERR_INVAL;
	memcpy(u->txbuf, frame, len);
	memset(u->txbuf + len, 0, padded - len);
	memset(u->tbd, 0, sizeof(u->tbd));
	put_le16(u->tbd + TBD_IMMEDLEN, (uint16_t)padded);
	put_le16(u->tbd + TBD_XMIT, rm_off(u->txbuf));
	put_le16(u->tbd + TBD_XMIT + 2, rm_seg(u->txbuf));
	memset(pb, 0, TX_SIZE);
	pb[TX_PROTOCOL] = 0;	/* P_UNKNOWN: the frame has its header */
	pb[TX_XMITFLAG] = memcmp(frame, bcast, 6) ? XMT_DESTADDR :
			  XMT_BROADCAST;
	put_le16(pb + TX_DESTADDR, rm_off(u->txbuf));
	put_le16(pb + TX_DESTADDR + 2, rm_seg(u->txbuf));
	put_le16(pb + TX_TBD, rm_off(u->tbd));
	put_le16(pb + TX_TBD + 2, rm_seg(u->tbd));
	return undi_call(u, PXENV_UNDI_TRANSMIT, pb);
}

/*
 * One step of the ISR: a whole received frame copied to @buf (its
 * length), 0 when the stack has nothing more, or negative ERR_*.
 */
static int undi_isr_frame(struct undi *u, uint8_t *buf, size_t size)
{
	size_t got = 0, total = 0, frag;
	uint16_t flag;
	unsigned int spins;

	for (spins = 0; spins < 64; spins++) {
		memset(u->isr, 0, sizeof(u->isr));
		put_le16(u->isr + ISR_FUNCFLAG, u->isr_busy ? ISR_IN_GET_NEXT :
			 ISR_IN_PROCESS);
		if (undi_call(u, PXENV_UNDI_ISR, u->isr) < 0) {
			u->isr_busy = false;
			return -ERR_IO;
		}
		u->isr_busy = true;
		flag = get_le16(u->isr + ISR_FUNCFLAG);
		if (flag == ISR_OUT_DONE) {
			u->isr_busy = false;
			return 0;
		}
		if (flag != ISR_OUT_RECEIVE)
			continue;	/* TRANSMIT done, BUSY: ask again */
		frag = get_le16(u->isr + ISR_BUFLEN);
		if (got == 0)
			total = get_le16(u->isr + ISR_FRAMELEN);
		if (got + frag <= size && got + frag <= total)
			memcpy(buf + got, rm_ptr(get_le16(u->isr + ISR_FRAME + 2),
						 get_le16(u->isr + ISR_FRAME)),
			       frag);
		got += frag;
		if (got >= total)
			return got <= size && got == total ? (int)got : -ERR_AGAIN;
	}
	return -ERR_AGAIN;
}

static int undi_poll(struct netdev *nd, void *buf, size_t size,
		     uint64_t deadline_us)
{
	struct undi *u = container_of(nd, struct undi, nd);
	int rc;

	for (;;) {
		rc = undi_isr_frame(u, buf, size);
		if (rc > 0)
			return rc;
		if (rc == -ERR_IO)
			return rc;
		/* -ERR_AGAIN: a frame too big for @buf was dropped. */
		if (rc == 0 && plat_now_us() >= deadline_us)
			return 0;
	}
}

static const struct netdev_ops undi_ops = {
	.transmit = undi_transmit,
	.poll = undi_poll,
};

/*
 * The DHCPACK, else the cached reply: root path and our MAC; the boot
 * server and file from the last that names them.
 */
static void undi_cached_info(struct undi *u, struct pxe_info *info)
{
	static const uint16_t types[] = { PKT_DHCPACK, PKT_CACHED_REPLY };
	char file[DHCP_FILE_LEN];
	uint8_t srv[4], gw[4];
	const uint8_t *pkt;
	size_t len;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		memset(u->pb, 0, CACHED_SIZE);
		put_le16(u->pb + CACHED_PKTTYPE, types[i]);
		if (undi_call(u, PXENV_GET_CACHED_INFO, u->pb) < 0)
			continue;
		len = get_le16(u->pb + CACHED_BUFSIZE);
		pkt = rm_ptr(get_le16(u->pb + CACHED_BUFFER + 2),
			     get_le16(u->pb + CACHED_BUFFER));
		if (len < DHCP_OFF_OPTIONS)
			continue;
		if (!info->have_bootif &&
		    dhcp_client_mac(pkt, len, info->bootif) == 0)
			info->have_bootif = true;
		if (!info->root_path[0])
			dhcp_root_path(pkt, len, info->root_path,
				       sizeof(info->root_path));
		/* The cached reply names the boot server when it differs. */
		if (dhcp_boot_file(pkt, len, srv, gw, file, sizeof(file)) == 0) {
			memcpy(info->tftp_server, srv, 4);
			memcpy(info->tftp_gateway, gw, 4);
			memcpy(info->boot_file, file, sizeof(file));
		}
	}
}

/* The base memory the stack's segments occupy (from !PXE). */
static void undi_base_memory(struct undi *u)
{
	const uint8_t *bang, *d;
	uint32_t addr, size;
	unsigned int i;

	u->pxe_lo = 0xFFFFFFFF;
	u->pxe_hi = 0;
	if (!u->use_bang)
		return;
	bang = rm_ptr(u->bang_seg, u->bang_off);
	for (i = 0; i < BANG_NSEGDESC; i++) {
		d = bang + BANG_SEGDESC + 8 * i;
		addr = get_le32(d + SEGDESC_ADDR);
		size = get_le16(d + SEGDESC_SIZE);
		if (!size || addr >= 0xA0000)
			continue;
		u->pxe_lo = MIN(u->pxe_lo, addr);
		u->pxe_hi = MAX(u->pxe_hi, addr + size);
	}
}

bool pxe_find(struct pxe_info *info)
{
	struct undi *u = &undi_dev;

	if (info->found)
		return true;
	memset(info, 0, sizeof(*info));
	memset(u, 0, sizeof(*u));
	if (!undi_find(u)) {
		log_debug("pxe: no PXE stack (not loaded by a PXE ROM)");
		return false;
	}
	info->found = true;
	undi_base_memory(u);
	undi_cached_info(u, info);
	return true;
}

int pxe_tftp_read(const struct pxe_info *info, const char *path,
		  size_t max, char **data, size_t *len)
{
	struct undi *u = &undi_dev;
	size_t n = 0, plen = strlen(path), got;
	char *buf = NULL;
	int rc = 0;

	*data = NULL;
	*len = 0;
	if (!info->found || u->open || plen >= DHCP_FILE_LEN)
		return -ERR_NOENT;
	memset(tftp_pb, 0, sizeof(tftp_pb));
	memcpy(tftp_pb + TFTP_SERVER, info->tftp_server, 4);
	memcpy(tftp_pb + TFTP_GATEWAY, info->tftp_gateway, 4);
	memcpy(tftp_pb + TFTP_FILENAME, path, plen);
	put_be16(tftp_pb + TFTP_PORT, TFTP_PORT_NUMBER);
	put_le16(tftp_pb + TFTP_PKTSIZE, TFTP_PACKET);
	if (undi_call(u, PXENV_TFTP_OPEN, tftp_pb) < 0) {
		if (get_le16(tftp_pb) != PXENV_STATUS_TFTP_NOT_FOUND)
			log_warn("pxe: TFTP %s: status %04x", path,
				 get_le16(tftp_pb));
		return -ERR_NOENT;
	}
	buf = plat_alloc(max);
	if (!buf)
		rc = -ERR_NOMEM;
	while (rc == 0) {
		memset(tftp_pb, 0, TFTP_RD_SIZE);
		put_le16(tftp_pb + TFTP_RD_BUFFER, rm_off(tftp_packet));
		put_le16(tftp_pb + TFTP_RD_BUFFER + 2, rm_seg(tftp_packet));
		if (undi_call(u, PXENV_TFTP_READ, tftp_pb) < 0) {
			log_warn("pxe: TFTP %s: read failed (status %04x)", path,
				 get_le16(tftp_pb));
			rc = -ERR_IO;
			break;
		}
		got = get_le16(tftp_pb + TFTP_RD_BUFSIZE);
		if (got > TFTP_PACKET || n + got > max) {
			log_warn("pxe: TFTP %s: larger than %zu bytes", path, max);
			rc = -ERR_TOOBIG;
			break;
		}
		memcpy(buf + n, tftp_packet, got);
		n += got;
		if (got < TFTP_PACKET)
			break;	/* a short packet ends the file */
	}
	memset(tftp_pb, 0, 2);
	undi_call(u, PXENV_TFTP_CLOSE, tftp_pb);
	if (rc < 0) {
		plat_free(buf);
		return rc;
	}
	*data = buf;
	*len = n;
	return 0;
}

struct netdev *pxe_open(struct pxe_info *info)
{
	struct undi *u = &undi_dev;
	uint8_t *pb = u->pb;

	if (!pxe_find(info))
		return NULL;
	memset(pb, 0, INFO_SIZE);
	if (undi_call(u, PXENV_UNDI_GET_INFORMATION, pb) < 0) {
		log_error("pxe: UNDI GET_INFORMATION failed (status %04x)",
			  get_le16(pb));
		return NULL;
	}
	memcpy(u->nd.mac, pb + INFO_CURADDR, 6);
	u->nd.mtu = get_le16(pb + INFO_MTU);
	if (u->nd.mtu < 576 || u->nd.mtu > ETH_FRAME_MAX - 14)
		u->nd.mtu = ETH_FRAME_MAX - 14;
	memset(pb, 0, OPEN_SIZE);
	put_le16(pb + OPEN_PKTFILTER, FLTR_DIRECTED | FLTR_BRDCST);
	if (undi_call(u, PXENV_UNDI_OPEN, pb) < 0) {
		log_error("pxe: UNDI OPEN failed (status %04x)", get_le16(pb));
		return NULL;
	}
	u->open = true;
	memset(pb, 0, FILTER_SIZE);
	pb[FILTER_FILTER] = FLTR_DIRECTED | FLTR_BRDCST;
	if (undi_call(u, PXENV_UNDI_SET_PACKET_FILTER, pb) < 0)
		log_debug("pxe: SET_PACKET_FILTER failed (status %04x)",
			  get_le16(pb));
	u->nd.ops = &undi_ops;
	u->nd.priv = u;
	fmt_snprintf(u->nd.name, sizeof(u->nd.name), "undi0");
	log_info("undi0: %02x:%02x:%02x:%02x:%02x:%02x, MTU %u, PXE boot NIC "
		 "(%s)", u->nd.mac[0], u->nd.mac[1], u->nd.mac[2],
		 u->nd.mac[3], u->nd.mac[4], u->nd.mac[5], u->nd.mtu,
		 u->use_bang ? "!PXE" : "PXENV+");
	return &u->nd;
}

void pxe_close(struct netdev *nd)
{
	struct undi *u;

	if (!nd)
		return;
	u = container_of(nd, struct undi, nd);
	if (!u->open)
		return;
	memset(u->pb, 0, 2);
	undi_call(u, PXENV_UNDI_CLOSE, u->pb);
	u->open = false;
}

void pxe_unload(struct netdev *nd)
{
	struct undi *u;
	volatile uint16_t *base_kib = phys_ptr(BDA_BASE_KIB);

	if (!nd)
		return;
	u = container_of(nd, struct undi, nd);
	memset(u->pb, 0, UNLOAD_SIZE);
	if (undi_call(u, PXENV_UNDI_SHUTDOWN, u->pb) < 0)
		log_debug("pxe: UNDI_SHUTDOWN failed");
	memset(u->pb, 0, UNLOAD_SIZE);
	if (undi_call(u, PXENV_UNLOAD_STACK, u->pb) < 0)
		log_debug("pxe: UNLOAD_STACK failed");
	memset(u->pb, 0, UNLOAD_SIZE);
	if (undi_call(u, PXENV_STOP_UNDI, u->pb) < 0)
		log_debug("pxe: STOP_UNDI failed");
	u->open = false;
	u->gone = true;
	exit_int18 = 1;		/* no PXE ROM to return to any more */
	/*
	 * Give the stack's base memory back, but only if the free-memory
	 * mark still ends exactly where the stack begins: if something was
	 * allocated below it since, raising 40:13 would free that instead.
	 */
	if (u->pxe_hi > u->pxe_lo && *base_kib == u->pxe_lo >> 10 &&
	    u->pxe_hi <= 0xA0000)
		*base_kib = (uint16_t)((u->pxe_hi + 1023) >> 10);
}

int pxe_nic(struct pxe_info *info, struct pxe_nic *nic)
{
	struct undi *u = &undi_dev;
	uint8_t *pb = u->pb;
	uint16_t bdf;

	memset(nic, 0, sizeof(*nic));
	if (!pxe_find(info) || u->gone)
		return -ERR_NODEV;
	memset(pb, 0, INFO_SIZE);
	if (undi_call(u, PXENV_UNDI_GET_INFORMATION, pb) < 0)
		return -ERR_IO;
	memcpy(nic->mac, pb + INFO_CURADDR, 6);
	memset(pb, 0, NICTYPE_SIZE);
	if (undi_call(u, PXENV_UNDI_GET_NIC_TYPE, pb) < 0)
		return -ERR_IO;
	if (pb[NICTYPE_TYPE] != NIC_TYPE_PCI &&
	    pb[NICTYPE_TYPE] != NIC_TYPE_CARDBUS)
		return -ERR_NOTSUP;
	nic->vendor = get_le16(pb + NICTYPE_VENDOR);
	nic->device = get_le16(pb + NICTYPE_DEVICE);
	bdf = get_le16(pb + NICTYPE_BUSDEVFN);
	nic->bus = (uint8_t)(bdf >> 8);
	nic->dev = (uint8_t)((bdf >> 3) & 0x1F);
	nic->fn = (uint8_t)(bdf & 7);
	return 0;
}

void pxe_stack_unload(void)
{
	struct undi *u = &undi_dev;

	if (!u->gone)
		pxe_unload(&u->nd);
}
