/*
 * ext4.c - read-only ext2/ext3/ext4.
 *
 * Superblock at byte 1024; group descriptors (32 or 64 bytes) in the block
 * after it; inodes located through their group's inode table.  File data is
 * mapped by extent trees (any depth up to EXT4_MAX_DEPTH, every node's
 * header, entry count and logical order checked) or by the ext2/3 direct,
 * single, double and triple indirect blocks; inline data lives in i_block
 * and the system.data extended attribute.  Directories are read linearly
 * (an htree directory is a valid linear directory).  Every structure is
 * checked before use and a bad one is named in the log.
 */
#include "fs.h"
#include "ext4_format.h"
#include "../byteorder.h"
#include "../crc.h"
#include "../errors.h"
#include "../libc.h"
#include "../log.h"
#include "../platform.h"

/** Mounted ext filesystem. */
struct ext4_fs {
	uint32_t block_size;
	unsigned int log_bs;
	uint64_t blocks_count;
	uint32_t first_data_block;
	uint32_t blocks_per_group;
	uint32_t inodes_per_group;
	uint32_t inodes_count;
	uint32_t inode_size;
	uint32_t desc_size;
	uint64_t ngroups;
	uint64_t gdt_offset;		/**< byte offset of descriptor table */
	uint32_t incompat;
	uint32_t compat;
	uint32_t ro_compat;
	uint32_t first_meta_bg;		/**< meta_bg: first meta group */
	uint32_t backup_bgs[2];		/**< sparse_super2 backup groups */
	bool csum;			/**< metadata_csum: verify inodes */
	uint32_t csum_seed;		/**< crc32c seed of the metadata */
};

/** Open ext inode. */
struct ext4_file {
	struct fs_file vf;
	uint16_t mode;
	uint32_t flags;
	uint32_t generation;		/**< i_generation, for checksums */
	uint8_t iblock[EXT4_IBLOCK_SIZE];
	uint8_t *inline_xattr;		/**< system.data value, or NULL */
	uint32_t inline_xattr_len;
};

static const struct {
	uint32_t bit;
	const char *name;
} ext4_incompat_names[] = {
	{ INCOMPAT_COMPRESSION, "compression" },
	{ INCOMPAT_JOURNAL_DEV, "journal_dev" },
	{ INCOMPAT_DIRDATA, "dirdata" },
};

/* ---- helpers ----------------------------------------------------------- */

static struct ext4_fs *ext4_priv(struct fs *fs)
{
	return fs->priv;
}

static struct ext4_file *ext4_file(struct fs_file *f)
{
	return container_of(f, struct ext4_file, vf);
}

static enum fs_ftype ext4_mode_type(uint16_t mode)
{
	switch (mode & S_IFMT_) {
	case S_IFREG_: return FS_FT_FILE;
	case S_IFDIR_: return FS_FT_DIR;
	case S_IFLNK_: return FS_FT_SYMLINK;
	default: return FS_FT_OTHER;
	}
}

/** Byte offset of block @blk, after checking it lies in the filesystem. */
static int ext4_block_off(struct fs *fs, uint64_t blk, uint64_t count,
			  uint64_t *off)
{
	struct ext4_fs *e = ext4_priv(fs);

	if (blk >= e->blocks_count || count > e->blocks_count - blk) {
		log_error("%s: ext4: block %llu+%llu beyond the filesystem "
			  "(%llu blocks)", fs->dev->name,
			  (unsigned long long)blk, (unsigned long long)count,
			  (unsigned long long)e->blocks_count);
		return -ERR_CORRUPT;
	}
	*off = blk << e->log_bs;
	return 0;
}

/* ---- mount ------------------------------------------------------------ */

static void ext4_format_uuid(char *out, size_t size, const uint8_t *u)
{
	fmt_snprintf(out, size,
		     "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		     "%02x%02x%02x%02x%02x%02x",
		     u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8],
		     u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static int ext4_check_features(struct fs *fs, uint32_t incompat)
{
	uint32_t bad = incompat & ~(uint32_t)INCOMPAT_SUPPORTED;

	if (!bad)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(ext4_incompat_names); i++) {
		if (bad & ext4_incompat_names[i].bit) {
			log_error("%s: ext4: unsupported incompatible feature "
				  "%s", fs->dev->name,
				  ext4_incompat_names[i].name);
			return -ERR_NOTSUP;
		}
	}
	log_error("%s: ext4: unsupported incompatible feature bits 0x%x",
		  fs->dev->name, bad);
	return -ERR_NOTSUP;
}

