/*
 * part.c - MBR (primary, extended and logical) and GPT partition tables.
 *
 * MBR (sector 0): boot signature 0x55 0xAA at 510; four 16-byte entries at
 * 446: status (0x00 or 0x80), CHS, system id, CHS, start LBA le32, sectors
 * le32.  Extended partitions (ids 0x05 0x0F 0x85) hold a chain of EBRs:
 * each EBR's data entries are relative to that EBR, its link entry is
 * relative to the start of the primary extended partition.  Numbering and
 * the checks on EBR entries 3 and 4 follow Linux (block/partitions/msdos.c).
 *
 * GPT (UEFI 2.x chapter 5): header at LBA 1 and a backup at the last LBA:
 *   0 "EFI PART", 8 revision, 12 header size, 16 header CRC32, 24 my LBA,
 *   32 alternate LBA, 40 first usable, 48 last usable, 56 disk GUID,
 *   72 entry array LBA, 80 entry count, 84 entry size, 88 entry array CRC32.
 * Entry: 0 type GUID, 16 unique GUID, 32 first LBA, 40 last LBA
 *   (inclusive), 48 attributes, 56 name (36 UTF-16LE code units).
 */
#include "part.h"
#include "byteorder.h"
#include "crc.h"
#include "errors.h"
#include "libc.h"
#include "log.h"
#include "platform.h"

/** MBR / EBR sector: byte offsets. */
enum mbr_field {
	MBR_DISK_SIGNATURE = 440,	/* le32, Windows' disk id */
	MBR_ENTRIES_OFF = 446,		/* four partition entries */
	MBR_BOOT_SIGNATURE = 510,	/* 0x55 0xAA */
};
#define MBR_NR_ENTRIES 4
#define MBR_ENTRY_SIZE 16
/** MBR partition entry: byte offsets. */
enum mbr_entry_field {
	ME_STATUS = 0,			/* 0x80 active, 0x00 not */
	ME_SYSTEM_ID = 4,
	ME_START_LBA = 8,
	ME_NR_SECTORS = 12,
};
#define MBR_STATUS_ACTIVE 0x80
#define MBR_ID_GPT_PROTECTIVE 0xee

/** GPT header: byte offsets. */
enum gpt_header_field {
	GH_SIGNATURE = 0,		/* "EFI PART" */
	GH_REVISION = 8,
	GH_HEADER_SIZE = 12,
	GH_HEADER_CRC32 = 16,
	GH_MY_LBA = 24,
	GH_ALTERNATE_LBA = 32,
	GH_FIRST_USABLE_LBA = 40,
	GH_LAST_USABLE_LBA = 48,
	GH_DISK_GUID = 56,
	GH_PARTITION_ENTRY_LBA = 72,
	GH_NUMBER_OF_PARTITION_ENTRIES = 80,
	GH_SIZE_OF_PARTITION_ENTRY = 84,
	GH_PARTITION_ENTRY_ARRAY_CRC32 = 88,
};
#define GPT_SIGNATURE "EFI PART"
#define GPT_SIGNATURE_LEN 8
/** GPT partition entry: byte offsets. */
enum gpt_entry_field {
	GE_PARTITION_TYPE_GUID = 0,
	GE_UNIQUE_PARTITION_GUID = 16,
	GE_STARTING_LBA = 32,
	GE_ENDING_LBA = 40,		/* inclusive */
	GE_ATTRIBUTES = 48,
	GE_PARTITION_NAME = 56,		/* 36 UTF-16LE units */
};
/** Attribute bit 2: legacy BIOS bootable. */
#define GPT_ATTR_LEGACY_BIOS_BOOTABLE 2
#define GUID_SIZE 16

#define GPT_HEADER_MIN 92
#define GPT_ENTRY_MIN 128
#define GPT_ARRAY_MAX (1024 * 1024)

