#!/bin/bash
# bios_san.sh - SAN boot under BIOS: an AoE disk holding syslinux becomes
# an INT 13h hard disk, syslinux loads the kernel and our initrd through it.
#
# The disk (served by vblade as e3.7, 64 MiB MBR): Debian's syslinux mbr.bin,
# partition 1 (active, FAT16) with `syslinux --install`,
# syslinux.cfg (SERIAL 0), vmlinuz and build/initramfs.img;
# partition 2 ext4 (label aoe-san) whose /sbin/init prints a marker and
# powers off.  The kernel's command line names no target and no NIC: our
# initrd reads them from the aBFT aoeboot left in base memory.
# QEMU -machine pc (SeaBIOS) starts aoeboot.lkrn with
# "mode=san targets=e3.7" and a virtio-net without ROM (native driver).
# Asserted: aoeboot's SAN line (drive 80h), syslinux's banner on the serial
# console, the real root's init, the initrd's aBFT line, what was done
# with the ACPI tables (SeaBIOS's RSDP is read-only); and a write:
# the ADV's boot-once label (set by this script) is what syslinux boots and
# clears through INT 13h, and only the ADV's two sectors changed on the
# target (cmp of the image before/after).
set -u
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. test-vm/initrd_common.sh
export MTOOLS_SKIP_CHECK=1
PATH=$PATH:/sbin:/usr/sbin
MBR_BIN=/usr/lib/syslinux/mbr/mbr.bin

for t in syslinux mcopy mkfs.vfat sfdisk mke2fs busybox; do
	command -v "$t" >/dev/null || { skip bios_san "$t is not installed"; exit 0; }
done
[ -r "$MBR_BIN" ] || { skip bios_san "$MBR_BIN is missing (package syslinux-common)"; exit 0; }
vm_init bios-san
if ! make --no-print-directory -s bios initramfs >"$VM_TMP/make.log" 2>&1; then
	fail bios_san_build "make bios initramfs failed: $(tail -n 5 "$VM_TMP/make.log" | tr '\n' ' ')"
	exit 1
fi

# The disk: p1 FAT16 32 MiB at 1 MiB (active), p2 ext4 the rest.
disk=$VM_TMP/disk.img
part=$VM_TMP/p1.img
truncate -s 64M "$disk"
printf 'label: dos\nstart=2048, size=65536, type=6, bootable\nstart=67584, type=83\n' |
	sfdisk -q "$disk" >/dev/null
dd if="$MBR_BIN" of="$disk" bs=440 count=1 conv=notrunc status=none
mkfs.vfat -F 16 -C "$part" 32768 >/dev/null
cat >"$VM_TMP/syslinux.cfg" <<'CFG'
SERIAL 0 115200
PROMPT 0
TIMEOUT 1
DEFAULT hd
LABEL hd
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND console=ttyS0 panic=-1 root=LABEL=aoe-san aoeboot.timeout=60
LABEL once
  KERNEL vmlinuz
  INITRD initrd.img
  APPEND console=ttyS0 panic=-1 root=LABEL=aoe-san aoeboot.timeout=60 san.bootonce
CFG
syslinux --install "$part"
# The mtools installer has no --once: set ldlinux.sys's ADV boot-once label
# to "once" directly (syslinux's ADV: two copies of a 512-byte sector,
# magic 5A2D2FA5h, checksum = A3041767h - the sum of the dwords at 8..507,
# tag 1 = boot-once, magic DD28BF64h at 508); ldlinux boots it and clears
# it with a write through INT 13h.
if ! adv=$(python3 - "$part" <<'PY'
import struct, sys
f = open(sys.argv[1], 'r+b'); m = bytearray(f.read())
M1, M2, M3 = 0x5a2d2fa5, 0xa3041767, 0xdd28bf64
offs = [o for o in range(0, len(m), 512)
        if struct.unpack_from('<I', m, o)[0] == M1 and
        struct.unpack_from('<I', m, o + 508)[0] == M3]
if len(offs) != 2 or offs[1] != offs[0] + 512:
    sys.exit('no ADV pair in the FAT image')
adv = bytearray(512)
data = bytes([1, 4]) + b'once'
adv[8:8 + len(data)] = data
csum = M2
for i in range(8, 508, 4):
    csum -= struct.unpack_from('<I', adv, i)[0]
struct.pack_into('<II', adv, 0, M1, csum & 0xffffffff)
struct.pack_into('<I', adv, 508, M3)
m[offs[0]:offs[0] + 512] = adv; m[offs[1]:offs[1] + 512] = adv
f.seek(0); f.write(m)
print(offs[0])
PY
); then
	fail bios_san_build "cannot set the ADV boot-once label"
	exit 1
