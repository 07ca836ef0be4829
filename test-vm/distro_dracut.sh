#!/bin/bash
# distro_dracut.sh - as distro_initramfs.sh, for a Debian root whose initrd
# is made by dracut with our 95aoeboot module: Debian's kernel and dracut's
# initrd boot the RAID1 root over AoE through aoeboot.efi, then again after
# a kernel upgrade (dpkg; dracut's kernel postinst hook makes the initrd).
set -u
cd "$(dirname "$0")/.."
. test-vm/distro-lib.sh

NEW_KERNEL=${AOEBOOT_UPGRADE_KERNEL:-linux-image-6.1.0-57-amd64}
distro_init dracut distro-dracut
release=$(basename "$(readlink "$R/vmlinuz")"); release=${release#vmlinuz-}
distro_step dracut
if ! chroot_run dracut --force --kver "$release" "/boot/initrd.img-$release" \
		>"$EFI_TMP/dracut.log" 2>&1; then
	fail distro-dracut "dracut failed: $(tail -n 3 "$EFI_TMP/dracut.log" | tr '\n' '|')"
	exit 1
fi
if ! chroot_run lsinitrd "/boot/initrd.img-$release" 2>/dev/null | grep -q 'sbin/aoeboot-up$'; then
	fail distro-dracut "dracut's initrd for $release does not hold our module"
	exit 1
fi
distro_boot distro-dracut "$release"
distro_upgrade distro-dracut-upgrade "$NEW_KERNEL" || exit 0
distro_boot distro-dracut-upgrade "$DISTRO_NEW"
exit 0
