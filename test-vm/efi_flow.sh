#!/bin/bash
# efi_flow.sh - the default firmware image boots from boot entries on a
# filesystem over AoE: discovery, volumes, FAT32, BLS entries, menu,
# LoadFile2 handoff, and failover to the next entry.
#
# Target e1.0 is a whole-disk FAT32 holding two Boot Loader Specification
# entries: the default (loader.conf) names a "kernel" of random bytes, which
# the firmware's LoadImage refuses; aoeboot must say so in one line and boot
# the other entry (the Debian kernel and a busybox initrd), whose /init
# prints the command line: entry options + BOOTIF= + aoeboot.targets=.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

efi_prepare efi_flow

name=efi_flow_bls
efi_init flow || { fail $name "cannot create namespace"; exit 1; }
efi_tap
src=$EFI_TMP/fs
mkdir -p "$src/loader/entries" "$src/linux"
cp "$kernel" "$src/linux/vmlinuz"
efi_initrd "$src/linux/initrd.img"
head -c 300000 /dev/urandom >"$src/linux/broken"
cat >"$src/loader/entries/broken.conf" <<'CONF'
title   Broken kernel
version 9.9
linux   /linux/broken
options console=ttyS0
CONF
cat >"$src/loader/entries/good.conf" <<'CONF'
title   EFI test Linux
version 6.1
linux   /linux/vmlinuz
initrd  /linux/initrd.img
options console=ttyS0 panic=-1 EFITEST-ENTRY=bls
CONF
printf 'default broken*\ntimeout 0\n' >"$src/loader/loader.conf"
efi_fat_disk "$src" "$EFI_TMP/disk.img"
efi_vblade 1 0 "$EFI_TMP/disk.img"
efi_esp "$EFI_BUILD/efi/aoeboot.efi"
log=$EFI_TMP/console.log
t0=$(date +%s%N)
efi_qemu virtio "$log"
if ! efi_wait "$log" 'EFITEST-CMDLINE|returning to the firmware' 150; then
	fail $name "no initrd output within 150 s; console tail:"
	efi_console "$log" | tail -n 25
	exit 1
fi
secs=$(( ($(date +%s%N) - t0) / 1000000 ))
con=$(efi_console "$log")
ok=1
for want in \
	'^aoeboot .*\(UEFI, board default\)' \
	'^target e1\.0: 48\.0 MiB, Coraid EtherDrive vblade' \
	"^booting 'Broken kernel 9\.9 \(e1\.0\)'" \
	'^error: kernel image rejected by the firmware' \
	"^error: 'Broken kernel 9\.9 \(e1\.0\)' did not boot" \
	"^trying 'EFI test Linux 6\.1 \(e1\.0\)'" \
	'^loaded good: [0-9]+ bytes in [0-9]+ ms, [0-9]+ KiB/s' \
	'EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path' \
	'^EFITEST-CMDLINE: console=ttyS0 panic=-1 EFITEST-ENTRY=bls BOOTIF=01-52-54-00-12-34-56 aoeboot\.targets=e1\.0'
do
	if ! grep -Eq -- "$want" <<<"$con"; then
		fail $name "console lacks /$want/"
		ok=0
	fi
done
[ $ok = 1 ] && pass "$name ($(grep -Eo '^loaded good: .*' <<<"$con"); kernel started $(grep -Eo '[0-9]+ ms after aoeboot started' <<<"$con" | tail -n 1); qemu start to /init ${secs} ms)"
[ $ok = 1 ] || grep -aE '^(aoeboot|snp|target|booting|trying|loaded|error|warning|EFITEST|command)' <<<"$con" | head -n 30
exit "$EFI_FAILED"
