/*
 * aoe.h - ATA over Ethernet wire format (AoE protocol definition r11).
 *
 * Frames are built and parsed byte by byte with the helpers in byteorder.h;
 * the structs below are decoded views in host order, never overlays.
 *
 * Layout (offsets from the start of the Ethernet frame):
 *   0 dst[6]  6 src[6]  12 ethertype 0x88A2 (be16)
 *   14 ver<<4 | flags   15 error   16 major/shelf (be16)   18 minor/slot
 *   19 command   20 tag (be32)   24 argument
 * ATA argument (24..35), data at 36:
 *   24 aflags  25 err/feature  26 sector count  27 cmd/status
 *   28..33 lba0..lba5 (lba0 = bits 0-7, little-endian order)  34..35 reserved
 * Query Config argument (24..31), config string at 32:
 *   24 bufcnt (be16)  26 fwver (be16)  28 scnt  29 ver<<4 | ccmd
 *   30 cslen (be16)
 * Reserve/Release argument (24..25), MAC list at 26:
 *   24 rcmd (0 read the list)  25 nmacs  26.. nmacs * 6 bytes
 *
 * On an 802.1Q VLAN a 4-byte tag sits between the source MAC and the
 * ethertype: 12 TPID 0x8100 (be16)  14 TCI (be16: PCP 3 bits, DEI 1, VID
 * 12)  16 ethertype 0x88A2; everything after it moves by AOE_VLAN_TAG_LEN
 * (the offsets above are then 4 higher).  The builders insert the tag
 * when hdr->vid is set; the parsers find it by the TPID.
 */
#ifndef AOEBOOT_AOE_H
#define AOEBOOT_AOE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AOE_ETHERTYPE		0x88A2
#define ETH_TPID_8021Q		0x8100	/**< an 802.1Q tag follows */
#define AOE_VLAN_TAG_LEN	4	/**< TPID + TCI */
#define AOE_VID_MIN		1	/**< 0: priority tag only, no VLAN */
#define AOE_VID_MAX		4094	/**< 4095 is reserved */
#define AOE_VID_MASK		0x0FFF	/**< VID bits of the TCI */
#define AOE_VERSION		1
#define AOE_HDR_LEN		24	/**< Ethernet + AoE common header */
#define AOE_ATA_HDR_LEN		36	/**< ... + ATA argument */
#define AOE_CFG_HDR_LEN		32	/**< ... + Query Config argument */
#define AOE_MIN_FRAME		60	/**< Ethernet minimum without FCS */
#define AOE_CFG_STRING_MAX	1024
#define AOE_SECTOR_SIZE		512

#define AOE_FL_RESPONSE		0x08
#define AOE_FL_ERROR		0x04

#define AOE_CMD_ATA		0
#define AOE_CMD_CONFIG		1
#define AOE_CMD_RESERVE		3	/**< Reserve/Release */

#define AOE_SHELF_ANY		0xFFFF
#define AOE_SLOT_ANY		0xFF

/* AoE error codes (header byte 15 with AOE_FL_ERROR). */
#define AOE_ERR_BADCMD		1
#define AOE_ERR_BADARG		2
#define AOE_ERR_DEVUNAVAIL	3
#define AOE_ERR_CFGSET		4
#define AOE_ERR_BADVER		5
#define AOE_ERR_RESERVED	6

/* ATA argument flags. */
#define AOE_AFL_EXT		0x40	/**< LBA48 command */
#define AOE_AFL_DEV		0x10
#define AOE_AFL_ASYNC		0x02
#define AOE_AFL_WRITE		0x01

/* ATA commands and status bits. */
#define ATA_CMD_READ		0x20
#define ATA_CMD_WRITE		0x30
#define ATA_CMD_READ_EXT	0x24
#define ATA_CMD_WRITE_EXT	0x34
#define ATA_CMD_IDENTIFY	0xEC
#define ATA_STAT_ERR		0x01
#define ATA_STAT_DRQ		0x08
#define ATA_STAT_DF		0x20
#define ATA_STAT_BSY		0x80
#define ATA_STAT_BAD		(ATA_STAT_BSY | ATA_STAT_DF | ATA_STAT_DRQ | \
				 ATA_STAT_ERR)