static int ext4_mount(struct fs *fs)
{
	uint8_t *sb;
	struct ext4_fs *e = NULL;
	uint32_t log_bs, compat, incompat, ro_compat, rev;
	uint64_t data_blocks, max_bpg;
	const char *dev = fs->dev->name;
	int rc;

	if (fs->dev_bytes < EXT4_SB_OFFSET + EXT4_SB_SIZE)
		return -ERR_BADFS;
	sb = plat_alloc(EXT4_SB_SIZE);
	if (!sb)
		return -ERR_NOMEM;
	rc = fs_cread(fs, EXT4_SB_OFFSET, sb, EXT4_SB_SIZE);
	if (rc)
		goto out;
	if (get_le16(sb + S_MAGIC) != EXT4_MAGIC) {
		rc = -ERR_BADFS;
		goto out;
	}
	rc = -ERR_CORRUPT;
	e = plat_alloc(sizeof(*e));
	if (!e) {
		rc = -ERR_NOMEM;
		goto out;
	}
	memset(e, 0, sizeof(*e));
	rev = get_le32(sb + S_REV_LEVEL);
	compat = get_le32(sb + S_FEATURE_COMPAT);
	incompat = rev ? get_le32(sb + S_FEATURE_INCOMPAT) : 0;
	ro_compat = rev ? get_le32(sb + S_FEATURE_RO_COMPAT) : 0;
	rc = ext4_check_features(fs, incompat);
	if (rc)
		goto out;
	rc = -ERR_CORRUPT;
	if (ro_compat & RO_COMPAT_METADATA_CSUM) {
		uint32_t want = get_le32(sb + S_CHECKSUM);
		uint32_t got = crc32c(~0u, sb, S_CHECKSUM);

		if (sb[S_CHECKSUM_TYPE] != EXT4_CRC32C_CHKSUM) {
			log_error("%s: ext4: unknown checksum type %u", dev,
				  sb[S_CHECKSUM_TYPE]);
			goto out;
		}
		if (want != got) {
			log_error("%s: ext4: superblock checksum mismatch "
				  "(stored 0x%08x, computed 0x%08x)", dev,
				  want, got);
			goto out;
		}
	}
	log_bs = get_le32(sb + S_LOG_BLOCK_SIZE);
	if (log_bs > 6) {
		log_error("%s: ext4: bad block size log %u", dev, log_bs);
		goto out;
	}
	e->log_bs = 10 + log_bs;
	e->block_size = 1u << e->log_bs;
	e->blocks_count = get_le32(sb + S_BLOCKS_COUNT_LO);
	if (incompat & INCOMPAT_64BIT)
		e->blocks_count |= (uint64_t)get_le32(sb + S_BLOCKS_COUNT_HI)
				   << 32;
	e->first_data_block = get_le32(sb + S_FIRST_DATA_BLOCK);
	e->blocks_per_group = get_le32(sb + S_BLOCKS_PER_GROUP);
	e->inodes_per_group = get_le32(sb + S_INODES_PER_GROUP);
	e->inodes_count = get_le32(sb + S_INODES_COUNT);
	e->inode_size = rev ? get_le16(sb + S_INODE_SIZE) :
			      EXT4_GOOD_OLD_INODE_SIZE;
	e->incompat = incompat;
	e->desc_size = EXT4_DESC_SIZE;
	if (incompat & INCOMPAT_64BIT) {
		e->desc_size = get_le16(sb + S_DESC_SIZE);
		if (e->desc_size < EXT4_MIN_DESC_SIZE_64BIT ||
		    e->desc_size > 1024 ||
		    (e->desc_size & (e->desc_size - 1))) {
			log_error("%s: ext4: bad group descriptor size %u",
				  dev, e->desc_size);
			goto out;
		}
	}
	if (!e->blocks_count || e->blocks_count > (fs->dev_bytes >> e->log_bs)) {
		log_error("%s: ext4: block count %llu does not fit the device "
			  "(%llu bytes)", dev,
			  (unsigned long long)e->blocks_count,
			  (unsigned long long)fs->dev_bytes);
		goto out;
	}
	if (e->first_data_block >= e->blocks_count ||
	    e->first_data_block > 1) {
		log_error("%s: ext4: bad first data block %u", dev,
			  e->first_data_block);
		goto out;
	}
	max_bpg = (uint64_t)8 * e->block_size;
	if (ro_compat & RO_COMPAT_BIGALLOC) {
		/* groups count clusters of 2^(log_cluster - log_block) blocks */
		uint32_t log_cluster = get_le32(sb + S_LOG_CLUSTER_SIZE);

		if (log_cluster < log_bs || log_cluster - log_bs > 16) {
			log_error("%s: ext4: bad cluster size log %u", dev,
				  log_cluster);
			goto out;
		}
		max_bpg <<= log_cluster - log_bs;
	}
	if (!e->blocks_per_group || e->blocks_per_group > max_bpg ||
	    !e->inodes_per_group || e->inodes_per_group > 8 * e->block_size) {
		log_error("%s: ext4: bad blocks/inodes per group %u/%u", dev,
			  e->blocks_per_group, e->inodes_per_group);
		goto out;
	}
	if (e->inode_size < EXT4_GOOD_OLD_INODE_SIZE ||
	    e->inode_size > e->block_size ||
	    (e->inode_size & (e->inode_size - 1))) {
		log_error("%s: ext4: bad inode size %u", dev, e->inode_size);
		goto out;
	}
	data_blocks = e->blocks_count - e->first_data_block;
	e->ngroups = (data_blocks + e->blocks_per_group - 1) /
		     e->blocks_per_group;
	if (!e->inodes_count ||
	    (uint64_t)e->inodes_count > e->ngroups * e->inodes_per_group) {
		log_error("%s: ext4: inode count %u exceeds %llu groups of %u",
			  dev, e->inodes_count,
			  (unsigned long long)e->ngroups, e->inodes_per_group);
		goto out;
	}
	/* descriptors start in the block after the superblock's (with 1 KiB
	 * blocks and bigalloc, first_data_block is 0 but that is block 2) */
	e->gdt_offset = ((uint64_t)(EXT4_SB_OFFSET >> e->log_bs) + 1)
			<< e->log_bs;
	e->compat = compat;
	e->ro_compat = ro_compat;
	e->first_meta_bg = get_le32(sb + S_FIRST_META_BG);
	e->backup_bgs[0] = get_le32(sb + S_BACKUP_BGS);
	e->backup_bgs[1] = get_le32(sb + S_BACKUP_BGS + 4);
	e->csum = (ro_compat & RO_COMPAT_METADATA_CSUM) &&
		  e->inode_size <= EXT4_INODE_READ_MAX;
	e->csum_seed = incompat & INCOMPAT_CSUM_SEED ?
		       get_le32(sb + S_CHECKSUM_SEED) :
		       crc32c(~0u, sb + S_UUID, EXT4_UUID_SIZE);
	if (!(incompat & INCOMPAT_META_BG) || e->first_meta_bg >
	    (e->ngroups * e->desc_size + e->block_size - 1) >> e->log_bs)
		e->first_meta_bg = UINT32_MAX;
	if (e->ngroups * e->desc_size > fs->dev_bytes - e->gdt_offset) {
		log_error("%s: ext4: group descriptor table beyond device",
			  dev);
		goto out;
	}
	if (incompat & INCOMPAT_RECOVER)
		log_warn("%s: ext4: journal needs recovery; reading the "
			 "filesystem as it is on disk", dev);

	fs->type = FS_TYPE_EXT;
	if (incompat & (INCOMPAT_EXTENTS | INCOMPAT_64BIT | INCOMPAT_FLEX_BG |
			INCOMPAT_INLINE_DATA))
		memcpy(fs->type_name, "ext4", 5);
	else if (compat & COMPAT_HAS_JOURNAL)
		memcpy(fs->type_name, "ext3", 5);
	else
		memcpy(fs->type_name, "ext2", 5);
	for (size_t i = 0; i < EXT4_LABEL_SIZE && sb[S_VOLUME_NAME + i]; i++)
		fs->label[i] = (char)sb[S_VOLUME_NAME + i];
	ext4_format_uuid(fs->uuid, sizeof(fs->uuid), sb + S_UUID);
	fs->priv = e;
	e = NULL;
	rc = 0;
out:
	plat_free(e);
	plat_free(sb);
	return rc;
}

