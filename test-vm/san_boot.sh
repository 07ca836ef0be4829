#!/bin/bash
# san_boot.sh - UEFI SAN boot of an AoE disk, aBFT and BlockIo writes.
#
# vblade serves a GPT disk as e3.7 whose ESP holds only
# \EFI\BOOT\BOOTX64.EFI = build/efi-progs/abftcheck.efi.  OVMF starts
# aoeboot.efi (default board: discover everything, no boot entries), which
# finds the loader on the disk, publishes the target as an EFI BlockIo
# device (NIC path + Sata(3,7,0)), installs the aBFT and starts the loader
# through the firmware's own partition and FAT drivers.  The loader prints
# a marker with its device path and the aBFT it finds through the XSDT,
# reads its partition's first block through BlockIo at TPL_CALLBACK,
# writes \AOETEST.TXT through the FAT driver (so through our WriteBlocks)
# and powers the VM off.  The file is then read back from the disk image.
# Twice: aoeboot.efi from a local ESP choosing SAN boot by itself, and the
# option ROM driver with mode=san and filename=/EFI/AOETEST/CHECK.EFI
# (boards/qemu-virtio-san.conf) and no local disk; there the loader returns
# (\AOETEST.RET on the disk) and aoeboot must take the disk back and give
# up cleanly.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh
export MTOOLS_SKIP_CHECK=1
PATH=$PATH:/sbin:/usr/sbin

if ! make --no-print-directory -s efi efi-progs >/dev/null ||
   ! make --no-print-directory -s rom BOARD=qemu-virtio-san >/dev/null; then
	fail san_build "make efi efi-progs rom BOARD=qemu-virtio-san failed"
	exit 1
fi
# san_run NAME HOW: HOW is "app" (aoeboot.efi on a local ESP, default
# board: SAN boot is chosen because the target has a loader and no boot
# entries) or "rom" (build/rom/qemu-virtio-san.rom: mode=san, the driver
# from the NIC's option ROM, no ESP and no local disk).
san_run() {
	local name=$1 how=$2 disk part log t0 secs con ok want got board loader dir file
	efi_init "san$how" || { fail "$name" "cannot create namespace"; return; }
	efi_tap

	# A 48 MiB GPT disk, partition 1 = 40 MiB FAT ESP at 1 MiB.
	disk=$EFI_TMP/disk.img
	part=$EFI_TMP/esp.img
	truncate -s 48M "$disk"
	sgdisk -o -n 1:2048:+40M -t 1:ef00 "$disk" >/dev/null 2>&1
	mkfs.vfat -C "$part" 40960 >/dev/null
	# app: the default loader; rom: the board's filename=.
	if [ "$how" = app ]; then
		loader='\\EFI\\BOOT\\BOOTX64\.EFI' dir=::/EFI/BOOT file=BOOTX64.EFI
	else
		loader='/EFI/AOETEST/CHECK\.EFI' dir=::/EFI/AOETEST file=CHECK.EFI
	fi
	mmd -i "$part" ::/EFI "$dir"
	mcopy -i "$part" "$EFI_BUILD/efi-progs/abftcheck.efi" "$dir/$file"
	# rom: the loader returns to aoeboot instead of powering off.
	[ "$how" = rom ] && echo x | mcopy -i "$part" - ::/AOETEST.RET
	dd if="$part" of="$disk" bs=1M seek=1 conv=notrunc status=none
	efi_vblade 3 7 "$disk"

	log=$EFI_TMP/console.log
	t0=$(date +%s%N)
	if [ "$how" = app ]; then
		board=default
		efi_esp "$EFI_BUILD/efi/aoeboot.efi"
		efi_qemu virtio "$log"
	else
		board=qemu-virtio-san
		tb_qemu_uefi "$log" \
			"$(tb_nic_dev "virtio-net-pci:$EFI_BUILD/rom/qemu-virtio-san.rom")" ""
	fi
	if ! efi_wait "$log" 'AOETEST-WRITE|returning to the firmware' 120 ||
	   { [ "$how" = rom ] && ! efi_wait "$log" 'returning to the firmware' 30; }; then
		fail "$name" "the SAN disk's loader did not finish within 120 s; console tail:"
		efi_console "$log" | tail -n 25
		efi_cleanup
		return
	fi
	# app: the loader powers the VM off; wait for QEMU to exit.
	for _ in $(seq 40); do
		[ "$how" = app ] && kill -0 "$EFI_QEMU_PID" 2>/dev/null || break
		sleep 0.5
	done
	secs=$(( ($(date +%s%N) - t0) / 1000000 ))
	con=$(efi_console "$log")
	ok=1
	for want in \
		"^aoeboot .*\\(UEFI, board $board\\)" \
		'^target e3\.7: 48\.0 MiB, Coraid EtherDrive vblade' \
		"^SAN boot: e3\\.7 as an EFI disk, starting $loader" \
		'^aBFT: e3\.7 via 52:54:00:12:34:56' \
		'^AOETEST-MARKER: started from PciRoot\(0\)/Pci\([^)]*\)/Mac\(525400123456,1\)/Sata\(0x3,0x7,0x0\)/HD\(1,GPT,' \
		'^AOETEST-ABFT: shelf=3 slot=7 mac=52:54:00:12:34:56 length=46 rev=1 checksum=ok' \
		'^AOETEST-TPL-READ: ok' \
		'^AOETEST-WRITE: ok'
	do
		if ! grep -Eq -- "$want" <<<"$con"; then
			fail "$name" "console lacks /$want/"
			ok=0
		fi
	done
	if [ "$how" = rom ]; then
		# The loader returned: aoeboot takes the disk and aBFT back.
		for want in \
			'^AOETEST-RETURN: ' \
			"^warning: SAN: $loader returned: EFI_ABORTED" \
			'^error: aoeboot: nothing booted .*; returning to the firmware'
		do
			if ! grep -Eq -- "$want" <<<"$con"; then
				fail "$name" "console lacks /$want/"
				ok=0
			fi
		done
		if grep -q 'still in use' <<<"$con"; then
			fail "$name" "the disk could not be unpublished"
			ok=0
		fi
	fi
	if [ $ok = 1 ]; then
		pass "$name (power-on to the disk's loader done ${secs} ms)"
	else
		efi_console "$log" | grep -aE '^(aoeboot|snp|target|SAN|aBFT|AOETEST|error|warning|BdsDxe)' | head -n 30
	fi

	# The loader's write went through WriteBlocks into vblade's file.
	dd if="$disk" of="$part" bs=1M skip=1 count=40 status=none
	got=$(mtype -i "$part" ::/AOETEST.TXT 2>&1)
	if [ "$got" = "written through aoeboot's BlockIo" ]; then
		pass "${name}_write_through_blockio"
	else
		fail "${name}_write_through_blockio" "AOETEST.TXT on the disk image: '$got'"
	fi
	efi_cleanup
}

san_run san_boot app
san_run san_boot_rom rom
exit "$EFI_FAILED"