/*
 * Query Config sub-commands.  Only the read and the tests are ever sent:
 * the set commands (3, 4) would write the target's config string, and
 * nothing in aoeboot writes to a target except aoe_write().
 */
#define AOE_CCMD_READ		0
#define AOE_CCMD_TEST		1	/**< answer if the string is equal */
#define AOE_CCMD_PREFIX		2	/**< answer if it starts with ours */

/* Reserve/Release: only the read of the list is ever sent. */
#define AOE_RCMD_READ		0
#define AOE_RR_HDR_LEN		26	/**< ... + rcmd, nmacs */
#define AOE_RR_MAX_MACS		255

/** Decoded common header. */
struct aoe_hdr {
	uint8_t dst[6];
	uint8_t src[6];
	uint8_t ver;		/**< protocol version (high nibble of byte 14) */
	uint8_t flags;		/**< AOE_FL_* (low nibble of byte 14) */
	uint8_t error;		/**< AOE_ERR_* when AOE_FL_ERROR */
	uint16_t shelf;
	uint8_t slot;
	uint8_t cmd;		/**< AOE_CMD_* */
	uint32_t tag;
	/**
	 * 802.1Q VLAN id: built into a tag when nonzero; parsed from the
	 * tag, 0 for an untagged (or priority-tagged, VID 0) frame.
	 */
	uint16_t vid;
};

/** Decoded ATA argument. */
struct aoe_ata {
	uint8_t aflags;		/**< AOE_AFL_* */
	uint8_t err_feature;	/**< error register in replies */
	uint8_t count;		/**< sector count */
	uint8_t cmd_status;	/**< command in requests, status in replies */
	uint64_t lba;		/**< 48-bit LBA as the six lba bytes say */
};

/** Decoded Query Config argument. */
struct aoe_cfg {
	uint16_t bufcnt;	/**< commands the target will queue */
	uint16_t fwver;
	uint8_t scnt;		/**< max sectors per ATA command (0: 2) */
	uint8_t ver;		/**< AoE version the target speaks */
	uint8_t ccmd;
	uint16_t cslen;
	const uint8_t *cs;	/**< config string within the frame */
};

/** Decoded Reserve/Release argument. */
struct aoe_rr {
	uint8_t rcmd;
	uint8_t nmacs;		/**< MACs in the list (all present in the frame) */
	const uint8_t *macs;	/**< nmacs * 6 bytes within the frame */
};

/**
 * Write the common header into @frame, with an 802.1Q tag when @hdr->vid
 * is set.
 *
 * @v frame	output, at least AOE_HDR_LEN (+ AOE_VLAN_TAG_LEN) bytes
 * @v hdr	header
 * @ret len	bytes written, AOE_HDR_LEN or AOE_HDR_LEN + AOE_VLAN_TAG_LEN
 *		(the command's argument starts there)
 */
size_t aoe_put_hdr(uint8_t *frame, const struct aoe_hdr *hdr);

/**
 * Build an ATA request.
 *
 * @v frame	output buffer, at least AOE_ATA_HDR_LEN + @datalen bytes
 *		(+ AOE_VLAN_TAG_LEN when @hdr->vid is set)
 * @v hdr	common header (flags must be 0 for a request)
 * @v ata	ATA argument
 * @v data	data to write, or NULL
 * @v datalen	bytes of @data
 * @ret len	frame length, padded up to AOE_MIN_FRAME with zeros (tagged:
 *		AOE_MIN_FRAME + AOE_VLAN_TAG_LEN, still 60 once a switch
 *		strips the tag)
 */
size_t aoe_build_ata(uint8_t *frame, const struct aoe_hdr *hdr,
		     const struct aoe_ata *ata, const void *data,
		     size_t datalen);

/**
 * Build a Query Config read request (frame of AOE_MIN_FRAME bytes, 4 more
 * when tagged).  All the builders below take @hdr->vid as aoe_put_hdr().
 *
 * @ret len	frame length
 */
