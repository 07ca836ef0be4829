#!/bin/bash
# mkrom_info.sh - `mkrom --info` on Debian's iPXE ROMs and on damaged ones.
#
# The listing must name each image's offset, code type, vendor:device,
# size, last flag and EFI subsystem/machine exactly as the bytes say; a
# truncated ROM, a bad PCIR pointer, a length past the end, a damaged
# compressed image and random bytes must each give a clear message and
# status 1, never a crash.
set -u
cd "$(dirname "$0")/../.."
MKROM=build/mkrom
IPXE=/usr/lib/ipxe/qemu
. tests/testbed.sh

make --no-print-directory -s mkrom >/dev/null || { fail mkrom_make "make mkrom failed"; exit 1; }
tmp=$(mktemp -d /tmp/aoeboot-mkinfo.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# has NAME OUTPUT LINE...: every LINE (fixed string) appears in OUTPUT.
has() {
	local name=$1 out=$2 line; shift 2
	for line in "$@"; do
		if ! grep -qF -- "$line" <<<"$out"; then
			fail "$name" "output lacks '$line'"
			printf '%s\n' "$out" | sed 's/^/    | /'
			return
		fi
	done
	pass "$name"
}

out=$($MKROM --info "$IPXE/efi-e1000.rom"); rc=$?
[ $rc = 0 ] || fail mkrom_info_efi_e1000 "status $rc"
has mkrom_info_efi_e1000 "$out" \
	"image 0: offset 0x000000, size 75264, code type 0 (x86 legacy), vendor:device 8086:100e, class 020000, last 0" \
	"legacy: init size 75264, checksum ok" \
	"image 1: offset 0x012600, size 174592, code type 3 (EFI), vendor:device 8086:100e, class 020000, last 1" \
	"efi: subsystem 11 (boot-service driver), machine 0x8664 (x64), compression 0, init size 174592, PE at 0x38" \
	"total: 249856 bytes of images, file 249856 bytes"

out=$($MKROM --info "$IPXE/efi-virtio.rom")
has mkrom_info_efi_virtio "$out" "vendor:device 1af4:1041" "image 1: offset 0x012800"

out=$($MKROM --info "$IPXE/pxe-e1000.rom")
has mkrom_info_pxe_e1000 "$out" \
	"image 0: offset 0x000000, size 75264, code type 0 (x86 legacy), vendor:device 8086:100e, class 020000, last 1"

# Damaged copies: each must be refused with status 1 and a reason.
bad() {
	local name=$1 msg=$2 file=$3 out rc
	out=$($MKROM --info "$file" 2>&1); rc=$?
	if [ $rc != 1 ]; then
		fail "$name" "status $rc, want 1"
	elif ! grep -qF -- "$msg" <<<"$out"; then
		fail "$name" "output '$out' lacks '$msg'"
	else
		pass "$name"
	fi
}
head -c 100000 "$IPXE/efi-e1000.rom" >"$tmp/trunc.rom"
bad mkrom_info_truncated "image length beyond the end of the file" "$tmp/trunc.rom"
head -c 4096 "$IPXE/pxe-e1000.rom" >"$tmp/pcir.rom"
printf '\xf0\xff' | dd of="$tmp/pcir.rom" bs=1 seek=24 conv=notrunc status=none
bad mkrom_info_bad_pcir_pointer "PCIR offset beyond the end" "$tmp/pcir.rom"
cp "$IPXE/pxe-e1000.rom" "$tmp/sum.rom"
printf '\x01' | dd of="$tmp/sum.rom" bs=1 seek=1000 conv=notrunc status=none
bad mkrom_info_bad_checksum "checksum BAD" "$tmp/sum.rom"
make --no-print-directory -s efi-drv >/dev/null
build/mkrom -o "$tmp/z.rom" --vendor 0x1af4 --device 0x1000 --compress build/efi/aoeboot-drv.efi
head -c 2000 /dev/urandom | dd of="$tmp/z.rom" bs=1 seek=4000 conv=notrunc status=none
bad mkrom_info_bad_compressed "does not inflate to a PE image" "$tmp/z.rom"
head -c 65536 /dev/urandom >"$tmp/random.rom"
bad mkrom_info_random "not a PCI option ROM" "$tmp/random.rom"
: >"$tmp/empty.rom"
bad mkrom_info_empty "not a PCI option ROM" "$tmp/empty.rom"
# Random bytes after a valid signature and PCIR pointer, 200 times: status
# 0 or 1 only (a crash would be 139).
cp "$IPXE/efi-e1000.rom" "$tmp/fuzz.rom"
crashes=0
for i in $(seq 200); do
	head -c 64 /dev/urandom | dd of="$tmp/fuzz.rom" bs=1 seek=$(( (i * 7919) % 2048 )) conv=notrunc status=none
	$MKROM --info "$tmp/fuzz.rom" >/dev/null 2>&1
	rc=$?
	[ $rc -le 1 ] || crashes=$((crashes + 1))
done
[ $crashes = 0 ] && pass mkrom_info_mangled_200 || fail mkrom_info_mangled_200 "$crashes runs exited abnormally"
tb_finish
