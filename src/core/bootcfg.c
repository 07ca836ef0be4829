/*
 * bootcfg.c - boot entries from BLS type 1, extlinux.conf and Debian's
 * kernel symlinks; version ordering; the final kernel command line.
 */
#include "bootcfg.h"
#include "debcmdline.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "platform.h"

/*
 * BLS entries live in /loader/entries of the ESP or XBOOTLDR partition; a
 * root filesystem with /boot inside keeps them in /boot/loader/entries,
 * and their paths may then be relative to /boot.
 */
static const char *const bls_prefixes[] = { "", "/boot" };

static const char *const extlinux_paths[] = {
	"/boot/extlinux/extlinux.conf",
	"/extlinux/extlinux.conf",
};

/* ---- small string helpers -------------------------------------------- */

static bool bc_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool bc_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool bc_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char bc_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/** Copy @len bytes of @src into @dst (size @size) with a NUL. */
static int bc_copy(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		return -ERR_TOOBIG;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

/** Append " " (if @dst is not empty) and @len bytes of @src. */
static int bc_append(char *dst, size_t size, const char *src, size_t len)
{
	size_t cur = strlen(dst);
	size_t sep = cur && len ? 1 : 0;

	if (cur + sep + len >= size)
		return -ERR_TOOBIG;
	if (sep)
		dst[cur++] = ' ';
	memcpy(dst + cur, src, len);
	dst[cur + len] = '\0';
	return 0;
}

/** Case-insensitive compare of @len bytes of @a with the word @w. */
static bool bc_word_eq(const char *a, size_t len, const char *w)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!w[i] || bc_lower(a[i]) != bc_lower(w[i]))
			return false;
	}
	return !w[i];
}

/** Make an absolute path: @path if it starts with '/', else @dir/@path. */
static int bc_path(char *out, size_t size, const char *dir, const char *path,
		   size_t len)
{
	size_t pos = 0, dlen;

	if (!len)
		return -ERR_INVAL;
	if (path[0] != '/') {
		dir = dir ? dir : "";
		while (*dir == '/')
			dir++;
		dlen = strlen(dir);
		while (dlen && dir[dlen - 1] == '/')
			dlen--;
		if (1 + dlen + 1 + len >= size)
			return -ERR_TOOBIG;
		out[pos++] = '/';
		if (dlen) {
			memcpy(out + pos, dir, dlen);
			pos += dlen;
			out[pos++] = '/';
		}
	} else if (len >= size) {
		return -ERR_TOOBIG;
	}
	memcpy(out + pos, path, len);
	out[pos + len] = '\0';
	return 0;
}

/* ---- lines ------------------------------------------------------------ */

struct bc_lines {
	const char *buf;
	size_t len;
	size_t pos;
	unsigned int lineno;
};

/**
 * Next line with leading and trailing blanks trimmed.
 *
 * @ret rc	1 with *line and *llen set, 0 at the end, -ERR_TOOBIG for a line
 *		longer than BOOTCFG_LINE_MAX or containing a NUL (skipped)
 */
static int bc_next_line(struct bc_lines *it, const char **line, size_t *llen)
{
	size_t start, end;
	bool bad = false;

	if (it->pos >= it->len)
		return 0;
	start = it->pos;
	end = start;
	while (end < it->len && it->buf[end] != '\n') {
		if (!it->buf[end])
			bad = true;
		end++;
	}
	it->pos = end < it->len ? end + 1 : end;
	it->lineno++;
	if (bad || end - start > BOOTCFG_LINE_MAX)
		return -ERR_TOOBIG;
	while (start < end && bc_space(it->buf[start]))
		start++;
	while (end > start && bc_space(it->buf[end - 1]))
		end--;
	*line = it->buf + start;
	*llen = end - start;
	return 1;
}

/** Split @line into a keyword and the trimmed rest. */
static void bc_split(const char *line, size_t llen, size_t *klen,
		     const char **val, size_t *vlen)
{
	size_t k = 0, v;

	while (k < llen && !bc_space(line[k]) && line[k] != '=')
		k++;
	v = k;
	while (v < llen && bc_space(line[v]))
		v++;
	*klen = k;
	*val = line + v;
	*vlen = llen - v;
}

/* ---- list ------------------------------------------------------------- */

void bootcfg_free(struct boot_list *list)
{
	plat_free(list->entries);
	list->entries = NULL;
	list->count = 0;
	list->cap = 0;
}

