/*
 * settings.c - firmware settings: the compiled-in board, the settings
 * file, then the command line.
 *
 * The board and the command line are "key=value" words separated by
 * blanks, a value in double quotes may hold blanks; the file has one
 * key=value per line.  The keys:
 *
 *   targets=e11.0,e12.0   use only these targets (default: all discovered)
 *   entry=<id or title>   boot entry to boot (default: the default entry)
 *   timeout=<seconds>     menu timeout (0: no menu, -1: wait)
 *   iface=<mac>           use only this NIC (aa:bb:cc:dd:ee:ff)
 *   append="..."          added to the kernel command line
 *   mode=san              publish the disk to the firmware, start its loader
 *   filename=<path>       SAN boot loader (default \EFI\BOOT\BOOTX64.EFI)
 *   kernel=e1.0           the whole target is the kernel image
 *   initrd=e1.1[,e1.2]    whole targets concatenated into the initrd
 *   discover=<ms>         how long discovery waits for answers
 *   wait=<seconds>        while no target answers, go on asking this long
 *                         (default 40: a switch port under spanning tree
 *                         forwards after 30 s; 0: give up at once)
 *   debug=1               show debug lines
 *   config=<prefix>       use only targets whose AoE config string starts
 *                         with it (docs/aoe.md)
 *
 * Loaded from the UEFI shell or by iPXE's `chain`, LoadOptions start with
 * the program's own name: a first word without '=' is skipped.
 */
#include <stdbool.h>
#include "aoe.h"
#include "byteorder.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "platform.h"
#include "settings.h"

#define DEFAULT_DISCOVER_MS	1500
#define DEFAULT_WAIT_S		40
#define WAIT_S_MAX		3600
#define DEFAULT_TIMEOUT		5

void settings_init(struct settings *set)
{
	memset(set, 0, sizeof(*set));
	set->timeout = DEFAULT_TIMEOUT;
	set->discover_ms = DEFAULT_DISCOVER_MS;
	set->wait_s = DEFAULT_WAIT_S;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Parse a decimal integer, optionally negative; whole string. */
static int parse_int(const char *s, long *out)
{
	bool neg = *s == '-';
	long v = 0;

	if (neg)
		s++;
	if (!*s)
		return -ERR_INVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return -ERR_INVAL;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "aa:bb:cc:dd:ee:ff" or with '-' separators. */
static int parse_mac(const char *s, uint8_t *mac)
{
	int i, hi, lo;

	for (i = 0; i < 6; i++) {
		hi = hexval(s[0]);
		lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0)
			return -ERR_INVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s != ':' && *s != '-')
			return -ERR_INVAL;
		if (i < 5)
			s++;
	}
	return *s ? -ERR_INVAL : 0;
}

/* A comma-separated target list into @list; replaces what was there. */
static int parse_targets(const char *s, struct set_target *list,
			 unsigned int max, unsigned int *count)
{
	char name[24];
	unsigned int n = 0;
	size_t len;
	const char *comma;

	while (*s) {
		comma = s;
		while (*comma && *comma != ',')
			comma++;
		len = (size_t)(comma - s);
		if (len == 0 || len >= sizeof(name) || n >= max)
			return -ERR_INVAL;
		memcpy(name, s, len);
		name[len] = 0;
		if (aoe_parse_name(name, &list[n].shelf, &list[n].slot) < 0)
			return -ERR_INVAL;
		n++;
		s = *comma ? comma + 1 : comma;
	}
	if (n == 0)
		return -ERR_INVAL;
	*count = n;
	return 0;
}

static int copy_str(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		return -ERR_NAMETOOLONG;
	memcpy(dst, src, len + 1);
	return 0;
}

