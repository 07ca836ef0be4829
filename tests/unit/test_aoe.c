/* test_aoe.c - AoE frames against byte-exact vectors of the r11 layout. */
#include <string.h>
#include "test.h"
#include "../../src/core/aoe.h"
#include "../../src/core/byteorder.h"
#include "../../src/core/errors.h"

static const uint8_t dst[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t src[6] = { 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb };

static void test_build_ata_read_ext(void)
{
	static const uint8_t want[36] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55,	/* dst */
		0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,	/* src */
		0x88, 0xa2,				/* ethertype */
		0x10, 0x00,				/* ver 1, flags, error */
		0x00, 0x0b, 0x03, 0x00,			/* shelf 11, slot 3, ATA */
		0xde, 0xad, 0xbe, 0xef,			/* tag */
		0x40, 0x00, 0x02, 0x24,			/* E, feat, count 2, READ EXT */
		0x06, 0x05, 0x04, 0x03, 0x02, 0x01,	/* lba0..lba5 */
		0x00, 0x00,
	};
	struct aoe_hdr hdr = { .shelf = 11, .slot = 3, .cmd = AOE_CMD_ATA,
			       .tag = 0xdeadbeef };
	struct aoe_ata ata = { .aflags = AOE_AFL_EXT, .count = 2,
			       .cmd_status = ATA_CMD_READ_EXT,
			       .lba = 0x010203040506ULL };
	uint8_t frame[128];
	size_t len;

	memcpy(hdr.dst, dst, 6);
	memcpy(hdr.src, src, 6);
	memset(frame, 0xcc, sizeof(frame));
	len = aoe_build_ata(frame, &hdr, &ata, NULL, 0);
	check_eq(len, 60);
	check(!memcmp(frame, want, sizeof(want)));
	for (size_t i = 36; i < 60; i++)
		check_eq(frame[i], 0);
}

static void test_build_ata_write_data(void)
{
	struct aoe_hdr hdr = { .shelf = 1, .slot = 0, .tag = 7 };
	struct aoe_ata ata = { .aflags = AOE_AFL_EXT | AOE_AFL_WRITE,
			       .count = 1, .cmd_status = ATA_CMD_WRITE_EXT };
	uint8_t data[512], frame[600];
	size_t len;

	for (int i = 0; i < 512; i++)
		data[i] = (uint8_t)i;
	len = aoe_build_ata(frame, &hdr, &ata, data, sizeof(data));
	check_eq(len, 36 + 512);
	check_eq(frame[24], 0x41);
	check_eq(frame[27], 0x34);
	check(!memcmp(frame + 36, data, 512));
}

static void test_build_cfg_query(void)
{
	struct aoe_hdr hdr = { .shelf = AOE_SHELF_ANY, .slot = AOE_SLOT_ANY,
			       .cmd = AOE_CMD_CONFIG, .tag = 0x01020304 };
	uint8_t frame[64];

	memset(hdr.dst, 0xff, 6);
	memcpy(hdr.src, src, 6);
	check_eq(aoe_build_cfg_query(frame, &hdr), 60);
	check(!memcmp(frame, "\xff\xff\xff\xff\xff\xff", 6));
	check_eq(get_be16(frame + 12), 0x88a2);
	check_eq(frame[14], 0x10);
	check_eq(get_be16(frame + 16), 0xffff);
	check_eq(frame[18], 0xff);
	check_eq(frame[19], 1);
	check_eq(get_be32(frame + 20), 0x01020304);
	check_eq(frame[29], 0x10);	/* ver 1, ccmd read */
	check_eq(get_be16(frame + 30), 0);
}