/** A new zeroed entry at the end of @list, or NULL when full. */
static struct boot_entry *bc_list_add(struct boot_list *list)
{
	struct boot_entry *e;

	if (list->count >= BOOTCFG_MAX_ENTRIES)
		return NULL;
	if (list->count == list->cap) {
		unsigned int cap = list->cap ? list->cap * 2 : 8;
		struct boot_entry *n;

		if (cap > BOOTCFG_MAX_ENTRIES)
			cap = BOOTCFG_MAX_ENTRIES;
		n = plat_alloc(cap * sizeof(*n));
		if (!n)
			return NULL;
		if (list->count)
			memcpy(n, list->entries, list->count * sizeof(*n));
		plat_free(list->entries);
		list->entries = n;
		list->cap = cap;
	}
	e = &list->entries[list->count++];
	memset(e, 0, sizeof(*e));
	return e;
}

static void bc_list_remove(struct boot_list *list, unsigned int i)
{
	memmove(&list->entries[i], &list->entries[i + 1],
		(list->count - i - 1) * sizeof(list->entries[0]));
	list->count--;
}

const char *bootcfg_source_name(enum bootcfg_source src)
{
	switch (src) {
	case BOOTCFG_SRC_BLS: return "bls";
	case BOOTCFG_SRC_EXTLINUX: return "extlinux";
	case BOOTCFG_SRC_DEBIAN: return "debian";
	default: return "none";
	}
}

/* ---- version comparison ------------------------------------------------- */

static bool bc_verchar(char c)
{
	return bc_digit(c) || bc_alpha(c) || c == '~' || c == '-' ||
	       c == '^' || c == '.';
}

#define BC_CMP(x, y) ((x) < (y) ? -1 : (x) > (y) ? 1 : 0)

int bootcfg_verscmp(const char *a, const char *b)
{
	int r;

	if (!a)
		a = "";
	if (!b)
		b = "";
	/* Each round consumes at least one character of a or b. */
	for (;;) {
		size_t aa = 0, bb = 0;

		while (*a && !bc_verchar(*a))
			a++;
		while (*b && !bc_verchar(*b))
			b++;
		/* '~' marks a pre-release: older than anything else */
		if (*a == '~' || *b == '~') {
			r = BC_CMP(*a != '~', *b != '~');
			if (r)
				return r;
			a++;
			b++;
		}
		/* more segments is newer */
		if (!*a || !*b)
			return BC_CMP(*a != 0, *b != 0);
		/* '-' separates version and release: a '-' here is older */
		if (*a == '-' || *b == '-') {
			r = BC_CMP(*a != '-', *b != '-');
			if (r)
				return r;
			a++;
			b++;
		}
		if (*a == '^' || *b == '^') {
			r = BC_CMP(*a != '^', *b != '^');
			if (r)
				return r;
			a++;
			b++;
		}
		if (*a == '.' || *b == '.') {
			r = BC_CMP(*a != '.', *b != '.');
			if (r)
				return r;
			a++;
			b++;
		}
		if (bc_digit(*a) || bc_digit(*b)) {
			/* numbers: drop leading zeros, longer is bigger */
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			while (bc_digit(a[aa]))
				aa++;
			while (bc_digit(b[bb]))
				bb++;
			r = BC_CMP(aa, bb);
			if (r)
				return r;
			r = memcmp(a, b, aa);
			if (r)
				return BC_CMP(r, 0);
		} else {
			while (bc_alpha(a[aa]))
				aa++;
			while (bc_alpha(b[bb]))
				bb++;
			r = memcmp(a, b, MIN(aa, bb));
			if (r)
				return BC_CMP(r, 0);
			r = BC_CMP(aa, bb);
			if (r)
				return r;
		}
		a += aa;
		b += bb;
	}
}

/** The order of two BLS entries: < 0 when @x comes first. */
static int bc_bls_order(const struct boot_entry *x, const struct boot_entry *y)
{
	int r;

	r = BC_CMP(!x->sort_key[0], !y->sort_key[0]);
	if (r)
		return r;
	r = strcmp(x->sort_key, y->sort_key);
	if (r)
		return r;
	r = BC_CMP(!x->version[0], !y->version[0]);
	if (r)
		return r;
	r = -bootcfg_verscmp(x->version, y->version);
	if (r)
		return r;
	r = -bootcfg_verscmp(x->id, y->id);
	if (r)
		return r;
	return strcmp(x->id, y->id);
}

