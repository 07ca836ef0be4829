#!/bin/bash
# mkrom_flash.sh - scripts/flash against flashrom's dummy programmer.
#
# An emulated 512 KiB chip (dummy:emulate=VARIABLE_SIZE,image=FILE): the
# chip must hold the ROM at offset 0 followed by 0xFF; flashing again must
# save the old contents (the first ROM) as the backup; a ROM larger than a
# 64 KiB chip and a malformed ROM must be refused with the chip unchanged;
# -n must write nothing; an emulated SST25VF040 needs -c.
set -u
cd "$(dirname "$0")/../.."
. tests/testbed.sh

command -v flashrom >/dev/null || { fail flash_flashrom "flashrom not installed"; exit 1; }
make --no-print-directory -s mkrom efi-drv >/dev/null || { fail flash_make "make failed"; exit 1; }
tmp=$(mktemp -d /tmp/aoeboot-flash-t.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chip=$tmp/chip.bin
dummy() { echo "dummy:emulate=VARIABLE_SIZE,size=$1,image=$chip"; }

build/mkrom -o "$tmp/a.rom" --vendor 0x8086 --device 0x100e build/efi/aoeboot-drv.efi
build/mkrom -o "$tmp/b.rom" --vendor 0x8086 --device 0x100e \
	--base /usr/lib/ipxe/qemu/efi-e1000.rom build/efi/aoeboot-drv.efi

# expect_chip ROM: chip = ROM + 0xFF padding to 512 KiB.
expect_chip() {
	python3 - "$chip" "$1" <<'PY'
import sys
c = open(sys.argv[1], 'rb').read(); r = open(sys.argv[2], 'rb').read()
ok = len(c) == 524288 and c[:len(r)] == r and c[len(r):] == b'\xff' * (len(c) - len(r))
print('ok' if ok else 'chip %d bytes, ROM match %s' % (len(c), c[:len(r)] == r))
PY
}

if out=$(scripts/flash -p "$(dummy 524288)" -b "$tmp/backup1.bin" "$tmp/a.rom" 2>&1) &&
   [ "$(expect_chip "$tmp/a.rom")" = ok ] && build/mkrom --info "$chip" >/dev/null; then
	pass "flash_write ($(grep -o 'ROM [0-9]* bytes ([0-9]* left)' <<<"$out"))"
else
	fail flash_write "$out / $(expect_chip "$tmp/a.rom")"
fi

if scripts/flash -p "$(dummy 524288)" -b "$tmp/backup2.bin" "$tmp/b.rom" >/dev/null 2>&1 &&
   [ "$(expect_chip "$tmp/b.rom")" = ok ] &&
   cmp -s -n "$(stat -c %s "$tmp/a.rom")" "$tmp/backup2.bin" "$tmp/a.rom"; then
	pass flash_backup_then_rewrite
else
	fail flash_backup_then_rewrite "chip or backup not as expected"
fi

cp "$chip" "$tmp/before.bin"
if out=$(scripts/flash -p "$(dummy 65536)" -b "$tmp/backup3.bin" "$tmp/b.rom" 2>&1); then
	fail flash_too_big "accepted a $(stat -c %s "$tmp/b.rom") byte ROM for a 64 KiB chip"
elif ! grep -q 'the chip holds 65536' <<<"$out"; then
	fail flash_too_big "message: $out"
else
	pass flash_too_big
fi

rm -f "$chip"; cp "$tmp/before.bin" "$chip"
head -c 70000 "$tmp/b.rom" >"$tmp/broken.rom"
if out=$(scripts/flash -p "$(dummy 524288)" "$tmp/broken.rom" 2>&1); then
	fail flash_refuses_broken "accepted a truncated ROM"
elif ! grep -q 'not a well-formed option ROM' <<<"$out" || ! cmp -s "$chip" "$tmp/before.bin"; then
	fail flash_refuses_broken "message '$out' or the chip changed"
else
	pass flash_refuses_broken
fi

if out=$(scripts/flash -n -p "$(dummy 524288)" -b "$tmp/backup4.bin" "$tmp/a.rom" 2>&1) &&
   grep -q 'dry run' <<<"$out" && cmp -s "$chip" "$tmp/before.bin" &&
   cmp -s "$tmp/backup4.bin" "$tmp/before.bin"; then
	pass flash_dry_run
else
	fail flash_dry_run "$out"
fi
# A real SPI chip model (SST25VF040, 512 KiB): flashrom sees two matching
# definitions, so -c must pick one; without it the wrapper stops with
# flashrom's explanation before touching the chip.
sst="dummy:emulate=SST25VF040.REMS,image=$tmp/sst.bin"
if out=$(scripts/flash -p "$sst" "$tmp/a.rom" 2>&1); then
	fail flash_spi_chip "accepted an ambiguous chip without -c"
elif ! grep -q 'specify which chip' <<<"$out" || [ -e "$tmp/sst.bin" ]; then
	fail flash_spi_chip "message '$out' or the chip was written"
elif ! scripts/flash -p "$sst" -c SST25VF040 -b "$tmp/sstb.bin" "$tmp/a.rom" >/dev/null 2>&1 ||
     ! cmp -s -n "$(stat -c %s "$tmp/a.rom")" "$tmp/sst.bin" "$tmp/a.rom"; then
	fail flash_spi_chip "writing with -c SST25VF040 failed"
else
	pass flash_spi_chip
fi
tb_finish