static void test_build_cfg_prefix(void)
{
	struct aoe_hdr hdr = { .shelf = AOE_SHELF_ANY, .slot = AOE_SLOT_ANY,
			       .cmd = AOE_CMD_CONFIG, .tag = 7 };
	static uint8_t frame[AOE_CFG_HDR_LEN + AOE_CFG_STRING_MAX + 1];

	memset(hdr.dst, 0xff, 6);
	memcpy(hdr.src, src, 6);
	check_eq(aoe_build_cfg_prefix(frame, &hdr, (const uint8_t *)"rack1/",
				      6), 60);
	check_eq(frame[19], 1);
	check_eq(frame[29], 0x12);	/* ver 1, ccmd 2: prefix test */
	check_eq(get_be16(frame + 30), 6);
	check(!memcmp(frame + 32, "rack1/", 6));
	check_eq(frame[38], 0);		/* padding */
	memset(frame + 32, 'x', AOE_CFG_STRING_MAX);
	check_eq(aoe_build_cfg_prefix(frame, &hdr, frame + 32,
				      AOE_CFG_STRING_MAX),
		 AOE_CFG_HDR_LEN + AOE_CFG_STRING_MAX);
	check_eq(get_be16(frame + 30), AOE_CFG_STRING_MAX);
	check_eq(aoe_build_cfg_prefix(frame, &hdr, frame + 32,
				      AOE_CFG_STRING_MAX + 1), 0);
}

static void test_reserve_release(void)
{
	struct aoe_hdr hdr = { .shelf = 11, .slot = 0, .cmd = AOE_CMD_RESERVE,
			       .tag = 9 };
	uint8_t frame[64];
	struct aoe_rr rr;

	memcpy(hdr.dst, "\x02\x00\x00\x00\x10\x00", 6);
	memcpy(hdr.src, src, 6);
	memset(frame, 0xaa, sizeof(frame));
	check_eq(aoe_build_rr_read(frame, &hdr), 60);
	check_eq(frame[19], 3);
	check_eq(frame[24], 0);		/* rcmd 0: read the list */
	check_eq(frame[25], 0);		/* no MACs */
	check_eq(frame[26], 0);
	/* A reply with two MACs. */
	frame[14] = 0x18;
	frame[25] = 2;
	memcpy(frame + 26, "\x02\x99\x00\x00\x00\x42\x02\x99\x00\x00\x00\x43",
	       12);
	check_eq(aoe_parse_rr(frame, 60, &rr), 0);
	check_eq(rr.rcmd, 0);
	check_eq(rr.nmacs, 2);
	check(rr.macs == frame + 26);
	check_eq(aoe_parse_rr(frame, 38, &rr), 0);
	/* The list must be in the frame. */
	check_eq(aoe_parse_rr(frame, 37, &rr), -ERR_PROTO);
	frame[25] = 6;
	check_eq(aoe_parse_rr(frame, 60, &rr), -ERR_PROTO);
	check_eq(aoe_parse_rr(frame, 25, &rr), -ERR_PROTO);
}

static void test_parse_reply(void)
{
	uint8_t frame[36 + 1024];
	struct aoe_hdr hdr;
	struct aoe_ata ata;
	const uint8_t *data;
	size_t datalen;

	memset(frame, 0, sizeof(frame));
	memcpy(frame, src, 6);
	memcpy(frame + 6, dst, 6);
	frame[12] = 0x88; frame[13] = 0xa2;
	frame[14] = 0x18; frame[15] = 0;
	frame[16] = 0x01; frame[17] = 0x02;	/* shelf 258 */
	frame[18] = 9; frame[19] = 0;
	frame[20] = 0xca; frame[21] = 0xfe; frame[22] = 0xba; frame[23] = 0xbe;
	frame[24] = 0x40; frame[26] = 2; frame[27] = 0x40;
	frame[28] = 0x78; frame[29] = 0x56; frame[30] = 0x34; frame[31] = 0x12;
	check_eq(aoe_parse_hdr(frame, sizeof(frame), &hdr), 0);
	check_eq(hdr.ver, 1);
	check_eq(hdr.flags, AOE_FL_RESPONSE);
	check_eq(hdr.shelf, 258);
	check_eq(hdr.slot, 9);
	check_eq(hdr.tag, 0xcafebabe);
	check(!memcmp(hdr.src, dst, 6));
	check_eq(aoe_parse_ata(frame, sizeof(frame), &ata, &data, &datalen), 0);
	check_eq(ata.count, 2);
	check_eq(ata.cmd_status, 0x40);
	check_eq(ata.lba, 0x12345678);
	check(data == frame + 36);
	check_eq(datalen, 1024);
	/* Too short, wrong type, wrong version. */
	check_eq(aoe_parse_hdr(frame, 23, &hdr), -ERR_PROTO);
	check_eq(aoe_parse_ata(frame, 35, &ata, &data, &datalen), -ERR_PROTO);
	frame[13] = 0xa3;
	check_eq(aoe_parse_hdr(frame, sizeof(frame), &hdr), -ERR_PROTO);
	frame[13] = 0xa2;
	frame[14] = 0x28;
	check_eq(aoe_parse_hdr(frame, sizeof(frame), &hdr), -ERR_PROTO);
}