/*
 * Swap two entries (plain data) a slice at a time: a whole entry (4.7 KiB)
 * is too big a temporary for a firmware stack.
 */
static void bc_entry_swap(struct boot_entry *a, struct boot_entry *b)
{
	uint8_t *pa = (uint8_t *)a, *pb = (uint8_t *)b, slice[64];
	size_t left = sizeof(*a), n;

	while (left) {
		n = MIN(left, sizeof(slice));
		memcpy(slice, pa, n);
		memcpy(pa, pb, n);
		memcpy(pb, slice, n);
		pa += n;
		pb += n;
		left -= n;
	}
}

void bootcfg_sort_bls(struct boot_entry *e, size_t n)
{
	/* insertion sort: n <= BOOTCFG_MAX_ENTRIES, stable */
	for (size_t i = 1; i < n; i++) {
		size_t j = i;

		while (j > 0 && bc_bls_order(&e[j - 1], &e[j]) > 0) {
			bc_entry_swap(&e[j], &e[j - 1]);
			j--;
		}
	}
}

/* ---- BLS -------------------------------------------------------------- */

int bootcfg_parse_bls(const char *buf, size_t len, const char *id,
		      struct boot_entry *e)
{
	struct bc_lines it = { .buf = buf, .len = len };
	const char *line, *val;
	size_t llen, klen, vlen;
	int rc;

	memset(e, 0, sizeof(*e));
	e->source = BOOTCFG_SRC_BLS;
	rc = bc_copy(e->id, sizeof(e->id), id, strlen(id));
	if (rc)
		return rc;
	while ((rc = bc_next_line(&it, &line, &llen)) != 0) {
		if (rc < 0) {
			log_warn("BLS entry %s: line %u too long or not text",
				 id, it.lineno);
			return rc;
		}
		if (!llen || line[0] == '#')
			continue;
		bc_split(line, llen, &klen, &val, &vlen);
		rc = 0;
		if (bc_word_eq(line, klen, "title")) {
			rc = bc_copy(e->title, sizeof(e->title), val, vlen);
		} else if (bc_word_eq(line, klen, "version")) {
			rc = bc_copy(e->version, sizeof(e->version), val, vlen);
		} else if (bc_word_eq(line, klen, "sort-key")) {
			rc = bc_copy(e->sort_key, sizeof(e->sort_key), val,
				     vlen);
		} else if (bc_word_eq(line, klen, "linux")) {
			rc = bc_path(e->kernel, sizeof(e->kernel), "/", val,
				     vlen);
		} else if (bc_word_eq(line, klen, "initrd")) {
			if (e->ninitrd >= BOOTCFG_MAX_INITRDS) {
				log_warn("BLS entry %s: more than %u initrds",
					 id, BOOTCFG_MAX_INITRDS);
				return -ERR_TOOBIG;
			}
			rc = bc_path(e->initrd[e->ninitrd],
				     sizeof(e->initrd[0]), "/", val, vlen);
			if (!rc)
				e->ninitrd++;
		} else if (bc_word_eq(line, klen, "options")) {
			rc = bc_append(e->options, sizeof(e->options), val,
				       vlen);
		}
		if (rc) {
			log_warn("BLS entry %s: line %u: value %s", id,
				 it.lineno, rc == -ERR_TOOBIG ? "too long" :
				 "missing");
			return rc;
		}
	}
	if (!e->kernel[0]) {
		log_warn("BLS entry %s: no \"linux\" line", id);
		return -ERR_INVAL;
	}
	if (!e->title[0])
		bc_copy(e->title, sizeof(e->title), id, strlen(id));
	return 0;
}

/** Match @s against a glob with '*' and '?' (bounded: no backtracking
 * beyond the last star). */
static bool bc_glob(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat == '?' || *pat == *s) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

struct bc_bls_ctx {
	struct fs *fs;
	struct boot_list *list;
	unsigned int found;
	const char *prefix;		/**< "" or "/boot" */
	char path[FS_PATH_MAX];
};

/** True if @path (with @prefix in front) is a regular file. */
static bool bc_is_file(struct fs *fs, const char *prefix, const char *path,
		       char *buf, size_t size)
{
	struct fs_stat st;

	if (fmt_snprintf(buf, size, "%s%s", prefix, path) >= (int)size)
		return false;
	return !fs_stat(fs, buf, &st) && st.type == FS_FT_FILE;
}