static void ext4_unmount(struct fs *fs)
{
	plat_free(fs->priv);
	fs->priv = NULL;
}

/* ---- inodes ------------------------------------------------------------ */

/** Find system.data in the in-inode xattr area and copy its value. */
static int ext4_load_inline_xattr(struct fs *fs, struct ext4_file *f,
				  const uint8_t *raw, size_t rawlen)
{
	size_t start, pos;
	uint16_t extra;

	if (rawlen <= EXT4_GOOD_OLD_INODE_SIZE)
		return 0;
	extra = get_le16(raw + I_EXTRA_ISIZE);
	if (extra & 3 ||
	    EXT4_GOOD_OLD_INODE_SIZE + extra + XATTR_IHDR_SIZE > rawlen)
		return 0;
	start = EXT4_GOOD_OLD_INODE_SIZE + extra;
	if (get_le32(raw + start) != EXT4_XATTR_MAGIC)
		return 0;
	pos = start + XATTR_IHDR_SIZE;
	/* Each entry is at least 16 bytes, so this loop is bounded. */
	while (pos + E_NAME <= rawlen && get_le32(raw + pos)) {
		uint8_t nlen = raw[pos + E_NAME_LEN];
		uint8_t index = raw[pos + E_NAME_INDEX];
		uint16_t voff = get_le16(raw + pos + E_VALUE_OFFS);
		uint32_t vinum = get_le32(raw + pos + E_VALUE_INUM);
		uint32_t vsize = get_le32(raw + pos + E_VALUE_SIZE);
		size_t esize = (E_NAME + nlen + XATTR_ROUND) &
			       ~(size_t)XATTR_ROUND;

		if (pos + E_NAME + nlen > rawlen)
			break;
		if (index == XATTR_INDEX_SYSTEM && nlen == 4 &&
		    !memcmp(raw + pos + E_NAME, "data", 4)) {
			if (vinum || (size_t)voff + vsize >
				     rawlen - start - XATTR_IHDR_SIZE) {
				log_error("%s: ext4: inode %llu: bad "
					  "system.data attribute",
					  fs->dev->name,
					  (unsigned long long)f->vf.ino);
				return -ERR_CORRUPT;
			}
			if (!vsize)
				return 0;
			f->inline_xattr = plat_alloc(vsize);
			if (!f->inline_xattr)
				return -ERR_NOMEM;
			memcpy(f->inline_xattr,
			       raw + start + XATTR_IHDR_SIZE + voff, vsize);
			f->inline_xattr_len = vsize;
			return 0;
		}
		pos += esize;
	}
	return 0;
}

/** Does block group @g hold a superblock (and descriptor) backup? */
static bool ext4_group_has_super(struct ext4_fs *e, uint64_t g)
{
	if (g <= 1)
		return true;
	if (e->compat & COMPAT_SPARSE_SUPER2)
		return g == e->backup_bgs[0] || g == e->backup_bgs[1];
	if (!(e->ro_compat & RO_COMPAT_SPARSE_SUPER))
		return true;
	for (uint64_t base = 3; base <= 7; base += 2) {
		uint64_t p = base;

		while (p < g)
			p *= base;
		if (p == g)
			return true;
	}
	return false;
}

/**
 * Byte offset of group @g's descriptor: in the table after the superblock,
 * or with meta_bg in the first block of its meta group (after a backup
 * superblock when that group has one).
 */