/* Apply one key=value. */
static int settings_apply(struct settings *set, const char *key,
			  const char *val)
{
	struct set_target one[1];
	unsigned int n;
	long v;
	int rc;

	if (!strcmp(key, "targets"))
		return parse_targets(val, set->targets, SET_MAX_TARGETS,
				     &set->ntargets);
	if (!strcmp(key, "entry"))
		return copy_str(set->entry, sizeof(set->entry), val);
	if (!strcmp(key, "filename"))
		return copy_str(set->filename, sizeof(set->filename), val);
	if (!strcmp(key, "config"))
		return copy_str(set->config_prefix, sizeof(set->config_prefix),
				val);
	if (!strcmp(key, "timeout")) {
		rc = parse_int(val, &v);
		if (rc == 0 && (v < -1 || v > 3600))
			rc = -ERR_RANGE;
		if (rc == 0) {
			set->timeout = (int)v;
			set->have_timeout = true;
		}
		return rc;
	}
	if (!strcmp(key, "iface")) {
		rc = parse_mac(val, set->iface);
		set->have_iface = rc == 0;
		return rc;
	}
	if (!strcmp(key, "append"))
		return copy_str(set->append, sizeof(set->append), val);
	if (!strcmp(key, "mode")) {
		if (strcmp(val, "san") && strcmp(val, "boot"))
			return -ERR_INVAL;
		set->mode_san = !strcmp(val, "san");
		return 0;
	}
	if (!strcmp(key, "net")) {
		if (strcmp(val, "undi") && strcmp(val, "auto"))
			return -ERR_INVAL;
		set->net_undi = !strcmp(val, "undi");
		return 0;
	}
	if (!strcmp(key, "kernel")) {
		rc = parse_targets(val, one, 1, &n);
		if (rc == 0) {
			set->kernel = one[0];
			set->have_kernel = true;
		}
		return rc;
	}
	if (!strcmp(key, "initrd"))
		return parse_targets(val, set->initrds, SET_MAX_INITRDS,
				     &set->ninitrds);
	if (!strcmp(key, "discover")) {
		rc = parse_int(val, &v);
		if (rc == 0 && (v < 10 || v > 600000))
			rc = -ERR_RANGE;
		if (rc == 0)
			set->discover_ms = (unsigned int)v;
		return rc;
	}
	if (!strcmp(key, "wait")) {
		rc = parse_int(val, &v);
		if (rc == 0 && (v < 0 || v > WAIT_S_MAX))
			rc = -ERR_RANGE;
		if (rc == 0)
			set->wait_s = (unsigned int)v;
		return rc;
	}
	if (!strcmp(key, "vlan")) {
		/* 0 is a priority tag without a VLAN, 4095 is reserved. */
		rc = parse_int(val, &v);
		if (rc == 0 && (v < AOE_VID_MIN || v > AOE_VID_MAX))
			rc = -ERR_RANGE;
		if (rc == 0)
			set->vlan = (uint16_t)v;
		return rc;
	}
	if (!strcmp(key, "debug")) {
		set->debug = strcmp(val, "0") != 0;
		return 0;
	}
	/* Read by build/mkrom from boards/<name>.conf, not firmware settings. */
	if (!strcmp(key, "vendor") || !strcmp(key, "device") ||
	    !strcmp(key, "class") || !strcmp(key, "rombase"))
		return 0;
	return -ERR_NOENT;
}

/* Why the value of @key was refused, for one message. */
static const char *apply_error(int rc)
{
	return rc == -ERR_NOENT ? "unknown setting" : "bad value for";
}

/* What a refused value of @key should have been, "" when obvious. */
static const char *apply_hint(const char *key, int rc)
{
	return rc != -ERR_NOENT && !strcmp(key, "vlan") ?
	       " (a VLAN id, 1..4094)" : "";
}

