/*
 * mkrom.c - build and inspect PCI expansion ROM images.
 *
 *   mkrom -o OUT [--board FILE] [--vendor ID --device ID] [--class CC]
 *         [--legacy IMAGE] [--base ROM]... [--compress] [EFI-DRIVER]...
 *   mkrom --info ROM
 *   mkrom --extract INDEX ROM OUT   (an EFI image's PE file, inflated)
 *
 * A PCI option ROM is a chain of images, each starting with 0x55 0xAA and
 * pointing (at 0x18) to a "PCIR" data structure that gives the image's
 * vendor:device, class, length in 512-byte units, code type (0 legacy x86,
 * 3 EFI) and, in bit 7 of the indicator byte, whether it is the last one.
 * An EFI image has its own header fields (UEFI 2.x "PCI Option ROMs"):
 *
 *   0x00 u16 0xAA55            0x0C u16 compression type (0 = none)
 *   0x02 u16 InitializationSize (512 units, the whole image when uncompressed)
 *   0x04 u32 0x0EF1            0x0E..0x15 reserved
 *   0x08 u16 subsystem         0x16 u16 offset of the PE/COFF image
 *   0x0A u16 machine           0x18 u16 offset of the PCIR structure
 *
 * A --legacy image (aoeboot's own legacy BIOS image, romprefix.asm) comes
 * first of all, then the board's rombase= or the --base ROMs.
 * Images copied from --base ROMs come first, unchanged except for the
 * last-image bit (cleared) and, for legacy images, the checksum byte at
 * offset 6 (the convention of iPXE's own tools), so the image still sums to
 * zero.  Each EFI driver given is then wrapped as one EFI image; only the
 * last image of the file carries the last-image bit.
 *
 * With --compress each driver is stored EFI 1.1-compressed (CompressionType
 * 1, eficomp.c); the firmware inflates it with EFI_DECOMPRESS_PROTOCOL.
 *
 * Every length read from a file is checked before it is used: --info is
 * meant to be pointed at any ROM dump.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "eficomp.h"

#define ROM_SIG			0xAA55
#define PCIR_SIG		0x52494350u	/* "PCIR" little-endian */
#define EFI_ROM_SIG		0x0EF1
#define CODE_LEGACY		0
#define CODE_EFI		3
#define LAST_IMAGE		0x80
#define EFI_HDR_PCIR		0x1C	/* where we put the PCIR */
#define PCIR_LEN_V3		0x1C	/* PCI 3.0 data structure */
#define EFI_HDR_PE		(EFI_HDR_PCIR + PCIR_LEN_V3)
#define MAX_ROM			(16u << 20)
#define MAX_IMAGE		(65535u * 512)
#define PE_SUBSYS_APP		10
#define PE_SUBSYS_BSDRV		11
#define PE_SUBSYS_RTDRV		12
#define MAX_INPUTS		16

/* --- little-endian access -------------------------------------------------- */

static unsigned int le16(const uint8_t *p)
{
	return (unsigned int)p[0] | (unsigned int)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/* --- buffers and files ------------------------------------------------------- */

/** A growable byte buffer. */
struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
						      noreturn));

