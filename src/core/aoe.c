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

void aoe_put_hdr(uint8_t *frame, const struct aoe_hdr *hdr)
{
	memcpy(frame, hdr->dst, 6);
	memcpy(frame + 6, hdr->src, 6);
	put_be16(frame + 12, AOE_ETHERTYPE);
	frame[14] = (uint8_t)(AOE_VERSION << 4 | (hdr->flags & 0x0F));
	frame[15] = hdr->error;
	put_be16(frame + 16, hdr->shelf);
	frame[18] = hdr->slot;
	frame[19] = hdr->cmd;
	put_be32(frame + 20, hdr->tag);
}

/* Zero-pad short frames up to the Ethernet minimum. */
static size_t aoe_pad(uint8_t *frame, size_t len)
{
	if (len < AOE_MIN_FRAME) {
		memset(frame + len, 0, AOE_MIN_FRAME - len);
		len = AOE_MIN_FRAME;
	}
	return len;
}

size_t aoe_build_ata(uint8_t *frame, const struct aoe_hdr *hdr,
		     const struct aoe_ata *ata, const void *data,
		     size_t datalen)
{
	uint8_t *arg = frame + AOE_HDR_LEN;
	int i;

	aoe_put_hdr(frame, hdr);
	arg[0] = ata->aflags;
	arg[1] = ata->err_feature;
	arg[2] = ata->count;
	arg[3] = ata->cmd_status;
	for (i = 0; i < 6; i++)
		arg[4 + i] = (uint8_t)(ata->lba >> (8 * i));
	arg[10] = 0;
	arg[11] = 0;
	if (data && datalen)
		memcpy(frame + AOE_ATA_HDR_LEN, data, datalen);
	else
		datalen = 0;
	return aoe_pad(frame, AOE_ATA_HDR_LEN + datalen);
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
	uint8_t *arg = frame + AOE_HDR_LEN;

	aoe_put_hdr(frame, hdr);
	/* bufcnt, fwver, scnt are the target's to fill; ccmd 0 = read. */
	memset(arg, 0, AOE_CFG_HDR_LEN - AOE_HDR_LEN);
	arg[CFG_VERCMD] = (uint8_t)(AOE_VERSION << 4 | AOE_CCMD_READ);
	return aoe_pad(frame, AOE_CFG_HDR_LEN);
}

size_t aoe_build_cfg_prefix(uint8_t *frame, const struct aoe_hdr *hdr,
			    const uint8_t *prefix, size_t len)
{
	uint8_t *arg = frame + AOE_HDR_LEN;

	if (len > AOE_CFG_STRING_MAX)
		return 0;
	aoe_put_hdr(frame, hdr);
	memset(arg, 0, AOE_CFG_HDR_LEN - AOE_HDR_LEN);
	arg[CFG_VERCMD] = (uint8_t)(AOE_VERSION << 4 | AOE_CCMD_PREFIX);
	put_be16(arg + CFG_CSLEN, (uint16_t)len);
	if (len)
		memcpy(frame + AOE_CFG_HDR_LEN, prefix, len);
	return aoe_pad(frame, AOE_CFG_HDR_LEN + len);
}

size_t aoe_build_rr_read(uint8_t *frame, const struct aoe_hdr *hdr)
{
	uint8_t *arg = frame + AOE_HDR_LEN;

	aoe_put_hdr(frame, hdr);
	arg[RR_RCMD] = AOE_RCMD_READ;
	arg[RR_NMACS] = 0;
	return aoe_pad(frame, AOE_RR_HDR_LEN);
}

int aoe_parse_hdr(const uint8_t *frame, size_t len, struct aoe_hdr *hdr)
{
	if (len < AOE_HDR_LEN || get_be16(frame + 12) != AOE_ETHERTYPE)
		return -ERR_PROTO;
	memcpy(hdr->dst, frame, 6);
	memcpy(hdr->src, frame + 6, 6);
	hdr->ver = frame[14] >> 4;
	hdr->flags = frame[14] & 0x0F;
	hdr->error = frame[15];
	hdr->shelf = get_be16(frame + 16);
	hdr->slot = frame[18];
	hdr->cmd = frame[19];
	hdr->tag = get_be32(frame + 20);
	if (hdr->ver != AOE_VERSION)
		return -ERR_PROTO;
	return 0;
}

int aoe_parse_ata(const uint8_t *frame, size_t len, struct aoe_ata *ata,
		  const uint8_t **data, size_t *datalen)
{
	const uint8_t *arg = frame + AOE_HDR_LEN;
	int i;

	if (len < AOE_ATA_HDR_LEN)
		return -ERR_PROTO;
	ata->aflags = arg[0];
	ata->err_feature = arg[1];
	ata->count = arg[2];
	ata->cmd_status = arg[3];
	ata->lba = 0;
	for (i = 0; i < 6; i++)
		ata->lba |= (uint64_t)arg[4 + i] << (8 * i);
	*data = frame + AOE_ATA_HDR_LEN;
	*datalen = len - AOE_ATA_HDR_LEN;
	return 0;
}

int aoe_parse_cfg(const uint8_t *frame, size_t len, struct aoe_cfg *cfg)
{
	const uint8_t *arg = frame + AOE_HDR_LEN;

	if (len < AOE_CFG_HDR_LEN)
		return -ERR_PROTO;
	cfg->bufcnt = get_be16(arg + CFG_BUFCNT);
	cfg->fwver = get_be16(arg + CFG_FWVER);
	cfg->scnt = arg[CFG_SCNT];
	cfg->ver = arg[CFG_VERCMD] >> 4;
	cfg->ccmd = arg[CFG_VERCMD] & 0x0F;
	cfg->cslen = get_be16(arg + CFG_CSLEN);
	if (cfg->cslen > AOE_CFG_STRING_MAX ||
	    cfg->cslen > len - AOE_CFG_HDR_LEN)
		return -ERR_PROTO;
	cfg->cs = frame + AOE_CFG_HDR_LEN;
	return 0;
}

int aoe_parse_rr(const uint8_t *frame, size_t len, struct aoe_rr *rr)
{
	const uint8_t *arg = frame + AOE_HDR_LEN;

	if (len < AOE_RR_HDR_LEN)
		return -ERR_PROTO;
	rr->rcmd = arg[RR_RCMD];
	rr->nmacs = arg[RR_NMACS];
	if ((size_t)rr->nmacs * 6 > len - AOE_RR_HDR_LEN)
		return -ERR_PROTO;
	rr->macs = frame + AOE_RR_HDR_LEN;
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