static void test_parse_cfg(void)
{
	uint8_t frame[60];
	struct aoe_cfg cfg;

	memset(frame, 0, sizeof(frame));
	frame[24] = 0x00; frame[25] = 0x10;	/* bufcnt 16 */
	frame[26] = 0x40; frame[27] = 0x19;	/* fwver */
	frame[28] = 17;				/* scnt */
	frame[29] = 0x10;
	frame[30] = 0; frame[31] = 4;
	memcpy(frame + 32, "abcd", 4);
	check_eq(aoe_parse_cfg(frame, sizeof(frame), &cfg), 0);
	check_eq(cfg.bufcnt, 16);
	check_eq(cfg.fwver, 0x4019);
	check_eq(cfg.scnt, 17);
	check_eq(cfg.ver, 1);
	check_eq(cfg.cslen, 4);
	check(!memcmp(cfg.cs, "abcd", 4));
	/* A config string longer than the frame is rejected. */
	frame[31] = 29;
	check_eq(aoe_parse_cfg(frame, sizeof(frame), &cfg), -ERR_PROTO);
	frame[30] = 0x04; frame[31] = 0x01;	/* 1025 > 1024 */
	check_eq(aoe_parse_cfg(frame, sizeof(frame), &cfg), -ERR_PROTO);
	check_eq(aoe_parse_cfg(frame, 31, &cfg), -ERR_PROTO);
}

/* 802.1Q: the tag between the MACs and the ethertype, byte for byte. */
static void test_vlan_build_ata(void)
{
	static const uint8_t want[40] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55,	/* dst */
		0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,	/* src */
		0x81, 0x00,				/* TPID 802.1Q */
		0x0f, 0xfe,				/* PCP 0, DEI 0, VID 4094 */
		0x88, 0xa2,				/* ethertype */
		0x10, 0x00,				/* ver 1, flags, error */
		0x00, 0x0b, 0x03, 0x00,			/* shelf 11, slot 3, ATA */
		0xde, 0xad, 0xbe, 0xef,			/* tag */
		0x40, 0x00, 0x02, 0x24,			/* E, feat, count 2, READ EXT */
		0x06, 0x05, 0x04, 0x03, 0x02, 0x01,	/* lba0..lba5 */
		0x00, 0x00,
	};
	struct aoe_hdr hdr = { .shelf = 11, .slot = 3, .cmd = AOE_CMD_ATA,
			       .tag = 0xdeadbeef, .vid = 4094 };
	struct aoe_ata ata = { .aflags = AOE_AFL_EXT, .count = 2,
			       .cmd_status = ATA_CMD_READ_EXT,
			       .lba = 0x010203040506ULL };
	uint8_t frame[600], data[512];
	size_t len;

	memcpy(hdr.dst, dst, 6);
	memcpy(hdr.src, src, 6);
	memset(frame, 0xcc, sizeof(frame));
	check_eq(aoe_put_hdr(frame, &hdr), AOE_HDR_LEN + AOE_VLAN_TAG_LEN);
	len = aoe_build_ata(frame, &hdr, &ata, NULL, 0);
	/* 64: still the Ethernet minimum of 60 once a switch strips it. */
	check_eq(len, 64);
	check(!memcmp(frame, want, sizeof(want)));
	for (size_t i = 40; i < 64; i++)
		check_eq(frame[i], 0);
	check_eq(frame[64], 0xcc);
	/* With data: it follows the 40 bytes, no padding. */
	for (int i = 0; i < 512; i++)
		data[i] = (uint8_t)(i * 7);
	ata.aflags |= AOE_AFL_WRITE;
	len = aoe_build_ata(frame, &hdr, &ata, data, sizeof(data));
	check_eq(len, 40 + 512);
	check_eq(frame[28], 0x41);
	check(!memcmp(frame + 40, data, 512));
	/* Only the 12 VID bits of the id go into the TCI. */
	hdr.vid = 5;
	check_eq(aoe_build_ata(frame, &hdr, &ata, NULL, 0), 64);
	check_eq(get_be16(frame + 14), 5);
	/* Without a VLAN the old layout, unchanged. */
	hdr.vid = 0;
	check_eq(aoe_put_hdr(frame, &hdr), AOE_HDR_LEN);
	check_eq(get_be16(frame + 12), 0x88a2);
}

