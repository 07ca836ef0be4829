#!/bin/bash
# bios_boot.sh - aoeboot.pxe PXE-booted by a legacy BIOS boots Linux from AoE.
#
# QEMU -machine pc (SeaBIOS) network-boots first through QEMU's own iPXE
# NIC ROM (tb_nic_dev bios-virtio / bios-e1000: the PXE stack); dnsmasq in
# the test's namespace answers DHCP with boot file aoeboot.pxe and serves
# it by TFTP; vblade serves the targets.  On virtio-net and e1000 aoeboot
# unloads the PXE stack and drives the card itself ("net: virtio-net
# 00:03.0 (native driver; PXE stack unloaded)"); UNDI stays for a card no
# driver knows and for net=undi.  Five VM boots:
#   bios_pxe_virtio_raid1    virtio-net (native), the demo pair e11.0/e11.1
#                            (md 1.2 RAID1, BLS entry, scripts/mkdemo) to
#                            the real root's init, array [2/2] [UU]
#   bios_pxe_e1000_raid1     the same over e1000 (native) with only e11.0
#   bios_pxe_degraded        served, so the root runs on a degraded array
#                            [2/1]
#   bios_pxe_gpt_md090       GPT + ESP with BLS + md 0.90 RAID1 root
#                            (test-vm/layouts-lib.sh g0/g1), virtio-net
#                            with net=undi from aoeboot.conf beside
#                            aoeboot.pxe: UNDI
#   bios_pxe_late_target     in the same boot the pair comes up only 20 s
#                            after aoeboot said it is waiting (wait=, a
#                            switch port still blocking): found, boots
#   bios_pxe_mbr_root_path   MBR + extlinux (m0) as e12.0, chosen by the
#                            DHCP root path aoe:e12.0 (option 17) over the
#                            decoy demo pair e11.0/e11.1, on an e1000e
#                            (8086:10d3, iPXE's pxe-e1000e.rom; no native
#                            driver, Linux has one): UNDI
#   bios_pxe_no_target       nothing on the wire, virtio-net (native, the
#                            stack unloaded): aoeboot says so in one line,
#                            takes INT 18h, and SeaBIOS boots its next
#                            device (a disk whose boot sector prints a
#                            marker) after asking for wait= (40) seconds
# Every root case also checks the kernel's command line for BOOTIF= of the
# NIC's MAC (the PXE stack's cached DHCP answer).
set -u
cd "$(dirname "$0")/.."
. test-vm/lib.sh
PATH=$PATH:/sbin:/usr/sbin

if ! make --no-print-directory -s bios initramfs >/dev/null ||
   ! scripts/mkdemo >/dev/null; then
	fail bios_boot_build "make bios initramfs or scripts/mkdemo failed"
	exit 1
fi
command -v dnsmasq >/dev/null || { fail bios_boot_build "dnsmasq missing"; exit 1; }
. test-vm/layouts-lib.sh
layouts_build bios_boot || exit 1

# pxe_start NAME: a namespace, tap0 at 10.78.0.1, aoeboot.pxe in the TFTP root.
pxe_start() {
	vm_init "$1"
	vm_tap tap0
	ip netns exec "$VM_NS" ip addr add 10.78.0.1/24 dev tap0
	mkdir -p "$VM_TMP/tftp"
	cp build/bios/aoeboot.pxe "$VM_TMP/tftp/aoeboot.pxe"
}

# serve SHELF SLOT IMAGE: a private copy of IMAGE as target eSHELF.SLOT.
serve() {
	cp "$3" "$VM_TMP/e$1.$2.img"
	vm_vblade "$1" "$2" tap0 "$VM_TMP/e$1.$2.img"
}