/** A GPT header's fields, decoded and checked. */
struct gpt_header {
	uint64_t my_lba;
	uint64_t alt_lba;
	uint64_t first_usable;
	uint64_t last_usable;
	uint8_t disk_guid[16];
	uint64_t entries_lba;
	uint32_t nentries;
	uint32_t entry_size;
	uint32_t entries_crc;
};

/** Scan state shared by the MBR walkers. */
struct part_scan_state {
	struct blkdev *disk;
	struct part_table *table;
	uint8_t *sector;	/**< one sector buffer */
};

/**
 * blkdev read of a partition: shifted onto the disk (blk_read() has
 * already checked the range against the partition's size).
 *
 * @v blk	partition device
 * @v lba	sector within the partition
 * @v count	sectors
 * @v buf	destination
 * @ret rc	0 or negative ERR_*
 */
static int part_read(struct blkdev *blk, uint64_t lba, uint64_t count,
		     void *buf)
{
	struct partition *part = container_of(blk, struct partition, blk);

	return blk_read(part->disk, part->start + lba, count, buf);
}

/**
 * blkdev write of a partition, shifted onto the disk.
 *
 * @v blk	partition device
 * @v lba	sector within the partition
 * @v count	sectors
 * @v buf	source
 * @ret rc	0 or negative ERR_*
 */
static int part_write(struct blkdev *blk, uint64_t lba, uint64_t count,
		      const void *buf)
{
	struct partition *part = container_of(blk, struct partition, blk);

	return blk_write(part->disk, part->start + lba, count, buf);
}

static const struct blkdev_ops part_ops = {
	.read = part_read,
	.write = part_write,
};

void part_make_name(char *buf, size_t size, const char *disk,
		    unsigned int number)
{
	size_t len = strlen(disk);
	int digit = len && disk[len - 1] >= '0' && disk[len - 1] <= '9';

	fmt_snprintf(buf, size, "%s%s%u", disk, digit ? "p" : "", number);
}

void part_guid_str(const uint8_t *g, char *buf)
{
	fmt_snprintf(buf, 37,
		     "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
		     (unsigned int)get_le32(g), get_le16(g + 4),
		     get_le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13],
		     g[14], g[15]);
}

/**
 * Append a partition to the table.
 *
 * @v st	scan state
 * @v number	partition number
 * @v start	first sector on the disk
 * @v count	sectors (clamped to the disk end with a warning)
 * @ret part	the new entry (zeroed apart from the device), or NULL if the
 *		range is unusable or the table is full
 */
static struct partition *part_add(struct part_scan_state *st,
				  unsigned int number, uint64_t start,
				  uint64_t count)
{
	struct blkdev *disk = st->disk;
	struct partition *part;

	if (!count)
		return NULL;
	if (start >= disk->nsectors) {
		log_warn("%s: partition %u starts at sector %llu, beyond the "
			 "end of the disk (%llu sectors): skipped", disk->name,
			 number, (unsigned long long)start,
			 (unsigned long long)disk->nsectors);
		return NULL;
	}
	if (count > disk->nsectors - start) {
		log_warn("%s: partition %u extends beyond the end of the disk:"
			 " truncated to %llu sectors", disk->name, number,
			 (unsigned long long)(disk->nsectors - start));
		count = disk->nsectors - start;
	}
	if (st->table->count >= PART_MAX) {
		log_warn("%s: more than %u partitions: partition %u ignored",
			 disk->name, PART_MAX, number);
		return NULL;
	}
	part = &st->table->parts[st->table->count++];
	memset(part, 0, sizeof(*part));
	part->blk.ops = &part_ops;
	part->blk.nsectors = count;
	part->blk.sector_size = disk->sector_size;
	part_make_name(part->blk.name, sizeof(part->blk.name), disk->name,
		       number);
	part->disk = disk;
	part->start = start;
	part->number = number;
	return part;
}

