/*
 * dhcp.h - reading a cached BOOTP/DHCP reply (RFC 951, RFC 2131/2132).
 *
 * Firmware gets the reply that booted it from the PXE stack (BIOS
 * GET_CACHED_INFO, UEFI's PXE base code) and wants two things from it:
 * the client hardware address (BOOTIF) and option 17, the root path
 * ("aoe:e11.0").  The packet is untrusted: every length is checked.
 */
#ifndef AOEBOOT_DHCP_H
#define AOEBOOT_DHCP_H

#include <stddef.h>
#include <stdint.h>

#define DHCP_OFF_HTYPE		1
#define DHCP_OFF_HLEN		2
#define DHCP_OFF_SIADDR		20	/* next server: TFTP */
#define DHCP_OFF_GIADDR		24	/* relay agent: the gateway to it */
#define DHCP_OFF_CHADDR		28
#define DHCP_OFF_FILE		108	/* boot file name, NUL-padded */
#define DHCP_FILE_LEN		128
#define DHCP_OFF_COOKIE		236
#define DHCP_OFF_OPTIONS	240
#define DHCP_OPT_PAD		0
#define DHCP_OPT_ROOT_PATH	17
#define DHCP_OPT_BOOTFILE	67
#define DHCP_OPT_END		255

/**
 * Find an option in the options field.
 *
 * @v pkt	the packet
 * @v len	its length
 * @v code	option code (not 0 or 255)
 * @v val	set to the option's bytes when found
 * @ret len	the option's length (>= 0), or -ERR_NOENT / -ERR_CORRUPT
 */
int dhcp_option(const uint8_t *pkt, size_t len, uint8_t code,
		const uint8_t **val);

/**
 * Option 17 as a NUL-terminated string.
 *
 * @v out	buffer; "" when there is no (usable) root path
 * @v size	its size; a longer path is refused, not cut
 * @ret rc	0 or negative ERR_*
 */
int dhcp_root_path(const uint8_t *pkt, size_t len, char *out, size_t size);

/**
 * The client's Ethernet address (chaddr with htype 1, hlen 6).
 *
 * @v mac	set on success
 * @ret rc	0 or -ERR_NOENT / -ERR_CORRUPT
 */
int dhcp_client_mac(const uint8_t *pkt, size_t len, uint8_t mac[6]);

/**
 * Where the boot program came from: the TFTP server (siaddr), the gateway
 * to it (giaddr, 0.0.0.0 when on the same link) and the boot file name
 * (the file field, else option 67), as the PXE ROM used them.
 *
 * @v server	set to siaddr, in packet (network) byte order
 * @v gateway	set to giaddr, likewise
 * @v file	set to the boot file name, NUL-terminated printable ASCII
 * @v size	size of @file
 * @ret rc	0; -ERR_NOENT without a server or a file name;
 *		-ERR_CORRUPT, -ERR_NAMETOOLONG for a bad one
 */
int dhcp_boot_file(const uint8_t *pkt, size_t len, uint8_t server[4],
		   uint8_t gateway[4], char *file, size_t size);

/**
 * The path of @name in the directory of @bootfile ("pxe/aoeboot.pxe" and
 * "aoeboot.conf" give "pxe/aoeboot.conf"), as a TFTP path.
 *
 * @ret rc	0, or -ERR_NAMETOOLONG when it does not fit in @size
 */
int dhcp_file_beside(const char *bootfile, const char *name, char *out,
		     size_t size);

#endif
