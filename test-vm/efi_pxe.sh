#!/bin/bash
# efi_pxe.sh - aoeboot started by OVMF's PXE over the NIC it then uses.
#
# dnsmasq in the test's namespace answers DHCP with boot file aoeboot.efi
# (served by its TFTP) and root path (option 17) "aoe:e1.0"; there is no
# disk at all, so OVMF's boot manager PXE-boots.  aoeboot must read the
# root path from the PXE base code's cached DHCP ACK before it opens the
# NIC exclusively (which tears PXE down), use that NIC first, and boot
# kernel e1.0 + initrd e1.1 (boards/qemu-raw.conf).
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

kernel=$EFI_BUILD/vmlinuz
[ -s "$kernel" ] || scripts/fetch-kernel --quiet >/dev/null 2>&1 || true
if ! make --no-print-directory -s efi BOARD=qemu-raw >/dev/null; then
	fail efi_pxe "make efi BOARD=qemu-raw failed"
	exit 1
fi
[ -s "$kernel" ] || { fail efi_pxe "no kernel at $kernel"; exit 1; }
command -v dnsmasq >/dev/null || { fail efi_pxe "dnsmasq missing"; exit 1; }

name=efi_pxe_root_path
efi_init pxe || { fail $name "cannot create namespace"; exit 1; }
efi_tap
ip netns exec "$EFI_NS" ip addr add 10.77.0.1/24 dev tap0
cp "$kernel" "$EFI_TMP/kernel.img"
efi_initrd "$EFI_TMP/initrd.img"
efi_vblade 1 0 "$EFI_TMP/kernel.img"
efi_vblade 1 1 "$EFI_TMP/initrd.img"
mkdir -p "$EFI_TMP/tftp"
cp "$EFI_BUILD/efi/aoeboot-qemu-raw.efi" "$EFI_TMP/tftp/aoeboot.efi"
ip netns exec "$EFI_NS" dnsmasq --no-daemon --conf-file=/dev/null \
	--port=0 --interface=tap0 --bind-interfaces \
	--dhcp-range=10.77.0.50,10.77.0.99,1h --dhcp-boot=aoeboot.efi \
	--dhcp-option=17,aoe:e1.0 --enable-tftp --tftp-root="$EFI_TMP/tftp" \
	--pid-file="$EFI_TMP/dnsmasq.pid" --dhcp-leasefile="$EFI_TMP/leases" \
	>"$EFI_TMP/dnsmasq.log" 2>&1 &
EFI_PIDS+=($!)

# No ESP: the only boot option that can work is PXE.
mkdir -p "$EFI_TMP/esp"
log=$EFI_TMP/console.log
efi_qemu virtio "$log"
if ! efi_wait "$log" 'EFITEST-CMDLINE|returning to the firmware' 150; then
	fail $name "no initrd output within 150 s; console tail:"
	efi_console "$log" | tail -n 25
	exit 1
fi
con=$(efi_console "$log")
ok=1
for want in \
	'>>Start PXE over IPv4' \
	'^aoeboot .*\(UEFI, board qemu-raw\)' \
	'^DHCP root path: aoe:e1\.0' \
	'^snp0: 52:54:00:12:34:56, MTU 1500, PXE boot NIC' \
	'^loaded e1\.0: ' \
	'^EFITEST-CMDLINE: .*BOOTIF=01-52-54-00-12-34-56 aoeboot\.targets=e1\.0,e1\.1'
do
	if ! grep -Eq -- "$want" <<<"$con"; then
		fail $name "console lacks /$want/"
		ok=0
	fi
done
[ $ok = 1 ] && pass $name
[ $ok = 1 ] || grep -aE '^(>>|aoeboot|DHCP|snp|target|loaded|error|warning|EFITEST)' <<<"$con" | head -n 20
exit "$EFI_FAILED"