static uint64_t ext4_desc_offset(struct ext4_fs *e, uint64_t g)
{
	uint64_t per = e->block_size / e->desc_size;
	uint64_t index = g / per;
	uint64_t first, blk;

	if (index < e->first_meta_bg)
		return e->gdt_offset + g * e->desc_size;
	first = index * per;
	blk = e->first_data_block + first * e->blocks_per_group +
	      (ext4_group_has_super(e, first) ? 1 : 0);
	if (e->block_size == 1024 && !first && !e->first_data_block)
		blk++;		/* the superblock is block 1, not 0 */
	return (blk << e->log_bs) + (g % per) * e->desc_size;
}

/**
 * Verify a metadata_csum inode checksum: crc32c over the inode number,
 * generation and the whole inode with its checksum fields zeroed.
 * @raw (inode_size bytes) has those fields zeroed on return.
 */
static int ext4_inode_csum_check(struct fs *fs, uint64_t ino, uint8_t *raw)
{
	struct ext4_fs *e = ext4_priv(fs);
	uint8_t le[4];
	uint32_t want, got, mask = 0xFFFF;
	bool has_hi = e->inode_size > EXT4_GOOD_OLD_INODE_SIZE &&
		      get_le16(raw + I_EXTRA_ISIZE) >= 4;

	want = get_le16(raw + I_CHECKSUM_LO);
	put_le16(raw + I_CHECKSUM_LO, 0);
	if (has_hi) {
		want |= (uint32_t)get_le16(raw + I_CHECKSUM_HI) << 16;
		put_le16(raw + I_CHECKSUM_HI, 0);
		mask = 0xFFFFFFFF;
	}
	put_le32(le, (uint32_t)ino);
	got = crc32c(e->csum_seed, le, 4);
	got = crc32c(got, raw + I_GENERATION, 4);
	got = crc32c(got, raw, e->inode_size);
	if ((got & mask) != want) {
		log_error("%s: ext4: inode %llu checksum mismatch (stored "
			  "0x%x, computed 0x%x)", fs->dev->name,
			  (unsigned long long)ino, want, got & mask);
		return -ERR_CORRUPT;
	}
	return 0;
}

static int ext4_iget(struct fs *fs, uint64_t ino, struct ext4_file **out)
{
	struct ext4_fs *e = ext4_priv(fs);
	uint8_t desc[64];
	uint8_t *raw = NULL;
	struct ext4_file *f = NULL;
	uint64_t group, index, table, off;
	size_t rawlen;
	int rc;

	*out = NULL;
	if (ino < 1 || ino > e->inodes_count) {
		log_error("%s: ext4: inode number %llu out of range (1..%u)",
			  fs->dev->name, (unsigned long long)ino,
			  e->inodes_count);
		return -ERR_CORRUPT;
	}
	group = (ino - 1) / e->inodes_per_group;
	index = (ino - 1) % e->inodes_per_group;
	rc = fs_cread(fs, ext4_desc_offset(e, group), desc,
		      MIN(e->desc_size, sizeof(desc)));
	if (rc)
		return rc;
	table = get_le32(desc + BG_INODE_TABLE_LO);
	if (e->desc_size >= EXT4_MIN_DESC_SIZE_64BIT)
		table |= (uint64_t)get_le32(desc + BG_INODE_TABLE_HI) << 32;
	/* The whole inode table of the group must lie inside the fs. */
	rc = ext4_block_off(fs, table,
			    ((uint64_t)e->inodes_per_group * e->inode_size +
			     e->block_size - 1) >> e->log_bs, &off);
	if (rc) {
		log_error("%s: ext4: group %llu descriptor: bad inode table",
			  fs->dev->name, (unsigned long long)group);
		return rc;
	}
	off += index * e->inode_size;
	rawlen = MIN(e->inode_size, EXT4_INODE_READ_MAX);
	raw = plat_alloc(rawlen);
	f = plat_alloc(sizeof(*f));
	if (!raw || !f) {
		rc = -ERR_NOMEM;
		goto err;
	}
	memset(f, 0, sizeof(*f));
	rc = fs_cread(fs, off, raw, rawlen);
	if (rc)
		goto err;
	f->vf.fs = fs;
	f->vf.ino = ino;
	f->mode = get_le16(raw + I_MODE);
	f->flags = get_le32(raw + I_FLAGS);
	f->generation = get_le32(raw + I_GENERATION);
	f->vf.type = ext4_mode_type(f->mode);
	f->vf.size = get_le32(raw + I_SIZE_LO) |
		     (uint64_t)get_le32(raw + I_SIZE_HIGH) << 32;
	memcpy(f->iblock, raw + I_BLOCK, EXT4_IBLOCK_SIZE);
	if (f->mode && e->csum) {
		rc = ext4_inode_csum_check(fs, ino, raw);
		if (rc)
			goto err;
	}
	if (!f->mode) {
		log_error("%s: ext4: inode %llu is not in use",
			  fs->dev->name, (unsigned long long)ino);
		rc = -ERR_CORRUPT;
		goto err;
	}
	if (f->flags & EXT4_INLINE_DATA_FL) {
		if (!(e->incompat & INCOMPAT_INLINE_DATA)) {
			log_error("%s: ext4: inode %llu has inline data but the "
				  "feature is off", fs->dev->name,
				  (unsigned long long)ino);
			rc = -ERR_CORRUPT;
			goto err;
		}
		rc = ext4_load_inline_xattr(fs, f, raw, rawlen);
		if (rc)
			goto err;
	}
	plat_free(raw);
	*out = f;
	return 0;
err:
	plat_free(raw);
	plat_free(f);
	return rc;
}

