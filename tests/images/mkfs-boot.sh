#!/bin/bash
# mkfs-boot.sh OUTDIR - filesystems with boot entries for test_bootcfg:
#   boot-bls.img       FAT32 ESP: /loader/entries/*.conf (+ loader.conf),
#                      kernels and initrds; one entry names a missing kernel
#   boot-extlinux.img  ext4: /boot/extlinux/extlinux.conf, relative paths
#   boot-debian.img    ext4: /vmlinuz, /initrd.img (+ .old) symlinks
#   boot-debian2.img   ext4: the symlinks in /boot only
# Source trees stay in OUTDIR/fs/boot-*-src for byte comparison.
set -eu
out=$1/fs
mkdir -p "$out"
PATH=$PATH:/sbin:/usr/sbin
export MTOOLS_SKIP_CHECK=1

# --- BLS on FAT32 ---
s=$out/boot-bls-src
rm -rf "$s"
mkdir -p "$s/loader/entries" "$s/debian"
for v in 6.1.0-9 6.1.0-10 6.10.0-1; do
	head -c 65536 /dev/urandom >"$s/debian/vmlinuz-$v"
	head -c 40000 /dev/urandom >"$s/debian/initrd.img-$v"
	cat >"$s/loader/entries/debian-$v.conf" <<CONF
# Boot Loader Specification type #1 entry
title      Debian GNU/Linux
version    $v
linux      /debian/vmlinuz-$v
initrd     /debian/initrd.img-$v
options    root=/dev/md0 ro
options    quiet
CONF
done
head -c 1000 /dev/urandom >"$s/debian/microcode.img"
cat >>"$s/loader/entries/debian-6.1.0-10.conf" <<CONF
initrd     debian/microcode.img
CONF
cat >"$s/loader/entries/broken.conf" <<CONF
title Missing kernel
version 99
linux /debian/vmlinuz-nothere
CONF
printf 'title no linux line\n' >"$s/loader/entries/nolinux.conf"
printf 'not an entry\n' >"$s/loader/entries/README"
printf 'timeout 5\ndefault debian-6.1.0-1*\n' >"$s/loader/loader.conf"
img=$out/boot-bls.img
rm -f "$img"
truncate -s 40M "$img"
mkfs.vfat -F 32 -n ESP "$img" >/dev/null
mcopy -s -i "$img" "$s"/* ::/

# --- extlinux on ext4 ---
s=$out/boot-extlinux-src
rm -rf "$s"
mkdir -p "$s/boot/extlinux"
head -c 50000 /dev/urandom >"$s/boot/vmlinuz-6.1.0-10-amd64"
head -c 30000 /dev/urandom >"$s/boot/initrd.img-6.1.0-10-amd64"
head -c 3000 /dev/urandom >"$s/boot/extra.img"
head -c 40000 /dev/urandom >"$s/boot/vmlinuz-rescue"
cat >"$s/boot/extlinux/extlinux.conf" <<'CONF'
## /boot/extlinux/extlinux.conf
MENU TITLE Boot menu
timeout 30
Default linux-rescue

label linux-6.1
	menu label ^Debian 6.1.0-10
	kernel ../vmlinuz-6.1.0-10-amd64
	INITRD ../initrd.img-6.1.0-10-amd64,/boot/extra.img
	append root=/dev/md0 ro quiet

LABEL linux-rescue
	LINUX /boot/vmlinuz-rescue
	APPEND root=/dev/md0 single initrd=../initrd.img-6.1.0-10-amd64

LABEL local
	LOCALBOOT 0
CONF
img=$out/boot-extlinux.img
rm -f "$img"
truncate -s 8M "$img"
mke2fs -q -F -t ext4 -d "$s" "$img"

# --- Debian symlinks at the root ---
s=$out/boot-debian-src
rm -rf "$s"
mkdir -p "$s/boot"
for v in 6.1.0-9-amd64 6.1.0-10-amd64; do
	head -c 45000 /dev/urandom >"$s/boot/vmlinuz-$v"
	head -c 25000 /dev/urandom >"$s/boot/initrd.img-$v"
done
ln -s boot/vmlinuz-6.1.0-10-amd64 "$s/vmlinuz"
ln -s /boot/initrd.img-6.1.0-10-amd64 "$s/initrd.img"
ln -s boot/vmlinuz-6.1.0-9-amd64 "$s/vmlinuz.old"
ln -s boot/initrd.img-6.1.0-9-amd64 "$s/initrd.img.old"
img=$out/boot-debian.img
rm -f "$img"
truncate -s 8M "$img"
mke2fs -q -F -t ext4 -d "$s" "$img"

# --- Debian symlinks in /boot ---
s=$out/boot-debian2-src
rm -rf "$s"
mkdir -p "$s/boot"
head -c 45000 /dev/urandom >"$s/boot/vmlinuz-6.1.0-10-amd64"
head -c 25000 /dev/urandom >"$s/boot/initrd.img-6.1.0-10-amd64"
ln -s vmlinuz-6.1.0-10-amd64 "$s/boot/vmlinuz"
ln -s ./initrd.img-6.1.0-10-amd64 "$s/boot/initrd.img"
img=$out/boot-debian2.img
rm -f "$img"
truncate -s 8M "$img"
mke2fs -q -F -t ext4 -d "$s" "$img"

# --- BLS inside a root filesystem: /boot/loader/entries, paths relative to
# /boot (XBOOTLDR style) or to / ---
s=$out/boot-blsroot-src
rm -rf "$s"
mkdir -p "$s/boot/loader/entries"
head -c 33333 /dev/urandom >"$s/boot/vmlinuz-6.2.0-1"
head -c 22222 /dev/urandom >"$s/boot/initramfs-6.2.0-1.img"
head -c 11111 /dev/urandom >"$s/boot/vmlinuz-6.1.0-5"
printf 'title Fedora\nversion 6.2.0-1\nlinux /vmlinuz-6.2.0-1\ninitrd /initramfs-6.2.0-1.img\noptions root=UUID=x\n' \
	>"$s/boot/loader/entries/fedora-6.2.0-1.conf"
printf 'title Fedora old\nversion 6.1.0-5\nlinux /boot/vmlinuz-6.1.0-5\n' \
	>"$s/boot/loader/entries/fedora-6.1.0-5.conf"
printf 'default fedora-6.1.0-5.conf\n' >"$s/boot/loader/loader.conf"
img=$out/boot-blsroot.img
rm -f "$img"
truncate -s 8M "$img"
mke2fs -q -F -t ext4 -d "$s" "$img"