/** Print "mkrom: <message>" and exit with status 1. */
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("mkrom: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/** Make room for @more bytes at the end of @b (zeroed). */
static uint8_t *buf_grow(struct buf *b, size_t more)
{
	uint8_t *p;

	if (more > MAX_ROM || b->len + more > MAX_ROM)
		die("ROM would exceed %u bytes", MAX_ROM);
	if (b->len + more > b->cap) {
		b->cap = (b->len + more) * 2;
		b->data = realloc(b->data, b->cap);
		if (!b->data)
			die("out of memory");
	}
	p = b->data + b->len;
	memset(p, 0, more);
	b->len += more;
	return p;
}

/** Read a whole file (at most MAX_ROM bytes) into @b. */
static void read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	uint8_t chunk[65536];
	size_t n;

	memset(b, 0, sizeof(*b));
	if (!f)
		die("%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		memcpy(buf_grow(b, n), chunk, n);
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
}

/* --- the ROM image chain ------------------------------------------------------ */

/** One image of a ROM, as found by rom_walk(). */
struct rom_image {
	size_t offset;		/**< from the start of the file */
	size_t size;		/**< PCIR image length in bytes */
	size_t pcir;		/**< PCIR offset inside the image */
	unsigned int vendor, device, code_type, indicator, revision;
	uint32_t class_code;
};

/**
 * Describe the image at @off of @rom, checking every offset against @len.
 *
 * @ret err	NULL, or a description of what is wrong
 */
static const char *rom_image_at(const uint8_t *rom, size_t len, size_t off,
				struct rom_image *img)
{
	const uint8_t *p = rom + off, *pc;
	size_t room = len - off;

	if (room < 0x1A || le16(p) != ROM_SIG)
		return "no 0x55 0xAA signature";
	img->offset = off;
	img->pcir = le16(p + 0x18);
	if (img->pcir + 0x18 > room)
		return "PCIR offset beyond the end";
	pc = p + img->pcir;
	if (le32(pc) != PCIR_SIG)
		return "no PCIR signature";
	img->vendor = le16(pc + 4);
	img->device = le16(pc + 6);
	img->revision = pc[0x0C];
	img->class_code = (uint32_t)pc[0x0D] | (uint32_t)pc[0x0E] << 8 |
			  (uint32_t)pc[0x0F] << 16;
	img->size = (size_t)le16(pc + 0x10) * 512;
	img->code_type = pc[0x14];
	img->indicator = pc[0x15];
	if (img->size == 0)
		return "image length 0";
	if (img->size > room)
		return "image length beyond the end of the file";
	if (img->pcir + 0x18 > img->size)
		return "PCIR outside its image";
	return NULL;
}

/**
 * Walk the image chain: call @fn for each image until the last-image bit
 * or the end of the data.  Stops at the first malformed image.
 *
 * @ret end	offset after the last image walked, or 0 on a malformed ROM
 *		(with @err set)
 */
static size_t rom_walk(const uint8_t *rom, size_t len,
		       void (*fn)(const uint8_t *rom, const struct rom_image *,
				  unsigned int index, void *arg),
		       void *arg, const char **err)
{
	struct rom_image img;
	size_t off = 0;
	unsigned int i;

	*err = NULL;
	for (i = 0; off < len; i++) {
		*err = rom_image_at(rom, len, off, &img);
		if (*err)
			return i ? off : 0;
		if (fn)
			fn(rom, &img, i, arg);
		off += img.size;
		if (img.indicator & LAST_IMAGE)
			break;
	}
	return off;
}

/** Sum of @len bytes, mod 256. */
static uint8_t sum8(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* --- --info ------------------------------------------------------------------ */

static const char *code_type_name(unsigned int type)
{
	switch (type) {
	case 0: return "x86 legacy";
	case 1: return "Open Firmware";
	case 2: return "HP PA RISC";
	case 3: return "EFI";
	default: return "unknown";
	}
}

static const char *subsystem_name(unsigned int sub)
{
	switch (sub) {
	case PE_SUBSYS_APP: return "application";
	case PE_SUBSYS_BSDRV: return "boot-service driver";
	case PE_SUBSYS_RTDRV: return "runtime driver";
	default: return "unknown";
	}
}

static const char *machine_name(unsigned int m)
{
	switch (m) {
	case 0x014C: return "ia32";
	case 0x0200: return "ia64";
	case 0x0EBC: return "EBC";
	case 0x8664: return "x64";
	case 0xAA64: return "aarch64";
	default: return "unknown";
	}
}

/** What --info found wrong, counted across images. */
struct info_state {
	unsigned int problems;
};

/** Print one image for --info. */
static void info_image(const uint8_t *rom, const struct rom_image *img,
		       unsigned int index, void *arg)
{
	struct info_state *st = arg;
	const uint8_t *p = rom + img->offset;
	unsigned int init, sub, mach, comp, peoff;

	printf("image %u: offset 0x%06zx, size %zu, code type %u (%s), "
	       "vendor:device %04x:%04x, class %06x, last %u\n", index,
	       img->offset, img->size, img->code_type,
	       code_type_name(img->code_type), img->vendor, img->device,
	       (unsigned int)img->class_code,
	       (img->indicator & LAST_IMAGE) ? 1 : 0);
	if (img->code_type == CODE_LEGACY) {
		unsigned int s = sum8(p, img->size);

		printf("  legacy: init size %u, checksum %s\n", p[2] * 512,
		       s ? "BAD" : "ok");
		if (s)
			st->problems++;
		return;
	}
	if (img->code_type != CODE_EFI)
		return;
	if (le32(p + 4) != EFI_ROM_SIG) {
		printf("  efi: no 0x0EF1 signature\n");
		st->problems++;
		return;
	}
	init = le16(p + 2) * 512;
	sub = le16(p + 8);
	mach = le16(p + 0x0A);
	comp = le16(p + 0x0C);
	peoff = le16(p + 0x16);
	printf("  efi: subsystem %u (%s), machine 0x%04x (%s), compression %u, "
	       "init size %u, PE at 0x%x\n", sub, subsystem_name(sub), mach,
	       machine_name(mach), comp, init, peoff);
	if (init > img->size || peoff + 2 > init) {
		printf("  efi: PE image out of bounds\n");
		st->problems++;
	} else if (comp == 0 && le16(p + peoff) != 0x5A4D) {
		printf("  efi: no PE image (MZ) at 0x%x\n", peoff);
		st->problems++;
	} else if (comp == 1) {
		uint8_t *pe = NULL;
		size_t pe_len = 0;

		if (efi_decompress(p + peoff, init - peoff, &pe, &pe_len) ||
		    pe_len < 2 || le16(pe) != 0x5A4D) {
			printf("  efi: the compressed image does not inflate to "
			       "a PE image\n");
			st->problems++;
		} else {
			printf("  efi: EFI-compressed, %u -> %zu bytes\n",
			       le32(p + peoff) + 8, pe_len);
		}
		free(pe);
	} else if (comp != 0) {
		printf("  efi: unknown compression type %u\n", comp);
		st->problems++;
	}
}

/** mkrom --info FILE: list the images; status 1 if the ROM is malformed. */
static int cmd_info(const char *path)
{
	struct info_state st = { 0 };
	struct buf rom;
	const char *err;
	size_t end;

	read_file(path, &rom);
	end = rom_walk(rom.data, rom.len, info_image, &st, &err);
	if (!end) {
		printf("%s: not a PCI option ROM: %s\n", path, err);
		return 1;
	}
	if (err) {
		printf("image at 0x%06zx: %s\n", end, err);
		st.problems++;
	}
	printf("total: %zu bytes of images, file %zu bytes", end, rom.len);
	if (rom.len > end)
		printf(", %zu bytes after the last image", rom.len - end);
	printf("\n");
	free(rom.data);
	return st.problems ? 1 : 0;
}

/** Parse a number in C notation (0x.. hex, else decimal) within [0, max]. */
static long parse_num(const char *what, const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < 0 || v > max)
		die("bad %s '%s'", what, s);
	return v;
}

/* --- --extract ------------------------------------------------------------------ */

/** What --extract is looking for and what it found. */
struct extract_state {
	unsigned int want;
	const struct rom_image *found;
	struct rom_image img;
};

static void extract_find(const uint8_t *rom, const struct rom_image *img,
			 unsigned int index, void *arg)
{
	struct extract_state *st = arg;

	(void)rom;
	if (index == st->want) {
		st->img = *img;
		st->found = &st->img;
	}
}

/**
 * mkrom --extract INDEX ROM OUT: write image INDEX's PE/COFF file (an EFI
 * image, inflated when compressed) or the whole image (legacy) to OUT.
 */
static int cmd_extract(const char *index, const char *path, const char *out)
{
	struct extract_state st = { 0 };
	const uint8_t *p, *data;
	uint8_t *inflated = NULL;
	size_t len, init, peoff;
	struct buf rom;
	const char *err;
	FILE *f;

	st.want = (unsigned int)parse_num("image index", index, 255);
	read_file(path, &rom);
	if (!rom_walk(rom.data, rom.len, extract_find, &st, &err))
		die("%s: not a PCI option ROM: %s", path, err);
	if (!st.found)
		die("%s: no image %u", path, st.want);
	p = rom.data + st.img.offset;
	data = p;
	len = st.img.size;
	if (st.img.code_type == CODE_EFI && le32(p + 4) == EFI_ROM_SIG) {
		init = (size_t)le16(p + 2) * 512;
		peoff = le16(p + 0x16);
		if (init > st.img.size || peoff >= init)
			die("%s: image %u: PE image out of bounds", path,
			    st.want);
		data = p + peoff;
		len = init - peoff;
		if (le16(p + 0x0C) == 1) {
			if (efi_decompress(data, len, &inflated, &len))
				die("%s: image %u does not inflate", path,
				    st.want);
			data = inflated;
		} else if (le16(p + 0x0C) != 0) {
			die("%s: image %u: unknown compression", path,
			    st.want);
		}
	}
	f = fopen(out, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		die("%s: cannot write: %s", out, strerror(errno));
	free(inflated);
	free(rom.data);
	return 0;
}

/* --- building ------------------------------------------------------------------- */

/** Options for building a ROM. */
struct build {
	long vendor, device, class_code;
	const char *out;
	const char *legacy;	/**< --legacy: an image put first */
	const char *bases[MAX_INPUTS];
	unsigned int nbases;
	bool cli_bases;		/**< --base given: the board's rombase= is not used */
	const char *drivers[MAX_INPUTS];
	unsigned int ndrivers;
	bool verbose;
	bool compress;		/**< store drivers EFI-compressed */
};


/**
 * Take vendor=, device=, class= and rombase= from a board file (the other
 * keys are firmware settings, not ours); command-line options win.
 */
static void read_board(struct build *b, const char *path)
{
	char line[1024], *key, *val, *end;
	FILE *f = fopen(path, "r");

	if (!f)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		key = line + strspn(line, " \t");
		if (*key == '#' || *key == '\n' || !*key)
			continue;
		val = strchr(key, '=');
		if (!val)
			continue;
		*val++ = 0;
		end = val + strcspn(val, " \t\r\n#");
		*end = 0;
		if (!strcmp(key, "vendor") && b->vendor < 0)
			b->vendor = parse_num("vendor", val, 0xffff);
		else if (!strcmp(key, "device") && b->device < 0)
			b->device = parse_num("device", val, 0xffff);
		else if (!strcmp(key, "class") && b->class_code < 0)
			b->class_code = parse_num("class", val, 0xffffff);
		else if (!strcmp(key, "rombase") && !b->cli_bases &&
			 b->nbases < MAX_INPUTS) {
			b->bases[b->nbases] = strdup(val);
			if (!b->bases[b->nbases++])
				die("out of memory");
		}
	}
	fclose(f);
}

/** Append the images of a base ROM to @out, last-image bits cleared. */
static void add_base(struct buf *out, const char *path)
{
	struct rom_image img;
	struct buf rom;
	const char *err;
	size_t off = 0, end;
	uint8_t *p;

	read_file(path, &rom);
	end = rom_walk(rom.data, rom.len, NULL, NULL, &err);
	if (!end)
		die("%s: not a PCI option ROM: %s", path, err);
	if (err)
		die("%s: image at 0x%zx: %s", path, end, err);
	while (off < end) {
		rom_image_at(rom.data, rom.len, off, &img);
		p = buf_grow(out, img.size);
		memcpy(p, rom.data + off, img.size);
		p[img.pcir + 0x15] &= (uint8_t)~LAST_IMAGE;
		if (img.code_type == CODE_LEGACY)
			p[6] = (uint8_t)(p[6] - sum8(p, img.size));
		off += img.size;
	}
	free(rom.data);
}

/**
 * Check @pe is an x86-64 PE/COFF EFI driver.
 *
 * @ret subsystem	its PE subsystem (dies when it is not usable)
 */
static unsigned int check_pe(const char *path, const struct buf *pe,
			     unsigned int *machine)
{
	const uint8_t *d = pe->data;
	size_t nt;
	unsigned int magic, sub;

	if (pe->len < 0x40 || le16(d) != 0x5A4D)
		die("%s: not a PE/COFF image (no MZ)", path);
	nt = le32(d + 0x3C);
	if (nt > pe->len || pe->len - nt < 24 + 0x46 ||
	    le32(d + nt) != 0x00004550)
		die("%s: not a PE/COFF image (no PE header)", path);
	*machine = le16(d + nt + 4);
	magic = le16(d + nt + 24);
	if (magic != 0x20B && magic != 0x10B)
		die("%s: unknown optional header magic 0x%x", path, magic);
	sub = le16(d + nt + 24 + 0x44);
	if (sub != PE_SUBSYS_BSDRV && sub != PE_SUBSYS_RTDRV)
		die("%s: PE subsystem %u (%s): an option ROM image must be an "
		    "EFI driver (11 or 12)", path, sub, subsystem_name(sub));
	return sub;
}

/** Append one EFI image wrapping the driver at @path. */
static void add_efi(struct buf *out, const struct build *b, const char *path)
{
	struct buf pe;
	unsigned int sub, machine;
	size_t size, raw = 0;
	uint8_t *p, *pc, *packed;

	read_file(path, &pe);
	sub = check_pe(path, &pe, &machine);
	if (b->compress) {
		raw = pe.len;
		if (efi_compress(pe.data, pe.len, &packed, &pe.len))
			die("%s: compression failed", path);
		free(pe.data);
		pe.data = packed;
	}
	size = (EFI_HDR_PE + pe.len + 511) / 512 * 512;
	if (size > MAX_IMAGE)
		die("%s: %zu bytes is too big for one ROM image", path, pe.len);
	p = buf_grow(out, size);
	put16(p, ROM_SIG);
	put16(p + 2, (unsigned int)(size / 512));
	put32(p + 4, EFI_ROM_SIG);
	put16(p + 8, sub);
	put16(p + 0x0A, machine);
	put16(p + 0x0C, b->compress ? 1 : 0);
	put16(p + 0x16, EFI_HDR_PE);
	put16(p + 0x18, EFI_HDR_PCIR);
	pc = p + EFI_HDR_PCIR;
	put32(pc, PCIR_SIG);
	put16(pc + 4, (unsigned int)b->vendor);
	put16(pc + 6, (unsigned int)b->device);
	put16(pc + 8, 0);		/* no device list */
	put16(pc + 0x0A, PCIR_LEN_V3);
	pc[0x0C] = 3;			/* PCI 3.0 data structure */
	pc[0x0D] = (uint8_t)b->class_code;
	pc[0x0E] = (uint8_t)(b->class_code >> 8);
	pc[0x0F] = (uint8_t)(b->class_code >> 16);
	put16(pc + 0x10, (unsigned int)(size / 512));
	put16(pc + 0x12, 0);		/* code revision */
	pc[0x14] = CODE_EFI;
	pc[0x15] = 0;
	memcpy(p + EFI_HDR_PE, pe.data, pe.len);
	if (b->verbose && b->compress)
		printf("  %s: PE %zu bytes, compressed %zu, image %zu bytes\n",
		       path, raw, pe.len, size);
	else if (b->verbose)
		printf("  %s: PE %zu bytes, image %zu bytes\n", path, pe.len,
		       size);
	free(pe.data);
}

/** Set the last-image bit on the final image (fixing a legacy checksum). */
static void mark_last(struct buf *out)
{
	struct rom_image img, last = { 0 };
	size_t off = 0;
	uint8_t *p;

	while (off < out->len) {
		if (rom_image_at(out->data, out->len, off, &img))
			die("internal error: bad image at 0x%zx", off);
		last = img;
		off += img.size;
	}
	p = out->data + last.offset;
	p[last.pcir + 0x15] |= LAST_IMAGE;
	if (last.code_type == CODE_LEGACY)
		p[6] = (uint8_t)(p[6] - sum8(p, last.size));
}

static void usage(void)
{
	fputs("usage: mkrom -o OUT [--board FILE] [--vendor ID] [--device ID]\n"
	      "             [--class CODE] [--legacy IMAGE] [--base ROM]...\n"
	      "             [--compress] [-v]\n"
	      "             [EFI-DRIVER]...\n"
	      "       mkrom --info ROM\n"
	      "       mkrom --extract INDEX ROM OUT\n", stderr);
	exit(2);
}

/** Build a ROM from the parsed options. */
static int cmd_build(struct build *b)
{
	struct buf out = { 0 };
	unsigned int i;
	FILE *f;

	if (!b->out || (!b->legacy && b->nbases == 0 && b->ndrivers == 0))
		usage();
	if (b->ndrivers && (b->vendor < 0 || b->device < 0))
		die("EFI images need --vendor and --device (or a board file "
		    "with vendor= and device=)");
	if (b->class_code < 0)
		b->class_code = 0x020000;	/* Ethernet controller */
	if (b->legacy)
		add_base(&out, b->legacy);
	for (i = 0; i < b->nbases; i++)
		add_base(&out, b->bases[i]);
	for (i = 0; i < b->ndrivers; i++)
		add_efi(&out, b, b->drivers[i]);
	if (out.len == 0)
		die("no images to write");
	mark_last(&out);
	f = fopen(b->out, "wb");
	if (!f || fwrite(out.data, 1, out.len, f) != out.len || fclose(f))
		die("%s: cannot write: %s", b->out, strerror(errno));
	if (b->verbose)
		printf("  %s: %zu bytes\n", b->out, out.len);
	free(out.data);
	return 0;
}

int main(int argc, char **argv)
{
	struct build b = { .vendor = -1, .device = -1, .class_code = -1 };
	const char *board = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;

		if (!strcmp(a, "--info")) {
			if (!more || i + 2 != argc)
				usage();
			return cmd_info(argv[i + 1]);
		} else if (!strcmp(a, "--extract")) {
			if (i + 4 != argc)
				usage();
			return cmd_extract(argv[i + 1], argv[i + 2],
					   argv[i + 3]);
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && more) {
			b.out = argv[++i];
		} else if (!strcmp(a, "--board") && more) {
			board = argv[++i];
		} else if (!strcmp(a, "--vendor") && more) {
			b.vendor = parse_num("vendor", argv[++i], 0xffff);
		} else if (!strcmp(a, "--device") && more) {
			b.device = parse_num("device", argv[++i], 0xffff);
		} else if (!strcmp(a, "--class") && more) {
			b.class_code = parse_num("class", argv[++i], 0xffffff);
		} else if (!strcmp(a, "--legacy") && more) {
			b.legacy = argv[++i];
		} else if (!strcmp(a, "--base") && more) {
			if (b.nbases >= MAX_INPUTS)
				die("too many --base ROMs");
			b.bases[b.nbases++] = argv[++i];
			b.cli_bases = true;
		} else if (!strcmp(a, "-v")) {
			b.verbose = true;
		} else if (!strcmp(a, "--compress")) {
			b.compress = true;
		} else if (a[0] == '-') {
			usage();
		} else {
			if (b.ndrivers >= MAX_INPUTS)
				die("too many EFI drivers");
			b.drivers[b.ndrivers++] = a;
		}
	}
	if (board)
		read_board(&b, board);
	return cmd_build(&b);
}
