/*
 * elf2efi.c - the PE32+ image of a UEFI program from its linked ELF.
 *
 * Usage: elf2efi --subsystem app|bsdrv IN.so OUT.efi
 *
 * IN is the firmware linked by mk/efi.mk as an x86-64 position-independent
 * shared object at address 0 (gnu-efi's linker script: every loaded
 * section 4 KiB-aligned).  OUT is the image the firmware's PE loader
 * takes: a DOS header that only points at the PE header, the COFF and
 * PE32+ optional headers, then every loaded PROGBITS section of IN at its
 * own address (the RVA, image base 0), packed at 32 bytes in the file
 * (FILE_ALIGN; the loader copies each section to its address), and last a
 * .reloc section: IN's R_X86_64_RELATIVE relocations as PE base
 * relocations (IMAGE_REL_BASED_DIR64, one block per 4 KiB page), so the
 * PE loader moves the image and no ELF relocation code runs.  IN's
 * dynamic-linking sections (.dynamic, .dynsym, .dynstr, .hash, .rela) are
 * not copied.  As iPXE's elf2efi does.
 *
 * Anything the image could not carry correctly is refused with a message
 * and no output: a relocation type other than RELATIVE (an undefined
 * symbol, a PLT), REL relocations, a loaded section that is not PROGBITS
 * (.bss outside .data would lie outside the image), a section off its
 * 4 KiB boundary, a name longer than the PE's 8 bytes, a relocation outside
 * the sections.  The input is read through bounds-checked little-endian
 * helpers only (tests/fuzz/fuzz_elf2efi.c feeds it random files).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ELF2EFI_NO_MAIN
#include <errno.h>
#endif

/* ELF64 file header (System V gABI). */
#define EH_IDENT_CLASS		4	/* 2: 64-bit */
#define EH_IDENT_DATA		5	/* 1: little-endian */
#define EH_TYPE			16
#define EH_MACHINE		18
#define EH_ENTRY		24
#define EH_SHOFF		40
#define EH_SHENTSIZE		58
#define EH_SHNUM		60
#define EH_SHSTRNDX		62
#define EH_SIZE			64
#define ET_DYN			3
#define EM_X86_64		62

/* ELF64 section header. */
#define SH_NAME			0
#define SH_TYPE			4
#define SH_FLAGS		8
#define SH_ADDR			16
#define SH_OFFSET		24
#define SH_SIZE			32
#define SH_SIZEOF		64
#define SHT_PROGBITS		1
#define SHT_SYMTAB		2
#define SHT_STRTAB		3
#define SHT_RELA		4
#define SHT_HASH		5
#define SHT_DYNAMIC		6
#define SHT_REL			9
#define SHT_DYNSYM		11
#define SHT_GNU_HASH		0x6ffffff6
#define SHF_WRITE		0x1u
#define SHF_ALLOC		0x2u
#define SHF_EXECINSTR		0x4u

/* ELF64 RELA entry and the x86-64 types. */
#define RELA_OFFSET		0
#define RELA_INFO		8
#define RELA_ADDEND		16
#define RELA_SIZEOF		24
#define R_X86_64_NONE		0
#define R_X86_64_RELATIVE	8

/* PE/COFF (Microsoft PE format; the fields edk2's PeCoffLib reads). */
#define DOS_MAGIC_OFF		0	/* "MZ" */
#define DOS_LFANEW_OFF		0x3c
#define PE_OFF			0x40	/* right after the DOS header */
#define COFF_SIZEOF		20
#define OPT_SIZEOF		240	/* PE32+ with 16 data directories */
#define SECT_SIZEOF		40
#define COFF_MACHINE		4	/* offsets from PE_OFF */
#define COFF_NSECTIONS		6
#define COFF_OPTSIZE		20
#define COFF_CHARS		22
#define OPT_BASE		(PE_OFF + 4 + COFF_SIZEOF)
#define OPT_MAGIC		0	/* offsets from OPT_BASE */
#define OPT_SIZE_CODE		4
#define OPT_SIZE_IDATA		8
#define OPT_ENTRY		16
#define OPT_BASE_CODE		20
#define OPT_IMAGE_BASE		24
#define OPT_SECT_ALIGN		32
#define OPT_FILE_ALIGN		36
#define OPT_SIZE_IMAGE		56
#define OPT_SIZE_HEADERS	60
#define OPT_SUBSYSTEM		68
#define OPT_DLL_CHARS		70
#define OPT_NDIRS		108
#define OPT_DIRS		112
#define DIR_BASERELOC		5
#define NDIRS			16
#define SECT_NAME		0	/* offsets in a section header */
#define SECT_VSIZE		8
#define SECT_VADDR		12
#define SECT_RAWSIZE		16
#define SECT_RAWPTR		20
#define SECT_CHARS		36
#define MACHINE_X64		0x8664
#define PE32PLUS_MAGIC		0x20b
/* EXECUTABLE_IMAGE | LINE_NUMS_STRIPPED | LOCAL_SYMS_STRIPPED |
 * DEBUG_STRIPPED, as objcopy --target efi-*-x86_64 wrote. */
