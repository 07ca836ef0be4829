#!/bin/bash
# elf2efi.sh - build/elf2efi's PE images against the ELF they come from.
#
# For the app image (aoeboot.efi, subsystem 10) and the driver image
# (aoeboot-drv.efi, 11), a python3 reading of the PE bytes (not elf2efi's
# code) checks: the headers edk2's PE loader reads (MZ + e_lfanew, PE
# signature, machine 0x8664, PE32+, subsystem, section alignment 4 KiB,
# file alignment 32, image base 0, SizeOfHeaders / SizeOfImage, the entry
# point = the ELF's e_entry inside .text, DllCharacteristics 0, the
# .reloc data directory = the .reloc section); that the sections are
# exactly .text, .data, .reloc, each at its ELF address with the ELF's
# bytes; that the set of DIR64 fixups in .reloc is exactly the set of
# R_X86_64_RELATIVE offsets readelf lists, each site holding its addend,
# in 4 KiB page blocks; objdump -p (binutils' PE reader) as a second
# opinion on the fixup count and subsystem.  Then what must be refused,
# with a message and no output file: an undefined symbol (R_X86_64_64 /
# GLOB_DAT), gnu-efi's crt0 linked in (its own .reloc), a truncated ELF,
# bytes that are no ELF, an empty file.
set -u
cd "$(dirname "$0")/../.."
. tests/testbed.sh
E2E=build/elf2efi

make --no-print-directory -s efi efi-drv >/dev/null ||
	{ fail elf2efi_make "make efi efi-drv failed"; exit 1; }
