/*
 * aoe.c - ATA over Ethernet frames: build requests, parse replies.
 *
 * Pure functions over byte buffers; nothing here keeps state.  Every parse
 * checks the length it is given before reading a byte.
 */
#include "aoe.h"
#include "byteorder.h"
#include "errors.h"
#include "libc.h"

/* Ethernet offsets; the AoE header follows the ethertype. */
#define ETH_DST		0
#define ETH_SRC		6
#define ETH_TYPE	12	/**< ethertype, or the 802.1Q TPID */
#define ETH_TCI		14	/**< with a tag: PCP, DEI, VID */
/* AoE common header offsets, from the ethertype. */
#define AH_TYPE		0
#define AH_VERFL	2
#define AH_ERROR	3
#define AH_MAJOR	4
#define AH_MINOR	6
#define AH_CMD		7
#define AH_TAG		8

size_t aoe_put_hdr(uint8_t *frame, const struct aoe_hdr *hdr)
{
	uint8_t *h = frame + ETH_TYPE;

	memcpy(frame + ETH_DST, hdr->dst, 6);
	memcpy(frame + ETH_SRC, hdr->src, 6);
	if (hdr->vid) {
		/* PCP 0, DEI 0: best effort, as an untagged frame. */
		put_be16(frame + ETH_TYPE, ETH_TPID_8021Q);
		put_be16(frame + ETH_TCI, hdr->vid & AOE_VID_MASK);
		h += AOE_VLAN_TAG_LEN;
	}
	put_be16(h + AH_TYPE, AOE_ETHERTYPE);
	h[AH_VERFL] = (uint8_t)(AOE_VERSION << 4 | (hdr->flags & 0x0F));
	h[AH_ERROR] = hdr->error;
	put_be16(h + AH_MAJOR, hdr->shelf);
	h[AH_MINOR] = hdr->slot;
	h[AH_CMD] = hdr->cmd;
	put_be32(h + AH_TAG, hdr->tag);
	return AOE_HDR_LEN + (hdr->vid ? AOE_VLAN_TAG_LEN : 0);
}

/*
 * Bytes of 802.1Q tag in a received frame: AOE_VLAN_TAG_LEN when the
 * TPID says so, else 0.  Only one tag: a stacked (QinQ) frame then has
 * no AoE ethertype and aoe_parse_hdr() refuses it.
 */
static size_t aoe_rx_tag_len(const uint8_t *frame, size_t len)
{
	return len >= ETH_TYPE + 2 && get_be16(frame + ETH_TYPE) ==
	       ETH_TPID_8021Q ? AOE_VLAN_TAG_LEN : 0;
}

/*
 * Zero-pad short frames up to the Ethernet minimum; a tagged one to 4
 * more, so that it is still 60 bytes when a switch strips the tag.
 */
static size_t aoe_pad(uint8_t *frame, size_t len, size_t taglen)
{
	size_t min = AOE_MIN_FRAME + taglen;

	if (len < min) {
		memset(frame + len, 0, min - len);
		len = min;
	}
	return len;
}

size_t aoe_build_ata(uint8_t *frame, const struct aoe_hdr *hdr,
		     const struct aoe_ata *ata, const void *data,
		     size_t datalen)
{
	size_t off = aoe_put_hdr(frame, hdr);
	size_t tl = off - AOE_HDR_LEN;
	uint8_t *arg = frame + off;
	int i;

	arg[0] = ata->aflags;
	arg[1] = ata->err_feature;
	arg[2] = ata->count;
	arg[3] = ata->cmd_status;
	for (i = 0; i < 6; i++)
		arg[4 + i] = (uint8_t)(ata->lba >> (8 * i));
	arg[10] = 0;
	arg[11] = 0;
	if (data && datalen)
		memcpy(frame + tl + AOE_ATA_HDR_LEN, data, datalen);
	else
		datalen = 0;
	return aoe_pad(frame, tl + AOE_ATA_HDR_LEN + datalen, tl);
}