/**
 * Is an MBR system id an extended partition (CHS, LBA, Linux)?
 *
 * @v type	system id
 * @ret yes	true for 0x05, 0x0F, 0x85
 */
static bool mbr_is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/**
 * Walk the EBR chain of one primary extended partition.
 *
 * @v st	scan state
 * @v ext_start	first sector of the primary extended partition
 * @v ext_size	its size in sectors
 * @v next	next logical partition number (updated)
 */
static void mbr_walk_extended(struct part_scan_state *st, uint64_t ext_start,
			      uint64_t ext_size, unsigned int *next)
{
	struct blkdev *disk = st->disk;
	uint64_t ebr = ext_start, ebr_size = ext_size;
	uint64_t seen[PART_MAX_LOGICAL];
	unsigned int nseen = 0, i, hops;
	int rc;

	for (hops = 0; hops < PART_MAX_LOGICAL; hops++) {
		const uint8_t *e;
		int link = -1;

		for (i = 0; i < nseen; i++) {
			if (seen[i] == ebr) {
				log_warn("%s: extended partition chain loops "
					 "back to sector %llu: stopped",
					 disk->name, (unsigned long long)ebr);
				return;
			}
		}
		seen[nseen++] = ebr;
		if (ebr >= disk->nsectors) {
			log_warn("%s: EBR at sector %llu is beyond the disk: "
				 "chain stopped", disk->name,
				 (unsigned long long)ebr);
			return;
		}
		rc = blk_read(disk, ebr, 1, st->sector);
		if (rc) {
			log_warn("%s: cannot read EBR at sector %llu: %s",
				 disk->name, (unsigned long long)ebr,
				 err_str(rc));
			return;
		}
		if (st->sector[MBR_BOOT_SIGNATURE] != 0x55 ||
		    st->sector[MBR_BOOT_SIGNATURE + 1] != 0xaa) {
			log_warn("%s: EBR at sector %llu has no 55AA "
				 "signature: chain stopped", disk->name,
				 (unsigned long long)ebr);
			return;
		}
		for (i = 0; i < MBR_NR_ENTRIES; i++) {
			uint64_t start, size;

			e = st->sector + MBR_ENTRIES_OFF + MBR_ENTRY_SIZE * i;
			start = get_le32(e + ME_START_LBA);
			size = get_le32(e + ME_NR_SECTORS);
			if (!size || !e[ME_SYSTEM_ID])
				continue;
			if (mbr_is_extended(e[ME_SYSTEM_ID])) {
				if (link < 0)
					link = (int)i;
				continue;
			}
			/* Entries 3 and 4 often hold garbage: keep them only
			 * inside this EBR's extent (as Linux does). */
			if (i >= 2 && (start + size > ebr_size ||
				       ebr + start + size > ext_start + ext_size))
				continue;
			struct partition *p = part_add(st, *next, ebr + start,
						       size);
			if (p) {
				p->scheme = PART_SCHEME_MBR;
				p->mbr_type = e[ME_SYSTEM_ID];
				p->bootable = e[ME_STATUS] == MBR_STATUS_ACTIVE;
				p->logical = true;
			}
			(*next)++;
		}
		if (link < 0)
			return;
		e = st->sector + MBR_ENTRIES_OFF + MBR_ENTRY_SIZE * link;
		ebr = ext_start + get_le32(e + ME_START_LBA);
		ebr_size = get_le32(e + ME_NR_SECTORS);
	}
	log_warn("%s: more than %u logical partitions: rest ignored",
		 disk->name, PART_MAX_LOGICAL);
}

/**
 * Parse an MBR already in st->sector.
 *
 * @v st	scan state
 * @ret rc	0
 */
