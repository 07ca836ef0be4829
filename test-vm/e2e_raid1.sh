#!/bin/bash
# e2e_raid1.sh - the whole job, as a user would see it: OVMF starts an ESP
# holding nothing but \EFI\BOOT\BOOTX64.EFI = aoeboot.efi (no settings);
# aoeboot discovers the two AoE targets, finds the RAID1 (md 1.2, whole
# disks), reads Debian's kernel and our initrd off ext4 on it, and hands
# off; our initrd assembles the array over AoE and switches to the real
# root, whose shell we use.  Cases:
#   e2e_virtio     OVMF's virtio-net SNP
#   e2e_e1000      iPXE's SNP (efi-e1000.rom)
#   e2e_degraded   the second member's target is down: the firmware loads
#                  from the first, the initrd assembles degraded ([U_])
# Disks: scripts/mkdemo (the same pair `make demo` boots), fresh copies.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

if ! make --no-print-directory -s efi initramfs >/dev/null 2>&1 ||
   ! scripts/mkdemo >/dev/null 2>&1; then
	fail e2e_setup "make efi initramfs / scripts/mkdemo failed"
	exit 1
fi

# run NAME NIC MEMBERS: boot and drive the root's shell; MEMBERS is "ab"
# or "a" (which demo disks get a vblade).
run() {
	local name=$1 nic=$2 members=$3 log con mac
	[ -z "${E2E_ONLY:-}" ] || [ "$E2E_ONLY" = "$name" ] || return 0
	efi_init "$name" || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	efi_esp "$EFI_BUILD/efi/aoeboot.efi"
	cp "$EFI_BUILD/demo/a.img" "$EFI_TMP/a.img"
	efi_vblade 11 0 "$EFI_TMP/a.img"
	if [ "$members" = ab ]; then
		cp "$EFI_BUILD/demo/b.img" "$EFI_TMP/b.img"
		efi_vblade 11 1 "$EFI_TMP/b.img"
	fi
	log=$EFI_TMP/console.log
	efi_qemu "$nic" "$log"
	if ! efi_wait "$log" 'AOEBOOT-DEMO-ROOT-INIT' 240; then
		fail "$name" "the real root's init never ran; console tail:"
		efi_console "$log" | tail -n 25 | sed 's/^/    | /'
		efi_cleanup
		return
	fi
	sleep 2		# let the root's shell reach its prompt
	efi_keys $'cat /proc/cmdline; poweroff\r'
	if ! vm_wait_exit 60; then
		fail "$name" "the VM did not power off from the root's shell; console tail:"
		efi_console "$log" | tail -n 15 | sed 's/^/    | /'
		efi_cleanup
		return
	fi
	con=$(efi_console "$log")
	mac=$(grep -o 'BOOTIF=01-[0-9a-f-]*' <<<"$con" | head -n 1)
	if ! grep -q '^aoeboot ' <<<"$con"; then
		fail "$name" "no aoeboot banner"
	elif ! grep -Eq 'target e11\.0: ' <<<"$con"; then
		fail "$name" "aoeboot did not list e11.0"
	elif [ "$members" = ab ] && ! grep -q 'md0 : active raid1' <<<"$con"; then
		fail "$name" "no active md0 in /proc/mdstat"
	elif [ "$members" = ab ] && ! grep -q '\[2/2\] \[UU\]' <<<"$con"; then
		fail "$name" "md0 not [UU]: $(grep -A2 '^md0' <<<"$con" | tr '\n' '|')"
	elif [ "$members" = a ] && ! grep -Eq '\[2/1\] \[(U_|_U)\]' <<<"$con"; then
		fail "$name" "md0 not degraded: $(grep -A2 '^md0' <<<"$con" | tr '\n' '|')"
	elif [ -z "$mac" ] || ! grep -q "root=/dev/md0 .*$mac" <<<"$con"; then
		fail "$name" "root's /proc/cmdline lacks root= or BOOTIF=: $(grep 'root=/dev/md0' <<<"$con" | tail -n 1)"
	elif [ "$members" = ab ] && ! grep -q 'aoeboot.targets=e11.0,e11.1' <<<"$con"; then
		fail "$name" "aoeboot.targets= is not e11.0,e11.1"
	elif [ "$members" = a ] && ! grep -Eq 'aoeboot.targets=e11.0( |$)' <<<"$con"; then
		fail "$name" "aoeboot.targets= is not e11.0"
	else
		local t
		t=$(grep -o 'loaded [^(]*MiB/s' <<<"$con" | tail -n 1)
		pass "$name${t:+ ($t)}"
	fi
	efi_cleanup
}

run e2e_virtio virtio ab
run e2e_e1000 e1000 ab
run e2e_degraded virtio a
exit "$EFI_FAILED"