static void ext4_close(struct fs_file *vf)
{
	struct ext4_file *f = ext4_file(vf);

	plat_free(f->inline_xattr);
	plat_free(f);
}

/* ---- block mapping ------------------------------------------------------ */

/** One mapping: @count blocks from @lblk at @pblk, or zeros. */
struct ext4_map {
	uint64_t pblk;
	uint64_t count;
	bool zero;
};

/**
 * Walk the extent tree for logical block @lblk.
 */
static int ext4_map_extent(struct fs *fs, struct ext4_file *f, uint64_t lblk,
			   struct ext4_map *m)
{
	struct ext4_fs *e = ext4_priv(fs);
	const char *dev = fs->dev->name;
	uint8_t hdr[EXT4_EXT_HDR_SIZE], ent[EXT4_EXT_ENTRY_SIZE];
	uint64_t node_off = 0;		/* 0: the root in i_block */
	uint64_t end = (uint64_t)1 << 32;	/* exclusive bound of this node */
	uint32_t node_size = EXT4_IBLOCK_SIZE;
	int parent_depth = -1;
	int rc;

	if (lblk >= end) {
		/* beyond the 32-bit logical block space: a hole */
		m->zero = true;
		m->pblk = 0;
		m->count = end;
		return 0;
	}
	for (int level = 0; level <= EXT4_MAX_DEPTH; level++) {
		uint16_t entries, max, depth;
		uint64_t prev = 0, child = 0;
		bool found = false;

		if (node_off)
			rc = fs_cread(fs, node_off, hdr, sizeof(hdr));
		else
			rc = (memcpy(hdr, f->iblock, sizeof(hdr)), 0);
		if (rc)
			return rc;
		entries = get_le16(hdr + EH_ENTRIES);
		max = get_le16(hdr + EH_MAX);
		depth = get_le16(hdr + EH_DEPTH);
		if (get_le16(hdr + EH_MAGIC) != EXT4_EXT_MAGIC || !max ||
		    max > (node_size - EXT4_EXT_HDR_SIZE) /
			  EXT4_EXT_ENTRY_SIZE || entries > max ||
		    depth > EXT4_MAX_DEPTH ||
		    (parent_depth >= 0 && depth != parent_depth - 1)) {
			log_error("%s: ext4: inode %llu: bad extent header at "
				  "level %d (magic 0x%04x entries %u max %u "
				  "depth %u)", dev,
				  (unsigned long long)f->vf.ino, level,
				  get_le16(hdr + EH_MAGIC), entries, max,
				  depth);
			return -ERR_CORRUPT;
		}
		parent_depth = depth;
		m->zero = true;
		m->pblk = 0;
		m->count = end - lblk;
		for (uint16_t i = 0; i < entries; i++) {
			uint64_t first;

			uint64_t at = EXT4_EXT_HDR_SIZE +
				      (uint64_t)EXT4_EXT_ENTRY_SIZE * i;

			if (node_off)
				rc = fs_cread(fs, node_off + at, ent,
					      sizeof(ent));
			else
				rc = (memcpy(ent, f->iblock + at,
					     sizeof(ent)), 0);
			if (rc)
				return rc;
			first = get_le32(ent + EE_BLOCK);
			if ((i && first < prev) || first >= end) {
				log_error("%s: ext4: inode %llu: extent entries "
					  "out of order at level %d", dev,
					  (unsigned long long)f->vf.ino, level);
				return -ERR_CORRUPT;
			}
			if (depth) {
				if (i && first == prev) {
					log_error("%s: ext4: inode %llu: "
						  "duplicate index entry", dev,
						  (unsigned long long)f->vf.ino);
					return -ERR_CORRUPT;
				}
				if (first > lblk) {
					if (!found)
						m->count = first - lblk;
					else
						end = first;
					break;
				}
				found = true;
				child = get_le32(ent + EI_LEAF_LO) |
					(uint64_t)get_le16(ent + EI_LEAF_HI)
					<< 32;
				prev = first;
			} else {
				uint32_t len = get_le16(ent + EE_LEN);
				bool uninit = len > EXT4_EXT_INIT_MAX_LEN;
				uint64_t start = get_le32(ent + EE_START_LO) |
					(uint64_t)get_le16(ent + EE_START_HI)
					<< 32;

				if (uninit)
					len -= EXT4_EXT_INIT_MAX_LEN;
				if (!len || first + len > end) {
					log_error("%s: ext4: inode %llu: bad "
						  "extent (block %llu len %u)",
						  dev,
						  (unsigned long long)f->vf.ino,
						  (unsigned long long)first,
						  len);
					return -ERR_CORRUPT;
				}
				if (first > lblk) {
					m->count = first - lblk;
					return 0;
				}
				if (lblk < first + len) {
					rc = ext4_block_off(fs, start, len,
							    &node_off);
					if (rc)
						return rc;
					m->zero = uninit;
					m->pblk = start + (lblk - first);
					m->count = first + len - lblk;
					return 0;
				}
				prev = first + len;
			}
		}
		if (!depth || !found)
			return 0;	/* a hole up to m->count */
		rc = ext4_block_off(fs, child, 1, &node_off);
		if (rc)
			return rc;
		node_size = e->block_size;
	}
	log_error("%s: ext4: inode %llu: extent tree too deep", dev,
		  (unsigned long long)f->vf.ino);
	return -ERR_CORRUPT;
}

