/*
 * dhcp.c - options and the client address out of a BOOTP/DHCP packet.
 */
#include "dhcp.h"
#include "errors.h"
#include "libc.h"

static const uint8_t dhcp_cookie[4] = { 99, 130, 83, 99 };

int dhcp_option(const uint8_t *pkt, size_t len, uint8_t code,
		const uint8_t **val)
{
	size_t off = DHCP_OFF_OPTIONS, optlen;

	if (len < DHCP_OFF_OPTIONS ||
	    memcmp(pkt + DHCP_OFF_COOKIE, dhcp_cookie, sizeof(dhcp_cookie)))
		return -ERR_CORRUPT;
	while (off < len) {
		if (pkt[off] == DHCP_OPT_PAD) {
			off++;
			continue;
		}
		if (pkt[off] == DHCP_OPT_END)
			break;
		if (off + 2 > len)
			return -ERR_CORRUPT;
		optlen = pkt[off + 1];
		if (off + 2 + optlen > len)
			return -ERR_CORRUPT;
		if (pkt[off] == code) {
			*val = pkt + off + 2;
			return (int)optlen;
		}
		off += 2 + optlen;
	}
	return -ERR_NOENT;
}

int dhcp_root_path(const uint8_t *pkt, size_t len, char *out, size_t size)
{
	const uint8_t *val;
	int n, i;

	if (size == 0)
		return -ERR_INVAL;
	out[0] = 0;
	n = dhcp_option(pkt, len, DHCP_OPT_ROOT_PATH, &val);
	if (n < 0)
		return n;
	/* Some servers count a trailing NUL in the length. */
	while (n > 0 && val[n - 1] == 0)
		n--;
	if ((size_t)n >= size)
		return -ERR_NAMETOOLONG;
	for (i = 0; i < n; i++)
		if (val[i] < 0x20 || val[i] > 0x7E)
			return -ERR_CORRUPT;
	memcpy(out, val, (size_t)n);
	out[n] = 0;
	return 0;
}

int dhcp_client_mac(const uint8_t *pkt, size_t len, uint8_t mac[6])
{
	if (len < DHCP_OFF_CHADDR + 16)
		return -ERR_CORRUPT;
	if (pkt[DHCP_OFF_HTYPE] != 1 || pkt[DHCP_OFF_HLEN] != 6)
		return -ERR_NOENT;
	memcpy(mac, pkt + DHCP_OFF_CHADDR, 6);
	return 0;
}

/*
 * @n bytes of @src as a printable ASCII string: it ends at the first NUL
 * (the file field is NUL-padded); any other control byte is refused.
 */
static int dhcp_text(const uint8_t *src, size_t n, char *out, size_t size)
{
	size_t i;

	while (n > 0 && src[n - 1] == 0)
		n--;
	for (i = 0; i < n; i++)
		if (src[i] < 0x20 || src[i] > 0x7E)
			break;
	if (i < n && src[i])
		return -ERR_CORRUPT;
	n = i;
	if (n >= size)
		return -ERR_NAMETOOLONG;
	memcpy(out, src, n);
	out[n] = 0;
	return 0;
}

int dhcp_boot_file(const uint8_t *pkt, size_t len, uint8_t server[4],
		   uint8_t gateway[4], char *file, size_t size)
{
	const uint8_t *val;
	int n, rc;

	if (size == 0)
		return -ERR_INVAL;
	file[0] = 0;
	if (len < DHCP_OFF_FILE + DHCP_FILE_LEN)
		return -ERR_CORRUPT;
	memcpy(server, pkt + DHCP_OFF_SIADDR, 4);
	memcpy(gateway, pkt + DHCP_OFF_GIADDR, 4);
	if (!(server[0] | server[1] | server[2] | server[3]))
		return -ERR_NOENT;
	rc = dhcp_text(pkt + DHCP_OFF_FILE, DHCP_FILE_LEN, file, size);
	if (rc == 0 && !file[0]) {
		n = dhcp_option(pkt, len, DHCP_OPT_BOOTFILE, &val);
		if (n < 0)
			return n == -ERR_CORRUPT ? n : -ERR_NOENT;
		rc = dhcp_text(val, (size_t)n, file, size);
	}
	if (rc == 0 && !file[0])
		rc = -ERR_NOENT;
	return rc;
}

int dhcp_file_beside(const char *bootfile, const char *name, char *out,
		     size_t size)
{
	size_t dir = 0, i, nlen = strlen(name);

	for (i = 0; bootfile[i]; i++)
		if (bootfile[i] == '/')
			dir = i + 1;
	if (dir + nlen + 1 > size)
		return -ERR_NAMETOOLONG;
	memcpy(out, bootfile, dir);
	memcpy(out + dir, name, nlen + 1);
	return 0;
}
