# test-vm/initrd_common.sh - images and boot helper for the initrd tests
# (test-vm/initrd_*.sh).  Sourced, not a test: keep it non-executable.
#
#   initrd_prepare      make sure build/vmlinuz, build/initramfs.img and the
#                       cached disk images exist; sets IMG (the cache dir)
#   initrd_disks NAMES  copy cached images into $VM_TMP (md writes superblocks,
#                       so every test gets fresh copies)
#   initrd_boot LOG APPEND [QEMU-ARGS...]
#                       start the VM with our kernel and initramfs,
#                       console=ttyS0 plus APPEND; the NIC is a virtio-net on
#                       tap0 (MAC 52:54:00:a0:eb:01) unless QEMU-ARGS are given
#
# The disk images (build/test-vm/initrd/, rebuilt when this file changes):
#   d11a d11b  64 MiB, whole-disk RAID1 md0, metadata 1.2, made by real mdadm
#              (scripts/vm-run) with --homehost=otherhost; ext4 label aoe-md0
#   d12a d12b  64 MiB, GPT (sgdisk on the host): p1 40 MiB RAID1 md5,
#              metadata 0.90 (preferred minor 5, homehost otherhost), ext4
#              label aoe-md5; p2 16 MiB: on d12a a plain ext4, label
#              aoe-plain, UUID $PLAIN_UUID
# Each root filesystem's /sbin/init prints "AOEBOOT-ROOT-INIT <name> ...",
# /proc/mdstat, "AOEBOOT-ROOT-DONE", and powers off.
PLAIN_UUID=5a1e0b00-7e57-4000-8000-00000000a0eb
IMG=$VM_ROOT/build/test-vm/initrd

initrd_make_rootfs() { # DIR NAME
	local d=$1 name=$2 bb
	mkdir -p "$d"/{bin,sbin,etc,proc,sys,dev,run,tmp}
	bb=$(command -v busybox)
	cp "$bb" "$d/bin/busybox"
	ln -s busybox "$d/bin/sh"
	echo "$name" >"$d/etc/rootname"
	cat >"$d/sbin/init" <<'EOF'
#!/bin/busybox sh
export PATH=/bin
echo "AOEBOOT-ROOT-INIT $(cat /etc/rootname) root=$(awk '$2 == "/" { print $1 }' /proc/mounts | tail -n 1) args=$*"
echo "AOEBOOT-ROOT-MOUNT $(awk '$2 == "/" { print $3, $4 }' /proc/mounts | tail -n 1)"
cat /proc/mdstat
echo "AOEBOOT-ROOT-DONE"
sync
poweroff -f
EOF
	chmod 755 "$d/sbin/init"
}

initrd_build_images() {
	local w=$IMG.tmp
	rm -rf "$w"
	mkdir -p "$w/payload"
	initrd_make_rootfs "$w/r0" md0
	initrd_make_rootfs "$w/r5" md5
	initrd_make_rootfs "$w/rp" plain
	mke2fs -q -F -t ext4 -d "$w/r0" -L aoe-md0 "$w/payload/md0.ext4" 32M
	mke2fs -q -F -t ext4 -d "$w/r5" -L aoe-md5 "$w/payload/md5.ext4" 24M
	mke2fs -q -F -t ext4 -d "$w/rp" -L aoe-plain -U "$PLAIN_UUID" "$w/plain.ext4" 15M
	truncate -s 64M "$w/d11a" "$w/d11b" "$w/d12a" "$w/d12b"
	local d
	for d in d12a d12b; do
		sgdisk -n 1:2048:+40M -t 1:FD00 -c 1:md5 -n 2:0:+16M -t 2:8300 -c 2:plain "$w/$d" >/dev/null 2>&1
	done
	cat >"$w/mk.sh" <<'EOF'
set -e
mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 \
	--homehost=otherhost --assume-clean /dev/vda /dev/vdb
dd if=md0.ext4 of=/dev/md0 bs=1M conv=fsync 2>/dev/null
mdadm --create /dev/md5 --run --level=1 --raid-devices=2 --metadata=0.90 \
	--homehost=otherhost --assume-clean /dev/vdc1 /dev/vdd1
dd if=md5.ext4 of=/dev/md5 bs=1M conv=fsync 2>/dev/null
cat /proc/mdstat
blkid /dev/md0 /dev/md5
EOF
	"$VM_ROOT/scripts/vm-run" --disk "$w/d11a" --disk "$w/d11b" --disk "$w/d12a" \
		--disk "$w/d12b" --payload "$w/payload" --log "$w/vm-run.log" --timeout 300 \
		"$w/mk.sh" || { echo "vm-run failed:"; tail -n 30 "$w/vm-run.log"; return 1; }
	# The plain partition is written from the host at p2's offset.
	local start
	start=$(sgdisk -i 2 "$w/d12a" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
	dd if="$w/plain.ext4" of="$w/d12a" bs=512 seek="$start" conv=notrunc status=none
	mdadm --examine "$w/d11a" | grep -q 'Name : otherhost:0' || { echo "d11a: no md0 superblock"; return 1; }
	rm -rf "$w/r0" "$w/r5" "$w/rp" "$w/payload" "$w/plain.ext4"
	rm -rf "$IMG"
	mv "$w" "$IMG"
}

initrd_prepare() {
	local stamp
	make -C "$VM_ROOT" -s --no-print-directory initramfs >"$VM_TMP/make.log" 2>&1 ||
		{ cat "$VM_TMP/make.log"; return 1; }
	stamp=$(cat "$VM_ROOT/test-vm/initrd_common.sh" "$VM_ROOT/scripts/vm-run" | sha256sum | cut -c1-16)
	mkdir -p "$(dirname "$IMG")"
	exec {lockfd}>"$IMG.lock"
	flock "$lockfd"
	if [ "$(cat "$IMG/stamp" 2>/dev/null)" != "$stamp" ]; then
		initrd_build_images || { flock -u "$lockfd"; return 1; }
		echo "$stamp" >"$IMG/stamp"
	fi
	flock -u "$lockfd"
}

initrd_disks() {
	local n
	for n in "$@"; do
		cp --sparse=always "$IMG/$n" "$VM_TMP/$n"
	done
}

initrd_boot() { # LOG APPEND [QEMU-ARGS...]
	local log=$1 append=$2
	shift 2
	# shellcheck disable=SC2046
	[ $# -gt 0 ] || set -- $(vm_nic_args tap0 virtio-net-pci 52:54:00:a0:eb:01)
	vm_qemu "$log" -kernel "$VM_ROOT/build/vmlinuz" -initrd "$VM_ROOT/build/initramfs.img" \
		-append "console=ttyS0 panic=-1 $append" "$@"
}
