#!/bin/bash
# e2e_layouts.sh - aoeboot.efi (no settings) on two other disk layouts,
# each booted to the real root's init through our initrd:
#   e2e_gpt_esp_md090  two GPT disks: p1 a FAT32 ESP holding BLS entries,
#                      the kernel and the initrd (on the first disk), p2
#                      RAID1 members with md metadata 0.90 (made by real
#                      mdadm) holding the ext4 root, root=/dev/md5
#   e2e_mbr_extlinux   one MBR disk: p1 FAT16 with /extlinux/extlinux.conf
#                      (DEFAULT, LABEL, MENU LABEL, KERNEL, INITRD, APPEND),
#                      p2 the ext4 root, root=LABEL=
# The root's /sbin/init prints E2E-ROOT-INIT <name>, /proc/mdstat and its
# command line, then powers off.  Images are cached in build/test-vm/layouts.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

if ! make --no-print-directory -s efi initramfs >/dev/null 2>&1; then
	fail e2e_layouts_setup "make efi initramfs failed"
	exit 1
fi
export MTOOLS_SKIP_CHECK=1
PATH=$PATH:/sbin:/usr/sbin
IMG=$EFI_BUILD/test-vm/layouts
K=$EFI_BUILD/vmlinuz
I=$EFI_BUILD/initramfs.img

make_root() { # DIR NAME
	local d=$1
	mkdir -p "$d"/{bin,sbin,proc,sys,dev,etc}
	cp "$(command -v busybox)" "$d/bin/busybox"
	ln -s busybox "$d/bin/sh"
	echo "$2" >"$d/etc/rootname"
	cat >"$d/sbin/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc 2>/dev/null
echo "E2E-ROOT-INIT $(/bin/busybox cat /etc/rootname)"
/bin/busybox cat /proc/mdstat
echo "E2E-ROOT-CMDLINE $(/bin/busybox cat /proc/cmdline)"
/bin/busybox sync
/bin/busybox poweroff -f
EOF
	chmod 755 "$d/sbin/init"
}

