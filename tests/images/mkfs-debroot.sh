#!/bin/bash
# mkfs-debroot.sh OUTDIR - Debian-like root filesystems for test_debcmdline:
#   deb-grub.img     ext4 root: /vmlinuz links, /etc/fstab, /etc/default/grub
#                    with GRUB_CMDLINE_LINUX and _DEFAULT (quoted, overridden)
#   deb-kernel.img   ext4 root: /etc/kernel/cmdline (comments, two lines)
#                    beside an /etc/default/grub that must not be used
#   deb-ownroot.img  ext4 root: /etc/kernel/cmdline naming its own root=
#   deb-bootfs.img   ext4 /boot filesystem alone: links, no /etc
# Each gets a fixed UUID so the test can name it.
set -eu
out=$1/fs
mkdir -p "$out"
PATH=$PATH:/sbin:/usr/sbin

mkroot() {	# mkroot DIR: a root with the Debian links
	rm -rf "$1"
	mkdir -p "$1/boot" "$1/etc/default" "$1/etc/kernel"
	head -c 4096 /dev/urandom >"$1/boot/vmlinuz-6.1.0-50-amd64"
	head -c 2048 /dev/urandom >"$1/boot/initrd.img-6.1.0-50-amd64"
	ln -s boot/vmlinuz-6.1.0-50-amd64 "$1/vmlinuz"
	ln -s boot/initrd.img-6.1.0-50-amd64 "$1/initrd.img"
	echo 'UUID=0 / ext4 errors=remount-ro 0 1' >"$1/etc/fstab"
}
mkimg() {	# mkimg NAME UUID SRCDIR
	rm -f "$out/$1.img"
	mke2fs -q -t ext4 -U "$2" -d "$3" "$out/$1.img" 8M >/dev/null
}

s=$out/deb-grub-src
mkroot "$s"
cat >"$s/etc/default/grub" <<'CONF'
# If you change this file, run 'update-grub' afterwards.
GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX='console=ttyS0,115200   net.ifnames=0'
export GRUB_CMDLINE_LINUX_DEFAULT="quiet splash=\"x y\"" # last one wins
CONF
mkimg deb-grub 3f2d6a4e-0b1c-4d5e-8f90-a1b2c3d4e5f6 "$s"

s=$out/deb-kernel-src
mkroot "$s"
printf '# kernel-install command line\nconsole=ttyS0\n  rw aoeboot.timeout=20\n' \
	>"$s/etc/kernel/cmdline"
echo 'GRUB_CMDLINE_LINUX="must-not-appear"' >"$s/etc/default/grub"
mkimg deb-kernel 11111111-2222-4333-8444-555555555555 "$s"

s=$out/deb-ownroot-src
mkroot "$s"
echo 'root=/dev/md0 ro quiet' >"$s/etc/kernel/cmdline"
mkimg deb-ownroot 66666666-7777-4888-9999-aaaaaaaaaaaa "$s"

s=$out/deb-bootfs-src
rm -rf "$s"
mkdir -p "$s"
head -c 4096 /dev/urandom >"$s/vmlinuz-6.1.0-50-amd64"
ln -s vmlinuz-6.1.0-50-amd64 "$s/vmlinuz"
mkimg deb-bootfs bbbbbbbb-cccc-4ddd-8eee-ffffffffffff "$s"
