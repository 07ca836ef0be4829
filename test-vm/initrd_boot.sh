#!/bin/bash
# initrd_boot.sh - our initramfs boots a Debian kernel's root from AoE:
# The VM has two NICs: virtio-net on tap0 (shelf 11 is there) and an e1000 on
# tap1 (shelf 12).
#   md0   RAID1 metadata 1.2 on whole AoE disks, made on another host;
#         root=/dev/md0, aoeboot.targets=, no NIC named: AoE on both
#   md5   RAID1 metadata 0.90 on GPT partitions (preferred minor 5);
#         root=LABEL=, the e1000 chosen by BOOTIF=
#   plain a plain ext4 partition; root=UUID=, aoeboot.iface=<MAC>,
#         rootfstype=, rootflags=, rw, rootdelay=, init= with arguments
# initrd-size checks build/initramfs.img <= 3 MiB.
# Each boot asserts on the serial console that the real root's /sbin/init ran,
# on the device we meant, and saw the arrays [UU].
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/initrd_common.sh"
vm_init initrd-boot
vm_tap tap0
vm_tap tap1
if ! initrd_prepare >"$VM_TMP/prepare.log" 2>&1; then
	fail initrd-prepare "cannot build kernel/initramfs/images: $(tail -n 5 "$VM_TMP/prepare.log" | tr '\n' ' ')"
	exit 1
fi
initrd_disks d11a d11b d12a d12b
# The size goal: build/initramfs.img (xz) at most 3 MiB.
size=$(stat -c %s "$VM_ROOT/build/initramfs.img")
if [ "$size" -le $((3 * 1024 * 1024)) ]; then
	echo "build/initramfs.img: $size bytes"
	pass initrd-size-under-3MiB
else
	fail initrd-size-under-3MiB "build/initramfs.img is $size bytes, over 3 MiB"
fi
vm_vblade 11 0 tap0 "$VM_TMP/d11a"
vm_vblade 11 1 tap0 "$VM_TMP/d11b"
vm_vblade 12 0 tap1 "$VM_TMP/d12a"
vm_vblade 12 1 tap1 "$VM_TMP/d12b"
mac0=52:54:00:a0:eb:01
mac1=52:54:00:a0:eb:02
# shellcheck disable=SC2207
nics=($(vm_nic_args tap0 virtio-net-pci $mac0) $(vm_nic_args tap1 e1000 $mac1))

# boot NAME APPEND REGEX...: boot, wait for the root's init, check every REGEX.
boot() {
	local name=$1 append=$2 log=$VM_TMP/$1.console re
	shift 2
	initrd_boot "$log" "$append" "${nics[@]}"
	if ! vm_wait "$log" '^AOEBOOT-ROOT-DONE' 150; then
		fail "$name" "the root's init did not finish"
		vm_log_tail "$log" 25
		vm_kill "$VM_QEMU_PID"
		return
	fi
	vm_wait_exit 30 || { fail "$name" "VM did not power off"; return; }
	for re in "$@"; do
		if ! tr -d '\r' <"$log" | grep -Eq -- "$re"; then
			fail "$name" "console lacks /$re/"
			vm_log_tail "$log" 25
			return
		fi
	done
	pass "$name"
}

boot initrd-md0-metadata-1.2 \
	"root=/dev/md0 aoeboot.targets=e11.0,e11.1 aoeboot.timeout=20" \
	'^AOEBOOT-ROOT-INIT md0 root=/dev/md0 ' \
	'aoeboot: AoE interfaces: eth0 eth1$' \
	'^AOEBOOT-ROOT-MOUNT ext4 ro,' \
	'^md0 : active raid1 ' '\[2/2\] \[UU\]' 'aoeboot: md0 is up \[UU\]'

boot initrd-md5-metadata-0.90-label \
	"root=LABEL=aoe-md5 BOOTIF=01-${mac1//:/-} aoeboot.timeout=20" \
	"aoeboot:   eth[01] $mac1 driver e1000\$" \
	"aoeboot: AoE interfaces: eth[01]\$" \
	'^AOEBOOT-ROOT-INIT md5 root=/dev/md5 ' \
	'^md5 : active raid1 etherd/e12\.[01]p1' '\[2/2\] \[UU\]'

boot initrd-plain-uuid \
	"root=UUID=$PLAIN_UUID rootfstype=ext4 rootflags=noatime rw rootdelay=1 aoeboot.iface=${mac1^^} aoeboot.targets=e12.0 init=/sbin/init initarg" \
	'^aoeboot: rootdelay: waiting 1s$' \
	"aoeboot:   eth[01] $mac1 driver e1000\$" \
	"aoeboot: AoE interfaces: eth[01]\$" \
	'^AOEBOOT-ROOT-MOUNT ext4 rw,noatime' \
	'^AOEBOOT-ROOT-INIT plain root=/dev/etherd/e12\.0p2 args=.*initarg'