tmp=$(mktemp -d /tmp/aoeboot-elf2efi.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# check_pe SO EFI SUBSYSTEM: prints "ok <fixups>" or what is wrong.
check_pe() {
	readelf -hSW "$1" >"$tmp/sections" || { echo "readelf -S failed"; return; }
	readelf -rW "$1" >"$tmp/relocs" || { echo "readelf -r failed"; return; }
	python3 - "$1" "$2" "$3" "$tmp/sections" "$tmp/relocs" <<'PY'
import re, struct, sys
so, efi, subsys = sys.argv[1], sys.argv[2], int(sys.argv[3])
elf, pe = open(so, 'rb').read(), open(efi, 'rb').read()
errs = []
entry = None
esect = {}
for line in open(sys.argv[4]):
    m = re.match(r'\s*Entry point address:\s*(0x[0-9a-f]+)', line)
    if m: entry = int(m.group(1), 16)
    m = re.match(r'\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)', line)
    if m: esect[m.group(1)] = (m.group(2), int(m.group(3), 16), int(m.group(4), 16), int(m.group(5), 16))
rel = {}
for line in open(sys.argv[5]):
    f = line.split()
    if len(f) >= 4 and f[2] == 'R_X86_64_RELATIVE':
        rel[int(f[0], 16)] = int(f[3], 16)
    elif len(f) >= 3 and f[2].startswith('R_X86_64_'):
        errs.append('ELF has %s' % f[2])
if pe[:2] != b'MZ': errs.append('no MZ')
lfa = struct.unpack_from('<I', pe, 0x3c)[0]
if pe[lfa:lfa + 4] != b'PE\0\0': errs.append('no PE signature')
mach, nsec, _, _, _, optsize, chars = struct.unpack_from('<HHIIIHH', pe, lfa + 4)
opt = lfa + 24
if mach != 0x8664: errs.append('machine %#x' % mach)
if optsize != 240: errs.append('optional header %d bytes' % optsize)
if chars & 1: errs.append('relocations stripped flag')
if not chars & 2: errs.append('not executable')
magic, = struct.unpack_from('<H', pe, opt)
ep, base_code = struct.unpack_from('<II', pe, opt + 16)
ibase, salign, falign = struct.unpack_from('<QII', pe, opt + 24)
simage, sheaders, csum, sub, dllch = struct.unpack_from('<IIIHH', pe, opt + 56)
ndirs, = struct.unpack_from('<I', pe, opt + 108)
rdir = struct.unpack_from('<II', pe, opt + 112 + 5 * 8)
if magic != 0x20b: errs.append('magic %#x' % magic)
if ibase != 0: errs.append('image base %#x' % ibase)
if (salign, falign) != (4096, 32): errs.append('alignments %d/%d' % (salign, falign))
if sub != subsys: errs.append('subsystem %d' % sub)
if dllch != 0: errs.append('DllCharacteristics %#x' % dllch)
if ndirs != 16: errs.append('%d data directories' % ndirs)
if ep != entry: errs.append('entry %#x, ELF %s' % (ep, entry))
sect = []
for i in range(nsec):
    o = opt + optsize + 40 * i
    name = pe[o:o + 8].rstrip(b'\0').decode()
    vsize, va, raw, ptr = struct.unpack_from('<IIII', pe, o + 8)
    sect.append((name, vsize, va, raw, ptr))
if [s[0] for s in sect] != ['.text', '.data', '.reloc']:
    errs.append('sections %s' % [s[0] for s in sect])
if sheaders % 32 or sheaders < opt + optsize + 40 * nsec or sheaders > sect[0][2]:
    errs.append('SizeOfHeaders %#x' % sheaders)
end = 0
fend = sheaders
for name, vsize, va, raw, ptr in sect:
    if va % 4096 or va < end: errs.append('%s at %#x' % (name, va))
    if ptr != fend or raw != (vsize + 31) // 32 * 32: errs.append('%s in the file at %#x+%#x' % (name, ptr, raw))
    end, fend = va + vsize, ptr + raw
if fend != len(pe): errs.append('file %d bytes, sections end at %d' % (len(pe), fend))
if simage != (end + 4095) // 4096 * 4096: errs.append('SizeOfImage %#x' % simage)
t = sect[0]
if not t[2] <= ep < t[2] + t[1]: errs.append('entry outside .text')
if base_code != t[2]: errs.append('BaseOfCode %#x' % base_code)
r = [s for s in sect if s[0] == '.reloc']
if r and rdir != (r[0][2], r[0][1]): errs.append('reloc directory %s' % (rdir,))
# Section bytes against the ELF's; relocation sites hold their addends.
def pebytes(va, n):
    for name, vsize, sva, raw, ptr in sect:
        if sva <= va and va + n <= sva + vsize:
            return pe[ptr + va - sva:ptr + va - sva + n]
    return None
for name, vsize, va, raw, ptr in sect[:-1]:
    typ, addr, off, size = esect.get(name, (None, 0, 0, 0))
    if typ != 'PROGBITS' or (addr, size) != (va, vsize):
        errs.append('%s: ELF %s at %#x+%#x' % (name, typ, addr, size))
    elif elf[off:off + size] != pe[ptr:ptr + vsize]:
        errs.append('%s bytes differ from the ELF' % name)
for a in ('.dynamic', '.rela', '.dynsym'):
    if a not in esect: errs.append('ELF has no %s (not what elf2efi replaces?)' % a)
# .reloc: page blocks of DIR64 entries.
fix = set()
if r:
    name, vsize, va, raw, ptr = r[0]
    o = ptr
    while o < ptr + vsize:
        page, bsize = struct.unpack_from('<II', pe, o)
        if page % 4096 or bsize < 8 or bsize % 4 or o + bsize > ptr + vsize:
            errs.append('block at %#x: page %#x size %d' % (o - ptr, page, bsize)); break
        for k in range(8, bsize, 2):
            e, = struct.unpack_from('<H', pe, o + k)
            if e >> 12 == 10:
                if page + (e & 0xfff) in fix: errs.append('fixup %#x twice' % (page + (e & 0xfff)))
                fix.add(page + (e & 0xfff))
            elif e >> 12 != 0:
                errs.append('fixup type %d' % (e >> 12))
        o += bsize
if fix != set(rel):
    errs.append('%d fixups, %d RELATIVE relocations, %d missing, %d extra' %
                (len(fix), len(rel), len(set(rel) - fix), len(fix - set(rel))))
for where, addend in rel.items():
    b = pebytes(where, 8)
    if b is None or struct.unpack('<Q', b)[0] != addend:
        errs.append('site %#x does not hold %#x' % (where, addend)); break
print('; '.join(errs) if errs else 'ok %d' % len(fix))
PY
}

for img in aoeboot:10 aoeboot-drv:11; do
	name=${img%:*} sub=${img#*:}
	so=build/efi/$name.so efi=build/efi/$name.efi
	out=$(check_pe "$so" "$efi" "$sub")
	case $out in
	ok\ *) pass "elf2efi_image_$name" "$(stat -c %s "$efi") bytes, ${out#ok } fixups";;
	*) fail "elf2efi_image_$name" "$out";;
	esac
	# binutils' reading of the same image.
	p=$(objdump -p "$efi" 2>&1)
	n=$(grep -c 'DIR64$' <<<"$p")
	want=$(readelf -rW "$so" | grep -c R_X86_64_RELATIVE)
	if [ "$n" = "$want" ] && grep -q "^Subsystem.*0000000$(printf %x "$sub")" <<<"$p"; then
		pass "elf2efi_objdump_$name" "$n DIR64"
	else
		fail "elf2efi_objdump_$name" "objdump -p: $n DIR64 of $want, $(grep ^Subsystem <<<"$p")"
	fi
