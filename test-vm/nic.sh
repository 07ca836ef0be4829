#!/bin/bash
# nic.sh - the native NIC drivers (src/drivers/net) against vblade.
#
# QEMU -machine pc (SeaBIOS) starts build/nic/nictest.elf as a multiboot
# kernel; the NIC has romfile= empty, so no iPXE ROM or PXE stack is
# there: only our driver talks to the card.  The program discovers the AoE
# target vblade serves on the test's own tap, reads it end to end and
# prints its sha256, which must equal the image file's; then it resets the
# cards, brings them up again and reads the first MiB once more
# (NICTEST-REOPEN), which shows the reset left them as from power-on.
# Cases: virtio-net (1af4:1000, legacy I/O BAR), e1000 (8086:100e, MMIO;
# also QEMU's e1000-82545em, 8086:100f),
# and both cards at once on one bridge (nic_probe_all finds both, the
# target has two paths and the engine spreads the reads over them), all at
# MTU 1500; and virtio-net at MTU 9000, told by the device (host_mtu=,
# VIRTIO_NET_F_MTU), 17 sectors per frame; both cards on a Q35 machine;
# e1000 behind a PCI-PCI bridge (the scan must reach bus 1).  Each card
# must report the MAC address QEMU was given for it, and the MTU.  The NICTEST-RATE lines are shown for information only.
set -u
cd "$(dirname "$0")/.."
. test-vm/lib.sh
PATH=$PATH:/sbin:/usr/sbin

if ! make --no-print-directory -s nictest >/dev/null; then
	fail nic_build "make nictest failed"
	exit 1
fi
ELF=$VM_ROOT/build/nic/nictest.elf

# nic_case NAME APPEND MTU MACHINE MODEL...: one VM (QEMU -machine MACHINE,
# plus the devices in $NIC_EXTRA) with one NIC of each MODEL, all on one
# bridge of that MTU with vblade; prints PASS/FAIL NAME.  $NIC_EXPECT, if
# set, is a regex some console line must match.
nic_case() {
	local name=$1 append=$2 mtu=$3 machine=$4 model i want got log mac macs_ok spf
	local args=()
	shift 4
	# shellcheck disable=SC2206
	args+=(${NIC_EXTRA:-})
	vm_init "$name"
	ip -n "$VM_NS" link add br0 type bridge
	ip -n "$VM_NS" link set br0 mtu "$mtu" up
	i=0
	for model in "$@"; do
		vm_tap "tap$i"
		ip -n "$VM_NS" link set "tap$i" mtu "$mtu" master br0
		args+=(-netdev "tap,id=n$i,ifname=tap$i,script=no,downscript=no"
		       -device "$model,netdev=n$i,romfile=,mac=52:54:00:0c:00:0$i")
		i=$((i + 1))
	done
	# Not a multiple of a MiB, so the last aoe_read() is a short one.
	head -c $((3 * 1024 * 1024 + 7 * 512)) /dev/urandom >"$VM_TMP/disk.img"
	want=$(sha256sum "$VM_TMP/disk.img" | cut -d' ' -f1)
	vm_vblade 11 0 br0 "$VM_TMP/disk.img"
	log=$VM_TMP/console.log
	vm_qemu "$log" -machine "$machine" -kernel "$ELF" -append "$append" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "${args[@]}"
	if ! vm_wait "$log" '^NICTEST-(DONE|FAIL)' 240; then
		fail "$name" "no NICTEST-DONE within 240 s; console tail:"
		vm_log_tail "$log"
	elif tr -d '\r' <"$log" | grep -q '^NICTEST-FAIL'; then
		fail "$name" "$(tr -d '\r' <"$log" | grep -m1 '^NICTEST-FAIL')"
		vm_log_tail "$log"
	else
		got=$(tr -d '\r' <"$log" | sed -n 's/^NICTEST-SHA256 e11\.0 \([0-9a-f]*\)$/\1/p')
		if [ "$got" != "$want" ]; then
			fail "$name" "sha256 ${got:-missing}, image has $want"
			vm_log_tail "$log"
		elif ! tr -d '\r' <"$log" | grep -q '^NICTEST-REOPEN ok'; then
			fail "$name" "the cards did not come up again after the reset"
			vm_log_tail "$log"
		elif [ $# -gt 1 ] &&
		     ! tr -d '\r' <"$log" | grep -q "^NICTEST-TARGET e11\.0 .* $# paths,"; then
			fail "$name" "the target was not reached through all $# NICs"
			vm_log_tail "$log"
		elif [ $# -gt 1 ] &&
		     [ "$(tr -d '\r' <"$log" | grep -Ec "^(virtio-net|e1000)@.*MTU $mtu\$")" -lt $((2 * $#)) ]; then
			fail "$name" "not every NIC came up (twice, before and after the reset)"
			vm_log_tail "$log"
		else
			# Each card must report the MAC QEMU gave it (RAL/RAH or
			# the EEPROM for e1000, the config space for virtio).
			macs_ok=1 i=0
			for model in "$@"; do
				mac=52:54:00:0c:00:0$i
				tr -d '\r' <"$log" | grep -q "^[a-z0-9-]*@[0-9a-f:.]*: $mac, MTU $mtu\$" ||
					macs_ok=0
				i=$((i + 1))
			done
			# (MTU - 36) / 512 sectors per frame: 2 at 1500, 17 at 9000.
			spf=$(( (mtu - 36) / 512 ))
			if [ $macs_ok = 0 ]; then
				fail "$name" "a NIC did not report the MAC address and MTU $mtu QEMU gave it"
				vm_log_tail "$log"
			elif ! tr -d '\r' <"$log" | grep -q "^NICTEST-TARGET e11\.0 .* $spf per frame,"; then
				fail "$name" "the engine did not use $spf sectors per frame"
				vm_log_tail "$log"
			elif [ -n "${NIC_EXPECT:-}" ] &&
			     ! tr -d '\r' <"$log" | grep -qE -- "$NIC_EXPECT"; then
				fail "$name" "no console line matches $NIC_EXPECT"
				vm_log_tail "$log"
			else
				tr -d '\r' <"$log" | grep -E '^NICTEST-(TARGET|RATE)' | sed 's/^/    /'
				pass "$name"
			fi
		fi
	fi
	vm_cleanup
}

nic_case nic_virtio div64 1500 pc virtio-net-pci
nic_case nic_e1000 div64 1500 pc e1000
nic_case nic_e1000_82545em "" 1500 pc e1000-82545em
nic_case nic_virtio_e1000 "" 1500 pc virtio-net-pci e1000
# Jumbo frames: the device announces its MTU (VIRTIO_NET_F_MTU).
nic_case nic_virtio_jumbo "" 9000 pc virtio-net-pci,host_mtu=9000
# Q35 (PCIe root bus), and a card behind a PCI-PCI bridge (bus 1).
nic_case nic_q35_virtio_e1000 "" 1500 q35 virtio-net-pci e1000
NIC_EXTRA="-device pci-bridge,id=pb1,chassis_nr=1" NIC_EXPECT='^e1000@01:03\.0: ' \
	nic_case nic_e1000_bus1 "" 1500 pc e1000,bus=pb1,addr=3