/** Map through direct/indirect blocks (ext2/3). */
static int ext4_map_indirect(struct fs *fs, struct ext4_file *f,
			     uint64_t lblk, struct ext4_map *m)
{
	struct ext4_fs *e = ext4_priv(fs);
	uint64_t per = e->block_size / 4;
	uint64_t span = 1;		/* blocks covered by one pointer */
	uint32_t ptr;
	int levels, rc;
	uint8_t b4[4];

	m->zero = true;
	m->pblk = 0;
	m->count = 1;
	if (lblk < EXT4_NDIR) {
		ptr = get_le32(f->iblock + 4 * lblk);
		levels = 0;
		lblk = 0;
	} else {
		lblk -= EXT4_NDIR;
		span = per;
		for (levels = 1; levels <= 3; levels++) {
			if (lblk < span)
				break;
			lblk -= span;
			span *= per;
		}
		if (levels > 3) {
			m->count = UINT32_MAX;	/* beyond: all hole */
			return 0;
		}
		ptr = get_le32(f->iblock + 4 * (EXT4_NDIR - 1 + levels));
	}
	/* @span blocks hang below @ptr; @lblk is the index inside them. */
	for (;;) {
		uint64_t off;

		if (!ptr) {
			m->count = span - lblk;
			return 0;
		}
		if (!levels)
			break;
		rc = ext4_block_off(fs, ptr, 1, &off);
		if (rc)
			return rc;
		span /= per;
		rc = fs_cread(fs, off + 4 * (lblk / span), b4, 4);
		if (rc)
			return rc;
		ptr = get_le32(b4);
		lblk %= span;
		levels--;
	}
	rc = ext4_block_off(fs, ptr, 1, &(uint64_t){ 0 });
	if (rc)
		return rc;
	m->zero = false;
	m->pblk = ptr;
	m->count = 1;
	return 0;
}

static int ext4_map(struct fs *fs, struct ext4_file *f, uint64_t lblk,
		    struct ext4_map *m)
{
	if (f->flags & EXT4_EXTENTS_FL)
		return ext4_map_extent(fs, f, lblk, m);
	return ext4_map_indirect(fs, f, lblk, m);
}

/* ---- reading ------------------------------------------------------------ */

/** Read inline data (i_block, then the system.data value). */
static int ext4_read_inline(struct ext4_file *f, uint64_t off, uint8_t *buf,
			    size_t len)
{
	uint64_t total = EXT4_IBLOCK_SIZE + (uint64_t)f->inline_xattr_len;

	if (off > total || len > total - off) {
		log_error("%s: ext4: inode %llu: inline data shorter than its "
			  "size", f->vf.fs->dev->name,
			  (unsigned long long)f->vf.ino);
		return -ERR_CORRUPT;
	}
	for (size_t i = 0; i < len; i++) {
		uint64_t p = off + i;

		buf[i] = p < EXT4_IBLOCK_SIZE ? f->iblock[p] :
			 f->inline_xattr[p - EXT4_IBLOCK_SIZE];
	}
	return 0;
}

/**
 * Read @len bytes at @off of @f; @cached sends them through the metadata
 * cache (directories), otherwise each physically contiguous run is one
 * device request.
 */
static int ext4_read_data(struct ext4_file *f, uint64_t off, void *buf,
			  size_t len, bool cached)
{
	struct fs *fs = f->vf.fs;
	struct ext4_fs *e = ext4_priv(fs);
	uint8_t *out = buf;
	uint64_t bmask = e->block_size - 1;
	int rc;

	if (f->flags & EXT4_ENCRYPT_FL) {
		log_error("%s: ext4: inode %llu is encrypted", fs->dev->name,
			  (unsigned long long)f->vf.ino);
		return -ERR_NOTSUP;
	}
	if (f->flags & EXT4_INLINE_DATA_FL)
		return ext4_read_inline(f, off, out, len);
	while (len) {
		uint64_t lblk = off >> e->log_bs;
		uint64_t inoff = off & bmask;
		struct ext4_map m, next;
		uint64_t bytes, poff;

		rc = ext4_map(fs, f, lblk, &m);
		if (rc)
			return rc;
		if (!m.count) {
			log_error("%s: ext4: inode %llu: empty mapping at block "
				  "%llu", fs->dev->name,
				  (unsigned long long)f->vf.ino,
				  (unsigned long long)lblk);
			return -ERR_CORRUPT;
		}
		/* Grow the run while the next mapping continues it. */
		while (!m.zero &&
		       (m.count << e->log_bs) - inoff < len &&
		       m.count < (1u << 20)) {
			rc = ext4_map(fs, f, lblk + m.count, &next);
			if (rc)
				return rc;
			if (next.zero || next.pblk != m.pblk + m.count)
				break;
			m.count += next.count;
		}
		bytes = m.count > ((uint64_t)1 << 40) >> e->log_bs ?
			(uint64_t)1 << 40 : m.count << e->log_bs;
		bytes -= inoff;
		if (bytes > len)
			bytes = len;
		if (m.zero) {
			memset(out, 0, (size_t)bytes);
		} else {
			rc = ext4_block_off(fs, m.pblk,
					    (inoff + bytes + bmask) >> e->log_bs,
					    &poff);
			if (rc)
				return rc;
			poff += inoff;
			rc = cached ? fs_cread(fs, poff, out, (size_t)bytes) :
				      fs_dread(fs, poff, out, (size_t)bytes);
			if (rc)
				return rc;
		}
		out += bytes;
		off += bytes;
		len -= (size_t)bytes;
	}
	return 0;
}

