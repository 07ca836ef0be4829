#!/bin/bash
# efi_ipxe.sh - iPXE chains aoeboot with settings on its command line.
#
# OVMF PXE-boots iPXE (snponly.efi, on OVMF's virtio-net SNP); iPXE does
# its own DHCP, fetches boot.ipxe, which runs
#   chain tftp://.../aoeboot.efi targets=e1.0 entry=good append=EFITEST-LOADOPT=yes timeout=0
# aoeboot (the default board) must read those words from LoadOptions
# (UCS-2, the image name first), take the NIC away from iPXE and boot the
# "good" BLS entry from the FAT32 target e1.0 (not the default entry),
# with the appended word on the kernel command line.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

kernel=$EFI_BUILD/vmlinuz
ipxe=/usr/lib/ipxe/snponly.efi
[ -s "$kernel" ] || scripts/fetch-kernel --quiet >/dev/null 2>&1 || true
if ! make --no-print-directory -s efi >/dev/null; then
	fail efi_ipxe "make efi failed"
	exit 1
fi
[ -s "$kernel" ] || { fail efi_ipxe "no kernel at $kernel"; exit 1; }
[ -s "$ipxe" ] || { fail efi_ipxe "no $ipxe (Debian package ipxe)"; exit 1; }
export MTOOLS_SKIP_CHECK=1
PATH=$PATH:/sbin:/usr/sbin

name=efi_ipxe_chain_options
efi_init ipxe || { fail $name "cannot create namespace"; exit 1; }
efi_tap
ip -n "$EFI_NS" addr add 10.78.0.1/24 dev tap0

src=$EFI_TMP/fs
mkdir -p "$src/loader/entries" "$src/linux"
cp "$kernel" "$src/linux/vmlinuz"
efi_initrd "$src/linux/initrd.img"
for e in good other; do
	cat >"$src/loader/entries/$e.conf" <<CONF
title   Entry $e
linux   /linux/vmlinuz
initrd  /linux/initrd.img
options console=ttyS0 panic=-1 EFITEST-ENTRY=$e
CONF
done
printf 'default other\ntimeout 5\n' >"$src/loader/loader.conf"
efi_fat_disk "$src" "$EFI_TMP/disk.img"
efi_vblade 1 0 "$EFI_TMP/disk.img"

tftp=$EFI_TMP/tftp
mkdir -p "$tftp"
cp "$ipxe" "$tftp/ipxe.efi"
cp "$EFI_BUILD/efi/aoeboot.efi" "$tftp/aoeboot.efi"
cat >"$tftp/boot.ipxe" <<'IPXE'
#!ipxe
echo EFITEST-IPXE-SCRIPT
chain tftp://10.78.0.1/aoeboot.efi targets=e1.0 entry=good append=EFITEST-LOADOPT=yes timeout=0
IPXE
# Firmware PXE gets iPXE; iPXE (DHCP option 175) gets the script.
vm_bg dnsmasq --no-daemon --conf-file=/dev/null --port=0 --interface=tap0 \
	--bind-interfaces --dhcp-range=10.78.0.50,10.78.0.99,1h \
	--dhcp-match=set:ipxe,175 --dhcp-boot=tag:!ipxe,ipxe.efi \
	--dhcp-boot=tag:ipxe,boot.ipxe --enable-tftp --tftp-root="$tftp" \
	--dhcp-leasefile="$EFI_TMP/leases" >"$EFI_TMP/dnsmasq.log" 2>&1

mkdir -p "$EFI_TMP/esp"	# no disk to boot: PXE it is
log=$EFI_TMP/console.log
efi_qemu virtio "$log"
if ! efi_wait "$log" 'EFITEST-CMDLINE|returning to the firmware' 180; then
	fail $name "no initrd output within 180 s; console tail:"
	efi_console "$log" | tail -n 25
	exit 1
fi
con=$(efi_console "$log")
ok=1
for want in \
	'EFITEST-IPXE-SCRIPT' \
	'^aoeboot .*\(UEFI, board default\)' \
	'^options: .*aoeboot\.efi targets=e1\.0 entry=good append=EFITEST-LOADOPT=yes timeout=0' \
	'^snp0: 52:54:00:12:34:56, MTU 1500' \
	"^booting 'Entry good \(e1\.0\)'" \
	'^EFITEST-CMDLINE: console=ttyS0 panic=-1 EFITEST-ENTRY=good EFITEST-LOADOPT=yes BOOTIF=01-52-54-00-12-34-56 aoeboot\.targets=e1\.0'
do
	if ! grep -Eq -- "$want" <<<"$con"; then
		fail $name "console lacks /$want/"
		ok=0
	fi
done
[ $ok = 1 ] && pass "$name ($(grep -Eo '^snp0: .*' <<<"$con"))"
[ $ok = 1 ] || grep -aE '^(iPXE|EFITEST|aoeboot|options|snp|target|booting|loaded|error|warning|debug)' <<<"$con" | head -n 30
exit "$EFI_FAILED"