/**
 * An entry from /boot/loader/entries whose paths only exist below /boot:
 * put "/boot" in front of them.
 */
static void bc_bls_prefix(struct bc_bls_ctx *c, struct boot_entry *e)
{
	char *tmp = c->path;

	if (!c->prefix[0] || bc_is_file(c->fs, "", e->kernel, tmp,
					sizeof(c->path)) ||
	    !bc_is_file(c->fs, c->prefix, e->kernel, tmp, sizeof(c->path)) ||
	    bc_copy(e->kernel, sizeof(e->kernel), tmp, strlen(tmp)))
		return;
	for (unsigned int i = 0; i < e->ninitrd; i++) {
		if (!bc_is_file(c->fs, "", e->initrd[i], tmp,
				sizeof(c->path)) &&
		    bc_is_file(c->fs, c->prefix, e->initrd[i], tmp,
			       sizeof(c->path)))
			bc_copy(e->initrd[i], sizeof(e->initrd[i]), tmp,
				strlen(tmp));
	}
}

static int bc_bls_entry(void *ctx, const struct fs_dirent *ent)
{
	struct bc_bls_ctx *c = ctx;
	struct boot_entry *e;
	char id[128];
	void *data;
	size_t len;
	int rc;

	if (ent->namelen <= 5 || ent->name[0] == '.' ||
	    strcmp(ent->name + ent->namelen - 5, ".conf") ||
	    ent->type == FS_FT_DIR)
		return 0;
	if (bc_copy(id, sizeof(id), ent->name, ent->namelen - 5)) {
		log_warn("BLS entry %s: name too long", ent->name);
		return 0;
	}
	if (++c->found > BOOTCFG_MAX_ENTRIES) {
		log_warn("%s: more than %u BLS entries; ignoring %s",
			 c->fs->dev->name, BOOTCFG_MAX_ENTRIES, ent->name);
		return 0;
	}
	fmt_snprintf(c->path, sizeof(c->path), "%s/loader/entries/%s",
		     c->prefix, ent->name);
	rc = fs_read_file(c->fs, c->path, BOOTCFG_FILE_MAX, &data, &len);
	if (rc) {
		log_warn("%s: cannot read %s: %s", c->fs->dev->name, c->path,
			 err_str(rc));
		return 0;
	}
	e = bc_list_add(c->list);
	if (!e) {
		plat_free(data);
		return -ERR_NOMEM;
	}
	rc = bootcfg_parse_bls(data, len, id, e);
	plat_free(data);
	if (rc)
		c->list->count--;
	else
		bc_bls_prefix(c, e);
	return 0;
}

/** Read loader.conf: default pattern and timeout. */
static void bc_loader_conf(struct fs *fs, const char *prefix,
			   struct boot_list *list)
{
	char path[32];
	struct bc_lines it;
	const char *line, *val;
	size_t llen, klen, vlen;
	void *data;
	size_t len;
	int rc;

	fmt_snprintf(path, sizeof(path), "%s/loader/loader.conf", prefix);
	if (fs_read_file(fs, path, BOOTCFG_FILE_MAX, &data, &len))
		return;
	it = (struct bc_lines){ .buf = data, .len = len };
	while ((rc = bc_next_line(&it, &line, &llen)) != 0) {
		if (rc < 0 || !llen || line[0] == '#')
			continue;
		bc_split(line, llen, &klen, &val, &vlen);
		if (bc_word_eq(line, klen, "default")) {
			if (bc_copy(list->default_label,
				    sizeof(list->default_label), val, vlen))
				log_warn("loader.conf: default too long");
		} else if (bc_word_eq(line, klen, "timeout")) {
			int t = 0;

			for (size_t i = 0; i < vlen && bc_digit(val[i]) &&
			     t < 100000; i++)
				t = t * 10 + (val[i] - '0');
			list->timeout_ds = t * 10;
		}
	}
	plat_free(data);
}

