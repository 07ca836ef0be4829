#!/bin/bash
# bios_chain.sh - aoeboot.lkrn chained by another BIOS boot loader, with its
# settings on the command line, boots the demo RAID1 to the real root.
#
# QEMU -machine pc (SeaBIOS) PXE-boots through QEMU's iPXE NIC ROM; dnsmasq
# in the test's namespace gives the first loader by DHCP + TFTP:
#   bios_chain_ipxe      an iPXE script: chain tftp://.../aoeboot.lkrn
#                        targets=e11.0,e11.1 timeout=0 (virtio-net)
#   bios_chain_pxelinux  Debian's pxelinux.0 + ldlinux.c32, pxelinux.cfg/
#                        default: KERNEL aoeboot.lkrn, APPEND targets=...
#                        (e1000)
#   bios_chain_grub      a GRUB i386-pc network image (grub-mknetdir, from
#                        grub-pc-bin) whose grub.cfg runs linux16
#                        /aoeboot.lkrn targets=... and boot (virtio-net)
# Every case serves a decoy as well (the MBR + extlinux disk of
# test-vm/layouts-lib.sh as e10.0, the lowest target): the demo root coming
# up shows that targets= from the command line was used.  Asserted: the
# banner "(BIOS, lkrn)", aoeboot's "command line:" line carrying targets=,
# the real root's AOEBOOT-DEMO-ROOT-INIT and BOOTIF= of the NIC's MAC.
set -u
cd "$(dirname "$0")/.."
. test-vm/lib.sh
PATH=$PATH:/sbin:/usr/sbin

if ! make --no-print-directory -s bios initramfs >/dev/null ||
   ! scripts/mkdemo >/dev/null; then
	fail bios_chain_build "make bios initramfs or scripts/mkdemo failed"
	exit 1
fi
command -v dnsmasq >/dev/null || { fail bios_chain_build "dnsmasq missing"; exit 1; }
. test-vm/layouts-lib.sh
layouts_build bios_chain || exit 1
SETTINGS="targets=e11.0,e11.1 timeout=0"

# chain_case NAME NICKIND MAC BOOTFILE SETUP-FUNCTION
chain_case() {
	local name=$1 kind=$2 mac=$3 bootfile=$4 setup=$5 log con
	vm_init "$name"
	vm_tap tap0
	ip netns exec "$VM_NS" ip addr add 10.79.0.1/24 dev tap0
	mkdir -p "$VM_TMP/tftp"
	cp build/bios/aoeboot.lkrn "$VM_TMP/tftp/aoeboot.lkrn"
	if ! "$setup" "$VM_TMP/tftp"; then
		fail "$name" "setting up the TFTP root failed"
		vm_cleanup
		return
	fi
	cp build/demo/a.img "$VM_TMP/a.img"
	cp build/demo/b.img "$VM_TMP/b.img"
	cp "$IMG/m0.img" "$VM_TMP/m0.img"
	vm_vblade 11 0 tap0 "$VM_TMP/a.img"
	vm_vblade 11 1 tap0 "$VM_TMP/b.img"
	vm_vblade 10 0 tap0 "$VM_TMP/m0.img"
	if ! tb_dnsmasq tap0 10.79.0.50,10.79.0.99 "$VM_TMP/tftp" \
		--dhcp-boot="$bootfile"; then
		fail "$name" "dnsmasq did not start"
		vm_cleanup
		return
	fi
	log=$VM_TMP/console.log
	tb_qemu_bios "$log" "$(tb_nic_dev "$kind" tap0 "$mac")"
	if ! vm_wait "$log" '^AOEBOOT-DEMO-ROOT-INIT|^E2E-ROOT-INIT' 600; then
		fail "$name" "the real root's init did not run within 600 s; console tail:"
		vm_log_tail "$log" 30
		vm_cleanup
		return
	fi
	con=$(tb_console "$log")
	if ! grep -Eq '^aoeboot .* \(BIOS, lkrn\)' <<<"$con"; then
		fail "$name" "no aoeboot banner '(BIOS, lkrn)'"
		vm_log_tail "$log" 30
	elif ! grep -Eq "command line: .*targets=e11\.0,e11\.1" <<<"$con"; then
		fail "$name" "aoeboot did not log its command line with targets="
		vm_log_tail "$log" 30
	elif ! grep -q '^AOEBOOT-DEMO-ROOT-INIT' <<<"$con"; then
		fail "$name" "the decoy came up, not the demo root: $(grep -m1 E2E-ROOT-INIT <<<"$con")"
	elif ! grep -q "Command line: .*BOOTIF=01-${mac//:/-}" <<<"$con"; then
		fail "$name" "the kernel's command line lacks BOOTIF=01-${mac//:/-}"
		vm_log_tail "$log" 30
	else
		pass "$name"
	fi
	vm_cleanup
}

setup_ipxe() {
	printf '#!ipxe\nchain tftp://10.79.0.1/aoeboot.lkrn %s\n' "$SETTINGS" \
		>"$1/boot.ipxe"
}

setup_pxelinux() {
	local bios=/usr/lib/syslinux/modules/bios
	cp /usr/lib/PXELINUX/pxelinux.0 "$bios/ldlinux.c32" "$1/" || return 1
	mkdir -p "$1/pxelinux.cfg"
	printf 'DEFAULT aoe\nPROMPT 0\nLABEL aoe\n  KERNEL aoeboot.lkrn\n  APPEND %s\n' \
		"$SETTINGS" >"$1/pxelinux.cfg/default"
}

# GRUB's network image is made once and cached in build/test-vm/grub-net.
setup_grub() {
	local cache=$TB_BUILD/test-vm/grub-net
	if ! [ -s "$cache/boot/grub/i386-pc/core.0" ]; then
		rm -rf "$cache.tmp"
		mkdir -p "$cache.tmp"
		grub-mknetdir --net-directory="$cache.tmp" --subdir=boot/grub \
			-d /usr/lib/grub/i386-pc >"$cache.tmp.log" 2>&1 || return 1
		rm -rf "$cache"
		mv "$cache.tmp" "$cache"
	fi
	cp -r "$cache/boot" "$1/" || return 1
	printf 'set timeout=0\nlinux16 /aoeboot.lkrn %s\nboot\n' "$SETTINGS" \
		>"$1/boot/grub/grub.cfg"
}

chain_case bios_chain_ipxe bios-virtio 52:54:00:0c:02:01 boot.ipxe setup_ipxe
if [ -f /usr/lib/PXELINUX/pxelinux.0 ] && [ -f /usr/lib/syslinux/modules/bios/ldlinux.c32 ]; then
	chain_case bios_chain_pxelinux bios-e1000 52:54:00:0c:02:02 pxelinux.0 setup_pxelinux
else
	fail bios_chain_pxelinux "pxelinux or syslinux-common not installed (scripts/install-deps)"
fi
if command -v grub-mknetdir >/dev/null && [ -d /usr/lib/grub/i386-pc ]; then
	chain_case bios_chain_grub bios-virtio 52:54:00:0c:02:03 \
		boot/grub/i386-pc/core.0 setup_grub
else
	fail bios_chain_grub "grub-mknetdir or grub-pc-bin not installed (scripts/install-deps)"
fi
exit "$TB_FAILED"