static int mbr_parse(struct part_scan_state *st)
{
	uint8_t mbr[MBR_NR_ENTRIES * MBR_ENTRY_SIZE];
	unsigned int i, next = 5;

	memcpy(mbr, st->sector + MBR_ENTRIES_OFF, sizeof(mbr));
	st->table->scheme = PART_SCHEME_MBR;
	st->table->mbr_id = get_le32(st->sector + MBR_DISK_SIGNATURE);
	for (i = 0; i < MBR_NR_ENTRIES; i++) {
		const uint8_t *e = mbr + MBR_ENTRY_SIZE * i;
		uint64_t start = get_le32(e + ME_START_LBA);
		uint64_t size = get_le32(e + ME_NR_SECTORS);
		struct partition *p;

		if (!e[ME_SYSTEM_ID] || !size)
			continue;
		if (mbr_is_extended(e[ME_SYSTEM_ID])) {
			mbr_walk_extended(st, start, size, &next);
			continue;
		}
		p = part_add(st, i + 1, start, size);
		if (p) {
			p->scheme = PART_SCHEME_MBR;
			p->mbr_type = e[ME_SYSTEM_ID];
			p->bootable = e[ME_STATUS] == MBR_STATUS_ACTIVE;
		}
	}
	/* Logical partitions were added while walking slot order: put the
	 * table in number order (primaries 1-4, then 5, 6, ...). */
	for (i = 1; i < st->table->count; i++) {
		struct partition tmp = st->table->parts[i];
		unsigned int j = i;

		while (j && st->table->parts[j - 1].number > tmp.number) {
			st->table->parts[j] = st->table->parts[j - 1];
			j--;
		}
		st->table->parts[j] = tmp;
	}
	return 0;
}

/**
 * Read and check one GPT header and its entry array.
 *
 * @v st	scan state
 * @v lba	where the header should be
 * @v hdr	decoded header
 * @v entries	on success, the entry array (caller frees)
 * @v why	on failure, a description
 * @ret rc	0 or negative ERR_*
 */
static int gpt_load(struct part_scan_state *st, uint64_t lba,
		    struct gpt_header *hdr, uint8_t **entries,
		    const char **why)
{
	struct blkdev *disk = st->disk;
	uint32_t ssize = disk->sector_size;
	uint8_t *s = st->sector;
	uint32_t hsize, crc;
	uint64_t bytes, nsec;
	uint8_t *arr;
	int rc;

	*entries = NULL;
	if (lba >= disk->nsectors) {
		*why = "header beyond the end of the disk";
		return -ERR_CORRUPT;
	}
	rc = blk_read(disk, lba, 1, s);
	if (rc) {
		*why = "header unreadable";
		return rc;
	}
	if (memcmp(s + GH_SIGNATURE, GPT_SIGNATURE, GPT_SIGNATURE_LEN)) {
		*why = "no \"EFI PART\" signature";
		return -ERR_NODEV;
	}
	hsize = get_le32(s + GH_HEADER_SIZE);
	if (hsize < GPT_HEADER_MIN || hsize > ssize) {
		*why = "bad header size";
		return -ERR_CORRUPT;
	}
	crc = get_le32(s + GH_HEADER_CRC32);
	put_le32(s + GH_HEADER_CRC32, 0);
	if (crc32_le(0, s, hsize) != crc) {
		*why = "header CRC32 mismatch";
		return -ERR_CORRUPT;
	}
	hdr->my_lba = get_le64(s + GH_MY_LBA);
	hdr->alt_lba = get_le64(s + GH_ALTERNATE_LBA);
	hdr->first_usable = get_le64(s + GH_FIRST_USABLE_LBA);
	hdr->last_usable = get_le64(s + GH_LAST_USABLE_LBA);
	memcpy(hdr->disk_guid, s + GH_DISK_GUID, GUID_SIZE);
	hdr->entries_lba = get_le64(s + GH_PARTITION_ENTRY_LBA);
	hdr->nentries = get_le32(s + GH_NUMBER_OF_PARTITION_ENTRIES);
	hdr->entry_size = get_le32(s + GH_SIZE_OF_PARTITION_ENTRY);
	hdr->entries_crc = get_le32(s + GH_PARTITION_ENTRY_ARRAY_CRC32);
	if (hdr->my_lba != lba) {
		*why = "header's own LBA field is wrong";
		return -ERR_CORRUPT;
	}
	if (hdr->first_usable > hdr->last_usable ||
	    hdr->last_usable >= disk->nsectors) {
		*why = "usable range outside the disk";
		return -ERR_CORRUPT;
	}
	if (hdr->entry_size < GPT_ENTRY_MIN || hdr->entry_size % 8 ||
	    hdr->entry_size > 4096) {
		*why = "bad partition entry size";
		return -ERR_CORRUPT;
	}
	if (!hdr->nentries || hdr->nentries > PART_GPT_MAX_ENTRIES) {
		*why = "bad partition entry count";
		return -ERR_CORRUPT;
	}
	bytes = (uint64_t)hdr->nentries * hdr->entry_size;
	if (bytes > GPT_ARRAY_MAX) {
		*why = "partition entry array too large";
		return -ERR_CORRUPT;
	}
	nsec = (bytes + ssize - 1) / ssize;
	if (hdr->entries_lba >= disk->nsectors ||
	    nsec > disk->nsectors - hdr->entries_lba ||
	    (lba >= hdr->entries_lba && lba < hdr->entries_lba + nsec)) {
		*why = "partition entry array outside the disk";
		return -ERR_CORRUPT;
	}
	arr = plat_alloc((size_t)nsec * ssize);
	if (!arr) {
		*why = "out of memory";
		return -ERR_NOMEM;
	}
	rc = blk_read(disk, hdr->entries_lba, nsec, arr);
	if (rc) {
		plat_free(arr);
		*why = "partition entry array unreadable";
		return rc;
	}
	if (crc32_le(0, arr, (size_t)bytes) != hdr->entries_crc) {
		plat_free(arr);
		*why = "partition entry array CRC32 mismatch";
		return -ERR_CORRUPT;
	}
	*entries = arr;
	return 0;
}

