#!/bin/bash
# efi_grub.sh - a disk's own loader before the Debian symlinks guess: a
# GPT disk (e12.0) whose ESP holds Debian's GRUB (grub-mkstandalone -O
# x86_64-efi, from grub-efi-amd64-bin) as \EFI\BOOT\BOOTX64.EFI and,
# beside it, /vmlinuz and /initrd.img (our initramfs) that GRUB's own
# grub.cfg loads with root=/dev/md0.  The /vmlinuz guess has no source for
# root=, so aoeboot's default is the SAN boot of GRUB; GRUB reads the
# kernel off the published disk and our initrd switches to the real root
# (the demo RAID1 on e11.0 + e11.1, scripts/mkdemo).  The stick's
# aoeboot.conf says targets=e12.0: aoeboot looks at the GRUB disk only.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

name=efi_grub_san_boot
if ! command -v grub-mkstandalone >/dev/null ||
   ! [ -d /usr/lib/grub/x86_64-efi ]; then
	skip $name "grub-mkstandalone / grub-efi-amd64-bin not installed (scripts/install-deps)"
	exit 0
fi
if ! make --no-print-directory -s efi initramfs >/dev/null 2>&1 ||
   ! scripts/mkdemo >/dev/null 2>&1; then
	fail $name "make efi initramfs / scripts/mkdemo failed"
	exit 1
fi
export MTOOLS_SKIP_CHECK=1
PATH=$PATH:/sbin:/usr/sbin
efi_init grub || { fail $name "cannot create namespace"; exit 1; }
efi_tap

# GRUB's own config, in its memdisk: find the ESP holding /vmlinuz.
cat >"$EFI_TMP/grub.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminal_output console serial
set timeout=0
insmod part_gpt
insmod part_msdos
insmod fat
insmod search_fs_file
insmod linux
search --file --set=root /vmlinuz
echo "GRUBTEST: root is $root"
linux /vmlinuz root=/dev/md0 ro console=ttyS0 aoeboot.targets=e11.0,e11.1 aoeboot.timeout=60 GRUBTEST=yes
initrd /initrd.img
boot
CFG
mkdir -p "$EFI_TMP/gesp/EFI/BOOT"
if ! grub-mkstandalone -O x86_64-efi -o "$EFI_TMP/gesp/EFI/BOOT/BOOTX64.EFI" \
	"boot/grub/grub.cfg=$EFI_TMP/grub.cfg" >"$EFI_TMP/grub.log" 2>&1; then
	fail $name "grub-mkstandalone failed: $(tail -n 3 "$EFI_TMP/grub.log" | tr '\n' '|')"
	exit 1
fi
cp "$EFI_BUILD/vmlinuz" "$EFI_TMP/gesp/vmlinuz"
cp "$EFI_BUILD/initramfs.img" "$EFI_TMP/gesp/initrd.img"
truncate -s 128M "$EFI_TMP/grub.img"
sgdisk -n1:2048:0 -t1:ef00 "$EFI_TMP/grub.img" >/dev/null
truncate -s 126M "$EFI_TMP/gesp.part"
mkfs.vfat -F 32 -n GRUBESP "$EFI_TMP/gesp.part" >/dev/null
mcopy -s -i "$EFI_TMP/gesp.part" "$EFI_TMP/gesp/EFI" "$EFI_TMP/gesp/vmlinuz" \
	"$EFI_TMP/gesp/initrd.img" ::
dd if="$EFI_TMP/gesp.part" of="$EFI_TMP/grub.img" bs=1M seek=1 conv=notrunc status=none
rm -f "$EFI_TMP/gesp.part"

cp "$EFI_BUILD/demo/a.img" "$EFI_TMP/a.img"
cp "$EFI_BUILD/demo/b.img" "$EFI_TMP/b.img"
efi_vblade 11 0 "$EFI_TMP/a.img"
efi_vblade 11 1 "$EFI_TMP/b.img"
efi_vblade 12 0 "$EFI_TMP/grub.img"
efi_esp "$EFI_BUILD/efi/aoeboot.efi"
printf 'targets=e12.0\ntimeout=0\n' >"$EFI_TMP/esp/EFI/BOOT/aoeboot.conf"
log=$EFI_TMP/console.log
efi_qemu virtio "$log"

if ! efi_wait "$log" 'AOEBOOT-DEMO-ROOT-INIT' 300; then
	fail $name "the real root's init never ran; console tail:"
	efi_console "$log" | tail -n 25 | sed 's/^/    | /'
	exit 1
fi
sleep 2
efi_keys $'cat /proc/cmdline; poweroff\r'
vm_wait_exit 60 || true
con=$(efi_console "$log")
if ! grep -Eq "^booting 'e12\.0: /EFI/BOOT/BOOTX64\.EFI \(SAN boot\)'" <<<"$con"; then
	fail $name "aoeboot's default was not GRUB's SAN boot: $(grep -E "^(booting|menu)" <<<"$con" | tr '\n' '|')"
elif ! grep -q '^SAN boot: e12\.0 as an EFI disk' <<<"$con"; then
	fail $name "no SAN boot of e12.0"
elif ! grep -q 'GRUBTEST: root is' <<<"$con"; then
	fail $name "GRUB's config did not run"
elif ! grep -q 'root=/dev/md0 .*GRUBTEST=yes' <<<"$con"; then
	fail $name "the root's /proc/cmdline is not GRUB's: $(grep 'root=' <<<"$con" | tail -n 1)"
else
	pass $name
fi
exit "$EFI_FAILED"