static void test_vlan_build_cfg_rr(void)
{
	struct aoe_hdr hdr = { .shelf = AOE_SHELF_ANY, .slot = AOE_SLOT_ANY,
			       .cmd = AOE_CMD_CONFIG, .tag = 0x01020304,
			       .vid = 5 };
	static uint8_t frame[AOE_CFG_HDR_LEN + AOE_VLAN_TAG_LEN +
			     AOE_CFG_STRING_MAX + 8];

	memset(hdr.dst, 0xff, 6);
	memcpy(hdr.src, src, 6);
	memset(frame, 0xcc, sizeof(frame));
	check_eq(aoe_build_cfg_query(frame, &hdr), 64);
	check_eq(get_be16(frame + 12), 0x8100);
	check_eq(get_be16(frame + 14), 5);
	check_eq(get_be16(frame + 16), 0x88a2);
	check_eq(frame[18], 0x10);
	check_eq(get_be16(frame + 20), 0xffff);
	check_eq(frame[22], 0xff);
	check_eq(frame[23], 1);
	check_eq(get_be32(frame + 24), 0x01020304);
	check_eq(frame[33], 0x10);	/* ver 1, ccmd read */
	check_eq(frame[63], 0);
	check_eq(aoe_build_cfg_prefix(frame, &hdr, (const uint8_t *)"rack1/",
				      6), 64);
	check_eq(frame[33], 0x12);
	check_eq(get_be16(frame + 34), 6);
	check(!memcmp(frame + 36, "rack1/", 6));
	memset(frame + 36, 'x', AOE_CFG_STRING_MAX);
	check_eq(aoe_build_cfg_prefix(frame, &hdr, frame + 36,
				      AOE_CFG_STRING_MAX),
		 AOE_VLAN_TAG_LEN + AOE_CFG_HDR_LEN + AOE_CFG_STRING_MAX);
	hdr.cmd = AOE_CMD_RESERVE;
	memset(frame, 0xaa, 80);
	check_eq(aoe_build_rr_read(frame, &hdr), 64);
	check_eq(frame[23], 3);
	check_eq(frame[28], 0);		/* rcmd */
	check_eq(frame[29], 0);		/* nmacs */
	check_eq(frame[63], 0);
	check_eq(frame[64], 0xaa);
}