int settings_parse(struct settings *set, const char *text, const char *source)
{
	char word[SET_APPEND_MAX + 64], *eq;
	bool first = true;
	size_t n;
	int rc, ret = 0;

	for (;;) {
		while (is_blank(*text))
			text++;
		if (!*text)
			return ret;
		/* One word; double quotes group blanks and are removed. */
		n = 0;
		bool quoted = false;
		for (; *text && (quoted || !is_blank(*text)); text++) {
			if (*text == '"') {
				quoted = !quoted;
				continue;
			}
			if (n + 1 < sizeof(word))
				word[n++] = *text;
		}
		word[n] = 0;
		eq = word;
		while (*eq && *eq != '=')
			eq++;
		if (!*eq) {
			if (!first) {
				log_warn("%s: ignoring '%s' (not key=value)",
					 source, word);
				ret = -ERR_INVAL;
			}
			first = false;
			continue;
		}
		first = false;
		*eq = 0;
		rc = settings_apply(set, word, eq + 1);
		if (rc < 0) {
			log_warn("%s: %s %s: '%s'%s", source, apply_error(rc),
				 word, eq + 1, apply_hint(word, rc));
			ret = -ERR_INVAL;
		}
	}
}

/* One line of a settings file, NUL-terminated and without its newline. */
static int settings_parse_line(struct settings *set, char *line,
			       const char *name, unsigned int lineno)
{
	char *end, *eq, *val;
	size_t len;
	int rc;

	while (is_blank(*line))
		line++;
	len = strlen(line);
	while (len && is_blank(line[len - 1]))
		line[--len] = 0;
	if (!len || line[0] == '#')
		return 0;
	for (eq = line; *eq && *eq != '='; eq++)
		;
	if (!*eq || eq == line) {
		log_warn("%s:%u: not key=value: '%s'", name, lineno, line);
		return -ERR_INVAL;
	}
	end = eq;
	while (end > line && is_blank(end[-1]))
		end--;
	*end = 0;
	val = eq + 1;
	while (is_blank(*val))
		val++;
	len = strlen(val);
	if (len >= 2 && val[0] == '"' && val[len - 1] == '"') {
		val[len - 1] = 0;
		val++;
	}
	rc = settings_apply(set, line, val);
	if (rc < 0) {
		log_warn("%s:%u: %s %s: '%s'%s", name, lineno,
			 apply_error(rc), line, val, apply_hint(line, rc));
		return -ERR_INVAL;
	}
	return 0;
}

int settings_parse_file(struct settings *set, const char *text, size_t len,
			const char *name)
{
	char line[SET_APPEND_MAX + 64];
	unsigned int lineno = 0;
	size_t pos = 0, start, n;
	bool bad;
	int ret = 0;

	while (pos < len) {
		start = pos;
		lineno++;
		bad = false;
		while (pos < len && text[pos] != '\n') {
			/* Control bytes (a NUL, say) mean it is not text. */
			if ((unsigned char)text[pos] < 0x20 &&
			    !is_blank(text[pos]))
				bad = true;
			pos++;
		}
		n = pos - start;
		if (pos < len)
			pos++;	/* the newline */
		if (bad || n >= sizeof(line)) {
			log_warn("%s:%u: %s", name, lineno, bad ?
				 "not text" : "line too long");
			ret = -ERR_INVAL;
			continue;
		}
		memcpy(line, text + start, n);
		line[n] = 0;
		if (settings_parse_line(set, line, name, lineno) < 0)
			ret = -ERR_INVAL;
	}
	return ret;
}

char *settings_from_ucs2(const void *text, size_t size)
{
	const uint8_t *p = text;
	size_t len = 0, i;
	uint16_t c;
	char *out;

	if (!text || size < 2)
		return NULL;
	/* Text ends at the first NUL or at the end of the buffer. */
	while (len < size / 2 && get_le16(p + 2 * len))
		len++;
	for (i = 0; i < len; i++) {
		c = get_le16(p + 2 * i);
		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c > 0x7e)
			return NULL;	/* binary data or not ASCII */
	}
	out = plat_alloc(len + 1);
	if (!out)
		return NULL;
	for (i = 0; i < len; i++)
		out[i] = (char)get_le16(p + 2 * i);
	out[len] = 0;
	return out;
}
