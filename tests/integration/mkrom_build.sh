#!/bin/bash
# mkrom_build.sh - build/mkrom against Debian's iPXE ROMs and our driver.
#
# Byte-level checks with python3 on every image mkrom writes: 0xAA55,
# PCIR vendor:device/class/length/code type, the EFI header (0x0EF1,
# subsystem, machine, compression, InitializationSize, PE offset), the
# last-image bit only on the last image, 512-byte sizes, legacy images
# summing to 0, the PE bytes copied unchanged.  Rebuilding QEMU's
# efi-e1000.rom from pxe-e1000.rom + iPXE's EFI driver must reproduce the
# legacy image byte for byte (mkrom fixes the checksum where iPXE's tools
# do).  --compress gives CompressionType 1 images --info inflates back.
# Applications and malformed inputs are refused.
set -u
cd "$(dirname "$0")/../.."
MKROM=build/mkrom
IPXE=/usr/lib/ipxe/qemu
. tests/testbed.sh

make --no-print-directory -s mkrom efi-drv efi >/dev/null || { fail mkrom_make "make mkrom efi-drv efi failed"; exit 1; }
for f in "$IPXE/efi-e1000.rom" "$IPXE/pxe-e1000.rom" "$IPXE/efi-virtio.rom"; do
	[ -s "$f" ] || { fail mkrom_inputs "$f missing (ipxe-qemu)"; exit 1; }
done
tmp=$(mktemp -d /tmp/aoeboot-mkrom.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# check_rom FILE NIMAGES VENDOR DEVICE [PE-FILE IMAGE-INDEX]...: verify the
# chain; prints "ok" or what is wrong.
check_rom() {
	python3 - "$@" <<'PY'
import struct, sys
path, nimg, ven, dev = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0), int(sys.argv[4], 0)
pes = dict((int(sys.argv[i + 1]), sys.argv[i]) for i in range(5, len(sys.argv), 2))
d = open(path, 'rb').read()
off, i, errs = 0, 0, []
while off < len(d):
    if d[off:off + 2] != b'\x55\xaa': errs.append('image %d: no 55 AA' % i); break
    p = struct.unpack_from('<H', d, off + 0x18)[0]
    if d[off + p:off + p + 4] != b'PCIR': errs.append('image %d: no PCIR' % i); break
    v, dv = struct.unpack_from('<HH', d, off + p + 4)
    ilen, crev, ctype, ind = struct.unpack_from('<HHBB', d, off + p + 0x10)
    size = ilen * 512
    if (v, dv) != (ven, dev): errs.append('image %d: %04x:%04x' % (i, v, dv))
    if d[off + p + 0xd:off + p + 0x10] != b'\x00\x00\x02': errs.append('image %d: class' % i)
    last = bool(ind & 0x80)
    if last != (off + size == len(d)): errs.append('image %d: last bit %d at %d of %d' % (i, last, off + size, len(d)))
    if ctype == 0 and sum(d[off:off + size]) % 256: errs.append('image %d: legacy checksum' % i)
    if ctype == 3:
        sig, = struct.unpack_from('<I', d, off + 4)
        init, = struct.unpack_from('<H', d, off + 2)
        sub, mach, comp = struct.unpack_from('<HHH', d, off + 8)
        peoff, = struct.unpack_from('<H', d, off + 0x16)
        if sig != 0xef1: errs.append('image %d: efi sig %x' % (i, sig))
        if (sub, mach, comp) != (11, 0x8664, 0): errs.append('image %d: sub/mach/comp %d/%x/%d' % (i, sub, mach, comp))
        if init * 512 != size: errs.append('image %d: init size %d != %d' % (i, init * 512, size))
        if d[off + peoff:off + peoff + 2] != b'MZ': errs.append('image %d: no MZ at 0x%x' % (i, peoff))
        if i in pes:
            pe = open(pes[i], 'rb').read()
            if d[off + peoff:off + peoff + len(pe)] != pe: errs.append('image %d: PE bytes differ' % i)
            if peoff + len(pe) > size or size - (peoff + len(pe)) >= 512: errs.append('image %d: size %d for PE %d' % (i, size, len(pe)))
    off += size; i += 1
    if last: break
if i != nimg: errs.append('%d images, want %d' % (i, nimg))
print('; '.join(errs) if errs else 'ok')
PY
}

# 1. Our driver alone, as for virtio-net.
drv=build/efi/aoeboot-drv.efi
$MKROM -o "$tmp/one.rom" --vendor 0x1af4 --device 0x1000 "$drv"
r=$(check_rom "$tmp/one.rom" 1 0x1af4 0x1000 "$drv" 0)
[ "$r" = ok ] && pass "mkrom_driver_only ($(stat -c %s "$tmp/one.rom") bytes for a $(stat -c %s "$drv") byte driver)" || fail mkrom_driver_only "$r"

