#!/bin/bash
# rom_boot.sh - aoeboot from a NIC option ROM: no ESP, no disk, no PXE.
#
# The ROM is given to QEMU as the NIC's romfile; OVMF loads our
# boot-service driver from it; the driver puts a LoadFile boot option on
# the NIC; the boot manager calls it; aoeboot discovers e1.0, runs the
# storage boot flow (volumes, filesystem, Boot Loader Specification entry),
# installs the aBFT and boots Linux, and Linux reads the aBFT from
# /sys/firmware/acpi/tables/aBFT: signature, length, revision, shelf, slot,
# MAC and checksum are checked byte by byte.
#
#   virtio  build/rom/qemu-virtio.rom (our driver alone; OVMF's VirtioNetDxe
#           gives the SNP).  e1.0 is an ext4 root disk: Debian kernel + our
#           initramfs, which attaches e1.0 with the aoe driver and mounts it
#           (root=LABEL=); the real root's /sbin/init prints the aBFT.
#   e1000   build/rom/qemu-e1000.rom (Debian iPXE's e1000 images, then our
#           driver; iPXE's own boot option fails DHCP first).  e1.0 is a
#           FAT32 disk: Debian kernel + a busybox initrd that prints it.
#   rom_no_target         virtio ROM, nothing on the wire: LoadFile fails and
#                         the boot manager goes on with its next option.
#   rom_driver_from_disk  aoeboot-drv.efi loaded from an ESP by
#                         test-vm/efi-progs/loaddrv.c, which calls its
#                         LoadFile like a boot manager: one option per NIC.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh
export MTOOLS_SKIP_CHECK=1
PATH=$PATH:/sbin:/usr/sbin

kernel=$EFI_BUILD/vmlinuz
make --no-print-directory -s initramfs >/dev/null 2>&1 || true
[ -s "$kernel" ] || scripts/fetch-kernel --quiet >/dev/null 2>&1 || true
for b in qemu-virtio qemu-e1000; do
	if ! make --no-print-directory -s rom efi-drv efi-progs BOARD=$b >/dev/null; then
		fail rom_build "make rom efi-drv efi-progs BOARD=$b failed"
		exit 1
	fi
done
if [ ! -s "$kernel" ] || [ ! -s "$EFI_BUILD/initramfs.img" ]; then
	fail rom_boot "no kernel or initramfs in $EFI_BUILD (make initramfs failed)"
	exit 1
fi

# An initrd whose /init prints the aBFT bytes and powers off.
rom_initrd() {
	local dir=$EFI_TMP/initrd
	mkdir -p "$dir/bin" "$dir/proc" "$dir/sys"
	cp /bin/busybox "$dir/bin/busybox"
	cat >"$dir/init" <<'IN'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
echo "ROMTEST-INIT: /init is running"
t=/sys/firmware/acpi/tables/aBFT
if [ -r $t ]; then
	echo "ROMTEST-ABFT: $(/bin/busybox od -An -tx1 -v $t | /bin/busybox tr -s ' \n' '  ')"
else
	echo "ROMTEST-ABFT: none"
fi
/bin/busybox poweroff -f
IN
	chmod +x "$dir/init"
	(cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) >"$1"
}

# rom_rootdisk IMG: a whole-disk ext4 (label aoe-rom) that is a real root:
# /boot/vmlinuz + /boot/initrd.img (our initramfs) and a BLS entry
# (root=LABEL=aoe-rom); its /sbin/init prints the aBFT like rom_initrd's.
rom_rootdisk() {
	local d=$EFI_TMP/root
	mkdir -p "$d"/{bin,sbin,proc,sys,dev,boot,loader/entries}
	cp /bin/busybox "$d/bin/busybox"
	ln -s busybox "$d/bin/sh"
	cp "$kernel" "$d/boot/vmlinuz"
	cp "$EFI_BUILD/initramfs.img" "$d/boot/initrd.img"
	printf '%s\n' 'title   ROM test root' 'version 6.1' \
		'linux   /boot/vmlinuz' 'initrd  /boot/initrd.img' \
		'options root=LABEL=aoe-rom console=ttyS0 panic=-1' \
		>"$d/loader/entries/romroot.conf"
	cat >"$d/sbin/init" <<'IN'
#!/bin/busybox sh
export PATH=/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
echo "ROMTEST-ROOT: /sbin/init on $(awk '$2 == "/" { print $1 }' /proc/mounts | tail -n 1)"
t=/sys/firmware/acpi/tables/aBFT
if [ -r $t ]; then
	echo "ROMTEST-ABFT: $(od -An -tx1 -v $t | tr -s ' \n' '  ')"
else
	echo "ROMTEST-ABFT: none"
fi
poweroff -f
IN
	chmod 755 "$d/sbin/init"
	mke2fs -q -F -t ext4 -d "$d" -L aoe-rom "$1" 64M >/dev/null
}