/**
 * Convert a GPT name (UTF-16LE, NUL-terminated or 36 units) to UTF-8.
 *
 * @v in	72 bytes
 * @v out	output buffer
 * @v size	its size
 */
static void gpt_name_utf8(const uint8_t *in, char *out, size_t size)
{
	size_t o = 0;
	unsigned int i;

	for (i = 0; i < 36; i++) {
		uint32_t c = get_le16(in + 2 * i);
		uint8_t enc[4];
		size_t n, k;

		if (!c)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < 36) {
			uint32_t lo = get_le16(in + 2 * i + 2);

			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i++;
			}
		}
		if (c >= 0xd800 && c < 0xe000)
			c = '?';
		if (c < 0x80) {
			enc[0] = (uint8_t)c;
			n = 1;
		} else if (c < 0x800) {
			enc[0] = (uint8_t)(0xc0 | c >> 6);
			enc[1] = (uint8_t)(0x80 | (c & 0x3f));
			n = 2;
		} else if (c < 0x10000) {
			enc[0] = (uint8_t)(0xe0 | c >> 12);
			enc[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
			enc[2] = (uint8_t)(0x80 | (c & 0x3f));
			n = 3;
		} else {
			enc[0] = (uint8_t)(0xf0 | c >> 18);
			enc[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
			enc[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
			enc[3] = (uint8_t)(0x80 | (c & 0x3f));
			n = 4;
		}
		if (o + n >= size)
			break;
		for (k = 0; k < n; k++)
			out[o++] = (char)enc[k];
	}
	out[o] = '\0';
}

/**
 * Is a GUID all zeros (an unused GPT entry)?
 *
 * @v g		16 bytes
 * @ret yes	true when every byte is 0
 */
static bool guid_is_zero(const uint8_t *g)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (g[i])
			return false;
	}
	return true;
}