# 2. Appended to QEMU's iPXE e1000 ROM (legacy + EFI): 3 images.
$MKROM -o "$tmp/three.rom" --vendor 0x8086 --device 0x100e --base "$IPXE/efi-e1000.rom" "$drv"
r=$(check_rom "$tmp/three.rom" 3 0x8086 0x100e "$drv" 2)
if [ "$r" = ok ] && cmp -s -n 75264 "$tmp/three.rom" "$IPXE/efi-e1000.rom"; then
	pass mkrom_append_to_ipxe
else
	fail mkrom_append_to_ipxe "$r (or the legacy image changed)"
fi

# 3. Rebuild efi-e1000.rom: pxe-e1000.rom (last bit cleared, checksum
#    fixed) + iPXE's own EFI driver; the legacy image must match QEMU's.
$MKROM --extract 1 "$IPXE/efi-e1000.rom" "$tmp/ipxe.efi"
$MKROM -o "$tmp/rebuilt.rom" --vendor 0x8086 --device 0x100e --base "$IPXE/pxe-e1000.rom" "$tmp/ipxe.efi"
r=$(check_rom "$tmp/rebuilt.rom" 2 0x8086 0x100e "$tmp/ipxe.efi" 1)
if [ "$r" != ok ]; then
	fail mkrom_rebuild_efi_e1000 "$r"
elif ! cmp -s -n 75264 "$tmp/rebuilt.rom" "$IPXE/efi-e1000.rom"; then
	fail mkrom_rebuild_efi_e1000 "legacy image differs from QEMU's efi-e1000.rom: $(cmp -l -n 75264 "$tmp/rebuilt.rom" "$IPXE/efi-e1000.rom" | head -3 | tr '\n' ' ')"
else
	pass mkrom_rebuild_efi_e1000
fi

# 4. The board file gives vendor:device and the base ROM.
$MKROM -o "$tmp/board.rom" --board boards/qemu-e1000.conf "$drv"
r=$(check_rom "$tmp/board.rom" 3 0x8086 0x100e "$drv" 2)
[ "$r" = ok ] && pass mkrom_board_conf || fail mkrom_board_conf "$r"

# 5. --compress: CompressionType 1, smaller, and --info inflates it back to
#    a PE image of exactly the driver's size.
$MKROM -o "$tmp/z.rom" --vendor 0x1af4 --device 0x1000 --compress "$drv"
zinfo=$($MKROM --info "$tmp/z.rom"); zrc=$?
dsize=$(stat -c %s "$drv")
zsize=$(stat -c %s "$tmp/z.rom")
zok=$(python3 - "$tmp/z.rom" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
init, = struct.unpack_from('<H', d, 2)
sub, mach, comp = struct.unpack_from('<HHH', d, 8)
p, = struct.unpack_from('<H', d, 0x18)
ilen, = struct.unpack_from('<H', d, p + 0x10)
print('ok' if (d[:2], sub, mach, comp, d[p + 0x15]) == (b'\x55\xaa', 11, 0x8664, 1, 0x80)
      and init * 512 == len(d) == ilen * 512 else 'header %r' % ((sub, mach, comp, init, ilen),))
PY
)
if [ $zrc = 0 ] && [ "$zok" = ok ] && grep -q "EFI-compressed, [0-9]* -> $dsize bytes" <<<"$zinfo" &&
   [ "$zsize" -lt $((dsize * 3 / 4)) ]; then
	pass "mkrom_compress ($dsize byte driver -> $zsize byte ROM)"
	if $MKROM --extract 0 "$tmp/z.rom" "$tmp/z.efi" && cmp -s "$tmp/z.efi" "$drv"; then
		pass mkrom_extract_inflates
	else
		fail mkrom_extract_inflates "--extract 0 of the compressed ROM differs from the driver"
	fi
else
	fail mkrom_compress "rc $zrc, $zok, size $zsize, info: $zinfo"
fi

# 6. Refusals: an application, a non-PE file, a missing vendor, a bad base.
want_refused() {
	local name=$1 msg=$2; shift 2
	local out
	if out=$($MKROM "$@" 2>&1); then
		fail "$name" "mkrom accepted it"
	elif ! grep -q -- "$msg" <<<"$out"; then
		fail "$name" "message '$out' lacks '$msg'"
	elif [ -e "$tmp/bad.rom" ]; then
		fail "$name" "an output file was left behind"
	else
		pass "$name"
	fi
	rm -f "$tmp/bad.rom"
}
want_refused mkrom_refuses_app "an option ROM image must be an EFI driver" \
	-o "$tmp/bad.rom" --vendor 0x8086 --device 0x100e build/efi/aoeboot.efi
head -c 4096 /dev/urandom >"$tmp/junk"
want_refused mkrom_refuses_non_pe "not a PE/COFF image" \
	-o "$tmp/bad.rom" --vendor 0x8086 --device 0x100e "$tmp/junk"
want_refused mkrom_needs_ids "need --vendor and --device" -o "$tmp/bad.rom" "$drv"
want_refused mkrom_refuses_bad_base "not a PCI option ROM" \
	-o "$tmp/bad.rom" --vendor 0x8086 --device 0x100e --base "$tmp/junk" "$drv"
tb_finish
