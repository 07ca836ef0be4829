#!/bin/bash
# efi_raw.sh - the UEFI firmware boots a real kernel over AoE, end to end.
#
# vblade serves the Debian kernel as e1.0 and a tiny busybox initrd as e1.1
# on a tap in a private namespace; OVMF boots an ESP holding only
# \EFI\BOOT\BOOTX64.EFI = aoeboot built with boards/qemu-raw.conf
# (kernel=e1.0 initrd=e1.1).  aoeboot discovers, reads both targets over
# AoE, hands off through the EFI stub + LoadFile2, and the initrd's /init
# prints its marker and the command line.  Once over OVMF's own virtio-net
# SNP, once over e1000 with iPXE's efi-e1000.rom SNP.  Then with no target
# at all: a clear message, and efi_main returns to OVMF's boot manager,
# which goes on with its next boot option.  Last, a NIC without any SNP.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

kernel=$EFI_BUILD/vmlinuz
if [ ! -s "$kernel" ]; then
	scripts/fetch-kernel --quiet >/dev/null 2>&1 || true
fi
if ! make --no-print-directory -s efi >/dev/null ||
   ! make --no-print-directory -s efi BOARD=qemu-raw >/dev/null; then
	fail efi_build "make efi failed"
	exit 1
fi
if [ ! -s "$kernel" ]; then
	fail efi_raw "no kernel at $kernel (scripts/fetch-kernel failed)"
	exit 1
fi

# One raw boot over NIC $1; checks every step on the console.
raw_boot() {
	local nic=$1 name=efi_raw_$1 log con t0 secs
	efi_init "raw$nic" || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	cp "$kernel" "$EFI_TMP/kernel.img"
	efi_initrd "$EFI_TMP/initrd.img"
	efi_vblade 1 0 "$EFI_TMP/kernel.img"
	efi_vblade 1 1 "$EFI_TMP/initrd.img"
	efi_esp "$EFI_BUILD/efi/aoeboot-qemu-raw.efi"
	log=$EFI_TMP/console.log
	t0=$(date +%s%N)
	efi_qemu "$nic" "$log"
	if ! efi_wait "$log" 'EFITEST-CMDLINE|returning to the firmware' 150; then
		fail "$name" "no initrd output within 150 s; console tail:"
		efi_console "$log" | tail -n 25
		efi_cleanup
		return
	fi
	secs=$(( ($(date +%s%N) - t0) / 1000000 ))
	con=$(efi_console "$log")
	local ok=1 want
	for want in \
		'^aoeboot .*\(UEFI, board qemu-raw\)' \
		'^snp0: 52:54:00:12:34:56, MTU 1500' \
		'^target e1\.0: 7\.|^target e1\.0: [0-9]+\.[0-9] MiB, Coraid EtherDrive vblade' \
		'^target e1\.1: [0-9]+\.[0-9] MiB, Coraid EtherDrive vblade' \
		'^loaded e1\.0: [0-9.]+ MiB in [0-9]+ ms, [0-9]+ KiB/s' \
		'^loaded e1\.1: ' \
		'EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path' \
		'^EFITEST-INIT: ' \
		'^EFITEST-CMDLINE: .*console=ttyS0.* BOOTIF=01-52-54-00-12-34-56 aoeboot\.targets=e1\.0,e1\.1'
	do
		if ! grep -Eq -- "$want" <<<"$con"; then
			fail "$name" "console lacks /$want/"
			ok=0
		fi
	done
	if [ $ok = 1 ]; then
		pass "$name ($(grep -Eo '^loaded e1\.0: .*' <<<"$con"); \
kernel started $(grep -Eo '[0-9]+ ms after aoeboot started' <<<"$con"); \
qemu start to /init ${secs} ms)"
	else
		efi_console "$log" | grep -aE '^(aoeboot|snp|target|loaded|error|warning|EFI stub|EFITEST|BdsDxe)' | head -n 30
	fi
	efi_cleanup
}