# pxe_boot LOG NICKIND MAC [QEMU-ARGS...]: dnsmasq (with $DHCP_EXTRA) and
# the VM.
pxe_boot() {
	local log=$1 kind=$2 mac=$3
	shift 3
	tb_dnsmasq tap0 10.78.0.50,10.78.0.99 "$VM_TMP/tftp" \
		--dhcp-boot=aoeboot.pxe ${DHCP_EXTRA:+"$DHCP_EXTRA"} || return 1
	tb_qemu_bios "$log" "$(tb_nic_dev "$kind" tap0 "$mac")" "$@"
}

# check_root NAME LOG MAC INIT-RE STATE-RE NET-RE: the root's init line and
# the array state (or any other line) STATE-RE, aoeboot's banner, its
# "net: ..." line NET-RE, BOOTIF=MAC.
check_root() {
	local name=$1 log=$2 mac=$3 init=$4 state=$5 net=$6 con
	if ! vm_wait "$log" "$init" 600; then
		fail "$name" "the real root's init did not run within 600 s; console tail:"
		vm_log_tail "$log" 30
		return 1
	fi
	vm_wait "$log" "$state" 60 || true
	con=$(tb_console "$log")
	if ! grep -Eq '^aoeboot .* \(BIOS, pxe\)' <<<"$con"; then
		fail "$name" "no aoeboot banner '(BIOS, pxe)'"
	elif ! grep -Eq -- "^net: $net" <<<"$con"; then
		fail "$name" "no line /^net: $net/: $(grep -E '^net:|undi|native' <<<"$con" | head -n 3 | tr '\n' '|')"
	elif ! grep -Eq -- "$state" <<<"$con"; then
		fail "$name" "console lacks /$state/: $(grep -E 'raid1|md' <<<"$con" | tail -n 4 | tr '\n' '|')"
	elif ! grep -q "Command line: .*BOOTIF=01-${mac//:/-}" <<<"$con"; then
		fail "$name" "the kernel's command line lacks BOOTIF=01-${mac//:/-}"
		vm_log_tail "$log" 30
	else
		pass "$name"
		return 0
	fi
	return 1
}

# 1. virtio-net, the demo pair.
name=bios_pxe_virtio_raid1
mac=52:54:00:0b:01:01
pxe_start $name
serve 11 0 build/demo/a.img
serve 11 1 build/demo/b.img
log=$VM_TMP/console.log
DHCP_EXTRA= pxe_boot "$log" bios-virtio $mac ||
	fail $name "dnsmasq did not start"
check_root $name "$log" $mac '^AOEBOOT-DEMO-ROOT-INIT' '\[2/2\] \[UU\]' \
	'virtio-net 00:0[0-9a-f]\.0 \(native driver; PXE stack unloaded\)$'
vm_cleanup

# 2. e1000, one member down.
mac=52:54:00:0b:01:02
pxe_start bios_pxe_e1000_raid1
serve 11 0 build/demo/a.img
log=$VM_TMP/console.log
DHCP_EXTRA= pxe_boot "$log" bios-e1000 $mac ||
	fail bios_pxe_e1000_raid1 "dnsmasq did not start"
if check_root bios_pxe_e1000_raid1 "$log" $mac '^AOEBOOT-DEMO-ROOT-INIT' \
	'\[2/1\] \[U_\]' \
	'e1000 00:0[0-9a-f]\.0 \(native driver; PXE stack unloaded\)$'; then
	pass bios_pxe_degraded "e11.1 absent, md0 [2/1] [U_]"
else
	fail bios_pxe_degraded "the e1000 boot with e11.1 absent did not reach a degraded root"
fi
vm_cleanup

# 3. GPT + BLS + md 0.90.
name=bios_pxe_gpt_md090
mac=52:54:00:0b:01:03
pxe_start $name
printf '# UNDI although a driver knows the card\nnet=undi\n' \
	>"$VM_TMP/tftp/aoeboot.conf"
log=$VM_TMP/console.log
DHCP_EXTRA= pxe_boot "$log" bios-virtio $mac || fail $name "dnsmasq did not start"
# The pair comes late: only once aoeboot says it goes on asking.
late=bios_pxe_late_target
if vm_wait "$log" '^aoe: no target answers yet' 300; then
	sleep 20
