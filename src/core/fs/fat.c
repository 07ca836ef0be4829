/*
 * fat.c - read-only FAT12/16/32 with VFAT long file names.
 *
 * The BPB is validated and the FAT width chosen as Linux does (FAT32 when
 * the 16-bit FAT size is zero, else by cluster count).  Cluster chains are
 * followed with every entry range-checked and their length bounded by the
 * cluster count, so a loop ends in an error.  Long names are assembled from
 * their VFAT entries only when sequence numbers and the short-name checksum
 * agree; otherwise the 8.3 name stands.  Lookup is case-insensitive (ASCII).
 * File data goes to the device one contiguous cluster run per request.
 */
#include "fs.h"
#include "../byteorder.h"
#include "../errors.h"
#include "../libc.h"
#include "../log.h"
#include "../platform.h"

#define FAT_ATTR_RO 0x01
#define FAT_ATTR_VOLUME 0x08
#define FAT_ATTR_DIR 0x10
#define FAT_ATTR_LFN 0x0F
#define FAT_DIRENT 32
#define FAT_DIR_MAX (65536u * FAT_DIRENT)	/* entries per directory */
#define FAT_LFN_MAX 20				/* LFN entries per name */
#define FAT_MAX_CLUSTER_SIZE (256u * 1024)

/*
 * Boot sector / BPB: byte offsets, under the names of Microsoft's FAT
 * specification.  BS_* of FAT12/16 sit at 36; FAT32 puts its own fields
 * there and its BS_* at 64.
 */
enum fat_bpb_field {
	BS_JMP_BOOT = 0,
	BPB_BYTS_PER_SEC = 11,
	BPB_SEC_PER_CLUS = 13,
	BPB_RSVD_SEC_CNT = 14,
	BPB_NUM_FATS = 16,
	BPB_ROOT_ENT_CNT = 17,
	BPB_TOT_SEC16 = 19,
	BPB_MEDIA = 21,
	BPB_FAT_SZ16 = 22,
	BPB_TOT_SEC32 = 32,
	BS_BOOT_SIG = 38,		/* FAT12/16 */
	BS_VOL_ID = 39,
	BS_VOL_LAB = 43,
	BPB_FAT_SZ32 = 36,		/* FAT32 */
	BPB_EXT_FLAGS = 40,
	BPB_FS_VER = 42,
	BPB_ROOT_CLUS = 44,
	BS_BOOT_SIG32 = 66,
	BS_VOL_ID32 = 67,
	BS_VOL_LAB32 = 71,
};
#define FAT_BOOT_SIG_FULL 0x29	/* serial, label and type follow */
#define FAT_BOOT_SIG_SHORT 0x28	/* serial only */
#define FAT_EXT_FLAGS_NO_MIRROR 0x80
#define FAT_EXT_FLAGS_ACTIVE 0x0F
#define FAT_LABEL_LEN 11

/** Directory entry: byte offsets (DIR_*), and of a long-name entry (LDIR_*). */
enum fat_dirent_field {
	DIR_NAME = 0,			/* 8 + 3, space-padded */
	DIR_ATTR = 11,
	DIR_NTRES = 12,			/* lower-case flags of the 8.3 name */
	DIR_FST_CLUS_HI = 20,
	DIR_FST_CLUS_LO = 26,
	DIR_FILE_SIZE = 28,
	LDIR_ORD = 0,
	LDIR_NAME1 = 1,			/* 5 UCS-2 units */
	LDIR_CHKSUM = 13,
	LDIR_NAME2 = 14,		/* 6 */
	LDIR_NAME3 = 28,		/* 2 */
};
#define FAT_NAME_BASE_LEN 8
#define FAT_NAME_EXT_LEN 3
#define FAT_NTRES_LOWER_BASE 0x08
#define FAT_NTRES_LOWER_EXT 0x10
#define FAT_DIR_END 0x00		/* DIR_NAME[0]: no entries follow */
#define FAT_DIR_FREE 0xE5		/* DIR_NAME[0]: deleted */
#define FAT_DIR_KANJI_E5 0x05		/* DIR_NAME[0]: a real 0xE5 */
#define FAT_ATTR_LFN_MASK 0x3F
#define FAT_LFN_LAST 0x40		/* LDIR_ORD: the last (first stored) */
#define FAT_LFN_SEQ_MASK 0x1F
#define FAT_LFN_UNITS 13		/* UCS-2 units per entry */