# check_abft HEX SHELF SLOT MAC: "ok" or what is wrong.
check_abft() {
	python3 - "$@" <<'PY'
import sys
b = bytes(int(x, 16) for x in sys.argv[1].split())
shelf, slot = int(sys.argv[2]), int(sys.argv[3])
mac = bytes(int(x, 16) for x in sys.argv[4].split(':'))
err = []
if b[:4] != b'aBFT': err.append('signature %r' % b[:4])
if len(b) != 46 or int.from_bytes(b[4:8], 'little') != 46: err.append('length %d' % len(b))
if len(b) > 8 and b[8] != 1: err.append('revision %d' % b[8])
if sum(b) % 256: err.append('checksum')
if len(b) >= 46:
    if int.from_bytes(b[36:38], 'little') != shelf: err.append('shelf %d' % int.from_bytes(b[36:38], 'little'))
    if b[38] != slot: err.append('slot %d' % b[38])
    if b[40:46] != mac: err.append('mac %s' % b[40:46].hex())
print('; '.join(err) or 'ok')
PY
}

# rom_boot NIC BOARD KIND: KIND "bls" (FAT32 disk, busybox initrd) or
# "root" (ext4 root disk, our initramfs, the real root's /sbin/init).
rom_boot() {
	local nic=$1 board=$2 kind=$3 name=rom_boot_$1 log con t0 secs rom dev hex r
	local entry=romtest title='ROM test Linux' marker=ROMTEST-INIT
	rom=$EFI_BUILD/rom/$board.rom
	efi_init "rom$nic" || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	if [ "$kind" = root ]; then
		name=${name}_root entry=romroot title='ROM test root'
		marker='ROMTEST-ROOT: /sbin/init on /dev/etherd/e1\.0'
		rom_rootdisk "$EFI_TMP/disk.img"
	else
		mkdir -p "$EFI_TMP/fs/loader/entries" "$EFI_TMP/fs/linux"
		cp "$kernel" "$EFI_TMP/fs/linux/vmlinuz"
		rom_initrd "$EFI_TMP/fs/linux/initrd.img"
		printf '%s\n' 'title   ROM test Linux' 'version 6.1' \
			'linux   /linux/vmlinuz' 'initrd  /linux/initrd.img' \
			'options console=ttyS0 panic=-1' \
			>"$EFI_TMP/fs/loader/entries/romtest.conf"
		truncate -s 48M "$EFI_TMP/disk.img"
		mkfs.vfat -F 32 -n AOEROM "$EFI_TMP/disk.img" >/dev/null
		MTOOLS_SKIP_CHECK=1 mcopy -s -i "$EFI_TMP/disk.img" "$EFI_TMP/fs"/* ::/
	fi
	efi_vblade 1 0 "$EFI_TMP/disk.img"
	case $nic in
	virtio) dev=$(tb_nic_dev "virtio-net-pci:$rom") ;;
	e1000) dev=$(tb_nic_dev "e1000:$rom") ;;
	esac
	log=$EFI_TMP/console.log
	t0=$(date +%s%N)
	# No disk at all besides the firmware: nothing to boot but the ROM.
	tb_qemu_uefi "$log" "$dev" ""
	if ! efi_wait "$log" 'ROMTEST-ABFT|returning to the firmware' 180; then
		fail "$name" "no initrd output within 180 s; console tail:"
		efi_console "$log" | tail -n 25
		efi_cleanup
		return
	fi
	secs=$(( ($(date +%s%N) - t0) / 1000000 ))
	con=$(efi_console "$log")
	local ok=1 want
	for want in \
		"^aoeboot .*\\(UEFI, board $board\\)" \
		'^target e1\.0: [0-9.]+ MiB, Coraid EtherDrive vblade' \
		"^booting '$title 6\.1 \(e1\.0\)'" \
		"^loaded $entry: [0-9]+ bytes in [0-9]+ ms" \
		'^aBFT: e1\.0 via 52:54:00:12:34:56' \
		'EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path' \
		"^$marker"
	do
		if ! grep -Eq -- "$want" <<<"$con"; then
			fail "$name" "console lacks /$want/"
			ok=0
		fi
	done
	if grep -q '^BdsDxe: .*Boot000[0-9] "UEFI .*HARDDISK' <<<"$con"; then
		fail "$name" "a local disk was booted"
		ok=0
	fi
	if [ "$nic" = e1000 ] && ! grep -q 'iPXE' <<<"$con"; then
		fail "$name" "iPXE's e1000 driver from the same ROM did not run"
		ok=0
	fi
	hex=$(grep -Eo '^ROMTEST-ABFT: .*' <<<"$con" | head -n 1 | cut -d: -f2-)
	r=$(check_abft "$hex" 1 0 52:54:00:12:34:56)
	if [ "$r" = ok ]; then
		pass "${name}_abft_in_linux (shelf 1, slot 0, MAC 52:54:00:12:34:56, checksum ok)"
	else
		fail "${name}_abft_in_linux" "$r (bytes:$hex)"
	fi
	if [ $ok = 1 ]; then
		pass "$name (ROM $(stat -c %s "$rom") bytes; power-on to $kind /init ${secs} ms; $(grep -Eo "^loaded $entry: .*" <<<"$con"))"
	else
		efi_console "$log" | grep -aE '^(aoeboot|snp|target|booting|loaded|aBFT|error|warning|EFI stub|ROMTEST|BdsDxe|iPXE)' | head -n 30
	fi
	efi_cleanup
}

# No target on the wire: aoeboot (from the ROM) says so, its LoadFile
# returns an error and the boot manager goes on with its next option.
rom_no_target() {
	local name=rom_no_target log con desc
	efi_init romnotarget || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	log=$EFI_TMP/console.log
	tb_qemu_uefi "$log" "$(tb_nic_dev "virtio-net-pci:$EFI_BUILD/rom/qemu-virtio.rom")" ""
	if ! efi_wait "$log" 'returning to the firmware' 240; then
		fail "$name" "aoeboot did not give up within 240 s; console tail:"
		efi_console "$log" | tail -n 25
		efi_cleanup
		return
	fi
	efi_wait "$log" '>>Start PXE|BdsDxe: (loading|starting) Boot000[3-9A-F]' 60
	con=$(efi_console "$log")
	local ok=1 want
	for want in \
		'^aoeboot .*\(UEFI, board qemu-virtio\)' \
		'^error: no AoE targets found on 1 interface within [0-9]+ ms' \
		'returning to the firmware' \
		'BdsDxe: failed to load Boot000[0-9A-F] .*/MAC\(525400123456,0x1\)/VenMsg\(8F2A4C1E-5B07-4D3A-9E61-0BA0E57B0071\): Not Found' \
		'>>Start PXE|BdsDxe: (loading|starting) Boot000[3-9A-F]'
	do
		if ! grep -Eq -- "$want" <<<"$con"; then
			fail "$name" "console lacks /$want/"
			ok=0
		fi
	done
	desc=$(grep -Eo 'BdsDxe: failed to load Boot000[0-9A-F] "[^"]*"' <<<"$con" | grep -v DVD | head -n 1)
	[ $ok = 1 ] && pass "$name (boot manager moved on; our option: ${desc#BdsDxe: failed to load })"
	[ $ok = 1 ] || efi_console "$log" | grep -aE '^(aoeboot|snp|error|warning|BdsDxe|>>)' | head -n 20
	efi_cleanup
}