static int bc_scan_bls(struct fs *fs, struct boot_list *list)
{
	struct bc_bls_ctx *c;
	struct fs_file *dir = NULL;
	unsigned int first = list->count;
	const char *prefix = NULL;
	char path[32];
	int rc;

	for (size_t i = 0; i < ARRAY_SIZE(bls_prefixes) && !dir; i++) {
		prefix = bls_prefixes[i];
		fmt_snprintf(path, sizeof(path), "%s/loader/entries", prefix);
		if (fs_open(fs, path, &dir))
			dir = NULL;
	}
	if (!dir)
		return 0;
	c = plat_alloc(sizeof(*c));
	if (!c) {
		fs_close(dir);
		return -ERR_NOMEM;
	}
	c->fs = fs;
	c->list = list;
	c->found = 0;
	c->prefix = prefix;
	rc = fs_readdir(dir, bc_bls_entry, c);
	fs_close(dir);
	plat_free(c);
	if (rc < 0) {
		log_warn("%s: listing %s: %s", fs->dev->name, path,
			 err_str(rc));
		if (rc == -ERR_NOMEM)
			return rc;
	}
	if (list->count > first)
		bootcfg_sort_bls(list->entries + first, list->count - first);
	bc_loader_conf(fs, prefix, list);
	if (list->count > first) {
		unsigned int def = first;

		if (list->default_label[0]) {
			for (unsigned int i = first; i < list->count; i++) {
				char withconf[140];

				fmt_snprintf(withconf, sizeof(withconf),
					     "%s.conf", list->entries[i].id);
				if (bc_glob(list->default_label,
					    list->entries[i].id) ||
				    bc_glob(list->default_label, withconf)) {
					def = i;
					break;
				}
			}
		}
		list->entries[def].is_default = true;
	}
	return 0;
}

/* ---- extlinux ------------------------------------------------------------ */

/** Take "initrd=a,b" out of @e's options into its initrd list. */
static int bc_extract_initrd(struct boot_entry *e, const char *dir)
{
	char *o = e->options;
	size_t r = 0, w = 0, n = strlen(o);
	bool had_list = e->ninitrd > 0;

	while (r < n) {
		size_t start, end;

		while (r < n && o[r] == ' ')
			r++;
		start = r;
		while (r < n && o[r] != ' ')
			r++;
		end = r;
		if (end - start > 7 && !memcmp(o + start, "initrd=", 7)) {
			size_t p = start + 7;

			while (!had_list && p < end) {
				size_t q = p;

				while (q < end && o[q] != ',')
					q++;
				if (q > p) {
					if (e->ninitrd >= BOOTCFG_MAX_INITRDS)
						return -ERR_TOOBIG;
					if (bc_path(e->initrd[e->ninitrd],
						    sizeof(e->initrd[0]), dir,
						    o + p, q - p))
						return -ERR_TOOBIG;
					e->ninitrd++;
				}
				p = q + 1;
			}
			continue;
		}
		if (end > start) {
			if (w)
				o[w++] = ' ';
			memmove(o + w, o + start, end - start);
			w += end - start;
		}
	}
	o[w] = '\0';
	return 0;
}

int bootcfg_parse_extlinux(const char *buf, size_t len, const char *dir,
			   struct boot_list *list)
{
	struct bc_lines it = { .buf = buf, .len = len };
	struct boot_entry *cur = NULL;
	unsigned int first = list->count;
	int menu_default = -1;
	const char *line, *val;
	size_t llen, klen, vlen;
	int rc;