struct fat_fs {
	unsigned int bits;		/**< 12, 16 or 32 */
	uint32_t cluster_size;		/**< bytes */
	uint64_t fat_off;		/**< first FAT, byte offset */
	uint64_t root_off;		/**< FAT12/16 root directory */
	uint32_t root_bytes;
	uint32_t root_cluster;		/**< FAT32 root directory */
	uint64_t data_off;		/**< cluster 2 */
	uint32_t nclusters;		/**< data clusters: 2..nclusters+1 */
	uint32_t eoc;			/**< entries >= this end a chain */
};

struct fat_file {
	struct fs_file vf;
	uint32_t first;			/**< first cluster, 0 if none */
	bool fixed_root;		/**< FAT12/16 root region */
	uint32_t pos_index;		/**< chain cursor: cluster index ... */
	uint32_t pos_cluster;		/**< ... and its cluster (0: none) */
};

static struct fat_fs *fat_priv(struct fs *fs)
{
	return fs->priv;
}

static struct fat_file *fat_file(struct fs_file *f)
{
	return container_of(f, struct fat_file, vf);
}

/* ---- FAT and chains ------------------------------------------------------ */

/**
 * Read the FAT entry of @cluster.
 *
 * @ret rc	0 with *next the following cluster (0 at end of chain), or
 *		-ERR_CORRUPT for a free, reserved, bad or out-of-range entry
 */
static int fat_next(struct fs *fs, uint32_t cluster, uint32_t *next)
{
	struct fat_fs *f = fat_priv(fs);
	uint8_t b[4];
	uint32_t v;
	int rc;

	if (cluster < 2 || cluster - 2 >= f->nclusters) {
		log_error("%s: fat: cluster %u out of range", fs->dev->name,
			  cluster);
		return -ERR_CORRUPT;
	}
	switch (f->bits) {
	case 12:
		rc = fs_cread(fs, f->fat_off + cluster + cluster / 2, b, 2);
		v = get_le16(b);
		v = cluster & 1 ? v >> 4 : v & 0xFFF;
		break;
	case 16:
		rc = fs_cread(fs, f->fat_off + (uint64_t)cluster * 2, b, 2);
		v = get_le16(b);
		break;
	default:
		rc = fs_cread(fs, f->fat_off + (uint64_t)cluster * 4, b, 4);
		v = get_le32(b) & 0x0FFFFFFF;
		break;
	}
	if (rc)
		return rc;
	if (v >= f->eoc) {
		*next = 0;
		return 0;
	}
	if (v < 2 || v - 2 >= f->nclusters) {
		log_error("%s: fat: cluster %u: bad FAT entry 0x%x in chain",
			  fs->dev->name, cluster, v);
		return -ERR_CORRUPT;
	}
	*next = v;
	return 0;
}

/** Count the clusters of the chain starting at @first (bounded). */
static int fat_chain_len(struct fs *fs, uint32_t first, uint32_t limit,
			 uint32_t *count)
{
	uint32_t c = first, n = 0;
	int rc;

	while (c) {
		if (++n > limit) {
			log_error("%s: fat: cluster chain from %u too long "
				  "(loop?)", fs->dev->name, first);
			return -ERR_CORRUPT;
		}
		rc = fat_next(fs, c, &c);
		if (rc)
			return rc;
	}
	*count = n;
	return 0;
}

/* ---- reading -------------------------------------------------------------- */

/**
 * Read @len bytes at @off of a file or directory: one request per run of
 * consecutive clusters (@cached: through the metadata cache).
 */