/* Query Config argument offsets, from the start of the argument. */
#define CFG_BUFCNT	0
#define CFG_FWVER	2
#define CFG_SCNT	4
#define CFG_VERCMD	5
#define CFG_CSLEN	6
/* Reserve/Release argument offsets. */
#define RR_RCMD		0
#define RR_NMACS	1

size_t aoe_build_cfg_query(uint8_t *frame, const struct aoe_hdr *hdr)
{
	size_t off = aoe_put_hdr(frame, hdr);
	size_t tl = off - AOE_HDR_LEN;
	uint8_t *arg = frame + off;

	/* bufcnt, fwver, scnt are the target's to fill; ccmd 0 = read. */
	memset(arg, 0, AOE_CFG_HDR_LEN - AOE_HDR_LEN);
	arg[CFG_VERCMD] = (uint8_t)(AOE_VERSION << 4 | AOE_CCMD_READ);
	return aoe_pad(frame, tl + AOE_CFG_HDR_LEN, tl);
}

size_t aoe_build_cfg_prefix(uint8_t *frame, const struct aoe_hdr *hdr,
			    const uint8_t *prefix, size_t len)
{
	size_t off, tl;
	uint8_t *arg;

	if (len > AOE_CFG_STRING_MAX)
		return 0;
	off = aoe_put_hdr(frame, hdr);
	tl = off - AOE_HDR_LEN;
	arg = frame + off;
	memset(arg, 0, AOE_CFG_HDR_LEN - AOE_HDR_LEN);
	arg[CFG_VERCMD] = (uint8_t)(AOE_VERSION << 4 | AOE_CCMD_PREFIX);
	put_be16(arg + CFG_CSLEN, (uint16_t)len);
	if (len)
		memcpy(frame + tl + AOE_CFG_HDR_LEN, prefix, len);
	return aoe_pad(frame, tl + AOE_CFG_HDR_LEN + len, tl);
}

size_t aoe_build_rr_read(uint8_t *frame, const struct aoe_hdr *hdr)
{
	size_t off = aoe_put_hdr(frame, hdr);
	uint8_t *arg = frame + off;

	arg[RR_RCMD] = AOE_RCMD_READ;
	arg[RR_NMACS] = 0;
	return aoe_pad(frame, off - AOE_HDR_LEN + AOE_RR_HDR_LEN,
		       off - AOE_HDR_LEN);
}

int aoe_parse_hdr(const uint8_t *frame, size_t len, struct aoe_hdr *hdr)
{
	size_t tl = aoe_rx_tag_len(frame, len);
	const uint8_t *h = frame + ETH_TYPE + tl;

	if (len < AOE_HDR_LEN + tl || get_be16(h + AH_TYPE) != AOE_ETHERTYPE)
		return -ERR_PROTO;
	memcpy(hdr->dst, frame + ETH_DST, 6);
	memcpy(hdr->src, frame + ETH_SRC, 6);
	hdr->vid = tl ? get_be16(frame + ETH_TCI) & AOE_VID_MASK : 0;
	hdr->ver = h[AH_VERFL] >> 4;
	hdr->flags = h[AH_VERFL] & 0x0F;
	hdr->error = h[AH_ERROR];
	hdr->shelf = get_be16(h + AH_MAJOR);
	hdr->slot = h[AH_MINOR];
	hdr->cmd = h[AH_CMD];
	hdr->tag = get_be32(h + AH_TAG);
	if (hdr->ver != AOE_VERSION)
		return -ERR_PROTO;
	return 0;
}

int aoe_parse_ata(const uint8_t *frame, size_t len, struct aoe_ata *ata,
		  const uint8_t **data, size_t *datalen)
{
	size_t tl = aoe_rx_tag_len(frame, len);
	const uint8_t *arg = frame + tl + AOE_HDR_LEN;
	int i;

	if (len < tl + AOE_ATA_HDR_LEN)
		return -ERR_PROTO;
	ata->aflags = arg[0];
	ata->err_feature = arg[1];
	ata->count = arg[2];
	ata->cmd_status = arg[3];
	ata->lba = 0;
	for (i = 0; i < 6; i++)
		ata->lba |= (uint64_t)arg[4 + i] << (8 * i);
	*data = frame + tl + AOE_ATA_HDR_LEN;
	*datalen = len - tl - AOE_ATA_HDR_LEN;
	return 0;
}

