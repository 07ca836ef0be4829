#!/bin/bash
# distro_initramfs.sh - Debian's own kernel and initrd, made by Debian's
# update-initramfs with our initramfs-tools hook, boot a Debian root on an
# md RAID1 over AoE through aoeboot.efi with nothing written by hand (the
# firmware builds root=UUID= of the filesystem holding /vmlinuz).  Then a
# kernel upgrade (a newer linux-image installed with dpkg; Debian's own
# scripts make its initrd and move the links) boots the new kernel.
set -u
cd "$(dirname "$0")/.."
. test-vm/distro-lib.sh

NEW_KERNEL=${AOEBOOT_UPGRADE_KERNEL:-linux-image-6.1.0-57-amd64}
distro_init initramfs-tools distro-initramfs-tools
distro_step update-initramfs
if ! chroot_run update-initramfs -u -k all >"$EFI_TMP/update-initramfs.log" 2>&1; then
	fail distro-initramfs-tools "update-initramfs failed: $(tail -n 3 "$EFI_TMP/update-initramfs.log" | tr '\n' '|')"
	exit 1
fi
release=$(basename "$(readlink "$R/vmlinuz")"); release=${release#vmlinuz-}
if ! chroot_run lsinitramfs /initrd.img 2>/dev/null | grep -q 'scripts/local-top/aoeboot$'; then
	fail distro-initramfs-tools "Debian's initrd for $release does not hold our boot script"
	exit 1
fi
distro_boot distro-initramfs-tools "$release"
distro_upgrade distro-initramfs-upgrade "$NEW_KERNEL" || exit 0
distro_boot distro-initramfs-upgrade "$DISTRO_NEW"
exit 0