static int fat_read_data(struct fat_file *ff, uint64_t off, void *buf,
			 size_t len, bool cached)
{
	struct fs *fs = ff->vf.fs;
	struct fat_fs *f = fat_priv(fs);
	uint8_t *out = buf;
	uint64_t cidx = off / f->cluster_size;
	uint32_t c, idx;
	int rc;

	if (ff->fixed_root) {
		if (off > f->root_bytes || len > f->root_bytes - off)
			return -ERR_RANGE;
		return fs_cread(fs, f->root_off + off, buf, len);
	}
	if (cidx > f->nclusters) {
		log_error("%s: fat: offset %llu beyond any chain",
			  fs->dev->name, (unsigned long long)off);
		return -ERR_CORRUPT;
	}
	/* Start from the cursor when it is not past the target. */
	if (ff->pos_cluster && ff->pos_index <= cidx) {
		c = ff->pos_cluster;
		idx = ff->pos_index;
	} else {
		c = ff->first;
		idx = 0;
	}
	while (len) {
		uint32_t run, last;
		uint64_t inoff, bytes;

		for (; c && idx < cidx; idx++) {
			rc = fat_next(fs, c, &c);
			if (rc)
				return rc;
		}
		if (!c) {
			log_error("%s: fat: chain from cluster %u ends before "
				  "the file's size", fs->dev->name, ff->first);
			return -ERR_CORRUPT;
		}
		ff->pos_index = idx;
		ff->pos_cluster = c;
		inoff = off % f->cluster_size;
		/* Extend the run while the chain stays contiguous. */
		run = 1;
		last = c;
		while ((uint64_t)run * f->cluster_size - inoff < len &&
		       run < f->nclusters) {
			uint32_t nx;

			rc = fat_next(fs, last, &nx);
			if (rc)
				return rc;
			if (nx != last + 1)
				break;
			last = nx;
			run++;
		}
		bytes = (uint64_t)run * f->cluster_size - inoff;
		if (bytes > len)
			bytes = len;
		{
			uint64_t poff = f->data_off +
				(uint64_t)(c - 2) * f->cluster_size + inoff;

			rc = cached ? fs_cread(fs, poff, out, (size_t)bytes) :
				      fs_dread(fs, poff, out, (size_t)bytes);
			if (rc)
				return rc;
		}
		out += bytes;
		off += bytes;
		len -= (size_t)bytes;
		/* Position on the run's last cluster; the loop steps on. */
		idx += run - 1;
		c = last;
		cidx = off / f->cluster_size;
		ff->pos_index = idx;
		ff->pos_cluster = c;
	}
	return 0;
}

static int fat_read(struct fs_file *vf, uint64_t off, void *buf, size_t len)
{
	int rc = fat_read_data(fat_file(vf), off, buf, len, false);

	return rc ? rc : (int)len;
}

static int fat_readlink(struct fs_file *vf, char *buf, size_t size)
{
	(void)vf;
	(void)buf;
	(void)size;
	return -ERR_INVAL;
}

/* ---- directories --------------------------------------------------------- */

static uint8_t fat_lfn_checksum(const uint8_t *shortname)
{
	uint8_t sum = 0;

	for (int i = 0; i < FAT_NAME_BASE_LEN + FAT_NAME_EXT_LEN; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + shortname[i]);
	return sum;
}

/** Append code point @cp to @out as UTF-8; returns new length or -1. */
static int fat_put_utf8(char *out, size_t pos, size_t size, uint32_t cp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xC0 | cp >> 6);
		b[1] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xE0 | cp >> 12);
		b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xF0 | cp >> 18);
		b[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (pos + n + 1 > size)
		return -1;
	memcpy(out + pos, b, n);
	return (int)(pos + n);
}

/** State of long-name assembly across directory entries. */
struct fat_lfn {
	uint16_t units[FAT_LFN_MAX * 13];
	unsigned int expect;		/**< next sequence number wanted */
	unsigned int count;		/**< entries in the set */
	uint8_t csum;
	bool active;
};

/** Offsets of the 13 UCS-2 characters inside an LFN entry. */
static const uint8_t fat_lfn_offs[FAT_LFN_UNITS] = {
	LDIR_NAME1, LDIR_NAME1 + 2, LDIR_NAME1 + 4, LDIR_NAME1 + 6,
	LDIR_NAME1 + 8, LDIR_NAME2, LDIR_NAME2 + 2, LDIR_NAME2 + 4,
	LDIR_NAME2 + 6, LDIR_NAME2 + 8, LDIR_NAME2 + 10, LDIR_NAME3,
	LDIR_NAME3 + 2
};

