#!/bin/bash
# e2e_layouts.sh - aoeboot.efi (no settings) on two other disk layouts,
# each booted to the real root's init through our initrd:
#   e2e_gpt_esp_md090  two GPT disks: p1 a FAT32 ESP holding BLS entries,
#                      the kernel and the initrd (on the first disk), p2
#                      RAID1 members with md metadata 0.90 (made by real
#                      mdadm) holding the ext4 root, root=/dev/md5
#   e2e_mbr_extlinux   one MBR disk: p1 FAT16 with /extlinux/extlinux.conf
#                      (DEFAULT, LABEL, MENU LABEL, KERNEL, INITRD, APPEND),
#                      p2 the ext4 root, root=LABEL=
# The root's /sbin/init prints E2E-ROOT-INIT <name>, /proc/mdstat and its
# command line, then powers off.  Images are cached in build/test-vm/layouts.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

if ! make --no-print-directory -s efi initramfs >/dev/null 2>&1; then
	fail e2e_layouts_setup "make efi initramfs failed"
	exit 1
fi
PATH=$PATH:/sbin:/usr/sbin
. test-vm/layouts-lib.sh
layouts_build e2e_layouts || exit 1

# boot NAME ROOTNAME CHECK-REGEX DISKS...: serve DISKS as e11.0, e11.1, ...
boot() {
	local name=$1 rootname=$2 re=$3 log con slot=0 d
	shift 3
	efi_init "$name" || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	efi_esp "$EFI_BUILD/efi/aoeboot.efi"
	for d in "$@"; do
		cp "$IMG/$d.img" "$EFI_TMP/$d.img"
		efi_vblade 11 "$slot" "$EFI_TMP/$d.img"
		slot=$((slot + 1))
	done
	log=$EFI_TMP/console.log
	efi_qemu virtio "$log"
	if ! efi_wait "$log" "E2E-ROOT-CMDLINE" 240; then
		fail "$name" "the real root's init never ran; console tail:"
		efi_console "$log" | tail -n 25 | sed 's/^/    | /'
		efi_cleanup
		return
	fi
	vm_wait_exit 30 || true
	con=$(efi_console "$log")
	if ! grep -q "^E2E-ROOT-INIT $rootname" <<<"$con"; then
		fail "$name" "a different root came up: $(grep E2E-ROOT-INIT <<<"$con")"
	elif ! grep -Eq -- "$re" <<<"$con"; then
		fail "$name" "console lacks /$re/: $(grep -E 'E2E-ROOT-CMDLINE|md5' <<<"$con" | tr '\n' '|')"
	elif ! grep -q 'E2E-ROOT-CMDLINE .*BOOTIF=01-' <<<"$con"; then
		fail "$name" "no BOOTIF= on the root's command line"
	else
		pass "$name"
	fi
	efi_cleanup
}

boot e2e_gpt_esp_md090 gpt-md5 'md5 : active raid1 .*\[2/2\] \[UU\]|\[2/2\] \[UU\]' g0 g1
boot e2e_mbr_extlinux mbr-ext4 'E2E-ROOT-CMDLINE root=LABEL=mbrroot ro console=ttyS0' m0
exit "$EFI_FAILED"