static int ext4_read(struct fs_file *vf, uint64_t off, void *buf, size_t len)
{
	int rc = ext4_read_data(ext4_file(vf), off, buf, len, false);

	return rc ? rc : (int)len;
}

static int ext4_readlink(struct fs_file *vf, char *buf, size_t size)
{
	struct ext4_file *f = ext4_file(vf);
	uint64_t len = vf->size;
	int rc;

	if (vf->type != FS_FT_SYMLINK)
		return -ERR_INVAL;
	if (len >= size || len >= FS_PATH_MAX)
		return -ERR_NAMETOOLONG;
	if (len < EXT4_IBLOCK_SIZE && !(f->flags & EXT4_INLINE_DATA_FL) &&
	    !((f->flags & EXT4_EXTENTS_FL) &&
	      get_le16(f->iblock + EH_MAGIC) == EXT4_EXT_MAGIC)) {
		/* fast symlink: the target is in i_block (a short target
		 * kept in a block has an extent header there instead) */
		memcpy(buf, f->iblock, (size_t)len);
	} else {
		rc = ext4_read_data(f, 0, buf, (size_t)len, true);
		if (rc)
			return rc;
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		log_error("%s: ext4: symlink inode %llu contains a NUL",
			  vf->fs->dev->name, (unsigned long long)vf->ino);
		return -ERR_CORRUPT;
	}
	return (int)len;
}

/* ---- directories ------------------------------------------------------- */

/** Called per directory entry; return non-zero to stop. */
typedef int (*ext4_dirent_fn)(void *ctx, uint32_t ino, const char *name,
			      size_t len, uint8_t ftype);

/** Walk the entries in one buffer of directory data. */
static int ext4_dir_parse(struct ext4_file *d, const uint8_t *blk,
			  size_t size, uint64_t where, ext4_dirent_fn fn,
			  void *ctx)
{
	struct fs *fs = d->vf.fs;
	struct ext4_fs *e = ext4_priv(fs);
	size_t pos = 0;
	int rc;

	while (pos + DE_NAME <= size) {
		uint32_t ino = get_le32(blk + pos + DE_INODE);
		uint32_t rec_len = get_le16(blk + pos + DE_REC_LEN);
		uint32_t name_len = blk[pos + DE_NAME_LEN];
		uint8_t ftype = blk[pos + DE_FILE_TYPE];

		if (!(e->incompat & INCOMPAT_FILETYPE)) {
			name_len |= (uint32_t)ftype << 8;
			ftype = 0;
		}
		if (e->block_size == 65536 && (rec_len == 65535 || !rec_len))
			rec_len = 65536;
		if (rec_len < DE_NAME || rec_len % 4 || rec_len > size - pos ||
		    name_len + DE_NAME > rec_len || name_len > EXT4_NAME_LEN) {
			log_error("%s: ext4: directory inode %llu: bad entry at "
				  "byte %llu (rec_len %u, name_len %u)",
				  fs->dev->name,
				  (unsigned long long)d->vf.ino,
				  (unsigned long long)(where + pos), rec_len,
				  name_len);
			return -ERR_CORRUPT;
		}
		if (ino && name_len) {
			const uint8_t *name = blk + pos + DE_NAME;
			bool bad = false;

			for (uint32_t k = 0; k < name_len; k++)
				bad |= !name[k] || name[k] == '/';
			if (bad) {
				log_warn("%s: ext4: directory inode %llu: name "
					 "with NUL or '/' at byte %llu skipped",
					 fs->dev->name,
					 (unsigned long long)d->vf.ino,
					 (unsigned long long)(where + pos));
				pos += rec_len;
				continue;
			}
			rc = fn(ctx, ino, (const char *)name, name_len, ftype);
			if (rc)
				return rc;
		}
		pos += rec_len;
	}
	return 0;
}

/**
 * With metadata_csum a leaf directory block ends in a 12-byte tail entry
 * (inode 0, rec_len 12, type 0xDE) holding crc32c over the seed, inode
 * number, generation and the block before the tail.  Blocks without the
 * tail (htree nodes) are not checked here.
 */
static int ext4_dirblock_csum_check(struct ext4_file *d, const uint8_t *blk,
				    uint64_t off)
{
	struct fs *fs = d->vf.fs;
	struct ext4_fs *e = ext4_priv(fs);
	const uint8_t *t = blk + e->block_size - EXT4_DIR_TAIL_SIZE;
	uint8_t le[4];
	uint32_t c;

	if (!e->csum || get_le32(t + DET_RESERVED_ZERO1) ||
	    get_le16(t + DET_REC_LEN) != EXT4_DIR_TAIL_SIZE ||
	    t[DET_RESERVED_ZERO2] || t[DET_RESERVED_FT] != EXT4_FT_DIR_CSUM)
		return 0;
	put_le32(le, (uint32_t)d->vf.ino);
	c = crc32c(e->csum_seed, le, 4);
	put_le32(le, d->generation);
	c = crc32c(c, le, 4);
	c = crc32c(c, blk, e->block_size - EXT4_DIR_TAIL_SIZE);
	if (c != get_le32(t + DET_CHECKSUM)) {
		log_error("%s: ext4: directory inode %llu: block at byte %llu "
			  "checksum mismatch", fs->dev->name,
			  (unsigned long long)d->vf.ino,
			  (unsigned long long)off);
		return -ERR_CORRUPT;
	}
	return 0;
}

