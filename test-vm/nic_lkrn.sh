#!/bin/bash
# nic_lkrn.sh - aoeboot.lkrn with no PXE stack: the native NIC drivers boot
# the demo RAID1 to its real root.
#
# QEMU -machine pc (SeaBIOS) starts build/bios/aoeboot.lkrn with -kernel;
# the NIC has romfile= empty, so there is no iPXE and no PXE stack: the
# BIOS platform brings the card up with src/drivers/net (nic_probe_all),
# discovers the demo pair e11.0/e11.1 (scripts/mkdemo: md 1.2 RAID1 with a
# BLS entry), loads its kernel and our initrd, resets the card before the
# jump, and Linux (its own virtio_net / e1000 driver, BOOTIF= naming our
# card) assembles the array and runs the real root's init.  Asserted on
# the serial console: the card's line with the MAC QEMU gave it, the
# kernel's command line carrying BOOTIF= of that MAC, and the root's
# AOEBOOT-DEMO-ROOT-INIT.  Once for virtio-net, once for e1000.
set -u
cd "$(dirname "$0")/.."
. test-vm/lib.sh
PATH=$PATH:/sbin:/usr/sbin

if ! make --no-print-directory -s bios initramfs >/dev/null ||
   ! scripts/mkdemo >/dev/null; then
	fail nic_lkrn_build "make bios initramfs or scripts/mkdemo failed"
	exit 1
fi

# lkrn_case NAME MODEL MAC
lkrn_case() {
	local name=$1 model=$2 mac=$3 log bootif
	vm_init "$name"
	vm_tap tap0
	cp build/demo/a.img build/demo/b.img "$VM_TMP/"
	vm_vblade 11 0 tap0 "$VM_TMP/a.img"
	vm_vblade 11 1 tap0 "$VM_TMP/b.img"
	log=$VM_TMP/console.log
	vm_qemu "$log" -machine pc -kernel build/bios/aoeboot.lkrn \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
		-device "$model,netdev=n0,romfile=,mac=$mac"
	bootif="BOOTIF=01-${mac//:/-}"
	if ! vm_wait "$log" '^AOEBOOT-DEMO-ROOT-INIT' 600; then
		fail "$name" "the real root's init did not run within 600 s; console tail:"
		vm_log_tail "$log" 30
	elif ! tr -d '\r' <"$log" | grep -q '^no PXE stack: 1 NIC through the native drivers'; then
		fail "$name" "aoeboot did not report running without a PXE stack"
		vm_log_tail "$log" 30
	elif ! tr -d '\r' <"$log" | grep -qE "^(virtio-net|e1000)@[0-9a-f:.]*: $mac, MTU 1500$"; then
		fail "$name" "no native driver line for $mac"
		vm_log_tail "$log" 30
	elif ! tr -d '\r' <"$log" | grep -q "Command line: .*$bootif"; then
		fail "$name" "the kernel's command line lacks $bootif"
		vm_log_tail "$log" 30
	else
		pass "$name"
	fi
	vm_cleanup
}

lkrn_case nic_lkrn_virtio virtio-net-pci 52:54:00:0c:01:01
lkrn_case nic_lkrn_e1000 e1000 52:54:00:0c:01:02