#define COFF_IMAGE_CHARS	0x020e
#define SCN_CODE		0x60000020u	/* code, execute, read */
#define SCN_DATA		0xc0000040u	/* initialised, read, write */
#define SCN_RODATA		0x40000040u	/* initialised, read */
#define SCN_RELOC		0x42000040u	/* initialised, discardable, read */
#define REL_BASED_ABSOLUTE	0
#define REL_BASED_DIR64		10

#define SECT_ALIGN		4096u
#define FILE_ALIGN		32u
#define MAX_SECTIONS		16u	/* .text, .data and .reloc today */
#define MAX_IMAGE		(64u << 20)	/* refuse absurd sizes */

/** PE subsystems. */
#define SUBSYSTEM_APP		10
#define SUBSYSTEM_BSDRV		11

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/** One section of the image. */
struct pe_sect {
	char name[8];		/* NUL-padded, not terminated at 8 */
	uint32_t rva;
	uint32_t size;		/* VirtualSize */
	uint32_t raw;		/* SizeOfRawData: size rounded to FILE_ALIGN */
	uint32_t fileoff;
	uint32_t chars;
	const uint8_t *data;	/* in the ELF; NULL for .reloc */
};

/** One DIR64 fixup: where, and the value it holds with the image at 0. */
struct fixup {
	uint32_t rva;
	uint64_t addend;
};

/** The conversion's state: the input, its sections, the relocations. */
struct conv {
	const uint8_t *elf;
	size_t len;
	char *err;
	size_t errlen;
	struct pe_sect sect[MAX_SECTIONS];
	unsigned int nsect;
	struct fixup *relocs;
	size_t nrelocs;
};