# The targets come up 20 s after the machine (a switch port under spanning
# tree, a target booting late): aoeboot counts down, goes on asking and
# boots as soon as they answer.
late_target() {
	local name=efi_late_target log con
	efi_init rawlate || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	cp "$kernel" "$EFI_TMP/kernel.img"
	efi_initrd "$EFI_TMP/initrd.img"
	efi_esp "$EFI_BUILD/efi/aoeboot-qemu-raw.efi"
	log=$EFI_TMP/console.log
	efi_qemu virtio "$log"
	if ! efi_wait "$log" 'no target answers yet' 150; then
		fail "$name" "no waiting line; console tail:"
		efi_console "$log" | tail -n 20
		efi_cleanup
		return
	fi
	sleep 20
	efi_vblade 1 0 "$EFI_TMP/kernel.img"
	efi_vblade 1 1 "$EFI_TMP/initrd.img"
	if ! efi_wait "$log" 'EFITEST-CMDLINE|returning to the firmware' 150; then
		fail "$name" "no initrd output after the targets came up; console tail:"
		efi_console "$log" | tail -n 20
		efi_cleanup
		return
	fi
	con=$(efi_console "$log")
	if grep -Eq '^aoe: a target answered after [0-9]+ ms' <<<"$con" &&
	   grep -q '^EFITEST-CMDLINE: .*aoeboot\.targets=e1\.0,e1\.1' <<<"$con"; then
		pass "$name ($(grep -Eo 'a target answered after [0-9]+ ms' <<<"$con"))"
	else
		fail "$name" "did not boot from the late targets"
		grep -aE '^(aoe|target|loaded|error|warning|EFITEST)' <<<"$con" | head -n 20
	fi
	efi_cleanup
}

# No target anywhere: aoeboot asks for wait= seconds (default 40), says so
# and returns; OVMF tries its next option.
no_target() {
	local name=efi_no_target log con
	local next='BdsDxe: (loading|starting|failed to load) Boot000[3-9A-F]|>>Start PXE'
	efi_init notarget || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	efi_esp "$EFI_BUILD/efi/aoeboot.efi"
	log=$EFI_TMP/console.log
	efi_qemu virtio "$log"
	if ! efi_wait "$log" 'returning to the firmware' 240; then
		fail "$name" "aoeboot did not give up within 240 s; console tail:"
		efi_console "$log" | tail -n 25
		efi_cleanup
		return
	fi
	# OVMF reports the failed option, then starts the next one.
	efi_wait "$log" "$next" 60
	con=$(efi_console "$log")
	local ok=1 want
	for want in \
		'^aoeboot .*\(UEFI, board default\)' \
		'^aoe: no target answers yet; asking again for 40 s more' \
		'^error: no AoE targets found on 1 interface within 41500 ms' \
		'^error: aoeboot: nothing booted \(no such device\); returning to the firmware' \
		'BdsDxe: failed to start Boot0002 .*' \
		"$next"
	do
		if ! grep -Eq -- "$want" <<<"$con"; then
			fail "$name" "console lacks /$want/"
			ok=0
		fi
	done
	[ $ok = 1 ] && pass "$name (then: $(grep -Eo -- "($next)( \"[^\"]*\")?" <<<"$con" | head -n 1))"
	[ $ok = 1 ] || efi_console "$log" | grep -aE '^(aoeboot|snp|error|warning|BdsDxe)' | head -n 20
	efi_cleanup
}

# An e1000 without iPXE's ROM: OVMF has no driver for it, so no SNP at all.
# (This is also what proves that efi_raw_e1000 ran on iPXE's SNP.)
no_nic() {
	local name=efi_no_nic log con
	efi_init nonic || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	efi_esp "$EFI_BUILD/efi/aoeboot.efi"
	log=$EFI_TMP/console.log
	efi_qemu e1000-norom "$log"
	if ! efi_wait "$log" 'returning to the firmware' 90; then
		fail "$name" "aoeboot did not give up within 90 s; console tail:"
		efi_console "$log" | tail -n 25
		efi_cleanup
		return
	fi
	con=$(efi_console "$log")
	if grep -Eq '^error: no usable network interface \(Simple Network Protocol\)' <<<"$con" &&
	   ! grep -Eq '^snp[0-9]' <<<"$con"; then
		pass "$name"
	else
		fail "$name" "expected one clear 'no usable network interface' line"
		efi_console "$log" | grep -aE '^(aoeboot|snp|error|warning)'
	fi
	efi_cleanup
}

raw_boot virtio
raw_boot e1000
late_target
no_target
no_nic
exit "$EFI_FAILED"
