/*
 * debcmdline.c - the command line of Debian's /vmlinuz + /initrd.img entry
 * (see debcmdline.h for the rules).
 *
 * Both files are read from the same untrusted filesystem as everything
 * else: bounded in size, parsed without ever writing past @size, and a
 * line that cannot be understood is left out with a warning.
 */
#include "bootcfg.h"
#include "debcmdline.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "platform.h"

#define DEBCMD_FILE_MAX		(16 * 1024)	/* both files are one-liners */
#define DEBCMD_VALUE_MAX	1024		/* one GRUB_CMDLINE_* value */

static const char kernel_cmdline_path[] = "/etc/kernel/cmdline";
static const char default_grub_path[] = "/etc/default/grub";

/* Blanks and control characters (a NUL in a file too) separate words. */
static bool is_blank(char c)
{
	return (unsigned char)c <= ' ' || c == 0x7f;
}

/* Append @len bytes of words from @src to @out, folding blanks. */
static int cmd_append(char *out, size_t size, size_t *pos, const char *src,
		      size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start;

		while (i < len && is_blank(src[i]))
			i++;
		start = i;
		while (i < len && !is_blank(src[i]))
			i++;
		if (i == start)
			break;
		if (*pos + (*pos ? 1 : 0) + (i - start) + 1 > size)
			return -ERR_TOOBIG;
		if (*pos)
			out[(*pos)++] = ' ';
		memcpy(out + *pos, src + start, i - start);
		*pos += i - start;
		out[*pos] = 0;
	}
	return 0;
}

int debcmd_parse_kernel_cmdline(const char *buf, size_t len, char *out,
				size_t size)
{
	size_t pos = 0, i = 0;
	int rc;

	if (!size)
		return -ERR_TOOBIG;
	out[0] = 0;
	while (i < len) {
		size_t start = i, end;

		while (i < len && buf[i] != '\n')
			i++;
		end = i++;
		while (start < end && is_blank(buf[start]))
			start++;
		if (start == end || buf[start] == '#')
			continue;
		rc = cmd_append(out, size, &pos, buf + start, end - start);
		if (rc < 0)
			return rc;
	}
	return (int)pos;
}

/** A GRUB_CMDLINE_* value taken out of /etc/default/grub. */
struct grub_value {
	char text[DEBCMD_VALUE_MAX];
	bool set;
};

/*
 * Unquote the shell value at @v (up to @end) into @gv.  Returns 0, or
 * -ERR_NOTSUP for anything that needs a shell to evaluate.
 */
static int grub_unquote(const char *v, const char *end,
			struct grub_value *gv)
{
	size_t n = 0;
	char quote = 0;

	for (; v < end; v++) {
		char c = *v;

		if (quote == '\'') {
			if (c == '\'') {
				quote = 0;
				continue;
			}
		} else if (c == '\'' || c == '"') {
			if (quote == c) {
				quote = 0;
				continue;
			}
			if (!quote) {
				quote = c;
				continue;
			}
		} else if (c == '$' || c == '`') {
			return -ERR_NOTSUP;
		} else if (c == '\\' && v + 1 < end) {
			c = *++v;
		} else if (!quote && (c == '#' || is_blank(c))) {
			break;	/* end of the word: a comment or more words */
		}
		if (n + 1 >= sizeof(gv->text))
			return -ERR_TOOBIG;
		gv->text[n++] = c;
	}
	if (quote)
		return -ERR_INVAL;
	gv->text[n] = 0;
	gv->set = true;
	return 0;
}