# The driver loaded from a disk, not a ROM (test-vm/efi-progs/loaddrv.c
# plays the boot manager): it must serve every NIC, and its LoadFile runs
# aoeboot, which finds no target and returns an error.
rom_driver_from_disk() {
	local name=rom_driver_from_disk log con
	make --no-print-directory -s efi-drv >/dev/null || { fail "$name" "make efi-drv failed"; return; }
	efi_init romdisk || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	efi_esp "$EFI_BUILD/efi-progs/loaddrv.efi"
	cp "$EFI_BUILD/efi/aoeboot-drv.efi" "$EFI_TMP/esp/aoeboot-drv.efi"
	log=$EFI_TMP/console.log
	efi_qemu virtio "$log"
	if ! efi_wait "$log" 'LOADDRV-DONE' 90; then
		fail "$name" "no LOADDRV-DONE within 90 s; console tail:"
		efi_console "$log" | tail -n 25
		efi_cleanup
		return
	fi
	con=$(efi_console "$log")
	local ok=1 want
	for want in \
		'^LOADDRV-STARTED: Success' \
		'^LOADDRV-OPTION: PciRoot\(0\)/Pci\([^)]*\)/Mac\(525400123456,1\)/' \
		'^aoeboot .*\(UEFI, board default\)' \
		'^error: no AoE targets found on 1 interface' \
		'^LOADDRV-RETURNED: Not Found' \
		'^LOADDRV-DONE: 1$'
	do
		if ! grep -Eq -- "$want" <<<"$con"; then
			fail "$name" "console lacks /$want/"
			ok=0
		fi
	done
	[ $ok = 1 ] && pass "$name"
	[ $ok = 1 ] || efi_console "$log" | grep -aE '^(aoeboot|snp|error|warning|LOADDRV)' | head -n 20
	efi_cleanup
}

rom_boot virtio qemu-virtio root
rom_boot e1000 qemu-e1000 bls
rom_no_target
rom_driver_from_disk
exit "$EFI_FAILED"