size_t aoe_build_cfg_query(uint8_t *frame, const struct aoe_hdr *hdr);

/**
 * Build a Query Config request that only targets whose config string
 * starts with @prefix answer (ccmd 2, the prefix test; never a set).
 *
 * @v frame	output buffer, at least AOE_CFG_HDR_LEN + @len bytes (and
 *		AOE_MIN_FRAME; 4 more when tagged)
 * @v prefix	the prefix (not NUL-terminated), @len <= AOE_CFG_STRING_MAX
 * @ret len	frame length, or 0 if @len is too long
 */
size_t aoe_build_cfg_prefix(uint8_t *frame, const struct aoe_hdr *hdr,
			    const uint8_t *prefix, size_t len);

/**
 * Build a Reserve/Release request that reads the target's reservation
 * list (rcmd 0, no MACs): a query that changes nothing.
 *
 * @ret len	frame length (AOE_MIN_FRAME)
 */
size_t aoe_build_rr_read(uint8_t *frame, const struct aoe_hdr *hdr);

/**
 * Parse the common header of a received frame, untagged or with one
 * 802.1Q tag (its VID into @hdr->vid).  Whether that VID is wanted is the
 * caller's to decide.
 *
 * @ret rc	0, or -ERR_PROTO if too short, not AoE, or not version 1
 */
int aoe_parse_hdr(const uint8_t *frame, size_t len, struct aoe_hdr *hdr);

/**
 * Parse the ATA argument of a received frame (header already parsed).
 * This and the argument parsers below find an 802.1Q tag as
 * aoe_parse_hdr() does and read past it.
 *
 * @v data	set to the data that follows the argument
 * @v datalen	set to the bytes available after the argument (may include
 *		Ethernet padding)
 * @ret rc	0 or -ERR_PROTO when the frame is too short
 */
int aoe_parse_ata(const uint8_t *frame, size_t len, struct aoe_ata *ata,
		  const uint8_t **data, size_t *datalen);

/**
 * Parse a Query Config argument; checks that the config string fits.
 *
 * @ret rc	0 or -ERR_PROTO
 */
int aoe_parse_cfg(const uint8_t *frame, size_t len, struct aoe_cfg *cfg);

/**
 * Parse a Reserve/Release reply; checks that the whole MAC list is in the
 * frame.
 *
 * @ret rc	0 or -ERR_PROTO
 */
int aoe_parse_rr(const uint8_t *frame, size_t len, struct aoe_rr *rr);

/**
 * Parse a target name: "e11.0", "aoe:e11.0" (iPXE's root-path syntax),
 * shelf 0..65534, slot 0..254.
 *
 * @ret rc	0 or -ERR_INVAL
 */
int aoe_parse_name(const char *name, uint16_t *shelf, uint8_t *slot);

/**
 * Sectors per frame: min(scnt or 2, (mtu - 36) / 512), at least 1.  On a
 * VLAN pass the MTU less AOE_VLAN_TAG_LEN (see aoe_vlan_mtu()).
 */
unsigned int aoe_sectors_per_frame(uint8_t scnt, unsigned int mtu);

/**
 * The payload MTU AoE may fill on a netdev of @mtu: 4 less on a VLAN, so
 * that a tagged frame is never longer than the netdev's largest untagged
 * one (UEFI SNP drivers refuse longer buffers; edk2's own VLAN layer
 * shrinks the MTU the same way).  At 1500 and 9000 this costs no sector
 * per frame.
 *
 * @v mtu	the netdev's payload MTU
 * @v vid	VLAN id, 0 for none
 * @ret mtu	what AoE may use
 */
static inline unsigned int aoe_vlan_mtu(unsigned int mtu, uint16_t vid)
{
	return vid && mtu > AOE_VLAN_TAG_LEN ? mtu - AOE_VLAN_TAG_LEN : mtu;
}

/** Describe an AoE error code ("bad argument", ...). */
const char *aoe_error_str(uint8_t error);

#endif
