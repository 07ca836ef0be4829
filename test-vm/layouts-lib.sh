# test-vm/layouts-lib.sh - the two disk layouts of e2e_layouts.sh (UEFI)
# and bios_boot.sh (BIOS), built once and cached in build/test-vm/layouts
# (sourced after efi-lib.sh or lib.sh; TB_BUILD from tests/testbed.sh).
#   g0.img g1.img  GPT: p1 FAT32 ESP with a BLS entry, kernel and initrd (g0),
#                  p2 RAID1 members, md 0.90 (minor 5), ext4 root, root=/dev/md5
#   m0.img         MBR: p1 FAT16 with /extlinux/extlinux.conf, p2 ext4 root
#                  (label mbrroot)
# The roots' /sbin/init print "E2E-ROOT-INIT <name>" (gpt-md5, mbr-ext4),
# /proc/mdstat and "E2E-ROOT-CMDLINE <cmdline>", then power off.
# layouts_build prints a FAIL line and returns 1 when building fails.
LAYOUTS_LIB=${BASH_SOURCE[0]}
LAYOUTS_BUILD=$TB_BUILD
IMG=$LAYOUTS_BUILD/test-vm/layouts
K=$LAYOUTS_BUILD/vmlinuz
I=$LAYOUTS_BUILD/initramfs.img
export MTOOLS_SKIP_CHECK=1

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

layouts_build() {
	if ! [ -f "$IMG/.stamp" ] || [ "$IMG/.stamp" -ot "$LAYOUTS_LIB" ] ||
	   [ "$IMG/.stamp" -ot "$I" ]; then
		if ! build_images >"$LAYOUTS_BUILD/e2e-layouts-build.log" 2>&1; then
			fail "${1:-layouts}_setup" "building the images failed: $(tail -n 5 "$LAYOUTS_BUILD/e2e-layouts-build.log" | tr '\n' '|')"
			return 1
		fi
	fi
}