static void fat_lfn_add(struct fat_lfn *l, const uint8_t *e)
{
	unsigned int ord = e[LDIR_ORD];
	unsigned int seq = ord & FAT_LFN_SEQ_MASK;

	if (ord & FAT_LFN_LAST) {
		if (!seq || seq > FAT_LFN_MAX) {
			l->active = false;
			return;
		}
		l->active = true;
		l->count = seq;
		l->expect = seq;
		l->csum = e[LDIR_CHKSUM];
	} else if (!l->active || seq != l->expect ||
		   e[LDIR_CHKSUM] != l->csum) {
		l->active = false;
		return;
	}
	for (int i = 0; i < FAT_LFN_UNITS; i++)
		l->units[(seq - 1) * FAT_LFN_UNITS + i] =
			get_le16(e + fat_lfn_offs[i]);
	l->expect = seq - 1;
}

/** Turn a finished long name into UTF-8; false if malformed. */
static bool fat_lfn_name(const struct fat_lfn *l, char *out, size_t size)
{
	size_t n = l->count * (size_t)FAT_LFN_UNITS, pos = 0;

	for (size_t i = 0; i < n && l->units[i]; i++) {
		uint32_t cp = l->units[i];
		int r;

		if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < n &&
		    l->units[i + 1] >= 0xDC00 && l->units[i + 1] < 0xE000) {
			cp = 0x10000 + ((cp - 0xD800) << 10) +
			     (l->units[i + 1] - 0xDC00);
			i++;
		} else if (cp >= 0xD800 && cp < 0xE000) {
			cp = 0xFFFD;
		}
		if (cp == '/')
			return false;
		r = fat_put_utf8(out, pos, size, cp);
		if (r < 0)
			return false;
		pos = (size_t)r;
	}
	out[pos] = '\0';
	return pos > 0;
}

/** A short-name byte as text: OEM code page and '/' become '_'. */
static char fat_name_char(uint8_t c)
{
	return c < 0x80 && c >= 0x20 && c != '/' ? (char)c : '_';
}

/** Format the 8.3 name of entry @e. */
static void fat_short_name(const uint8_t *e, char *out)
{
	size_t pos = 0;
	int base_len = FAT_NAME_BASE_LEN, ext_len = FAT_NAME_EXT_LEN;
	const uint8_t *ext = e + DIR_NAME + FAT_NAME_BASE_LEN;

	while (base_len > 0 && e[DIR_NAME + base_len - 1] == ' ')
		base_len--;
	while (ext_len > 0 && ext[ext_len - 1] == ' ')
		ext_len--;
	for (int i = 0; i < base_len; i++) {
		uint8_t c = (i == 0 && e[DIR_NAME] == FAT_DIR_KANJI_E5) ?
			    FAT_DIR_FREE : e[DIR_NAME + i];

		if (e[DIR_NTRES] & FAT_NTRES_LOWER_BASE && c >= 'A' &&
		    c <= 'Z')
			c = (uint8_t)(c + 32);
		out[pos++] = fat_name_char(c);
	}
	if (ext_len) {
		out[pos++] = '.';
		for (int i = 0; i < ext_len; i++) {
			uint8_t c = ext[i];

			if (e[DIR_NTRES] & FAT_NTRES_LOWER_EXT && c >= 'A' &&
			    c <= 'Z')
				c = (uint8_t)(c + 32);
			out[pos++] = fat_name_char(c);
		}
	}
	out[pos] = '\0';
}

/** A decoded directory entry. */
struct fat_entry {
	char name[FS_NAME_MAX];		/**< long name or 8.3 */
	char short_name[16];		/**< 8.3 */
	uint8_t attr;
	uint32_t cluster;
	uint32_t size;
};

/** Called per entry; non-zero stops. */
typedef int (*fat_entry_fn)(void *ctx, const struct fat_entry *ent);

struct fat_iter {
	struct fat_lfn lfn;
	struct fat_entry ent;
};

