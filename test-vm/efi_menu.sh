#!/bin/bash
# efi_menu.sh - the boot menu over a serial terminal: countdown, arrow
# keys, 'e' edits the command line, Enter in the editor boots it.
#
# The default image boots from a FAT32 target with two BLS entries
# ("first" is the default, loader.conf asks for a 10 s menu).  Down arrow
# selects "second", 'e' opens the editor, typed text is appended, Enter
# boots: the kernel must get second's options plus the typed words (the
# edit replaces the entry's options) and the BOOTIF=/aoeboot.targets=
# contract.  Keys go in through QEMU's stdin (lib.sh's FIFO), the serial
# console OVMF reads.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

efi_prepare efi_menu

name=efi_menu_arrow_edit
efi_init menu || { fail $name "cannot create namespace"; exit 1; }
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
printf 'default first\ntimeout 10\n' >"$src/loader/loader.conf"
efi_fat_disk "$src" "$EFI_TMP/disk.img"
efi_vblade 1 0 "$EFI_TMP/disk.img"
efi_esp "$EFI_BUILD/efi/aoeboot.efi"
log=$EFI_TMP/console.log
efi_qemu virtio "$log"

if ! efi_wait "$log" "Booting 'Entry first \(e1\.0\)' in [0-9]+ s" 90; then
	fail $name "no menu countdown for the default entry; console tail:"
	efi_console "$log" | tail -n 20
	exit 1
fi
sleep 1
efi_keys $'\e[B'	# Down: the countdown stops, "second" is selected
if ! efi_wait "$log" 'EFITEST-ENTRY=second' 20; then
	fail $name "Down did not select the second entry (its command line)"
	efi_console "$log" | tail -n 10
	exit 1
fi
efi_keys e
if ! efi_wait "$log" 'edit> ' 20; then
	fail $name "'e' did not open the editor"
	efi_console "$log" | tail -n 10
	exit 1
fi
sleep 1
efi_keys ' EFITEST-EDITED=yes'	# the cursor starts at the end
sleep 1
efi_keys $'\r'
if ! efi_wait "$log" 'EFITEST-CMDLINE' 90; then
	fail $name "the edited entry did not boot; console tail:"
	efi_console "$log" | tail -n 20
	exit 1
fi
con=$(efi_console "$log")
if grep -Eq "^booting 'Entry second \(e1\.0\)'" <<<"$con" &&
   grep -Eq '^EFITEST-CMDLINE: console=ttyS0 panic=-1 EFITEST-ENTRY=second EFITEST-EDITED=yes BOOTIF=01-52-54-00-12-34-56 aoeboot\.targets=e1\.0$' <<<"$con"; then
	pass $name
else
	fail $name "the kernel did not get the second entry's edited command line"
	grep -E "^(EFITEST|command line|booting)" <<<"$con"
fi
exit "$EFI_FAILED"