/**
 * Read the GPT: primary, else backup.
 *
 * @v st	scan state
 * @v have_pmbr	a protective MBR was seen (an absent GPT is then an error)
 * @ret rc	0, -ERR_NODEV when there is no GPT at all, or negative ERR_*
 */
static int gpt_parse(struct part_scan_state *st, bool have_pmbr)
{
	struct blkdev *disk = st->disk;
	struct gpt_header hdr;
	uint8_t *arr = NULL;
	const char *why1 = "", *why2 = "";
	uint64_t last = disk->nsectors - 1;
	unsigned int i;
	int rc1, rc2;

	rc1 = gpt_load(st, 1, &hdr, &arr, &why1);
	if (rc1) {
		if (rc1 == -ERR_NODEV && !have_pmbr)
			return -ERR_NODEV;
		rc2 = gpt_load(st, last, &hdr, &arr, &why2);
		if (rc2) {
			if (rc1 == -ERR_NODEV && rc2 == -ERR_NODEV)
				log_error("%s: protective MBR but no GPT "
					  "header (primary or backup)",
					  disk->name);
			else
				log_error("%s: GPT unusable: primary header "
					  "at LBA 1: %s; backup header at LBA "
					  "%llu: %s", disk->name, why1,
					  (unsigned long long)last, why2);
			return rc2 == -ERR_NODEV ? -ERR_CORRUPT : rc2;
		}
		log_warn("%s: GPT primary header at LBA 1 bad (%s): using "
			 "the backup at LBA %llu", disk->name, why1,
			 (unsigned long long)last);
		st->table->used_backup = true;
	}
	st->table->scheme = PART_SCHEME_GPT;
	memcpy(st->table->disk_guid, hdr.disk_guid, GUID_SIZE);
	for (i = 0; i < hdr.nentries; i++) {
		const uint8_t *e = arr + (size_t)i * hdr.entry_size;
		uint64_t first = get_le64(e + GE_STARTING_LBA);
		uint64_t lastlba = get_le64(e + GE_ENDING_LBA);
		struct partition *p;

		if (guid_is_zero(e + GE_PARTITION_TYPE_GUID))
			continue;
		if (first > lastlba || first < hdr.first_usable ||
		    lastlba > hdr.last_usable) {
			log_warn("%s: GPT entry %u (LBA %llu-%llu) lies outside"
				 " the usable range %llu-%llu: skipped",
				 disk->name, i + 1, (unsigned long long)first,
				 (unsigned long long)lastlba,
				 (unsigned long long)hdr.first_usable,
				 (unsigned long long)hdr.last_usable);
			continue;
		}
		p = part_add(st, i + 1, first, lastlba - first + 1);
		if (!p)
			continue;
		p->scheme = PART_SCHEME_GPT;
		memcpy(p->type_guid, e + GE_PARTITION_TYPE_GUID, GUID_SIZE);
		memcpy(p->uuid, e + GE_UNIQUE_PARTITION_GUID, GUID_SIZE);
		p->attrs = get_le64(e + GE_ATTRIBUTES);
		p->bootable = (p->attrs >> GPT_ATTR_LEGACY_BIOS_BOOTABLE) & 1;
		gpt_name_utf8(e + GE_PARTITION_NAME, p->label,
			      sizeof(p->label));
	}
	plat_free(arr);
	return 0;
}