fi
mcopy -i "$part" "$VM_TMP/syslinux.cfg" ::/syslinux.cfg
mcopy -i "$part" build/vmlinuz ::/vmlinuz
mcopy -i "$part" build/initramfs.img ::/initrd.img
initrd_make_rootfs "$VM_TMP/root" san
mke2fs -q -F -t ext4 -d "$VM_TMP/root" -L aoe-san "$VM_TMP/p2.img" 30M
dd if="$part" of="$disk" bs=512 seek=2048 conv=notrunc status=none
dd if="$VM_TMP/p2.img" of="$disk" bs=512 seek=67584 conv=notrunc status=none
cp "$disk" "$VM_TMP/disk.before"
adv_off=$((2048 * 512 + adv))	# the ADV pair on the disk

vm_tap tap0
vm_vblade 3 7 tap0 "$disk"
log=$VM_TMP/console.log
mac=52:54:00:5a:0b:01
t0=$(date +%s)
# shellcheck disable=SC2046
printf '\xf8\x03' >"$VM_TMP/sercon-port"
vm_qemu "$log" -machine pc -kernel build/bios/aoeboot.lkrn \
	-fw_cfg "name=etc/sercon-port,file=$VM_TMP/sercon-port" \
	-append "mode=san targets=e3.7 ${SAN_DEBUG:-}" $(tb_nic_dev virtio tap0 $mac)
if ! vm_wait "$log" '^AOEBOOT-ROOT-DONE' ${SAN_WAIT:-600}; then
	fail bios_san_boot "the real root's init did not finish within 600 s; console tail:"
	vm_log_tail "$log" 40
	vm_cleanup
	exit 1
fi
secs=$(($(date +%s) - t0))
con=$(tr -d '\r' <"$log")
if ! grep -q '^SAN boot: e3\.7 as BIOS drive 80h' <<<"$con"; then
	fail bios_san_int13 "no 'SAN boot: e3.7 as BIOS drive 80h' line"
elif ! grep -q 'SYSLINUX' <<<"$con"; then
	fail bios_san_int13 "no syslinux banner on the console"
elif ! grep -q '^AOEBOOT-ROOT-INIT san ' <<<"$con"; then
	fail bios_san_int13 "the root's init did not report"
else
	pass bios_san_int13 "syslinux from e3.7 to the real root in $secs s"
fi
# The command line names no target and no NIC: the initrd took both from
# the aBFT in base memory.
if grep -q "^aoeboot: aBFT: target e3\.7 via $mac\$" <<<"$con"; then
	pass bios_san_abft "the initrd found e3.7 via $mac in the aBFT"
else
	fail bios_san_abft "no 'aoeboot: aBFT: target e3.7 via $mac' line from the initrd"
	grep -E 'aBFT|aoeboot:' <<<"$con" | head -n 10
fi
# The aBFT in the ACPI tables where the RSDP can be written; SeaBIOS has
# made its F-segment read-only by boot time, so aoeboot must say so and
# leave the tables as they were (Linux finds that RSDP, and no aBFT in it).
acpi=$(grep -m1 '^aBFT: ' <<<"$con")
rsdp=$(grep -m1 -oE 'ACPI: RSDP 0x0*[0-9A-F]+' <<<"$con" | sed 's/.*0x0*//' | tr 'A-F' 'a-f')
if [[ $acpi == "aBFT: in the ACPI tables"* ]]; then
	if grep -q 'ACPI: aBFT 0x' <<<"$con"; then
		pass bios_san_acpi "$acpi; Linux lists the aBFT"
	else
		fail bios_san_acpi "aoeboot said '$acpi' but Linux lists no aBFT"
	fi
elif [[ $acpi == *"read-only RSDP"*" at $rsdp;"* ]] && ! grep -q 'ACPI: aBFT' <<<"$con"; then
	pass bios_san_acpi "$acpi (Linux's RSDP at $rsdp, tables unchanged)"
else
	fail bios_san_acpi "aoeboot said '${acpi:-nothing}' about the ACPI tables; Linux's RSDP is at '${rsdp:-none}'"
fi
# syslinux booted the boot-once label and cleared it: a write through our
# INT 13h 43h/03h, to the ADV pair and nowhere else.
vm_kill "$VM_QEMU_PID"
changed=$(cmp -l "$VM_TMP/disk.before" "$disk" | awk -v lo="$adv_off" \
	'{ n++; if ($1 - 1 < lo || $1 - 1 >= lo + 1024) out++ } END { print n + 0, out + 0 }')
if ! grep -q 'Command line: .*san\.bootonce' <<<"$con"; then
	fail bios_san_write "syslinux did not boot the ADV's boot-once label"
elif [ "${changed% *}" = 0 ]; then
	fail bios_san_write "nothing was written to the target (the ADV still holds the label)"
elif [ "${changed#* }" != 0 ]; then
	fail bios_san_write "${changed#* } bytes changed outside the ADV sectors"
elif [ "$(od -An -tu1 -j $((adv_off + 8)) -N1 "$disk" | tr -d ' ')" != 0 ]; then
	fail bios_san_write "the ADV's boot-once tag is still there"
else
	pass bios_san_write "syslinux cleared its ADV through INT 13h: ${changed% *} bytes changed, all in its 2 sectors; sha256 $(sha256sum "$VM_TMP/disk.before" | cut -c1-12) -> $(sha256sum "$disk" | cut -c1-12)"
fi
vm_cleanup
