#!/bin/bash
# bios_conf.sh - the settings file of aoeboot.pxe: aoeboot.conf beside the
# boot file on the TFTP server the PXE ROM loaded us from, read through the
# PXE stack's TFTP API (UEFI reads it beside the program on the ESP).
#
# A legacy BIOS machine (SeaBIOS, QEMU's iPXE ROM as the PXE stack) gets
# pxe/aoeboot.pxe from dnsmasq's TFTP server; pxe/aoeboot.conf names
# entry=second and an append= word, and holds a line that is not a
# setting.  The target (e1.0) is a FAT32 disk with two BLS entries,
# "first" the default.  The console must show one message naming the bad
# line's number, "second" chosen, and the kernel must get the appended
# word.  In that boot the menu (loader.conf: 10 s) is also driven over the
# serial console (bios_menu_edit): 'e' opens the editor on second's
# command line, typed words are added, Enter boots; /proc/cmdline must
# hold second's options, the appended word and the typed one.  A second
# boot without the file boots the default entry after the countdown.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

name=bios_conf
kernel=$EFI_BUILD/vmlinuz
[ -s "$kernel" ] || scripts/fetch-kernel --quiet >/dev/null 2>&1 || true
if ! make --no-print-directory -s bios >/dev/null || [ ! -s "$kernel" ]; then
	fail $name "make bios failed or no kernel"
	exit 1
fi
export MTOOLS_SKIP_CHECK=1
PATH=$PATH:/sbin:/usr/sbin

efi_init bconf || { fail $name "cannot create namespace"; exit 1; }
tb_lan br0 10.88.0.1/24 tap0 || { fail $name "cannot build the LAN"; exit 1; }
src=$EFI_TMP/fs
mkdir -p "$src/loader/entries" "$src/linux"
cp "$kernel" "$src/linux/vmlinuz"
tb_report_initrd "$src/linux/initrd.img" BIOSTEST
for e in first second; do
	cat >"$src/loader/entries/$e.conf" <<CONF
title   Entry $e
linux   /linux/vmlinuz
initrd  /linux/initrd.img
options console=ttyS0 panic=-1 BIOSTEST-ENTRY=$e
CONF
done
printf 'default first\ntimeout 10\n' >"$src/loader/loader.conf"
efi_fat_disk "$src" "$EFI_TMP/disk.img"
tb_vblade 1 0 br0 "$EFI_TMP/disk.img"
tftp=$EFI_TMP/tftp
mkdir -p "$tftp/pxe"
cp "$EFI_BUILD/bios/aoeboot.pxe" "$tftp/pxe/"
cat >"$tftp/pxe/aoeboot.conf" <<'CONF'
# aoeboot.conf for the BIOS test machine
entry=second
this line is not a setting
append="BIOSCONF-APPENDED=yes"
CONF
chmod -R a+rX "$EFI_TMP"
if ! tb_dnsmasq br0 10.88.0.10,10.88.0.50 "$tftp" --dhcp-boot=pxe/aoeboot.pxe; then
	fail $name "dnsmasq did not start"
	exit 1
fi

# boot LOG [EDIT]: one BIOS machine, PXE first; with EDIT, once the menu
# counts down, 'e', EDIT typed at the end of the line, Enter; waits for
# the initrd's report.
boot() {
	local log=$1 edit=${2:-} nicdev
	# shellcheck disable=SC2086
	nicdev=$(tb_nic_dev bios-virtio tap0)
	# shellcheck disable=SC2086
	tb_qemu_bios "$log" "$nicdev"
	if [ -n "$edit" ]; then
		efi_wait "$log" "Booting 'Entry [a-z]+ \(e1\.0\)' in [0-9]+ s" 300 || return 1
		efi_keys e
		efi_wait "$log" '^edit> ' 30 || return 1
		sleep 1
		efi_keys "$edit"
		sleep 1
		efi_keys $'\r'
	fi
	efi_wait "$log" '^BIOSTEST-CMDLINE' 300 && tb_wait_exit 60
}

log=$EFI_TMP/boot1.log
if ! boot "$log" ' BIOSTEST-EDITED=yes'; then
	fail $name "the kernel's initrd never ran; console tail:"
	efi_console "$log" | tail -n 25 | sed 's/^/    | /'
	exit 1
fi
con=$(efi_console "$log")
bad=$(grep -c 'aoeboot\.conf:3: ' <<<"$con")
if grep -q '^settings from pxe/aoeboot.conf' <<<"$con" &&
   [ "$bad" = 1 ] &&
   grep -q "^booting 'Entry second" <<<"$con" &&
   grep -Eq '^BIOSTEST-CMDLINE: .*BIOSTEST-ENTRY=second .*BIOSCONF-APPENDED=yes' <<<"$con"; then
	pass $name "entry= and append= from tftp pxe/aoeboot.conf; line 3 reported once"
else
	fail $name "aoeboot.conf was not applied as it should be"
	grep -E '^(settings|options|error|warning|booting|BIOSTEST-CMDLINE)|aoeboot\.conf' <<<"$con" | sed 's/^/    | /'
fi
if grep -Eq '^BIOSTEST-CMDLINE: console=ttyS0 panic=-1 BIOSTEST-ENTRY=second BIOSCONF-APPENDED=yes BIOSTEST-EDITED=yes BOOTIF=01-[0-9a-f-]+ aoeboot\.targets=e1\.0$' <<<"$con"; then
	pass bios_menu_edit "'e' over COM1: the typed word is on /proc/cmdline"
else
	fail bios_menu_edit "the kernel did not get the edited command line"
	grep -E '^(edit>|command line|booting|BIOSTEST-CMDLINE)' <<<"$con" | sed 's/^/    | /'
fi

rm "$tftp/pxe/aoeboot.conf"
log=$EFI_TMP/boot2.log
if ! boot "$log"; then
	fail ${name}_none "without the file the kernel's initrd never ran; console tail:"
	efi_console "$log" | tail -n 25 | sed 's/^/    | /'
	exit 1
fi
con=$(efi_console "$log")
if ! grep -q '^settings from' <<<"$con" &&
   ! grep -Eq '^(error|warning): .*(TFTP|aoeboot\.conf)' <<<"$con" &&
   grep -q "^booting 'Entry first" <<<"$con" &&
   grep -q '^BIOSTEST-CMDLINE: .*BIOSTEST-ENTRY=first' <<<"$con"; then
	pass ${name}_none "no file: no message, the default entry boots"
else
	fail ${name}_none "without aoeboot.conf the boot was not the default one"
	grep -E '^(settings|error|warning|booting|BIOSTEST-CMDLINE)' <<<"$con" | sed 's/^/    | /'
fi
exit "$EFI_FAILED"