# fat_image OUT MIB FATBITS SRCDIR: a FAT filesystem image holding SRCDIR.
fat_image() {
	truncate -s "$2M" "$1"
	mkfs.vfat -F "$3" -n AOEBOOT "$1" >/dev/null || return 1
	mcopy -s -i "$1" "$4"/* :: || return 1
}

build_images() {
	local w=$IMG.tmp s
	rm -rf "$w" "$IMG"
	mkdir -p "$w/esp/loader/entries" "$w/esp/linux" "$w/ext/extlinux"
	# GPT disks: p1 ESP 64 MiB (FAT32 wants that many clusters), p2 a
	# RAID1 member (md 0.90, minor 5).
	for d in g0 g1; do
		truncate -s 128M "$w/$d.img"
		sgdisk -n1:2048:+64M -t1:ef00 -n2:0:0 -t2:fd00 "$w/$d.img" >/dev/null
	done
	make_root "$w/payload/root" gpt-md5
	cat >"$w/mk.sh" <<'EOF'
set -e
mdadm --create /dev/md5 --run --metadata=0.90 --level=1 --raid-devices=2 \
	--homehost=elsewhere --assume-clean /dev/vda2 /dev/vdb2
mke2fs -q -t ext4 -L gptroot /dev/md5
mkdir -p /mnt
mount /dev/md5 /mnt
cp -a /payload/root/. /mnt/
umount /mnt
EOF
	scripts/vm-run --disk "$w/g0.img" --disk "$w/g1.img" \
		--payload "$w/payload" --log "$w/vm.log" "$w/mk.sh" || return 1
	cp "$K" "$w/esp/linux/vmlinuz"
	cp "$I" "$w/esp/linux/initrd.img"
	cat >"$w/esp/loader/entries/gpt-md5.conf" <<'EOF'
title Linux, root on md 0.90 RAID1 (GPT)
version 6.1
linux /linux/vmlinuz
initrd /linux/initrd.img
options root=/dev/md5 ro console=ttyS0 aoeboot.timeout=30
EOF
	fat_image "$w/esp.fat" 64 32 "$w/esp"
	s=$(sgdisk -i 1 "$w/g0.img" | awk '/First sector/ {print $3}')
	dd if="$w/esp.fat" of="$w/g0.img" bs=512 seek="$s" conv=notrunc status=none

	# MBR disk: p1 FAT16 boot partition with extlinux, p2 ext4 root.
	truncate -s 96M "$w/m0.img"
	printf 'start=2048, size=65536, type=6, bootable\nstart=67584, type=83\n' |
		sfdisk -q "$w/m0.img"
	cp "$K" "$w/ext/vmlinuz"
	cp "$I" "$w/ext/initrd.img"
	cat >"$w/ext/extlinux/extlinux.conf" <<'EOF'
DEFAULT aoe
TIMEOUT 10
LABEL rescue
  MENU LABEL Rescue (not the default)
  KERNEL /vmlinuz
  APPEND init=/bin/sh
LABEL aoe
  MENU LABEL Linux from the MBR disk
  KERNEL ../vmlinuz
  INITRD ../initrd.img
  APPEND root=LABEL=mbrroot ro console=ttyS0 aoeboot.timeout=30
EOF
	fat_image "$w/boot.fat" 32 16 "$w/ext"
	dd if="$w/boot.fat" of="$w/m0.img" bs=512 seek=2048 conv=notrunc status=none
	make_root "$w/mroot" mbr-ext4
	mke2fs -q -t ext4 -L mbrroot -d "$w/mroot" -E offset=$((67584 * 512)) \
		"$w/m0.img" $(( (96 * 2048 - 67584) / 2 ))k
	mkdir -p "$IMG"
	mv "$w"/g0.img "$w"/g1.img "$w"/m0.img "$IMG"/
	rm -rf "$w"
	touch "$IMG/.stamp"
}

if ! [ -f "$IMG/.stamp" ] || [ "$IMG/.stamp" -ot "$0" ] ||
   [ "$IMG/.stamp" -ot "$I" ]; then
	if ! build_images >"$EFI_BUILD/e2e-layouts-build.log" 2>&1; then
		fail e2e_layouts_setup "building the images failed: $(tail -n 5 "$EFI_BUILD/e2e-layouts-build.log" | tr '\n' '|')"
		exit 1
	fi
fi

# boot NAME ROOTNAME CHECK-REGEX DISKS...: serve DISKS as e11.0, e11.1, ...
boot() {
	local name=$1 rootname=$2 re=$3 log con slot=0 d
	shift 3
	efi_init "$name" || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	efi_esp "$EFI_BUILD/efi/aoeboot.efi"
	for d in "$@"; do
		cp "$IMG/$d.img" "$EFI_TMP/$d.img"
		efi_vblade 11 "$slot" "$EFI_TMP/$d.img"
		slot=$((slot + 1))
	done
	log=$EFI_TMP/console.log
	efi_qemu virtio "$log"
	if ! efi_wait "$log" "E2E-ROOT-CMDLINE" 240; then
		fail "$name" "the real root's init never ran; console tail:"
		efi_console "$log" | tail -n 25 | sed 's/^/    | /'
		efi_cleanup
		return
	fi
	vm_wait_exit 30 || true
	con=$(efi_console "$log")
	if ! grep -q "^E2E-ROOT-INIT $rootname" <<<"$con"; then
		fail "$name" "a different root came up: $(grep E2E-ROOT-INIT <<<"$con")"
	elif ! grep -Eq -- "$re" <<<"$con"; then
		fail "$name" "console lacks /$re/: $(grep -E 'E2E-ROOT-CMDLINE|md5' <<<"$con" | tr '\n' '|')"
	elif ! grep -q 'E2E-ROOT-CMDLINE .*BOOTIF=01-' <<<"$con"; then
		fail "$name" "no BOOTIF= on the root's command line"
	else
		pass "$name"
	fi
	efi_cleanup
}

boot e2e_gpt_esp_md090 gpt-md5 'md5 : active raid1 .*\[2/2\] \[UU\]|\[2/2\] \[UU\]' g0 g1
boot e2e_mbr_extlinux mbr-ext4 'E2E-ROOT-CMDLINE root=LABEL=mbrroot ro console=ttyS0' m0
exit "$EFI_FAILED"