done

# refuse CASE IN WHAT: elf2efi must fail on IN, say WHAT, write nothing.
refuse() {
	local rc
	rm -f "$tmp/out.efi"
	"$E2E" --subsystem app "$2" "$tmp/out.efi" >"$tmp/err" 2>&1
	rc=$?
	if [ $rc = 1 ] && grep -q "$3" "$tmp/err" && [ ! -e "$tmp/out.efi" ]; then
		pass "elf2efi_refuses_$1" "$(head -c 120 "$tmp/err")"
	else
		fail "elf2efi_refuses_$1" "status $rc, $(head -c 200 "$tmp/err")$( [ -e "$tmp/out.efi" ] && echo ', wrote an image')"
	fi
}

cat >"$tmp/undef.c" <<'EOF'
extern int elsewhere;
int *efi_main(void);
int *efi_main(void) { return &elsewhere; }
EOF
if gcc -fpic -O2 -fno-asynchronous-unwind-tables -c -o "$tmp/undef.o" "$tmp/undef.c" &&
   ld -shared -Bsymbolic -nostdlib -znocombreloc -e efi_main -T build/efi/efi.lds \
	"$tmp/undef.o" -o "$tmp/undef.so"; then
	refuse undefined_symbol "$tmp/undef.so" 'relocation type .* not handled'
else
	fail elf2efi_refuses_undefined_symbol "cannot build the test object"
fi
cat >"$tmp/crt0.c" <<'EOF'
long efi_main(void *image, void *st);
long efi_main(void *image, void *st) { return image == st; }
EOF
if gcc -fpic -O2 -fno-asynchronous-unwind-tables -c -o "$tmp/crt0.o" "$tmp/crt0.c" &&
   ld -shared -Bsymbolic -nostdlib -znocombreloc -T build/efi/efi.lds \
	/usr/lib/crt0-efi-x86_64.o "$tmp/crt0.o" -L/usr/lib -lgnuefi -o "$tmp/crt0.so"; then
	refuse gnu_efi_crt0 "$tmp/crt0.so" '\.reloc section already'
else
	fail elf2efi_refuses_gnu_efi_crt0 "cannot build the test object"
fi
head -c 3000 build/efi/aoeboot.so >"$tmp/short.so"
refuse truncated "$tmp/short.so" 'outside the file'
head -c 4096 /dev/urandom >"$tmp/random.so"
refuse not_elf "$tmp/random.so" 'not an ELF file'
: >"$tmp/empty.so"
refuse empty "$tmp/empty.so" 'not an ELF file'
tb_finish