/* Set the message; returns -1. */
__attribute__((format(printf, 2, 3)))
static int fail(struct conv *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The NUL-terminated name at OFF in the section-name table, or NULL. */
static const char *sect_name(const struct conv *c, uint64_t strtab,
			     uint64_t strsize, uint32_t off)
{
	const char *s;

	if (off >= strsize)
		return NULL;
	s = (const char *)c->elf + strtab + off;
	if (!memchr(s, 0, strsize - off))
		return NULL;
	return s;
}

/* The section header at index I (bounds checked by read_sections). */
static const uint8_t *shdr(const struct conv *c, unsigned int i)
{
	return c->elf + get64(c->elf + EH_SHOFF) + (uint64_t)i * SH_SIZEOF;
}

/* The ELF header: x86-64 ELF64 shared object, section headers inside. */
static int check_header(struct conv *c, unsigned int *shnum)
{
	const uint8_t *e = c->elf;
	uint64_t shoff;

	if (c->len < EH_SIZE || memcmp(e, "\177ELF", 4) != 0)
		return fail(c, "not an ELF file");
	if (e[EH_IDENT_CLASS] != 2 || e[EH_IDENT_DATA] != 1 ||
	    get16(e + EH_MACHINE) != EM_X86_64)
		return fail(c, "not a little-endian x86-64 ELF64 file");
	if (get16(e + EH_TYPE) != ET_DYN)
		return fail(c, "not a position-independent shared object "
			    "(link with -shared)");
	if (get16(e + EH_SHENTSIZE) != SH_SIZEOF)
		return fail(c, "section header size %u, not %u",
			    get16(e + EH_SHENTSIZE), SH_SIZEOF);
	shoff = get64(e + EH_SHOFF);
	*shnum = get16(e + EH_SHNUM);
	if (*shnum == 0 || shoff > c->len ||
	    (uint64_t)*shnum * SH_SIZEOF > c->len - shoff)
		return fail(c, "section headers outside the file");
	if (get16(e + EH_SHSTRNDX) >= *shnum)
		return fail(c, "no section name table");
	return 0;
}

/* Take one loaded section into the image, in address order. */
static int add_section(struct conv *c, const char *name, const uint8_t *sh)
{
	uint64_t flags = get64(sh + SH_FLAGS);
	uint64_t addr = get64(sh + SH_ADDR);
	uint64_t off = get64(sh + SH_OFFSET);
	uint64_t size = get64(sh + SH_SIZE);
	struct pe_sect *s;
	size_t nlen = strlen(name);

	if (get32(sh + SH_TYPE) != SHT_PROGBITS)
		return fail(c, "section %s is loaded but not PROGBITS (type %u; "
			    ".bss?): put it in .data in the linker script",
			    name, get32(sh + SH_TYPE));
	if (c->nsect >= MAX_SECTIONS - 1)
		return fail(c, "more than %u loaded sections", MAX_SECTIONS - 1);
	if (nlen > sizeof(s->name))
		return fail(c, "section name %s longer than 8 bytes", name);
	if (addr == 0 || addr % SECT_ALIGN)
		return fail(c, "section %s at 0x%llx, not on a 4 KiB boundary "
			    "after the headers", name, (unsigned long long)addr);
	if (off > c->len || size > c->len - off)
		return fail(c, "section %s outside the file", name);
	if (addr >= MAX_IMAGE || size > MAX_IMAGE - addr)
		return fail(c, "section %s beyond %u MiB", name, MAX_IMAGE >> 20);
	if (c->nsect) {
		const struct pe_sect *prev = &c->sect[c->nsect - 1];

		if (addr < (uint64_t)prev->rva + prev->size)
			return fail(c, "section %s overlaps or precedes %.8s",
				    name, prev->name);
	}
	s = &c->sect[c->nsect++];
	memset(s->name, 0, sizeof(s->name));
	memcpy(s->name, name, nlen);
	s->rva = (uint32_t)addr;
	s->size = (uint32_t)size;
	s->raw = (uint32_t)align_up(size, FILE_ALIGN);
	s->data = c->elf + off;
	if (flags & SHF_EXECINSTR)
		s->chars = SCN_CODE;
	else if (flags & SHF_WRITE)
		s->chars = SCN_DATA;
	else
		s->chars = SCN_RODATA;
	return 0;
}

/* The image section holding [rva, rva + 8), or NULL. */
static const struct pe_sect *sect_at(const struct conv *c, uint64_t rva)
{
	unsigned int i;

	for (i = 0; i < c->nsect; i++)
		if (rva >= c->sect[i].rva && rva + 8 <= (uint64_t)c->sect[i].rva +
		    c->sect[i].size)
			return &c->sect[i];
	return NULL;
}

/* The fixups of one RELA section: RELATIVE only, inside the sections. */
static int add_relocs(struct conv *c, const char *name, const uint8_t *sh)
{
	uint64_t off = get64(sh + SH_OFFSET);
	uint64_t size = get64(sh + SH_SIZE);
	uint64_t n, i;

	if (off > c->len || size > c->len - off || size % RELA_SIZEOF)
		return fail(c, "relocation section %s outside the file or not "
			    "whole entries", name);
	n = size / RELA_SIZEOF;
	if (n > MAX_IMAGE / 8 - c->nrelocs)
		return fail(c, "too many relocations");
	if (n) {
		struct fixup *nr = realloc(c->relocs,
					   (c->nrelocs + n) * sizeof(*nr));

		if (!nr)
			return fail(c, "out of memory");
		c->relocs = nr;
	}
	for (i = 0; i < n; i++) {
		const uint8_t *r = c->elf + off + i * RELA_SIZEOF;
		uint64_t where = get64(r + RELA_OFFSET);
		uint32_t type = (uint32_t)get64(r + RELA_INFO);

		if (type == R_X86_64_NONE)
			continue;
		if (type != R_X86_64_RELATIVE)
			return fail(c, "relocation type %u at 0x%llx (symbol %u) "
				    "not handled: only R_X86_64_RELATIVE "
				    "(an undefined or preemptible symbol?)",
				    type, (unsigned long long)where,
				    (unsigned int)(get64(r + RELA_INFO) >> 32));
		if (!sect_at(c, where))
			return fail(c, "relocation at 0x%llx outside the image's "
				    "sections", (unsigned long long)where);
		c->relocs[c->nrelocs].rva = (uint32_t)where;
		c->relocs[c->nrelocs++].addend = get64(r + RELA_ADDEND);
	}
	return 0;
}

/* The image's sections and fixups from the ELF's section headers. */
static int read_sections(struct conv *c)
{
	unsigned int shnum = 0, i;
	const uint8_t *strsh;
	uint64_t stroff, strsize;

	if (check_header(c, &shnum))
		return -1;
	strsh = shdr(c, get16(c->elf + EH_SHSTRNDX));
	stroff = get64(strsh + SH_OFFSET);
	strsize = get64(strsh + SH_SIZE);
	if (stroff > c->len || strsize > c->len - stroff)
		return fail(c, "section name table outside the file");
	for (i = 1; i < shnum; i++) {
		const char *name = sect_name(c, stroff, strsize,
					     get32(shdr(c, i) + SH_NAME));

		if (!name)
			return fail(c, "section %u has no name", i);
		if (strcmp(name, ".reloc") == 0)
			return fail(c, "the input has a .reloc section already "
				    "(gnu-efi's crt0 linked in?)");
	}
	/* The loaded sections first: relocations are checked against them. */
	for (i = 1; i < shnum; i++) {
		const uint8_t *sh = shdr(c, i);
		uint32_t type = get32(sh + SH_TYPE);
		const char *name = sect_name(c, stroff, strsize,
					     get32(sh + SH_NAME));

		if (!(get64(sh + SH_FLAGS) & SHF_ALLOC) || get64(sh + SH_SIZE) == 0)
			continue;
		if (type == SHT_REL)
			return fail(c, "REL relocations (%s) not handled", name);
		/* The dynamic linker's tables: .reloc replaces them. */
		if (type == SHT_RELA || type == SHT_SYMTAB ||
		    type == SHT_STRTAB || type == SHT_HASH ||
		    type == SHT_DYNAMIC || type == SHT_DYNSYM ||
		    type == SHT_GNU_HASH)
			continue;
		if (add_section(c, name, sh))
			return -1;
	}
	if (c->nsect == 0)
		return fail(c, "no loaded sections");
	for (i = 1; i < shnum; i++) {
		const uint8_t *sh = shdr(c, i);

		if (get32(sh + SH_TYPE) == SHT_RELA &&
		    (get64(sh + SH_FLAGS) & SHF_ALLOC) &&
		    add_relocs(c, sect_name(c, stroff, strsize,
					    get32(sh + SH_NAME)), sh))
			return -1;
	}
	return 0;
}

static int cmp_fixup(const void *a, const void *b)
{
	uint32_t x = ((const struct fixup *)a)->rva;
	uint32_t y = ((const struct fixup *)b)->rva;

	return x < y ? -1 : x > y;
}

/*
 * The .reloc contents for the sorted RVAs: a block per 4 KiB page, an
 * 8-byte header (page RVA, block size) then 16-bit entries (type << 12 |
 * offset in the page), padded with an ABSOLUTE entry to 4 bytes.  Returns
 * the size; OUT may be NULL to measure.
 */
static size_t build_relocs(const struct fixup *f, size_t n, uint8_t *out)
{
	size_t pos = 0, i = 0;

	if (n == 0) {
		/* One empty block: the loader still sees a .reloc directory
		 * and may move the image. */
		if (out) {
			put32(out, 0);
			put32(out + 4, 12);
			put16(out + 8, REL_BASED_ABSOLUTE << 12);
			put16(out + 10, REL_BASED_ABSOLUTE << 12);
		}
		return 12;
	}
	while (i < n) {
		uint32_t page = f[i].rva & ~(SECT_ALIGN - 1);
		size_t start = pos, count = 0;

		pos += 8;
		for (; i < n && (f[i].rva & ~(SECT_ALIGN - 1)) == page; i++) {
			if (out)
				put16(out + pos, (uint16_t)(REL_BASED_DIR64 << 12 |
						   (f[i].rva & (SECT_ALIGN - 1))));
			pos += 2;
			count++;
		}
		if (count & 1) {
			if (out)
				put16(out + pos, REL_BASED_ABSOLUTE << 12);
			pos += 2;
		}
		if (out) {
			put32(out + start, page);
			put32(out + start + 4, (uint32_t)(pos - start));
		}
	}
	return pos;
}

/**
 * Convert a linked x86-64 ELF shared object into a PE32+ EFI image.
 *
 * @elf, @len	the ELF file's bytes (any bytes: checked)
 * @subsystem	SUBSYSTEM_APP (10) or SUBSYSTEM_BSDRV (11)
 * @out, @outlen	the image on success (malloc'd; the caller frees)
 * @err, @errlen	a message on failure
 * @ret 0, or -1 with @err set and nothing allocated
 */
int elf2efi(const uint8_t *elf, size_t len, uint16_t subsystem,
	    uint8_t **out, size_t *outlen, char *err, size_t errlen);

int elf2efi(const uint8_t *elf, size_t len, uint16_t subsystem,
	    uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
	struct conv c = { .elf = elf, .len = len, .err = err, .errlen = errlen };
	uint64_t entry, hdrsize, fileoff, end, image_size;
	uint32_t size_code = 0, size_idata = 0, base_code = 0;
	struct pe_sect *rs;
	uint8_t *img = NULL, *p;
	size_t i, rsize;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	if (read_sections(&c))
		goto done;
	entry = get64(elf + EH_ENTRY);
	for (i = 0; i < c.nsect; i++)
		if (c.sect[i].chars == SCN_CODE && entry >= c.sect[i].rva &&
		    entry < (uint64_t)c.sect[i].rva + c.sect[i].size)
			break;
	if (i == c.nsect) {
		fail(&c, "entry point 0x%llx not in a code section (link with "
		     "-e)", (unsigned long long)entry);
		goto done;
	}
	if (c.nrelocs)
		qsort(c.relocs, c.nrelocs, sizeof(*c.relocs), cmp_fixup);
	for (i = 1; i < c.nrelocs; i++)
		if (c.relocs[i].rva < c.relocs[i - 1].rva + 8) {
			fail(&c, "relocations at 0x%x and 0x%x overlap",
			     c.relocs[i - 1].rva, c.relocs[i].rva);
			goto done;
		}

	/* Lay out: headers, the sections in address order, .reloc last. */
	hdrsize = align_up(OPT_BASE + OPT_SIZEOF +
			   (uint64_t)(c.nsect + 1) * SECT_SIZEOF, FILE_ALIGN);
	if (hdrsize > c.sect[0].rva) {
		fail(&c, "first section at 0x%x, inside the headers",
		     c.sect[0].rva);
		goto done;
	}
	fileoff = hdrsize;
	for (i = 0; i < c.nsect; i++) {
		c.sect[i].fileoff = (uint32_t)fileoff;
		fileoff += c.sect[i].raw;
		if (c.sect[i].chars == SCN_CODE) {
			size_code += c.sect[i].raw;
			if (!base_code)
				base_code = c.sect[i].rva;
		} else {
			size_idata += c.sect[i].raw;
		}
	}
	rsize = build_relocs(c.relocs, c.nrelocs, NULL);
	rs = &c.sect[c.nsect];
	memset(rs, 0, sizeof(*rs));
	memcpy(rs->name, ".reloc", 6);
	end = (uint64_t)c.sect[c.nsect - 1].rva + c.sect[c.nsect - 1].size;
	rs->rva = (uint32_t)align_up(end, SECT_ALIGN);
	rs->size = (uint32_t)rsize;
	rs->raw = (uint32_t)align_up(rsize, FILE_ALIGN);
	rs->fileoff = (uint32_t)fileoff;
	rs->chars = SCN_RELOC;
	size_idata += rs->raw;
	fileoff += rs->raw;
	image_size = align_up((uint64_t)rs->rva + rs->size, SECT_ALIGN);

	img = calloc(1, fileoff);
	if (!img) {
		fail(&c, "out of memory");
		goto done;
	}
	put16(img + DOS_MAGIC_OFF, 0x5a4d);		/* "MZ" */
	put32(img + DOS_LFANEW_OFF, PE_OFF);
	memcpy(img + PE_OFF, "PE\0\0", 4);
	p = img + PE_OFF + 4;
	put16(p + COFF_MACHINE - 4, MACHINE_X64);
	put16(p + COFF_NSECTIONS - 4, (uint16_t)(c.nsect + 1));
	put16(p + COFF_OPTSIZE - 4, OPT_SIZEOF);
	put16(p + COFF_CHARS - 4, COFF_IMAGE_CHARS);
	p = img + OPT_BASE;
	put16(p + OPT_MAGIC, PE32PLUS_MAGIC);
	put32(p + OPT_SIZE_CODE, size_code);
	put32(p + OPT_SIZE_IDATA, size_idata);
	put32(p + OPT_ENTRY, (uint32_t)entry);
	put32(p + OPT_BASE_CODE, base_code);
	put64(p + OPT_IMAGE_BASE, 0);
	put32(p + OPT_SECT_ALIGN, SECT_ALIGN);
	put32(p + OPT_FILE_ALIGN, FILE_ALIGN);
	put32(p + OPT_SIZE_IMAGE, (uint32_t)image_size);
	put32(p + OPT_SIZE_HEADERS, (uint32_t)hdrsize);
	put16(p + OPT_SUBSYSTEM, subsystem);
	put16(p + OPT_DLL_CHARS, 0);
	put32(p + OPT_NDIRS, NDIRS);
	put32(p + OPT_DIRS + DIR_BASERELOC * 8, rs->rva);
	put32(p + OPT_DIRS + DIR_BASERELOC * 8 + 4, rs->size);
	p = img + OPT_BASE + OPT_SIZEOF;
	for (i = 0; i <= c.nsect; i++, p += SECT_SIZEOF) {
		const struct pe_sect *s = &c.sect[i];

		memcpy(p + SECT_NAME, s->name, sizeof(s->name));
		put32(p + SECT_VSIZE, s->size);
		put32(p + SECT_VADDR, s->rva);
		put32(p + SECT_RAWSIZE, s->raw);
		put32(p + SECT_RAWPTR, s->fileoff);
		put32(p + SECT_CHARS, s->chars);
		if (s->data)
			memcpy(img + s->fileoff, s->data, s->size);
	}
	/* RELA: the fixup site holds the addend (ld writes it there too;
	 * the PE loader adds the load address to what is there). */
	for (i = 0; i < c.nrelocs; i++) {
		const struct pe_sect *s = sect_at(&c, c.relocs[i].rva);

		put64(img + s->fileoff + (c.relocs[i].rva - s->rva),
		      c.relocs[i].addend);
	}
	build_relocs(c.relocs, c.nrelocs, img + rs->fileoff);
	*out = img;
	*outlen = fileoff;
	img = NULL;
	rc = 0;
done:
	free(img);
	free(c.relocs);
	return rc;
}

#ifndef ELF2EFI_NO_MAIN
static int usage(void)
{
	fprintf(stderr, "usage: elf2efi --subsystem app|bsdrv IN.so OUT.efi\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint16_t subsystem;
	uint8_t *elf = NULL, *img;
	size_t len = 0, cap = 0, imglen, n;
	char err[256];
	FILE *f;

	if (argc != 5 || strcmp(argv[1], "--subsystem") != 0)
		return usage();
	if (strcmp(argv[2], "app") == 0)
		subsystem = SUBSYSTEM_APP;
	else if (strcmp(argv[2], "bsdrv") == 0)
		subsystem = SUBSYSTEM_BSDRV;
	else
		return usage();
	f = fopen(argv[3], "rb");
	if (!f) {
		fprintf(stderr, "elf2efi: %s: %s\n", argv[3], strerror(errno));
		return 1;
	}
	do {
		if (len == cap) {
			uint8_t *nb = realloc(elf, cap = cap ? cap * 2 : 1 << 20);

			if (!nb) {
				fprintf(stderr, "elf2efi: out of memory\n");
				return 1;
			}
			elf = nb;
		}
		n = fread(elf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		fprintf(stderr, "elf2efi: %s: read error\n", argv[3]);
		return 1;
	}
	fclose(f);
	if (elf2efi(elf, len, subsystem, &img, &imglen, err, sizeof(err))) {
		fprintf(stderr, "elf2efi: %s: %s\n", argv[3], err);
		return 1;
	}
	f = fopen(argv[4], "wb");
	if (!f || fwrite(img, 1, imglen, f) != imglen || fclose(f) != 0) {
		fprintf(stderr, "elf2efi: %s: %s\n", argv[4], strerror(errno));
		remove(argv[4]);
		return 1;
	}
	free(img);
	free(elf);
	return 0;
}
#endif
