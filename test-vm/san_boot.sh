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
# writes \AOETEST.TXT through the FAT driver (so through our WriteBlocks)
# and powers the VM off.  The file is then read back from the disk image.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

if ! make --no-print-directory -s efi efi-progs >/dev/null; then
	fail san_build "make efi efi-progs failed"
	exit 1
fi
name=san_boot
efi_init san || { fail $name "cannot create namespace"; exit 1; }
efi_tap

# A 48 MiB GPT disk, partition 1 = 40 MiB FAT ESP at 1 MiB.
disk=$EFI_TMP/disk.img
part=$EFI_TMP/esp.img
truncate -s 48M "$disk"
sgdisk -o -n 1:2048:+40M -t 1:ef00 "$disk" >/dev/null 2>&1
mkfs.vfat -C "$part" 40960 >/dev/null
mmd -i "$part" ::/EFI ::/EFI/BOOT
mcopy -i "$part" "$EFI_BUILD/efi-progs/abftcheck.efi" ::/EFI/BOOT/BOOTX64.EFI
dd if="$part" of="$disk" bs=1M seek=1 conv=notrunc status=none
efi_vblade 3 7 "$disk"

efi_esp "$EFI_BUILD/efi/aoeboot.efi"
log=$EFI_TMP/console.log
t0=$(date +%s%N)
efi_qemu virtio "$log"
if ! efi_wait "$log" 'AOETEST-WRITE|returning to the firmware' 120; then
	fail $name "the SAN disk's loader did not finish within 120 s; console tail:"
	efi_console "$log" | tail -n 25
	exit 1
fi
# The loader powers the VM off; wait for QEMU to exit (vblade flushed).
for _ in $(seq 40); do kill -0 "$EFI_QEMU_PID" 2>/dev/null || break; sleep 0.5; done
secs=$(( ($(date +%s%N) - t0) / 1000000 ))
con=$(efi_console "$log")
ok=1
for want in \
	'^target e3\.7: 48\.0 MiB, Coraid EtherDrive vblade' \
	'^SAN boot: e3\.7 as an EFI disk, starting \\EFI\\BOOT\\BOOTX64\.EFI' \
	'^aBFT: e3\.7 via 52:54:00:12:34:56' \
	'^AOETEST-MARKER: started from PciRoot\(0\)/Pci\([^)]*\)/Mac\(525400123456,1\)/Sata\(0x3,0x7,0x0\)/HD\(1,GPT,' \
	'^AOETEST-ABFT: shelf=3 slot=7 mac=52:54:00:12:34:56 length=46 rev=1 checksum=ok' \
	'^AOETEST-WRITE: ok'
do
	if ! grep -Eq -- "$want" <<<"$con"; then
		fail $name "console lacks /$want/"
		ok=0
	fi
done
if [ $ok = 1 ]; then
	pass "$name (qemu start to loader done ${secs} ms)"
else
	efi_console "$log" | grep -aE '^(aoeboot|snp|target|SAN|aBFT|AOETEST|error|warning|BdsDxe)' | head -n 30
fi

# The write went through WriteBlocks to vblade's file.
dd if="$disk" of="$part" bs=1M skip=1 count=40 status=none
got=$(mtype -i "$part" ::/AOETEST.TXT 2>&1)
if [ "$got" = "written through aoeboot's BlockIo" ]; then
	pass san_write_through_blockio
else
	fail san_write_through_blockio "AOETEST.TXT on the disk image: '$got'"
fi
exit "$EFI_FAILED"