int aoe_parse_cfg(const uint8_t *frame, size_t len, struct aoe_cfg *cfg)
{
	size_t tl = aoe_rx_tag_len(frame, len);
	const uint8_t *arg = frame + tl + AOE_HDR_LEN;

	if (len < tl + AOE_CFG_HDR_LEN)
		return -ERR_PROTO;
	cfg->bufcnt = get_be16(arg + CFG_BUFCNT);
	cfg->fwver = get_be16(arg + CFG_FWVER);
	cfg->scnt = arg[CFG_SCNT];
	cfg->ver = arg[CFG_VERCMD] >> 4;
	cfg->ccmd = arg[CFG_VERCMD] & 0x0F;
	cfg->cslen = get_be16(arg + CFG_CSLEN);
	if (cfg->cslen > AOE_CFG_STRING_MAX ||
	    cfg->cslen > len - tl - AOE_CFG_HDR_LEN)
		return -ERR_PROTO;
	cfg->cs = frame + tl + AOE_CFG_HDR_LEN;
	return 0;
}

int aoe_parse_rr(const uint8_t *frame, size_t len, struct aoe_rr *rr)
{
	size_t tl = aoe_rx_tag_len(frame, len);
	const uint8_t *arg = frame + tl + AOE_HDR_LEN;

	if (len < tl + AOE_RR_HDR_LEN)
		return -ERR_PROTO;
	rr->rcmd = arg[RR_RCMD];
	rr->nmacs = arg[RR_NMACS];
	if ((size_t)rr->nmacs * 6 > len - tl - AOE_RR_HDR_LEN)
		return -ERR_PROTO;
	rr->macs = frame + tl + AOE_RR_HDR_LEN;
	return 0;
}

static int parse_uint(const char **sp, unsigned long max, unsigned long *out)
{
	const char *s = *sp;
	unsigned long v = 0;

	if (*s < '0' || *s > '9')
		return -ERR_INVAL;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s++ - '0');
		if (v > max)
			return -ERR_INVAL;
	}
	*sp = s;
	*out = v;
	return 0;
}

int aoe_parse_name(const char *name, uint16_t *shelf, uint8_t *slot)
{
	unsigned long sh, sl;

	if (!strncmp(name, "aoe:", 4))
		name += 4;
	if (*name != 'e')
		return -ERR_INVAL;
	name++;
	if (parse_uint(&name, AOE_SHELF_ANY - 1, &sh) || *name++ != '.' ||
	    parse_uint(&name, AOE_SLOT_ANY - 1, &sl) || *name)
		return -ERR_INVAL;
	*shelf = (uint16_t)sh;
	*slot = (uint8_t)sl;
	return 0;
}

unsigned int aoe_sectors_per_frame(uint8_t scnt, unsigned int mtu)
{
	/* As the Linux driver: (MTU - 36) / 512, i.e. 2 at 1500, 17 at 9000. */
	unsigned int by_mtu = mtu > AOE_ATA_HDR_LEN ?
		(mtu - AOE_ATA_HDR_LEN) / AOE_SECTOR_SIZE : 0;
	unsigned int spf = scnt ? scnt : 2;

	if (spf > by_mtu)
		spf = by_mtu;
	return spf ? spf : 1;
}

const char *aoe_error_str(uint8_t error)
{
	switch (error) {
	case AOE_ERR_BADCMD: return "unrecognized command code";
	case AOE_ERR_BADARG: return "bad argument parameter";
	case AOE_ERR_DEVUNAVAIL: return "device unavailable";
	case AOE_ERR_CFGSET: return "config string present";
	case AOE_ERR_BADVER: return "unsupported version";
	case AOE_ERR_RESERVED: return "target is reserved";
	default: return "unknown AoE error";
	}
}