else
	fail $late "no 'no target answers yet' line within 300 s"
fi
serve 11 0 "$IMG/g0.img"
serve 11 1 "$IMG/g1.img"
if check_root $name.boot "$log" $mac '^E2E-ROOT-CMDLINE' '^E2E-ROOT-INIT gpt-md5' \
	'UNDI \(net=undi\)$'; then
	if tb_console "$log" | grep -Eq '^md5 : active raid1 .*|\[2/2\] \[UU\]'; then
		pass $name
	else
		fail $name "no md5 [2/2] [UU] in /proc/mdstat"
	fi
	if answered=$(tb_console "$log" | grep -Eo '^aoe: a target answered after [0-9]+ ms'); then
		pass $late "${answered#aoe: }"
	else
		fail $late "no 'a target answered after' line"
	fi
else
	fail $name "the GPT md 0.90 root did not come up"
	fail $late "the late pair did not boot"
fi
vm_cleanup

# 4. MBR + extlinux chosen by the DHCP root path over a decoy.
name=bios_pxe_mbr_root_path
mac=52:54:00:0b:01:04
pxe_start $name
serve 11 0 build/demo/a.img
serve 11 1 build/demo/b.img
serve 12 0 "$IMG/m0.img"
log=$VM_TMP/console.log
DHCP_EXTRA=--dhcp-option=17,aoe:e12.0 pxe_boot "$log" "e1000e:$TB_IPXE_ROMS/pxe-e1000e.rom" $mac ||
	fail $name "dnsmasq did not start"
if check_root $name.boot "$log" $mac '^E2E-ROOT-CMDLINE|^AOEBOOT-DEMO-ROOT-INIT' \
	'^E2E-ROOT-INIT mbr-ext4' 'UNDI \(no native driver for 8086:10d3\)$'; then
	if tb_console "$log" | grep -q '^DHCP root path: aoe:e12\.0'; then
		pass $name
	else
		fail $name "no 'DHCP root path: aoe:e12.0' line"
	fi
else
	fail $name "the MBR root e12.0 did not come up"
fi
vm_cleanup

# 5. No target: the next boot device runs.
name=bios_pxe_no_target
mac=52:54:00:0b:01:05
pxe_start $name
tb_marker_disk "$VM_TMP/marker.img" BIOSTEST-NEXT-BOOT-DEVICE
log=$VM_TMP/console.log
DHCP_EXTRA= pxe_boot "$log" bios-virtio $mac \
	-drive "if=ide,format=raw,file=$VM_TMP/marker.img" -boot order=nc ||
	fail $name "dnsmasq did not start"
if ! vm_wait "$log" '^BIOSTEST-NEXT-BOOT-DEVICE' 300; then
	fail $name "the next boot device did not run within 300 s; console tail:"
	vm_log_tail "$log" 30
else
	con=$(tb_console "$log")
	if ! grep -Eq '^aoeboot .* \(BIOS, pxe\)' <<<"$con"; then
		fail $name "aoeboot never ran"
	elif ! grep -q '^aoe: no target answers yet; asking again for 40 s more' <<<"$con"; then
		fail $name "no 'asking again for 40 s more' line (wait=)"
	elif ! grep -q 'no AoE targets found on 1 interface within' <<<"$con"; then
		fail $name "no 'no AoE targets found' line"
		vm_log_tail "$log" 30
	elif ! grep -Eq '^net: virtio-net .*\(native driver; PXE stack unloaded\)$' <<<"$con"; then
		fail $name "not through the native driver (so not the INT 18h path): $(grep -m1 '^net:' <<<"$con")"
	else
		pass $name "$(grep -m1 'no AoE targets found' <<<"$con")"
	fi
fi
vm_cleanup
exit "$TB_FAILED"