/* A reply on VLAN 5: the VID is reported, every field read past the tag. */
static void test_vlan_parse(void)
{
	uint8_t frame[40 + 1024];
	struct aoe_hdr hdr;
	struct aoe_ata ata;
	struct aoe_cfg cfg;
	struct aoe_rr rr;
	const uint8_t *data;
	size_t datalen;

	memset(frame, 0, sizeof(frame));
	memcpy(frame, src, 6);
	memcpy(frame + 6, dst, 6);
	put_be16(frame + 12, 0x8100);
	put_be16(frame + 14, 0xe005);	/* PCP 7, DEI 0, VID 5 */
	put_be16(frame + 16, 0x88a2);
	frame[18] = 0x18;
	put_be16(frame + 20, 258);
	frame[22] = 9;
	frame[23] = 0;
	put_be32(frame + 24, 0xcafebabe);
	frame[28] = 0x40; frame[30] = 2; frame[31] = 0x40;
	frame[32] = 0x78; frame[33] = 0x56; frame[34] = 0x34; frame[35] = 0x12;
	check_eq(aoe_parse_hdr(frame, sizeof(frame), &hdr), 0);
	check_eq(hdr.vid, 5);
	check_eq(hdr.flags, AOE_FL_RESPONSE);
	check_eq(hdr.shelf, 258);
	check_eq(hdr.slot, 9);
	check_eq(hdr.tag, 0xcafebabe);
	check(!memcmp(hdr.src, dst, 6));
	check_eq(aoe_parse_ata(frame, sizeof(frame), &ata, &data, &datalen), 0);
	check_eq(ata.count, 2);
	check_eq(ata.lba, 0x12345678);
	check(data == frame + 40);
	check_eq(datalen, 1024);
	/* Short: the tag's 4 bytes count against every minimum. */
	check_eq(aoe_parse_hdr(frame, 27, &hdr), -ERR_PROTO);
	check_eq(aoe_parse_hdr(frame, 28, &hdr), 0);
	check_eq(aoe_parse_ata(frame, 39, &ata, &data, &datalen), -ERR_PROTO);
	check_eq(aoe_parse_ata(frame, 40, &ata, &data, &datalen), 0);
	check_eq(datalen, 0);
	check_eq(aoe_parse_hdr(frame, 13, &hdr), -ERR_PROTO);
	check_eq(aoe_parse_ata(frame, 13, &ata, &data, &datalen), -ERR_PROTO);
	/* Query Config and Reserve/Release past the tag. */
	frame[23] = 1;
	put_be16(frame + 28, 16);
	frame[32] = 17;
	frame[33] = 0x10;
	put_be16(frame + 34, 4);
	memcpy(frame + 36, "abcd", 4);
	check_eq(aoe_parse_cfg(frame, 64, &cfg), 0);
	check_eq(cfg.bufcnt, 16);
	check_eq(cfg.scnt, 17);
	check(cfg.cs == frame + 36);
	check_eq(aoe_parse_cfg(frame, 39, &cfg), -ERR_PROTO);
	check_eq(aoe_parse_cfg(frame, 35, &cfg), -ERR_PROTO);
	frame[28] = 0;
	frame[29] = 1;
	memcpy(frame + 30, "\x02\x99\x00\x00\x00\x42", 6);
	check_eq(aoe_parse_rr(frame, 36, &rr), 0);
	check_eq(rr.nmacs, 1);
	check(rr.macs == frame + 30);
	check_eq(aoe_parse_rr(frame, 35, &rr), -ERR_PROTO);
	/* A priority tag (VID 0) is the untagged LAN's. */
	put_be16(frame + 14, 0xa000);
	check_eq(aoe_parse_hdr(frame, 64, &hdr), 0);
	check_eq(hdr.vid, 0);
	/* Stacked tags (QinQ) and a tag over something else: not AoE. */
	put_be16(frame + 12, 0x88a8);
	check_eq(aoe_parse_hdr(frame, 64, &hdr), -ERR_PROTO);
	put_be16(frame + 12, 0x8100);
	put_be16(frame + 14, 5);
	put_be16(frame + 16, 0x8100);
	check_eq(aoe_parse_hdr(frame, 64, &hdr), -ERR_PROTO);
	put_be16(frame + 16, 0x0800);
	check_eq(aoe_parse_hdr(frame, 64, &hdr), -ERR_PROTO);
	/* Untagged frames still report VID 0. */
	hdr.vid = 77;
	memmove(frame + 12, frame + 16, sizeof(frame) - 16);
	put_be16(frame + 12, 0x88a2);
	check_eq(aoe_parse_hdr(frame, 60, &hdr), 0);
	check_eq(hdr.vid, 0);
}

