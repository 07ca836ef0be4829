/* test_dhcp.c - options, root path and chaddr out of BOOTP/DHCP packets. */
#include <stdint.h>
#include <string.h>
#include "test.h"
#include "../../src/core/dhcp.h"
#include "../../src/core/errors.h"

static uint8_t pkt[548];

/* A reply for 52:54:00:12:34:56 with @opts after the cookie. */
static size_t make(const uint8_t *opts, size_t n)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 2;
	pkt[DHCP_OFF_HTYPE] = 1;
	pkt[DHCP_OFF_HLEN] = 6;
	memcpy(pkt + DHCP_OFF_CHADDR, mac, 6);
	pkt[236] = 99, pkt[237] = 130, pkt[238] = 83, pkt[239] = 99;
	memcpy(pkt + DHCP_OFF_OPTIONS, opts, n);
	return DHCP_OFF_OPTIONS + n;
}

static void test_root_path(void)
{
	static const uint8_t o[] = { 53, 1, 5, 0, 0, 17, 9, 'a', 'o', 'e', ':',
				     'e', '1', '1', '.', '0', 255 };
	char rp[64];
	uint8_t mac[6];
	size_t len = make(o, sizeof(o));

	check_eq(dhcp_root_path(pkt, len, rp, sizeof(rp)), 0);
	check(strcmp(rp, "aoe:e11.0") == 0);
	check_eq(dhcp_client_mac(pkt, len, mac), 0);
	check_eq(mac[5], 0x56);
	/* Too small a buffer: refused, not cut. */
	check_eq(dhcp_root_path(pkt, len, rp, 9), -ERR_NAMETOOLONG);
	check(rp[0] == 0);
}

static void test_trailing_nul_and_missing(void)
{
	static const uint8_t nul[] = { 17, 4, 'a', 'b', 'c', 0, 255 };
	static const uint8_t none[] = { 53, 1, 5, 255, 17, 3, 'x', 'y', 'z' };
	char rp[16];

	check_eq(dhcp_root_path(pkt, make(nul, sizeof(nul)), rp, sizeof(rp)), 0);
	check(strcmp(rp, "abc") == 0);
	/* After the end option nothing counts. */
	check_eq(dhcp_root_path(pkt, make(none, sizeof(none)), rp, sizeof(rp)),
		 -ERR_NOENT);
}

static void test_bad_packets(void)
{
	static const uint8_t over[] = { 17, 200, 'a' };
	static const uint8_t ctl[] = { 17, 2, 'a', '\n', 255 };
	const uint8_t *v;
	char rp[16];
	uint8_t mac[6];
	size_t len = make(over, sizeof(over));

	check_eq(dhcp_option(pkt, len, 17, &v), -ERR_CORRUPT);
	check_eq(dhcp_root_path(pkt, make(ctl, sizeof(ctl)), rp, sizeof(rp)),
		 -ERR_CORRUPT);
	pkt[236] = 0;
	check_eq(dhcp_option(pkt, len, 17, &v), -ERR_CORRUPT);
	check_eq(dhcp_option(pkt, 100, 17, &v), -ERR_CORRUPT);
	check_eq(dhcp_client_mac(pkt, 20, mac), -ERR_CORRUPT);
	pkt[DHCP_OFF_HLEN] = 16;
	check_eq(dhcp_client_mac(pkt, len, mac), -ERR_NOENT);
	/* A lone option code at the very end has no length byte. */
	pkt[236] = 99;
	check_eq(dhcp_option(pkt, DHCP_OFF_OPTIONS + 1, 17, &v), -ERR_CORRUPT);
}

static void test_boot_file(void)
{
	static const uint8_t o67[] = { 67, 12, 'b', 'o', 'o', 't', '/', 'x',
				       '.', 'p', 'x', 'e', 0, 0, 255 };
	static const uint8_t end[] = { 255 };
	uint8_t srv[4], gw[4];
	char f[DHCP_FILE_LEN], p[32];
	size_t len = make(end, sizeof(end));

	/* No server: nothing to fetch from. */
	check_eq(dhcp_boot_file(pkt, len, srv, gw, f, sizeof(f)), -ERR_NOENT);
	memcpy(pkt + DHCP_OFF_SIADDR, "\x0a\x00\x00\x01", 4);
	memcpy(pkt + DHCP_OFF_GIADDR, "\x0a\x00\x00\xfe", 4);
	/* A server but no file name. */
	check_eq(dhcp_boot_file(pkt, len, srv, gw, f, sizeof(f)), -ERR_NOENT);
	memcpy(pkt + DHCP_OFF_FILE, "pxe/aoeboot.pxe", 15);
	check_eq(dhcp_boot_file(pkt, len, srv, gw, f, sizeof(f)), 0);
	check(!strcmp(f, "pxe/aoeboot.pxe"));
	check(!memcmp(srv, "\x0a\x00\x00\x01", 4) && gw[3] == 0xfe);
	check_eq(dhcp_file_beside(f, "aoeboot.conf", p, sizeof(p)), 0);
	check(!strcmp(p, "pxe/aoeboot.conf"));
	check_eq(dhcp_file_beside("aoeboot.pxe", "aoeboot.conf", p, sizeof(p)), 0);
	check(!strcmp(p, "aoeboot.conf"));
	check_eq(dhcp_file_beside("/a/b/", "c", p, sizeof(p)), 0);
	check(!strcmp(p, "/a/b/c"));
	check_eq(dhcp_file_beside(f, "aoeboot.conf", p, 16), -ERR_NAMETOOLONG);
	/* Too small for the name: refused, not cut. */
	check_eq(dhcp_boot_file(pkt, len, srv, gw, f, 15), -ERR_NAMETOOLONG);
	/* A control byte in the file field. */
	pkt[DHCP_OFF_FILE + 3] = '\n';
	check_eq(dhcp_boot_file(pkt, len, srv, gw, f, sizeof(f)), -ERR_CORRUPT);
	/* An empty file field: option 67 (with its NULs) instead. */
	memset(pkt + DHCP_OFF_FILE, 0, DHCP_FILE_LEN);
	len = make(o67, sizeof(o67));
	memcpy(pkt + DHCP_OFF_SIADDR, "\x0a\x00\x00\x01", 4);
	check_eq(dhcp_boot_file(pkt, len, srv, gw, f, sizeof(f)), 0);
	check(!strcmp(f, "boot/x.pxe"));
	/* Shorter than the fixed part. */
	check_eq(dhcp_boot_file(pkt, 200, srv, gw, f, sizeof(f)), -ERR_CORRUPT);
}

int main(void)
{
	test_run(test_boot_file);
	test_run(test_root_path);
	test_run(test_trailing_nul_and_missing);
	test_run(test_bad_packets);
	return test_exit();
}
