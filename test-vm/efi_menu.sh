#!/bin/bash
# efi_menu.sh - the boot menu over a serial terminal: countdown, 'e' edits
# the command line, Enter in the editor boots the edited line.
#
# Same set-up as efi_raw.sh (kernel e1.0, initrd e1.1 as whole targets),
# with boards/qemu-menu.conf (timeout=10).  Keys go in through QEMU's
# stdin (lib.sh's FIFO), the serial console OVMF reads.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

kernel=$EFI_BUILD/vmlinuz
[ -s "$kernel" ] || scripts/fetch-kernel --quiet >/dev/null 2>&1 || true
if ! make --no-print-directory -s efi BOARD=qemu-menu >/dev/null; then
	fail efi_menu "make efi BOARD=qemu-menu failed"
	exit 1
fi
[ -s "$kernel" ] || { fail efi_menu "no kernel at $kernel"; exit 1; }

name=efi_menu_edit
efi_init menu || { fail $name "cannot create namespace"; exit 1; }
efi_tap
cp "$kernel" "$EFI_TMP/kernel.img"
efi_initrd "$EFI_TMP/initrd.img"
efi_vblade 1 0 "$EFI_TMP/kernel.img"
efi_vblade 1 1 "$EFI_TMP/initrd.img"
efi_esp "$EFI_BUILD/efi/aoeboot-qemu-menu.efi"
log=$EFI_TMP/console.log
efi_qemu virtio "$log"

if ! efi_wait "$log" "Booting 'Linux from e1\.0 \(whole target\)' in [0-9]+ s" 90; then
	fail $name "no menu countdown; console tail:"
	efi_console "$log" | tail -n 20
	exit 1
fi
sleep 1
efi_keys e
if ! efi_wait "$log" 'edit> ' 20; then
	fail $name "'e' did not open the editor"
	efi_console "$log" | tail -n 10
	exit 1
fi
sleep 1
# type at the end of the line, then Enter boots it
efi_keys ' EFITEST-EDITED=yes'
sleep 1
efi_keys $'\r'
if ! efi_wait "$log" 'EFITEST-CMDLINE' 90; then
	fail $name "the edited entry did not boot; console tail:"
	efi_console "$log" | tail -n 20
	exit 1
fi
con=$(efi_console "$log")
if grep -Eq '^EFITEST-CMDLINE: .*console=ttyS0.*EFITEST-EDITED=yes' <<<"$con"; then
	pass $name
else
	fail $name "the kernel did not get the edited command line"
	grep -E '^(EFITEST|command line)' <<<"$con"
fi
exit "$EFI_FAILED"