	while ((rc = bc_next_line(&it, &line, &llen)) != 0) {
		if (rc < 0) {
			log_warn("extlinux.conf: line %u too long or not text; "
				 "skipped", it.lineno);
			continue;
		}
		if (!llen || line[0] == '#')
			continue;
		bc_split(line, llen, &klen, &val, &vlen);
		rc = 0;
		if (bc_word_eq(line, klen, "label")) {
			cur = bc_list_add(list);
			if (!cur) {
				log_warn("extlinux.conf: more than %u entries; "
					 "rest ignored", BOOTCFG_MAX_ENTRIES);
				break;
			}
			cur->source = BOOTCFG_SRC_EXTLINUX;
			rc = bc_copy(cur->id, sizeof(cur->id), val, vlen);
			if (!rc)
				rc = bc_copy(cur->title, sizeof(cur->title),
					     val, vlen);
		} else if (bc_word_eq(line, klen, "default")) {
			size_t k = 0;

			while (k < vlen && !bc_space(val[k]))
				k++;
			rc = bc_copy(list->default_label,
				     sizeof(list->default_label), val, k);
		} else if (bc_word_eq(line, klen, "timeout")) {
			int t = 0;

			for (size_t i = 0; i < vlen && bc_digit(val[i]) &&
			     t < 1000000; i++)
				t = t * 10 + (val[i] - '0');
			list->timeout_ds = t;
		} else if (bc_word_eq(line, klen, "menu")) {
			const char *sub = val;
			size_t slen;

			bc_split(sub, vlen, &slen, &val, &vlen);
			if (cur && bc_word_eq(sub, slen, "label")) {
				size_t w = 0;

				for (size_t i = 0; i < vlen &&
				     w + 1 < sizeof(cur->title); i++)
					if (val[i] != '^')
						cur->title[w++] = val[i];
				cur->title[w] = '\0';
			} else if (cur && bc_word_eq(sub, slen, "default")) {
				menu_default = (int)(cur - list->entries);
			}
		} else if (!cur) {
			continue;	/* other keywords only inside a label */
		} else if (bc_word_eq(line, klen, "kernel") ||
			   bc_word_eq(line, klen, "linux")) {
			size_t k = 0;

			while (k < vlen && !bc_space(val[k]))
				k++;
			rc = bc_path(cur->kernel, sizeof(cur->kernel), dir,
				     val, k);
		} else if (bc_word_eq(line, klen, "initrd")) {
			size_t p = 0;

			while (p < vlen && !rc) {
				size_t q = p;

				while (q < vlen && val[q] != ',' &&
				       !bc_space(val[q]))
					q++;
				if (q > p) {
					if (cur->ninitrd >=
					    BOOTCFG_MAX_INITRDS) {
						rc = -ERR_TOOBIG;
						break;
					}
					rc = bc_path(cur->initrd[cur->ninitrd],
						     sizeof(cur->initrd[0]),
						     dir, val + p, q - p);
					if (!rc)
						cur->ninitrd++;
				}
				p = q + 1;
			}
		} else if (bc_word_eq(line, klen, "append")) {
			if (vlen == 1 && val[0] == '-')
				vlen = 0;
			cur->options[0] = '\0';
			rc = bc_append(cur->options, sizeof(cur->options), val,
				       vlen);
		} else if (bc_word_eq(line, klen, "localboot")) {
			cur->kernel[0] = '\0';
			cur->id[0] = '\0';	/* marks it for removal */
		} else if (bc_word_eq(line, klen, "include")) {
			log_warn("extlinux.conf: line %u: INCLUDE is not "
				 "supported", it.lineno);
		}
		if (rc) {
			log_warn("extlinux.conf: line %u: value too long or "
				 "invalid; entry dropped", it.lineno);
			if (cur)
				cur->id[0] = '\0';
		}
	}
	if (menu_default >= 0)
		list->entries[menu_default].is_default = true;

	/* Finish the new entries; drop the unusable ones. */
	for (unsigned int i = first; i < list->count;) {
		struct boot_entry *e = &list->entries[i];

		if (e->id[0] && e->kernel[0] && bc_extract_initrd(e, dir)) {
			log_warn("extlinux.conf: label %s: too many initrds",
				 e->id);
			e->id[0] = '\0';
		}
		if (!e->id[0] || !e->kernel[0]) {
			if (e->id[0])
				log_warn("extlinux.conf: label %s has no "
					 "kernel; skipped", e->id);
			bc_list_remove(list, i);
			continue;
		}
		i++;
	}
	if (list->count > first) {
		int def = -1;

		for (unsigned int i = first; i < list->count; i++) {
			if (list->entries[i].is_default) {
				def = (int)i;
				break;
			}
		}
		for (unsigned int i = first; def < 0 && i < list->count; i++)
			if (!strcmp(list->entries[i].id, list->default_label))
				def = (int)i;
		if (def < 0 && list->default_label[0])
			log_warn("extlinux.conf: DEFAULT %s names no label",
				 list->default_label);
		if (def < 0)
			def = (int)first;
		for (unsigned int i = first; i < list->count; i++)
			list->entries[i].is_default = (int)i == def;
	}
	return (int)(list->count - first);
}

static int bc_scan_extlinux(struct fs *fs, struct boot_list *list)
{
	for (size_t i = 0; i < ARRAY_SIZE(extlinux_paths); i++) {
		const char *path = extlinux_paths[i];
		char dir[64];
		void *data;
		size_t len;
		int rc;

		rc = fs_read_file(fs, path, BOOTCFG_FILE_MAX, &data, &len);
		if (rc == -ERR_NOENT || rc == -ERR_NOTDIR)
			continue;
		if (rc) {
			log_warn("%s: cannot read %s: %s", fs->dev->name, path,
				 err_str(rc));
			continue;
		}
		/* the directory part of the path */
		bc_copy(dir, sizeof(dir), path,
			(size_t)(strlen(path) - strlen("/extlinux.conf")));
		rc = bootcfg_parse_extlinux(data, len, dir, list);
		plat_free(data);
		return rc < 0 ? rc : 0;
	}
	return 0;
}