static int ext4_dir_iterate(struct ext4_file *d, ext4_dirent_fn fn,
			    void *ctx)
{
	struct fs *fs = d->vf.fs;
	struct ext4_fs *e = ext4_priv(fs);
	uint8_t *blk;
	uint64_t size = d->vf.size;
	int rc = 0;

	if (d->flags & EXT4_INLINE_DATA_FL) {
		/* i_block: parent inode (4 bytes), then entries */
		rc = fn(ctx, get_le32(d->iblock), "..", 2, 2);
		if (rc)
			return rc;
		rc = ext4_dir_parse(d, d->iblock + 4, EXT4_IBLOCK_SIZE - 4, 4,
				    fn, ctx);
		if (rc || !d->inline_xattr)
			return rc;
		return ext4_dir_parse(d, d->inline_xattr, d->inline_xattr_len,
				      EXT4_IBLOCK_SIZE, fn, ctx);
	}
	/* a directory cannot be larger than the filesystem */
	if (size > EXT4_DIR_MAX || size >> e->log_bs > e->blocks_count) {
		log_error("%s: ext4: directory inode %llu too large (%llu "
			  "bytes)", fs->dev->name,
			  (unsigned long long)d->vf.ino,
			  (unsigned long long)size);
		return -ERR_CORRUPT;
	}
	size &= ~(uint64_t)(e->block_size - 1);
	blk = plat_alloc(e->block_size);
	if (!blk)
		return -ERR_NOMEM;
	for (uint64_t off = 0; off < size; off += e->block_size) {
		struct ext4_map m;

		rc = ext4_map(fs, d, off >> e->log_bs, &m);
		if (rc)
			break;
		if (m.zero) {
			log_error("%s: ext4: directory inode %llu has a hole at "
				  "byte %llu", fs->dev->name,
				  (unsigned long long)d->vf.ino,
				  (unsigned long long)off);
			rc = -ERR_CORRUPT;
			break;
		}
		rc = ext4_read_data(d, off, blk, e->block_size, true);
		if (rc)
			break;
		rc = ext4_dirblock_csum_check(d, blk, off);
		if (rc)
			break;
		rc = ext4_dir_parse(d, blk, e->block_size, off, fn, ctx);
		if (rc)
			break;
	}
	plat_free(blk);
	return rc;
}

struct ext4_lookup_ctx {
	const char *name;
	size_t len;
	uint32_t ino;
};

static int ext4_lookup_fn(void *ctx, uint32_t ino, const char *name,
			  size_t len, uint8_t ftype)
{
	struct ext4_lookup_ctx *c = ctx;

	(void)ftype;
	if (len == c->len && !memcmp(name, c->name, len)) {
		c->ino = ino;
		return 1;
	}
	return 0;
}

static int ext4_lookup(struct fs_file *dir, const char *name, size_t len,
		       struct fs_file **out)
{
	struct ext4_lookup_ctx c = { .name = name, .len = len };
	struct ext4_file *f;
	int rc;

	*out = NULL;
	rc = ext4_dir_iterate(ext4_file(dir), ext4_lookup_fn, &c);
	if (rc < 0)
		return rc;
	if (!rc)
		return -ERR_NOENT;
	rc = ext4_iget(dir->fs, c.ino, &f);
	if (rc)
		return rc;
	*out = &f->vf;
	return 0;
}

struct ext4_readdir_ctx {
	struct fs *fs;
	fs_dir_cb cb;
	void *ctx;
	char name[256];
};

static int ext4_readdir_fn(void *ctx, uint32_t ino, const char *name,
			   size_t len, uint8_t ftype)
{
	struct ext4_readdir_ctx *c = ctx;
	struct ext4_file *f;
	struct fs_dirent ent;
	int rc;

	(void)ftype;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	rc = ext4_iget(c->fs, ino, &f);
	if (rc)
		return rc;
	memcpy(c->name, name, len);
	c->name[len] = '\0';
	ent.name = c->name;
	ent.namelen = len;
	ent.type = f->vf.type;
	ent.size = f->vf.size;
	ent.ino = ino;
	ext4_close(&f->vf);
	return c->cb(c->ctx, &ent);
}

static int ext4_readdir(struct fs_file *dir, fs_dir_cb cb, void *ctx)
{
	struct ext4_readdir_ctx *c = plat_alloc(sizeof(*c));
	int rc;

	if (!c)
		return -ERR_NOMEM;
	c->fs = dir->fs;
	c->cb = cb;
	c->ctx = ctx;
	rc = ext4_dir_iterate(ext4_file(dir), ext4_readdir_fn, c);
	plat_free(c);
	return rc;
}

static int ext4_root(struct fs *fs, struct fs_file **out)
{
	struct ext4_file *f;
	int rc = ext4_iget(fs, EXT4_ROOT_INO, &f);

	if (rc)
		return rc;
	if (f->vf.type != FS_FT_DIR) {
		log_error("%s: ext4: root inode is not a directory",
			  fs->dev->name);
		ext4_close(&f->vf);
		return -ERR_CORRUPT;
	}
	*out = &f->vf;
	return 0;
}

const struct fs_driver fs_ext4_driver = {
	.name = "ext4",
	.mount = ext4_mount,
	.unmount = ext4_unmount,
	.root = ext4_root,
	.lookup = ext4_lookup,
	.readdir = ext4_readdir,
	.read = ext4_read,
	.readlink = ext4_readlink,
	.close = ext4_close,
};
