/*
 * bli.c - values of systemd's Boot Loader Interface (see bli.h).
 */
#include "bli.h"
#include "byteorder.h"
#include "errors.h"
#include "libc.h"

#define BLI_TIMEOUT_MAX	3600	/* as the timeout= setting */

/*
 * Take a UTF-16LE value as ASCII: up to the first NUL or the end, each
 * unit printable ASCII without blanks or quotes.  Units, not code points:
 * a surrogate is outside that range anyway.
 */
static int bli_ascii(const uint8_t *p, size_t size, char *out,
		     size_t out_size)
{
	size_t i, n = 0;

	if (size % 2 || out_size < 2)
		return -ERR_INVAL;
	for (i = 0; i + 1 < size; i += 2) {
		uint16_t unit = get_le16(p + i);

		if (!unit)
			break;
		if (unit <= ' ' || unit > '~' || unit == '"')
			return -ERR_INVAL;
		if (n + 1 >= out_size)
			return -ERR_NAMETOOLONG;
		out[n++] = (char)unit;
	}
	out[n] = 0;
	return n ? 0 : -ERR_INVAL;
}

int bli_decode_id(const void *data, size_t size, char *id, size_t id_size)
{
	return bli_ascii(data, size, id, id_size);
}

int bli_decode_timeout(const void *data, size_t size,
		       enum bli_timeout_kind kind, int *timeout)
{
	char text[16];
	unsigned int value = 0;
	const char *c;
	int rc;

	rc = bli_ascii(data, size, text, sizeof(text));
	if (rc)
		return rc == -ERR_NAMETOOLONG ? -ERR_INVAL : rc;
	if (!strcmp(text, "menu-force")) {
		*timeout = -1;
		return 0;
	}
	if (!strcmp(text, "menu-hidden") || !strcmp(text, "menu-disabled")) {
		*timeout = 0;
		return 0;
	}
	for (c = text; *c; c++) {
		if (*c < '0' || *c > '9')
			return -ERR_INVAL;
		value = value * 10 + (unsigned int)(*c - '0');
		if (value > BLI_TIMEOUT_MAX)
			return -ERR_INVAL;
	}
	if (!value && kind == BLI_TIMEOUT_ONESHOT)
		*timeout = -1;	/* the OS asked to see the menu */
	else
		*timeout = (int)value;
	return 0;
}

size_t bli_encode(const char *const *strs, unsigned int n, void *out,
		  size_t out_size)
{
	size_t need = 0, off = 0;
	unsigned int i;
	const char *c;

	for (i = 0; i < n; i++)
		need += 2 * (strlen(strs[i]) + 1);
	if (!out || out_size < need)
		return need;
	for (i = 0; i < n; i++) {
		for (c = strs[i];; c++) {
			put_le16((uint8_t *)out + off, (uint8_t)*c);
			off += 2;
			if (!*c)
				break;
		}
	}
	return need;
}

void bli_usec_str(uint64_t usec, char *buf)
{
	char rev[21];
	unsigned int n = 0;

	do {
		rev[n++] = (char)('0' + usec % 10);
		usec /= 10;
	} while (usec);
	while (n)
		*buf++ = rev[--n];
	*buf = 0;
}