static void test_vlan_mtu(void)
{
	check_eq(aoe_vlan_mtu(1500, 0), 1500);
	check_eq(aoe_vlan_mtu(1500, 5), 1496);
	check_eq(aoe_vlan_mtu(9000, 4094), 8996);
	check_eq(aoe_vlan_mtu(3, 5), 3);
	/* The tag costs no sector at the usual MTUs. */
	check_eq(aoe_sectors_per_frame(0, aoe_vlan_mtu(1500, 5)), 2);
	check_eq(aoe_sectors_per_frame(255, aoe_vlan_mtu(9000, 5)), 17);
	check_eq(aoe_sectors_per_frame(255, aoe_vlan_mtu(1060, 5)), 1);
}

static void test_names(void)
{
	uint16_t shelf;
	uint8_t slot;

	check_eq(aoe_parse_name("e11.0", &shelf, &slot), 0);
	check_eq(shelf, 11);
	check_eq(slot, 0);
	check_eq(aoe_parse_name("aoe:e65534.254", &shelf, &slot), 0);
	check_eq(shelf, 65534);
	check_eq(slot, 254);
	check_eq(aoe_parse_name("e65535.0", &shelf, &slot), -ERR_INVAL);
	check_eq(aoe_parse_name("e1.255", &shelf, &slot), -ERR_INVAL);
	check_eq(aoe_parse_name("e1.", &shelf, &slot), -ERR_INVAL);
	check_eq(aoe_parse_name("e1.2x", &shelf, &slot), -ERR_INVAL);
	check_eq(aoe_parse_name("x1.2", &shelf, &slot), -ERR_INVAL);
	check_eq(aoe_parse_name("e99999999999999999999.1", &shelf, &slot),
		 -ERR_INVAL);
	check_eq(aoe_parse_name("", &shelf, &slot), -ERR_INVAL);
}

static void test_sectors_per_frame(void)
{
	check_eq(aoe_sectors_per_frame(2, 1500), 2);
	check_eq(aoe_sectors_per_frame(0, 1500), 2);
	check_eq(aoe_sectors_per_frame(17, 9000), 17);
	check_eq(aoe_sectors_per_frame(255, 9000), 17);
	check_eq(aoe_sectors_per_frame(2, 9000), 2);
	check_eq(aoe_sectors_per_frame(17, 1500), 2);
	check_eq(aoe_sectors_per_frame(8, 100), 1);
}

static void test_byteorder(void)
{
	uint8_t b[8];

	put_be16(b, 0x1234);
	check(b[0] == 0x12 && b[1] == 0x34);
	check_eq(get_be16(b), 0x1234);
	put_le32(b, 0x89abcdef);
	check(b[0] == 0xef && b[3] == 0x89);
	check_eq(get_le32(b), 0x89abcdef);
	put_be64(b, 0x0102030405060708ULL);
	check(b[0] == 1 && b[7] == 8);
	check(get_be64(b) == 0x0102030405060708ULL);
	put_le64(b, 0xfedcba9876543210ULL);
	check(b[0] == 0x10 && b[7] == 0xfe);
	/* 64-bit, all of it: SeaBIOS once returned only 32 bits. */
	check(get_le64(b) == 0xfedcba9876543210ULL);
	put_be32(b, 0xa1b2c3d4);
	check_eq(get_be32(b), 0xa1b2c3d4);
	put_le16(b, 0xbeef);
	check_eq(get_le16(b), 0xbeef);
}

int main(void)
{
	test_run(test_build_ata_read_ext);
	test_run(test_build_ata_write_data);
	test_run(test_build_cfg_query);
	test_run(test_build_cfg_prefix);
	test_run(test_reserve_release);
	test_run(test_parse_reply);
	test_run(test_parse_cfg);
	test_run(test_vlan_build_ata);
	test_run(test_vlan_build_cfg_rr);
	test_run(test_vlan_parse);
	test_run(test_vlan_mtu);
	test_run(test_names);
	test_run(test_sectors_per_frame);
	test_run(test_byteorder);
	return test_exit();
}