int debcmd_parse_default_grub(const char *buf, size_t len, char *out,
			      size_t size)
{
	static const char *const keys[] = { "GRUB_CMDLINE_LINUX",
					    "GRUB_CMDLINE_LINUX_DEFAULT" };
	struct grub_value *vals;
	size_t i = 0, pos = 0, k;
	unsigned int line = 0;
	int rc = 0;

	if (!size)
		return -ERR_TOOBIG;
	out[0] = 0;
	vals = plat_alloc(sizeof(*vals) * ARRAY_SIZE(keys));
	if (!vals)
		return -ERR_NOMEM;
	memset(vals, 0, sizeof(*vals) * ARRAY_SIZE(keys));
	while (i < len) {
		const char *p = buf + i, *end, *eq;

		while (i < len && buf[i] != '\n')
			i++;
		end = buf + i++;
		line++;
		while (p < end && is_blank(*p))
			p++;
		if (end - p > 7 && !memcmp(p, "export ", 7))
			p += 7;
		for (eq = p; eq < end && *eq != '=' && !is_blank(*eq); eq++)
			;
		if (eq == end || *eq != '=')
			continue;
		for (k = 0; k < ARRAY_SIZE(keys); k++) {
			size_t klen = strlen(keys[k]);

			if ((size_t)(eq - p) != klen || memcmp(p, keys[k], klen))
				continue;
			rc = grub_unquote(eq + 1, end, &vals[k]);
			if (rc < 0) {
				log_warn("%s line %u: %s cannot be read here "
					 "(%s); left out", default_grub_path,
					 line, keys[k], rc == -ERR_NOTSUP ?
					 "it needs the shell to expand it" :
					 err_str(rc));
				vals[k].set = false;
			}
		}
	}
	rc = 0;
	for (k = 0; rc == 0 && k < ARRAY_SIZE(keys); k++)
		if (vals[k].set)
			rc = cmd_append(out, size, &pos, vals[k].text,
					strlen(vals[k].text));
	plat_free(vals);
	return rc < 0 ? rc : (int)pos;
}

/* Does @text hold a root= word? */
static bool has_root(const char *text)
{
	const char *p = text;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, "root=", 5))
			return true;
		while (*p && *p != ' ')
			p++;
	}
	return false;
}

/* A root filesystem has the system's configuration. */
static bool is_root_fs(struct fs *fs)
{
	struct fs_stat st;

	if (fs_stat(fs, "/etc", &st) || st.type != FS_FT_DIR)
		return false;
	return (!fs_stat(fs, "/etc/fstab", &st) && st.type == FS_FT_FILE) ||
	       (!fs_stat(fs, "/etc/os-release", &st) &&
		st.type == FS_FT_FILE);
}

/* Read @path into @out through @parse; 0 when the file is absent. */
static int read_source(struct fs *fs, const char *path,
		       int (*parse)(const char *, size_t, char *, size_t),
		       char *out, size_t size)
{
	void *data;
	size_t len;
	int rc;

	rc = fs_read_file(fs, path, DEBCMD_FILE_MAX, &data, &len);
	if (rc == -ERR_NOENT)
		return 0;
	if (rc < 0) {
		log_warn("%s: %s: %s; not used", fs->dev->name, path,
			 err_str(rc));
		return 0;
	}
	rc = parse(data, len, out, size);
	plat_free(data);
	if (rc < 0) {
		log_warn("%s: %s: %s; not used", fs->dev->name, path,
			 err_str(rc));
		out[0] = 0;
		return 0;
	}
	return 1;
}

int debcmd_options(struct fs *fs, char *out, size_t size, char *origin)
{
	char *rest, rootword[64];
	const char *from = NULL;
	size_t pos = 0;
	int rc;

	out[0] = 0;
	origin[0] = 0;
	if (!is_root_fs(fs) || !fs->uuid[0])
		return 0;
	rest = plat_alloc(BOOTCFG_CMDLINE_MAX);	/* off the firmware stack */
	if (!rest)
		return -ERR_NOMEM;
	rest[0] = 0;
	if (read_source(fs, kernel_cmdline_path, debcmd_parse_kernel_cmdline,
			rest, BOOTCFG_CMDLINE_MAX))
		from = kernel_cmdline_path;
	else if (read_source(fs, default_grub_path, debcmd_parse_default_grub,
			     rest, BOOTCFG_CMDLINE_MAX))
		from = default_grub_path;
	if (from && has_root(rest)) {
		rc = cmd_append(out, size, &pos, rest, strlen(rest));
		fmt_snprintf(origin, BOOTCFG_ORIGIN_MAX, "all from %s", from);
	} else {
		fmt_snprintf(rootword, sizeof(rootword), "root=UUID=%s ro",
			     fs->uuid);
		rc = cmd_append(out, size, &pos, rootword, strlen(rootword));
		if (!rc)
			rc = cmd_append(out, size, &pos, rest, strlen(rest));
		fmt_snprintf(origin, BOOTCFG_ORIGIN_MAX,
			     "root=UUID=%s ro: this filesystem%s%s", fs->uuid,
			     from ? "; the rest: " : "", from ? from : "");
	}
	plat_free(rest);
	if (rc < 0) {
		out[0] = 0;
		origin[0] = 0;
		return rc;
	}
	return 1;
}
