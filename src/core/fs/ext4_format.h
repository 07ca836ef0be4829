/*
 * ext4_format.h - the ext2/3/4 on-disk format as ext4.c reads it: byte
 * offsets of the fields it uses, under the kernel's names (fs/ext4/ext4.h,
 * ext4_extents.h, xattr.h), and the feature and flag bits.  Every field is
 * little-endian and read with get_le*() at these offsets.
 */
#ifndef AOEBOOT_EXT4_FORMAT_H
#define AOEBOOT_EXT4_FORMAT_H

#define EXT4_SB_OFFSET 1024
#define EXT4_SB_SIZE 1024
#define EXT4_MAGIC 0xEF53
#define EXT4_ROOT_INO 2
#define EXT4_MAX_DEPTH 5
#define EXT4_EXT_MAGIC 0xF30A
#define EXT4_NDIR 12
#define EXT4_IBLOCK_SIZE 60
#define EXT4_INODE_READ_MAX 1024	/* bytes of an inode we look at */
#define EXT4_DIR_MAX (256u << 20)	/* refuse larger directories */
#define EXT4_XATTR_MAGIC 0xEA020000u

/* Incompatible features. */
#define INCOMPAT_COMPRESSION 0x1
#define INCOMPAT_FILETYPE 0x2
#define INCOMPAT_RECOVER 0x4
#define INCOMPAT_JOURNAL_DEV 0x8
#define INCOMPAT_META_BG 0x10
#define INCOMPAT_EXTENTS 0x40
#define INCOMPAT_64BIT 0x80
#define INCOMPAT_MMP 0x100
#define INCOMPAT_FLEX_BG 0x200
#define INCOMPAT_EA_INODE 0x400
#define INCOMPAT_DIRDATA 0x1000
#define INCOMPAT_CSUM_SEED 0x2000
#define INCOMPAT_LARGEDIR 0x4000
#define INCOMPAT_INLINE_DATA 0x8000
#define INCOMPAT_ENCRYPT 0x10000
#define INCOMPAT_CASEFOLD 0x20000

#define INCOMPAT_SUPPORTED (INCOMPAT_FILETYPE | INCOMPAT_RECOVER | \
	INCOMPAT_META_BG | \
	INCOMPAT_EXTENTS | INCOMPAT_64BIT | INCOMPAT_MMP | INCOMPAT_FLEX_BG | \
	INCOMPAT_EA_INODE | INCOMPAT_CSUM_SEED | INCOMPAT_LARGEDIR | \
	INCOMPAT_INLINE_DATA | INCOMPAT_ENCRYPT | INCOMPAT_CASEFOLD)

#define COMPAT_HAS_JOURNAL 0x4
#define COMPAT_SPARSE_SUPER2 0x200
#define RO_COMPAT_SPARSE_SUPER 0x1
#define RO_COMPAT_BIGALLOC 0x200
#define RO_COMPAT_METADATA_CSUM 0x400

/* Inode flags. */
#define EXT4_ENCRYPT_FL 0x800
#define EXT4_EXTENTS_FL 0x80000
#define EXT4_INLINE_DATA_FL 0x10000000

/* Mode types. */
#define S_IFMT_ 0xF000
#define S_IFREG_ 0x8000
#define S_IFDIR_ 0x4000
#define S_IFLNK_ 0xA000

/** struct ext4_super_block: byte offsets. */
enum ext4_sb_field {
	S_INODES_COUNT = 0x0,
	S_BLOCKS_COUNT_LO = 0x4,
	S_FIRST_DATA_BLOCK = 0x14,
	S_LOG_BLOCK_SIZE = 0x18,
	S_LOG_CLUSTER_SIZE = 0x1C,
	S_BLOCKS_PER_GROUP = 0x20,
	S_INODES_PER_GROUP = 0x28,
	S_MAGIC = 0x38,
	S_REV_LEVEL = 0x4C,
	S_INODE_SIZE = 0x58,
	S_FEATURE_COMPAT = 0x5C,
	S_FEATURE_INCOMPAT = 0x60,
	S_FEATURE_RO_COMPAT = 0x64,
	S_UUID = 0x68,			/* 16 bytes */
	S_VOLUME_NAME = 0x78,		/* 16 bytes, NUL-padded */
	S_DESC_SIZE = 0xFE,
	S_FIRST_META_BG = 0x104,
	S_BLOCKS_COUNT_HI = 0x150,
	S_CHECKSUM_TYPE = 0x175,	/* u8: 1 = crc32c */
	S_BACKUP_BGS = 0x24C,		/* two le32 */
	S_CHECKSUM_SEED = 0x270,
	S_CHECKSUM = 0x3FC,		/* crc32c of the bytes before it */
};
#define EXT4_UUID_SIZE 16
#define EXT4_LABEL_SIZE 16
#define EXT4_CRC32C_CHKSUM 1
/** Revision 0 (EXT2_GOOD_OLD_REV): fixed inode size, no features. */
#define EXT4_GOOD_OLD_INODE_SIZE 128u

