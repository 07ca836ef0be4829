#!/bin/bash
# dracut module "aoeboot": the root's disks are AoE targets.  The NIC the
# firmware booted through is brought up, the aoe driver is loaded on it and
# the targets named by aoeboot.targets= are waited for; dracut's own mdraid
# module assembles the array and its rootfs-block finds root=.  The command
# line contract is aoeboot's (docs/initrd.md): BOOTIF=, aoeboot.iface=,
# aoeboot.targets=, aoeboot.timeout=, aoeboot.vlan=.

# Included only when asked for (/etc/dracut.conf.d/aoeboot.conf does).
check() {
	require_binaries modprobe || return 1
	return 255
}

depends() {
	echo udev-rules mdraid
	return 0
}

installkernel() {
	instmods aoe 8021q
	# Every Ethernet driver, hostonly or not: the NIC is how root is reached.
	hostonly='' instmods =drivers/net/ethernet virtio_net
}

install() {
	inst_multiple -o ip
	inst_simple "$moddir/61-aoeboot-blkid.rules" \
		/etc/udev/rules.d/61-aoeboot-blkid.rules
	inst_hook cmdline 95 "$moddir/parse-aoeboot.sh"
	inst_script "$moddir/aoeboot-up.sh" /sbin/aoeboot-up
}