/* ---- Debian symlinks ------------------------------------------------------ */

static int bc_scan_debian(struct fs *fs, struct boot_list *list)
{
	static const char *const dirs[] = { "", "/boot" };
	static const char *const suffixes[] = { "", ".old" };
	/* A link target can be a whole path: too big for the stack. */
	char *target = plat_alloc(FS_PATH_MAX);
	int rc = 0;

	if (!target)
		return -ERR_NOMEM;
	for (size_t d = 0; d < ARRAY_SIZE(dirs); d++) {
		unsigned int before = list->count;

		for (size_t s = 0; s < ARRAY_SIZE(suffixes); s++) {
			char kpath[64], ipath[64];
			struct fs_stat st;
			struct boot_entry *e;
			const char *base;
			int n;

			fmt_snprintf(kpath, sizeof(kpath), "%s/vmlinuz%s",
				     dirs[d], suffixes[s]);
			fmt_snprintf(ipath, sizeof(ipath), "%s/initrd.img%s",
				     dirs[d], suffixes[s]);
			if (fs_stat(fs, kpath, &st) || st.type != FS_FT_FILE)
				continue;
			e = bc_list_add(list);
			if (!e) {
				rc = -ERR_NOMEM;
				goto out;
			}
			e->source = BOOTCFG_SRC_DEBIAN;
			bc_copy(e->id, sizeof(e->id), s ? "debian-old" :
				"debian", s ? 10 : 6);
			bc_copy(e->kernel, sizeof(e->kernel), kpath,
				strlen(kpath));
			if (!fs_stat(fs, ipath, &st) && st.type == FS_FT_FILE) {
				bc_copy(e->initrd[0], sizeof(e->initrd[0]),
					ipath, strlen(ipath));
				e->ninitrd = 1;
			}
			n = fs_readlink(fs, kpath, target, FS_PATH_MAX);
			if (n > 0) {
				base = target + n;
				while (base > target && base[-1] != '/')
					base--;
				if (!strncmp(base, "vmlinuz-", 8))
					bc_copy(e->version, sizeof(e->version),
						base + 8, strlen(base + 8));
			}
			fmt_snprintf(e->title, sizeof(e->title),
				     "Debian GNU/Linux%s%s%s",
				     e->version[0] ? ", kernel " : "",
				     e->version, s ? " (old)" : "");
			/* Debian's layout has no entry file: the command
			 * line comes from the root filesystem itself. */
			n = debcmd_options(fs, e->options, sizeof(e->options),
					   e->origin);
			if (n < 0)
				log_warn("%s: %s: command line: %s",
					 fs->dev->name, kpath, err_str(n));
		}
		if (list->count > before) {
			list->entries[before].is_default = true;
			break;
		}
	}
out:
	plat_free(target);
	return rc;
}

/* ---- scan ---------------------------------------------------------------- */

/** Drop entries whose kernel or initrds are not regular files. */
static void bc_check_files(struct fs *fs, struct boot_list *list)
{
	for (unsigned int i = 0; i < list->count;) {
		struct boot_entry *e = &list->entries[i];
		struct fs_stat st;
		const char *missing = NULL;
		int rc;

		rc = fs_stat(fs, e->kernel, &st);
		if (rc || st.type != FS_FT_FILE)
			missing = e->kernel;
		for (unsigned int k = 0; !missing && k < e->ninitrd; k++) {
			rc = fs_stat(fs, e->initrd[k], &st);
			if (rc || st.type != FS_FT_FILE)
				missing = e->initrd[k];
		}
		if (missing) {
			log_warn("%s: %s entry %s: %s: %s; entry skipped",
				 fs->dev->name, bootcfg_source_name(e->source),
				 e->id, missing,
				 rc ? err_str(rc) : "not a regular file");
			bc_list_remove(list, i);
			continue;
		}
		i++;
	}
}

