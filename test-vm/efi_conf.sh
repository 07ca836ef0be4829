#!/bin/bash
# efi_conf.sh - aoeboot.conf beside the program on a USB-stick-like ESP:
# \EFI\BOOT\BOOTX64.EFI is aoeboot.efi, \EFI\BOOT\aoeboot.conf names
# entry=second (not the disk's default) and append=, and has one bad
# line.  The console must show the file read, one message naming its
# line 3, the chosen entry booting, and the kernel's /proc/cmdline must
# hold the appended option.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

efi_prepare efi_conf

name=efi_conf_entry_append_bad_line
efi_init conf || { fail $name "cannot create namespace"; exit 1; }
efi_tap
src=$EFI_TMP/fs
mkdir -p "$src/loader/entries" "$src/linux"
cp "$kernel" "$src/linux/vmlinuz"
efi_initrd "$src/linux/initrd.img"
for e in first second; do
	cat >"$src/loader/entries/$e.conf" <<CONF
title   Entry $e
linux   /linux/vmlinuz
initrd  /linux/initrd.img
options console=ttyS0 panic=-1 EFITEST-ENTRY=$e
CONF
done
printf 'default first\n' >"$src/loader/loader.conf"
efi_fat_disk "$src" "$EFI_TMP/disk.img"
efi_vblade 1 0 "$EFI_TMP/disk.img"
efi_esp "$EFI_BUILD/efi/aoeboot.efi"
printf '%s\n' '# aoeboot.conf on the stick' 'entry=second' \
	'this line has no equals sign' 'append="EFITEST-CONF=yes"' \
	'timeout=0' >"$EFI_TMP/esp/EFI/BOOT/aoeboot.conf"
log=$EFI_TMP/console.log
efi_qemu virtio "$log"

if ! efi_wait "$log" 'EFITEST-CMDLINE' 180; then
	fail $name "the kernel's initrd never ran; console tail:"
	efi_console "$log" | tail -n 20
	exit 1
fi
con=$(efi_console "$log")
nbad=$(grep -c 'aoeboot\.conf:3: ' <<<"$con")
if grep -Eq '^settings from \\EFI\\BOOT\\aoeboot\.conf' <<<"$con" &&
   [ "$nbad" = 1 ] &&
   grep -Eq "^booting 'Entry second \(e1\.0\)'" <<<"$con" &&
   grep -Eq '^EFITEST-CMDLINE: console=ttyS0 panic=-1 EFITEST-ENTRY=second EFITEST-CONF=yes BOOTIF=01-52-54-00-12-34-56 aoeboot\.targets=e1\.0$' <<<"$con"; then
	pass $name
else
	fail $name "$nbad line-3 messages; console:"
	grep -E "aoeboot\.conf|^(EFITEST|command line|booting|settings|warning)" <<<"$con"
fi
exit "$EFI_FAILED"
