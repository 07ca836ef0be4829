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
#define DHCP_OFF_CHADDR		28
#define DHCP_OFF_COOKIE		236
#define DHCP_OFF_OPTIONS	240
#define DHCP_OPT_PAD		0
#define DHCP_OPT_ROOT_PATH	17
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

#endif