int part_scan(struct blkdev *disk, struct part_table *out)
{
	struct part_scan_state st;
	uint32_t ssize = disk->sector_size;
	bool pmbr = false, valid_ids = true, any = false;
	unsigned int i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ssize < 512 || ssize > 4096 || (ssize & (ssize - 1))) {
		log_error("%s: unsupported sector size %u", disk->name,
			  (unsigned int)ssize);
		return -ERR_NOTSUP;
	}
	if (disk->nsectors < 2)
		return 0;
	st.disk = disk;
	st.table = out;
	st.sector = plat_alloc(ssize);
	out->parts = plat_alloc(PART_MAX * sizeof(*out->parts));
	if (!st.sector || !out->parts) {
		rc = -ERR_NOMEM;
		goto err;
	}
	rc = blk_read(disk, 0, 1, st.sector);
	if (rc) {
		log_error("%s: cannot read sector 0: %s", disk->name,
			  err_str(rc));
		goto err;
	}
	if (st.sector[MBR_BOOT_SIGNATURE] == 0x55 &&
	    st.sector[MBR_BOOT_SIGNATURE + 1] == 0xaa) {
		for (i = 0; i < MBR_NR_ENTRIES; i++) {
			const uint8_t *e = st.sector + MBR_ENTRIES_OFF +
					   MBR_ENTRY_SIZE * i;

			if (e[ME_STATUS] != 0 &&
			    e[ME_STATUS] != MBR_STATUS_ACTIVE)
				valid_ids = false;
			if (e[ME_SYSTEM_ID] == MBR_ID_GPT_PROTECTIVE)
				pmbr = true;
			if (e[ME_SYSTEM_ID] && get_le32(e + ME_NR_SECTORS))
				any = true;
		}
	}
	if (pmbr || !(valid_ids && any)) {
		/* GPT: required after a protective MBR; otherwise looked for
		 * quietly (a disk whose MBR was wiped). */
		rc = gpt_parse(&st, pmbr);
		if (rc == -ERR_NODEV) {
			rc = 0;
			out->scheme = PART_SCHEME_NONE;
		} else if (rc) {
			goto err;
		}
	} else {
		rc = mbr_parse(&st);
	}
	plat_free(st.sector);
	if (out->scheme == PART_SCHEME_NONE) {
		plat_free(out->parts);
		out->parts = NULL;
	}
	return rc;
err:
	plat_free(st.sector);
	plat_free(out->parts);
	memset(out, 0, sizeof(*out));
	return rc;
}

void part_table_free(struct part_table *table)
{
	plat_free(table->parts);
	memset(table, 0, sizeof(*table));
}

/** GPT type GUIDs in text form and their names. */
static const struct {
	const char *guid;
	const char *name;
} gpt_types[] = {
	{ "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI System" },
	{ "0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem" },
	{ "A19D880F-05FC-4D3B-A006-743F0F84911E", "Linux RAID" },
	{ "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap" },
	{ "E6D6D379-F507-44C2-A23C-238F2A3DF928", "Linux LVM" },
	{ "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "Linux root (x86-64)" },
	{ "BC13C2FF-59E6-4262-A352-B275FD6F7172", "Linux extended boot" },
	{ "21686148-6449-6E6F-744E-656564454649", "BIOS boot" },
	{ "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Microsoft basic data" },
};

/** MBR system ids and their names. */
static const struct {
	uint8_t id;
	const char *name;
} mbr_types[] = {
	{ 0x01, "FAT12" }, { 0x04, "FAT16" }, { 0x06, "FAT16" },
	{ 0x07, "NTFS/exFAT" }, { 0x0b, "FAT32" }, { 0x0c, "FAT32" },
	{ 0x0e, "FAT16" }, { 0x82, "Linux swap" }, { 0x83, "Linux" },
	{ 0x8e, "Linux LVM" }, { 0xef, "EFI System" },
	{ 0xfd, "Linux RAID" },
};

const char *part_type_name(const struct partition *part)
{
	char text[37];
	unsigned int i;

	if (part->scheme == PART_SCHEME_GPT) {
		part_guid_str(part->type_guid, text);
		for (i = 0; i < ARRAY_SIZE(gpt_types); i++) {
			if (!strcmp(text, gpt_types[i].guid))
				return gpt_types[i].name;
		}
		return NULL;
	}
	for (i = 0; i < ARRAY_SIZE(mbr_types); i++) {
		if (mbr_types[i].id == part->mbr_type)
			return mbr_types[i].name;
	}
	return NULL;
}