/** struct ext4_group_desc: byte offsets. */
enum ext4_gd_field {
	BG_INODE_TABLE_LO = 0x8,
	BG_INODE_TABLE_HI = 0x28,	/* 64-byte descriptors only */
};
#define EXT4_DESC_SIZE 32		/* without INCOMPAT_64BIT */
#define EXT4_MIN_DESC_SIZE_64BIT 64

/** struct ext4_inode: byte offsets. */
enum ext4_inode_field {
	I_MODE = 0x0,
	I_SIZE_LO = 0x4,
	I_FLAGS = 0x20,
	I_BLOCK = 0x28,			/* EXT4_IBLOCK_SIZE bytes */
	I_GENERATION = 0x64,
	I_SIZE_HIGH = 0x6C,
	I_CHECKSUM_LO = 0x7C,		/* osd2.linux2.l_i_checksum_lo */
	I_EXTRA_ISIZE = 0x80,		/* large inodes: bytes past 128 */
	I_CHECKSUM_HI = 0x82,		/* if i_extra_isize >= 4 */
};

/** In-inode extended attributes: header magic, then entries. */
#define XATTR_IHDR_SIZE 4
/** struct ext4_xattr_entry: byte offsets; the name follows at 16. */
enum ext4_xattr_field {
	E_NAME_LEN = 0,
	E_NAME_INDEX = 1,
	E_VALUE_OFFS = 2,		/* from the first entry */
	E_VALUE_INUM = 4,
	E_VALUE_SIZE = 8,
	E_NAME = 16,
};
#define XATTR_INDEX_SYSTEM 7		/* "system." names */
#define XATTR_ROUND 3			/* entries are 4-byte aligned */

/** Extent tree nodes: a 12-byte header, then 12-byte entries. */
enum ext4_extent_field {
	EH_MAGIC = 0,
	EH_ENTRIES = 2,
	EH_MAX = 4,
	EH_DEPTH = 6,
	/* struct ext4_extent_idx (depth > 0) */
	EI_BLOCK = 0,
	EI_LEAF_LO = 4,
	EI_LEAF_HI = 8,
	/* struct ext4_extent (leaves) */
	EE_BLOCK = 0,
	EE_LEN = 4,
	EE_START_HI = 6,
	EE_START_LO = 8,
};
#define EXT4_EXT_HDR_SIZE 12
#define EXT4_EXT_ENTRY_SIZE 12
/** ee_len above this: an unwritten extent of ee_len - this blocks. */
#define EXT4_EXT_INIT_MAX_LEN 32768

/** struct ext4_dir_entry_2: byte offsets; the name follows at 8. */
enum ext4_dirent_field {
	DE_INODE = 0,
	DE_REC_LEN = 4,
	DE_NAME_LEN = 6,
	DE_FILE_TYPE = 7,	/* without INCOMPAT_FILETYPE: name_len high */
	DE_NAME = 8,
};
#define EXT4_NAME_LEN 255
/** struct ext4_dir_entry_tail: the last 12 bytes of a checksummed leaf. */
enum ext4_dirtail_field {
	DET_RESERVED_ZERO1 = 0,
	DET_REC_LEN = 4,
	DET_RESERVED_ZERO2 = 6,
	DET_RESERVED_FT = 7,
	DET_CHECKSUM = 8,
};
#define EXT4_DIR_TAIL_SIZE 12
#define EXT4_FT_DIR_CSUM 0xDE

#endif