static int fat_dir_iterate(struct fat_file *d, fat_entry_fn fn, void *ctx)
{
	struct fs *fs = d->vf.fs;
	struct fat_fs *f = fat_priv(fs);
	uint64_t size = d->vf.size;
	uint32_t chunk = d->fixed_root ? 4096 : f->cluster_size;
	struct fat_iter *it;
	uint8_t *buf;
	int rc = 0;

	it = plat_alloc(sizeof(*it));
	buf = plat_alloc(chunk);
	if (!it || !buf) {
		rc = -ERR_NOMEM;
		goto out;
	}
	it->lfn.active = false;
	for (uint64_t off = 0; off < size; off += chunk) {
		size_t n = (size_t)MIN((uint64_t)chunk, size - off);

		rc = fat_read_data(d, off, buf, n, true);
		if (rc)
			goto out;
		for (size_t p = 0; p + FAT_DIRENT <= n; p += FAT_DIRENT) {
			const uint8_t *e = buf + p;
			uint8_t attr = e[DIR_ATTR];

			if (e[DIR_NAME] == FAT_DIR_END)
				goto out;	/* end of directory */
			if (e[DIR_NAME] == FAT_DIR_FREE) {
				it->lfn.active = false;
				continue;
			}
			if ((attr & FAT_ATTR_LFN_MASK) == FAT_ATTR_LFN) {
				fat_lfn_add(&it->lfn, e);
				continue;
			}
			if (attr & FAT_ATTR_VOLUME) {
				it->lfn.active = false;
				continue;
			}
			fat_short_name(e, it->ent.short_name);
			if (!it->lfn.active || it->lfn.expect != 0 ||
			    it->lfn.csum != fat_lfn_checksum(e) ||
			    !fat_lfn_name(&it->lfn, it->ent.name,
					  sizeof(it->ent.name)))
				memcpy(it->ent.name, it->ent.short_name,
				       sizeof(it->ent.short_name));
			it->lfn.active = false;
			it->ent.attr = attr;
			it->ent.cluster = get_le16(e + DIR_FST_CLUS_LO);
			if (f->bits == 32)
				it->ent.cluster |=
					(uint32_t)get_le16(e + DIR_FST_CLUS_HI)
					<< 16;
			it->ent.size = get_le32(e + DIR_FILE_SIZE);
			if (!strcmp(it->ent.short_name, ".") ||
			    !strcmp(it->ent.short_name, ".."))
				continue;
			rc = fn(ctx, &it->ent);
			if (rc)
				goto out;
		}
	}
out:
	plat_free(buf);
	plat_free(it);
	return rc;
}

/** Open the file a directory entry describes. */
static int fat_open_entry(struct fs *fs, const struct fat_entry *ent,
			  struct fs_file **out)
{
	struct fat_fs *f = fat_priv(fs);
	struct fat_file *ff;
	uint32_t count;
	int rc;

	if (ent->cluster == 1 ||
	    (ent->cluster >= 2 && ent->cluster - 2 >= f->nclusters)) {
		log_error("%s: fat: \"%s\" starts at bad cluster %u",
			  fs->dev->name, ent->name, ent->cluster);
		return -ERR_CORRUPT;
	}
	ff = plat_alloc(sizeof(*ff));
	if (!ff)
		return -ERR_NOMEM;
	memset(ff, 0, sizeof(*ff));
	ff->vf.fs = fs;
	ff->first = ent->cluster;
	ff->vf.ino = ent->cluster;
	if (ent->attr & FAT_ATTR_DIR) {
		ff->vf.type = FS_FT_DIR;
		if (!ent->cluster) {
			log_error("%s: fat: directory \"%s\" has no cluster",
				  fs->dev->name, ent->name);
			plat_free(ff);
			return -ERR_CORRUPT;
		}
		rc = fat_chain_len(fs, ent->cluster,
				   FAT_DIR_MAX / f->cluster_size + 1, &count);
		if (rc) {
			plat_free(ff);
			return rc;
		}
		ff->vf.size = (uint64_t)count * f->cluster_size;
	} else {
		ff->vf.type = FS_FT_FILE;
		ff->vf.size = ent->size;
		if (ent->size && !ent->cluster) {
			log_error("%s: fat: file \"%s\" has %u bytes but no "
				  "cluster", fs->dev->name, ent->name,
				  ent->size);
			plat_free(ff);
			return -ERR_CORRUPT;
		}
	}
	*out = &ff->vf;
	return 0;
}

