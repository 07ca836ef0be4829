#!/bin/bash
# initrd_degraded.sh - RAID1 root with one member's AoE target down: the
# initrd waits aoeboot.timeout= for it, says which target is missing and that
# md0 is degraded, and the real root still boots, seeing [U_]/[_U].  BOOTIF=
# names a NIC that is not there: after 5 s every Ethernet NIC is used.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/initrd_common.sh"
vm_init initrd-degr
vm_tap tap0
if ! initrd_prepare >"$VM_TMP/prepare.log" 2>&1; then
	fail initrd-prepare "cannot build kernel/initramfs/images: $(tail -n 5 "$VM_TMP/prepare.log" | tr '\n' ' ')"
	exit 1
fi
initrd_disks d11b
vm_vblade 11 1 tap0 "$VM_TMP/d11b"     # e11.0 is down
log=$VM_TMP/console
initrd_boot "$log" "root=/dev/md0 aoeboot.targets=e11.0,e11.1 aoeboot.timeout=4 BOOTIF=01-02-00-00-00-00-99"
name=initrd-raid1-degraded
if ! vm_wait "$log" '^AOEBOOT-ROOT-DONE' 150; then
	fail $name "the root's init did not finish"
	vm_log_tail "$log" 30
	exit 1
fi
vm_wait_exit 30
ok=1
for re in 'aoeboot: no network interface has the BOOTIF address 02:00:00:00:00:99; using every Ethernet NIC' \
	'aoeboot: AoE interfaces: eth0$' \
	'aoeboot: target\(s\) e11\.0 did not answer within 4s' \
	'aoeboot: md0 is degraded \(\[_U\]\)' \
	'^AOEBOOT-ROOT-INIT md0 root=/dev/md0 ' \
	'^md0 : active raid1 etherd/e11\.1\[1\]' '\[2/1\] \[_U\]'; do
	if ! tr -d '\r' <"$log" | grep -Eq -- "$re"; then
		fail $name "console lacks /$re/"
		vm_log_tail "$log" 30
		ok=0
		break
	fi
done
[ $ok = 1 ] && pass $name