int bootcfg_scan(struct fs *fs, struct boot_list *list)
{
	int rc;

	memset(list, 0, sizeof(*list));
	list->default_index = -1;
	list->timeout_ds = -1;
	rc = bc_scan_bls(fs, list);
	if (!rc)
		rc = bc_scan_extlinux(fs, list);
	if (rc)
		return rc;
	bc_check_files(fs, list);
	if (!list->count) {
		rc = bc_scan_debian(fs, list);
		if (rc)
			return rc;
	}
	if (!list->count) {
		log_info("%s: no boot entries found", fs->dev->name);
		return -ERR_NOENT;
	}
	for (unsigned int i = 0; i < list->count; i++) {
		if (list->entries[i].is_default) {
			if (list->default_index < 0)
				list->default_index = (int)i;
			else
				list->entries[i].is_default = false;
		}
	}
	if (list->default_index < 0) {
		list->default_index = 0;
		list->entries[0].is_default = true;
	}
	return (int)list->count;
}

/* ---- command line -------------------------------------------------------- */

/* Does the token @tok (@len bytes) set the parameter @key ("BOOTIF=")? */
static bool bc_token_is(const char *tok, size_t len, const char *key)
{
	size_t kl = strlen(key);

	return len >= kl && !memcmp(tok, key, kl);
}

int bootcfg_cmdline(const char *options, const uint8_t *mac,
		    const char *const *targets, size_t ntargets,
		    unsigned int vlan, char *buf, size_t size)
{
	size_t limit = MIN(size, (size_t)BOOTCFG_CMDLINE_MAX);
	size_t pos = 0, i = 0, n;
	static const char hex[] = "0123456789abcdef";

	if (!limit)
		return -ERR_TOOBIG;
	buf[0] = '\0';
	n = options ? strlen(options) : 0;
	/* Copy the options token by token (quotes kept together), leaving
	 * out BOOTIF=, aoeboot.targets= and aoeboot.vlan= which we set
	 * ourselves. */
	while (i < n) {
		size_t start;
		bool quoted = false;

		while (i < n && bc_space(options[i]))
			i++;
		start = i;
		while (i < n && (quoted || !bc_space(options[i]))) {
			if (options[i] == '"')
				quoted = !quoted;
			i++;
		}
		if (i == start)
			break;
		if (bc_token_is(options + start, i - start, "BOOTIF=") ||
		    bc_token_is(options + start, i - start,
				"aoeboot.targets=") ||
		    bc_token_is(options + start, i - start, "aoeboot.vlan="))
			continue;
		if (pos + (pos ? 1 : 0) + (i - start) + 1 > limit)
			return -ERR_TOOBIG;
		if (pos)
			buf[pos++] = ' ';
		memcpy(buf + pos, options + start, i - start);
		pos += i - start;
	}
	if (mac) {
		char b[40];
		size_t bl = 0;

		memcpy(b, "BOOTIF=01", 9);
		bl = 9;
		for (int k = 0; k < 6; k++) {
			b[bl++] = '-';
			b[bl++] = hex[mac[k] >> 4];
			b[bl++] = hex[mac[k] & 15];
		}
		if (pos + (pos ? 1 : 0) + bl + 1 > limit)
			return -ERR_TOOBIG;
		if (pos)
			buf[pos++] = ' ';
		memcpy(buf + pos, b, bl);
		pos += bl;
	}
	if (targets && ntargets) {
		if (pos + (pos ? 1 : 0) + 16 + 1 > limit)
			return -ERR_TOOBIG;
		if (pos)
			buf[pos++] = ' ';
		memcpy(buf + pos, "aoeboot.targets=", 16);
		pos += 16;
		for (size_t t = 0; t < ntargets; t++) {
			size_t tl = targets[t] ? strlen(targets[t]) : 0;

			if (!tl)
				return -ERR_INVAL;
			for (size_t k = 0; k < tl; k++) {
				char c = targets[t][k];

				if (bc_space(c) || c == ',' || c == '"' ||
				    c == '\n' || (unsigned char)c < 0x20)
					return -ERR_INVAL;
			}
			if (pos + (t ? 1 : 0) + tl + 1 > limit)
				return -ERR_TOOBIG;
			if (t)
				buf[pos++] = ',';
			memcpy(buf + pos, targets[t], tl);
			pos += tl;
		}
	}
	if (vlan) {
		char b[24];
		int bl = fmt_snprintf(b, sizeof(b), "aoeboot.vlan=%u", vlan);

		if (pos + (pos ? 1 : 0) + (size_t)bl + 1 > limit)
			return -ERR_TOOBIG;
		if (pos)
			buf[pos++] = ' ';
		memcpy(buf + pos, b, (size_t)bl);
		pos += (size_t)bl;
	}
	buf[pos] = '\0';
	return (int)pos;
}