static bool fat_name_eq(const char *a, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; i < blen; i++) {
		unsigned char x = (unsigned char)a[i];
		unsigned char y = (unsigned char)b[i];

		if (!x)
			return false;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return false;
	}
	return a[i] == '\0';
}

struct fat_lookup_ctx {
	const char *name;
	size_t len;
	struct fs *fs;
	struct fs_file *found;
	int rc;
};

static int fat_lookup_fn(void *ctx, const struct fat_entry *ent)
{
	struct fat_lookup_ctx *c = ctx;

	if (!fat_name_eq(ent->name, c->name, c->len) &&
	    !fat_name_eq(ent->short_name, c->name, c->len))
		return 0;
	c->rc = fat_open_entry(c->fs, ent, &c->found);
	return 1;
}

static int fat_lookup(struct fs_file *dir, const char *name, size_t len,
		      struct fs_file **out)
{
	struct fat_lookup_ctx c = { .name = name, .len = len, .fs = dir->fs };
	int rc;

	*out = NULL;
	rc = fat_dir_iterate(fat_file(dir), fat_lookup_fn, &c);
	if (rc < 0)
		return rc;
	if (!rc)
		return -ERR_NOENT;
	if (c.rc)
		return c.rc;
	*out = c.found;
	return 0;
}

struct fat_readdir_ctx {
	fs_dir_cb cb;
	void *ctx;
};

static int fat_readdir_fn(void *ctx, const struct fat_entry *ent)
{
	struct fat_readdir_ctx *c = ctx;
	struct fs_dirent d;

	d.name = ent->name;
	d.namelen = strlen(ent->name);
	d.type = ent->attr & FAT_ATTR_DIR ? FS_FT_DIR : FS_FT_FILE;
	d.size = ent->attr & FAT_ATTR_DIR ? 0 : ent->size;
	d.ino = ent->cluster;
	return c->cb(c->ctx, &d);
}

static int fat_readdir(struct fs_file *dir, fs_dir_cb cb, void *ctx)
{
	struct fat_readdir_ctx c = { .cb = cb, .ctx = ctx };

	return fat_dir_iterate(fat_file(dir), fat_readdir_fn, &c);
}

static int fat_root(struct fs *fs, struct fs_file **out)
{
	struct fat_fs *f = fat_priv(fs);
	struct fat_file *ff = plat_alloc(sizeof(*ff));
	uint32_t count;
	int rc;

	if (!ff)
		return -ERR_NOMEM;
	memset(ff, 0, sizeof(*ff));
	ff->vf.fs = fs;
	ff->vf.type = FS_FT_DIR;
	if (f->bits == 32) {
		rc = fat_chain_len(fs, f->root_cluster,
				   FAT_DIR_MAX / f->cluster_size + 1, &count);
		if (rc) {
			plat_free(ff);
			return rc;
		}
		ff->first = f->root_cluster;
		ff->vf.ino = f->root_cluster;
		ff->vf.size = (uint64_t)count * f->cluster_size;
	} else {
		ff->fixed_root = true;
		ff->vf.size = f->root_bytes;
	}
	*out = &ff->vf;
	return 0;
}

static void fat_close(struct fs_file *vf)
{
	plat_free(fat_file(vf));
}

/* ---- mount --------------------------------------------------------------- */

static void fat_copy_label(char *out, const uint8_t *l)
{
	int n = FAT_LABEL_LEN;

	while (n > 0 && (l[n - 1] == ' ' || !l[n - 1]))
		n--;
	for (int i = 0; i < n; i++)
		out[i] = l[i] >= 0x20 && l[i] < 0x7F ? (char)l[i] : '_';
	out[n] = '\0';
}

/** Find the volume-label entry of the root directory, if any. */
static void fat_root_label(struct fs *fs)
{
	struct fs_file *root;
	struct fat_file *r;
	uint8_t e[FAT_DIRENT];

	if (fat_root(fs, &root))
		return;
	r = fat_file(root);
	for (uint64_t off = 0; off + FAT_DIRENT <= root->size && off < 65536;
	     off += FAT_DIRENT) {
		if (fat_read_data(r, off, e, FAT_DIRENT, true) ||
		    e[DIR_NAME] == FAT_DIR_END)
			break;
		if (e[DIR_NAME] != FAT_DIR_FREE &&
		    (e[DIR_ATTR] & FAT_ATTR_LFN_MASK) != FAT_ATTR_LFN &&
		    (e[DIR_ATTR] & FAT_ATTR_VOLUME)) {
			fat_copy_label(fs->label, e);
			break;
		}
	}
	fat_close(root);
}

static int fat_mount(struct fs *fs)
{
	uint8_t b[512];
	struct fat_fs *f;
	uint32_t bps, spc, reserved, nfats, root_ents, total, fatsz;
	uint64_t root_secs, data_sec, max_clusters;
	const uint8_t *serial, *label;
	const char *dev = fs->dev->name;
	int rc;

	if (fs->dev_bytes < 512)
		return -ERR_BADFS;
	rc = fs_cread(fs, 0, b, sizeof(b));
	if (rc)
		return rc;
	/* BS_jmpBoot: a short jump and a NOP, or a near jump */
	if (!((b[BS_JMP_BOOT] == 0xEB && b[BS_JMP_BOOT + 2] == 0x90) ||
	      b[BS_JMP_BOOT] == 0xE9))
		return -ERR_BADFS;
	bps = get_le16(b + BPB_BYTS_PER_SEC);
	spc = b[BPB_SEC_PER_CLUS];
	reserved = get_le16(b + BPB_RSVD_SEC_CNT);
	nfats = b[BPB_NUM_FATS];
	root_ents = get_le16(b + BPB_ROOT_ENT_CNT);
	total = get_le16(b + BPB_TOT_SEC16);
	if (!total)
		total = get_le32(b + BPB_TOT_SEC32);
	fatsz = get_le16(b + BPB_FAT_SZ16);
	if ((bps != 512 && bps != 1024 && bps != 2048 && bps != 4096) ||
	    !spc || (spc & (spc - 1)) ||
	    (b[BPB_MEDIA] < 0xF8 && b[BPB_MEDIA] != 0xF0))
		return -ERR_BADFS;	/* not a BPB */
	if (!reserved || !nfats || nfats > 4 || !total) {
		log_error("%s: fat: bad BPB (reserved %u, FATs %u, sectors %u)",
			  dev, reserved, nfats, total);
		return -ERR_CORRUPT;
	}
	if (bps * spc > FAT_MAX_CLUSTER_SIZE) {
		log_error("%s: fat: cluster size %u too large", dev, bps * spc);
		return -ERR_NOTSUP;
	}
	f = plat_alloc(sizeof(*f));
	if (!f)
		return -ERR_NOMEM;
	memset(f, 0, sizeof(*f));
	rc = -ERR_CORRUPT;
	if (!fatsz) {
		fatsz = get_le32(b + BPB_FAT_SZ32);
		f->bits = 32;
		if (root_ents || get_le16(b + BPB_FS_VER)) {
			log_error("%s: fat32: bad BPB (root entries %u, "
				  "version %u)", dev, root_ents,
				  get_le16(b + BPB_FS_VER));
			goto err;
		}
		f->root_cluster = get_le32(b + BPB_ROOT_CLUS);
		serial = b[BS_BOOT_SIG32] == FAT_BOOT_SIG_FULL ||
			 b[BS_BOOT_SIG32] == FAT_BOOT_SIG_SHORT ?
			 b + BS_VOL_ID32 : NULL;
		label = b[BS_BOOT_SIG32] == FAT_BOOT_SIG_FULL ?
			b + BS_VOL_LAB32 : NULL;
	} else {
		serial = b[BS_BOOT_SIG] == FAT_BOOT_SIG_FULL ||
			 b[BS_BOOT_SIG] == FAT_BOOT_SIG_SHORT ?
			 b + BS_VOL_ID : NULL;
		label = b[BS_BOOT_SIG] == FAT_BOOT_SIG_FULL ?
			b + BS_VOL_LAB : NULL;
	}
	if (!fatsz) {
		log_error("%s: fat: FAT size is zero", dev);
		goto err;
	}
	if ((uint64_t)total * bps > fs->dev_bytes) {
		log_error("%s: fat: %u sectors of %u bytes exceed the device",
			  dev, total, bps);
		goto err;
	}
	root_secs = ((uint64_t)root_ents * FAT_DIRENT + bps - 1) / bps;
	data_sec = reserved + (uint64_t)nfats * fatsz + root_secs;
	if (data_sec >= total) {
		log_error("%s: fat: no room for data (data starts at sector "
			  "%llu of %u)", dev, (unsigned long long)data_sec,
			  total);
		goto err;
	}
	f->nclusters = (uint32_t)((total - data_sec) / spc);
	if (!f->bits)
		f->bits = f->nclusters < 4085 ? 12 : 16;
	/* Clamp to what the FAT can describe. */
	max_clusters = (uint64_t)fatsz * bps * 8 / f->bits;
	max_clusters = max_clusters > 2 ? max_clusters - 2 : 0;
	if (f->bits == 32 && max_clusters > 0x0FFFFFF5)
		max_clusters = 0x0FFFFFF5;
	if (f->bits != 32 && max_clusters > (f->bits == 12 ? 4084u : 65524u))
		max_clusters = f->bits == 12 ? 4084u : 65524u;
	if (f->nclusters > max_clusters)
		f->nclusters = (uint32_t)max_clusters;
	if (!f->nclusters) {
		log_error("%s: fat: no data clusters", dev);
		goto err;
	}
	f->cluster_size = bps * spc;
	f->fat_off = (uint64_t)reserved * bps;
	/* FAT32 with mirroring off: only the active FAT is current */
	if (f->bits == 32 &&
	    (get_le16(b + BPB_EXT_FLAGS) & FAT_EXT_FLAGS_NO_MIRROR)) {
		uint32_t active = get_le16(b + BPB_EXT_FLAGS) &
				  FAT_EXT_FLAGS_ACTIVE;

		if (active >= nfats) {
			log_error("%s: fat32: active FAT %u of %u", dev, active,
				  nfats);
			goto err;
		}
		f->fat_off += (uint64_t)active * fatsz * bps;
	}
	f->root_off = ((uint64_t)reserved + (uint64_t)nfats * fatsz) * bps;
	f->root_bytes = root_ents * FAT_DIRENT;
	f->data_off = data_sec * bps;
	f->eoc = f->bits == 12 ? 0xFF8 : f->bits == 16 ? 0xFFF8 : 0x0FFFFFF8;
	if (f->bits == 32 &&
	    (f->root_cluster < 2 || f->root_cluster - 2 >= f->nclusters)) {
		log_error("%s: fat32: root cluster %u out of range", dev,
			  f->root_cluster);
		goto err;
	}
	if (f->bits != 32 && !root_ents) {
		log_error("%s: fat%u: no root directory entries", dev, f->bits);
		goto err;
	}
	fs->priv = f;
	fs->type = FS_TYPE_FAT;
	fmt_snprintf(fs->type_name, sizeof(fs->type_name), "fat%u", f->bits);
	if (serial)
		fmt_snprintf(fs->uuid, sizeof(fs->uuid), "%04X-%04X",
			     get_le16(serial + 2), get_le16(serial));
	fat_root_label(fs);
	if (!fs->label[0] && label &&
	    memcmp(label, "NO NAME    ", FAT_LABEL_LEN))
		fat_copy_label(fs->label, label);
	return 0;
err:
	plat_free(f);
	return rc;
}

static void fat_unmount(struct fs *fs)
{
	plat_free(fs->priv);
	fs->priv = NULL;
}

const struct fs_driver fs_fat_driver = {
	.name = "fat",
	.mount = fat_mount,
	.unmount = fat_unmount,
	.root = fat_root,
	.lookup = fat_lookup,
	.readdir = fat_readdir,
	.read = fat_read,
	.readlink = fat_readlink,
	.close = fat_close,
};
