#!/bin/bash
# boot_dryrun.sh - the firmware's boot flow on the host, against real vblade
# targets: GPT + ext4 with BLS entries, an MBR disk with FAT and
# extlinux.conf, a RAID1 pair (md 1.2 made by real mdadm, tests/images/
# mkmd.sh) holding ext4 with Debian's /vmlinuz symlinks, the same pair with
# one member's target down, and damaged disks.  Every loaded file is
# checked by sha256 against the file that was put on the disk.
set -u
. "$(dirname "$0")/lib.sh"

tb_init bootflow
T=$TB_DIR
R=$TB_ROOT

# --- images ------------------------------------------------------------------
# 1. GPT: p1 ESP (empty), p2 ext4 with two BLS entries, two initrds.
mkdir -p "$T/gpt/loader/entries" "$T/gpt/boot"
head -c $((3 << 20)) /dev/urandom >"$T/gpt/boot/vmlinuz-6.1.0-9"
head -c $((5 << 20)) /dev/urandom >"$T/gpt/boot/vmlinuz-6.1.0-10"
head -c $((1 << 20)) /dev/urandom >"$T/gpt/boot/initrd-10.img"
head -c 333 /dev/urandom >"$T/gpt/boot/extra.img"
cat >"$T/gpt/loader/entries/deb10.conf" <<'EOF'
title Debian 10
version 6.1.0-10
linux /boot/vmlinuz-6.1.0-10
initrd /boot/initrd-10.img
initrd /boot/extra.img
options root=/dev/md0 ro
EOF
cat >"$T/gpt/loader/entries/deb9.conf" <<'EOF'
title Debian 9
version 6.1.0-9
linux /boot/vmlinuz-6.1.0-9
options root=/dev/md0 ro quiet
EOF
truncate -s 64M "$T/gpt.img"
sgdisk -n1:2048:+16M -t1:ef00 -n2:0:0 -t2:8300 "$T/gpt.img" >/dev/null
p2=$(sgdisk -i 2 "$T/gpt.img" | awk '/First sector/ {print $3}')
mke2fs -q -t ext4 -d "$T/gpt" -E offset=$((p2 * 512)) "$T/gpt.img" 40M

# 2. MBR: one FAT32 partition with extlinux.conf.
mkdir -p "$T/fat/extlinux"
head -c $((2 << 20)) /dev/urandom >"$T/fat/linux.efi"
head -c $((1 << 20)) /dev/urandom >"$T/fat/initrd.gz"
cat >"$T/fat/extlinux/extlinux.conf" <<'EOF'
DEFAULT rescue
TIMEOUT 30
LABEL normal
  MENU LABEL Normal boot
  LINUX ../linux.efi
  APPEND root=LABEL=rootfs ro
LABEL rescue
  MENU LABEL Rescue shell
  KERNEL /linux.efi
  INITRD /initrd.gz
  APPEND root=LABEL=rootfs init=/bin/sh
EOF
truncate -s 48M "$T/mbr.img"
printf 'start=2048, type=c\n' | sfdisk -q "$T/mbr.img"
truncate -s 46M "$T/fat.part"
mkfs.vfat -F 32 -n BOOTFAT "$T/fat.part" >/dev/null
mcopy -s -i "$T/fat.part" "$T/fat/linux.efi" "$T/fat/initrd.gz" "$T/fat/extlinux" ::
dd if="$T/fat.part" of="$T/mbr.img" bs=512 seek=2048 conv=notrunc status=none

# 3. RAID1 md 1.2 on whole disks, made by real mdadm (cached by mkmd.sh);
# both members get the same ext4 at their data offset.
MD=$R/build/images/md
if ! bash "$R/tests/images/mkmd.sh" "$MD" >"$T/mkmd.log" 2>&1; then
	fail raid1_images "mkmd.sh failed: $(tail -n 5 "$T/mkmd.log" | tr '\n' '|')"
fi
mkdir -p "$T/md/boot"
head -c $((4 << 20)) /dev/urandom >"$T/md/boot/vmlinuz-6.1.0-13-amd64"
head -c $((2 << 20)) /dev/urandom >"$T/md/boot/initrd.img-6.1.0-13-amd64"
ln -s boot/vmlinuz-6.1.0-13-amd64 "$T/md/vmlinuz"
ln -s boot/initrd.img-6.1.0-13-amd64 "$T/md/initrd.img"
# A root filesystem (/etc/fstab) with /etc/kernel/cmdline: the Debian
# method's root=UUID= comes from the filesystem, the rest from that file.
MD_UUID=5a0eb007-1234-4abc-8def-00112233aabb
mkdir -p "$T/md/etc/kernel"
echo 'UUID=5a0eb007-1234-4abc-8def-00112233aabb / ext4 defaults 0 1' >"$T/md/etc/fstab"
echo 'console=ttyS0 quiet' >"$T/md/etc/kernel/cmdline"
for i in 0 1; do cp "$MD/r1_12.$i.img" "$T/r1.$i.img" 2>/dev/null; done
off=$(mdadm --examine "$T/r1.0.img" 2>/dev/null | awk '/Data Offset/ {print $4}')
size=$(mdadm --examine "$T/r1.0.img" 2>/dev/null | awk '/Array Size/ {print $4}')
if [ -n "$off" ] && [ -n "$size" ]; then
	# Array Size is in KiB.
	mke2fs -q -t ext4 -L mdroot -U "$MD_UUID" -d "$T/md" "$T/mdfs.img" "${size}k"
	for i in 0 1; do
		dd if="$T/mdfs.img" of="$T/r1.$i.img" bs=512 seek="$off" \
			conv=notrunc status=none
	done
else
	fail raid1_images "no md superblock in r1_12.0.img"
fi

# --- targets -------------------------------------------------------------------
tb_veth i0 t0 1500
tb_vblade 11 0 t0 "$T/gpt.img" || fail setup "vblade e11.0"
tb_vblade 11 1 t0 "$T/mbr.img" || fail setup "vblade e11.1"
tb_vblade 12 0 t0 "$T/r1.0.img" || fail setup "vblade e12.0"
tb_vblade 12 1 t0 "$T/r1.1.img" || fail setup "vblade e12.1"
R1B_PID=$TB_LAST_PID

# check_load NAME OUTPUT PATH-ON-HOST...: every "kernel"/"initrd" line's
# sha256 must be the host file's, in order.
check_load() {
	local name=$1 out=$2 want got bad=
	shift 2
	got=$(awk '$1 == "kernel" || $1 == "initrd" {print $6}' "$out")
	want=$(for f in "$@"; do sha256sum "$f" | cut -d' ' -f1; done)
	if [ -z "$got" ] || [ "$got" != "$want" ]; then
		fail "$name" "sha256 got [$(echo $got)] want [$(echo $want)]: $(tr '\n' '|' <"$out")"
		return 1
	fi
	return 0
}

# --- GPT + ext4 + BLS ---------------------------------------------------------
name=bls_entries_newest_default
if tb_aoectl entries -i i0 e11.0 >"$T/e.out" 2>"$T/e.err"; then
	if grep -q '^\* deb10 ' "$T/e.out" && grep -q '^  deb9 ' "$T/e.out" &&
	   [ "$(grep -n deb10 "$T/e.out" | head -1 | cut -d: -f1)" -lt \
	     "$(grep -n deb9 "$T/e.out" | head -1 | cut -d: -f1)" ]; then
		pass "$name"
	else
		fail "$name" "$(tr '\n' '|' <"$T/e.out")"
	fi
else
	fail "$name" "exit $?: $(cat "$T/e.err")"
fi

name=bls_dry_run_sha256
if tb_aoectl boot --dry-run -i i0 e11.0 --append console=ttyS0 >"$T/b.out" 2>"$T/b.err"; then
	if check_load "$name" "$T/b.out" "$T/gpt/boot/vmlinuz-6.1.0-10" \
		"$T/gpt/boot/initrd-10.img" "$T/gpt/boot/extra.img"; then
		mac=$(tb_ns cat /sys/class/net/i0/address | tr ':' '-')
		if grep -q "^cmdline  root=/dev/md0 ro console=ttyS0 BOOTIF=01-$mac aoeboot.targets=e11.0$" "$T/b.out"; then
			pass "$name"
		else
			fail "$name" "cmdline: $(grep cmdline "$T/b.out")"
		fi
	fi
else
	fail "$name" "exit $?: $(cat "$T/b.err")"
fi

name=bls_choose_entry
if tb_aoectl boot --dry-run -i i0 e11.0 --entry "Debian 9" >"$T/b9.out" 2>"$T/b9.err"; then
	check_load "$name" "$T/b9.out" "$T/gpt/boot/vmlinuz-6.1.0-9" && pass "$name"
else
	fail "$name" "exit $?: $(cat "$T/b9.err")"
fi

name=cat_and_ls
tb_aoectl cat -i i0 e11.0 /boot/vmlinuz-6.1.0-9 >"$T/cat.out" 2>"$T/cat.err"
if [ "$(tb_sha "$T/cat.out")" = "$(tb_sha "$T/gpt/boot/vmlinuz-6.1.0-9")" ] &&
   tb_aoectl ls -i i0 e11.0 /boot 2>/dev/null | grep -q '5242880  vmlinuz-6.1.0-10'; then
	pass "$name"
else
	fail "$name" "cat/ls mismatch: $(cat "$T/cat.err")"
fi

# --- MBR + FAT32 + extlinux -----------------------------------------------------
name=extlinux_default_label
if tb_aoectl boot --dry-run -i i0 e11.1 >"$T/x.out" 2>"$T/x.err"; then
	if check_load "$name" "$T/x.out" "$T/fat/linux.efi" "$T/fat/initrd.gz"; then
		if grep -q '^title    Rescue shell$' "$T/x.out" &&
		   grep -q '^cmdline  root=LABEL=rootfs init=/bin/sh BOOTIF=' "$T/x.out"; then
			pass "$name"
		else
			fail "$name" "$(tr '\n' '|' <"$T/x.out")"
		fi
	fi
else
	fail "$name" "exit $?: $(cat "$T/x.err")"
fi

# --- RAID1 on two targets ------------------------------------------------------
name=raid1_volumes
if tb_aoectl volumes -i i0 e12.0,e12.1 >"$T/v.out" 2>"$T/v.err" &&
   grep -q 'raid1' "$T/v.out" && grep -q 'label "mdroot"' "$T/v.out" &&
   ! grep -qi 'degraded' "$T/v.out"; then
	pass "$name"
else
	fail "$name" "$(tr '\n' '|' <"$T/v.out") $(cat "$T/v.err")"
fi

name=raid1_debian_symlinks_sha256
if tb_aoectl boot --dry-run -i i0 e12.0,e12.1 >"$T/m.out" 2>"$T/m.err"; then
	check_load "$name" "$T/m.out" "$T/md/boot/vmlinuz-6.1.0-13-amd64" \
		"$T/md/boot/initrd.img-6.1.0-13-amd64" &&
	grep -q 'aoeboot.targets=e12.0,e12.1$' "$T/m.out" && pass "$name" ||
		{ grep -q 'aoeboot.targets=e12.0,e12.1$' "$T/m.out" ||
		  fail "$name" "cmdline: $(grep cmdline "$T/m.out")"; }
else
	fail "$name" "exit $?: $(cat "$T/m.err")"
fi

# The dry run says where each part of the command line came from.
name=debian_cmdline_origin
if grep -q "^cmdline  root=UUID=$MD_UUID ro console=ttyS0 quiet BOOTIF=" "$T/m.out" &&
   grep -q "^origin   root=UUID=$MD_UUID ro: this filesystem; the rest: /etc/kernel/cmdline\$" "$T/m.out"; then
	pass "$name"
else
	fail "$name" "$(grep -E '^(cmdline|origin)' "$T/m.out" | tr '\n' '|')"
fi

name=raid1_one_target_down
tb_stop "$R1B_PID"
if tb_aoectl boot --dry-run --timeout 500 -i i0 e12.0,e12.1 >"$T/d.out" 2>"$T/d.err"; then
	if check_load "$name" "$T/d.out" "$T/md/boot/vmlinuz-6.1.0-13-amd64" \
		"$T/md/boot/initrd.img-6.1.0-13-amd64"; then
		if grep -q 'e12.1 did not answer' "$T/d.err" &&
		   grep -q 'aoeboot.targets=e12.0$' "$T/d.out"; then
			pass "$name"
		else
			fail "$name" "warning/cmdline: $(cat "$T/d.err") $(grep cmdline "$T/d.out")"
		fi
	fi
else
	fail "$name" "exit $?: $(cat "$T/d.err")"
fi

# --- damaged disks -----------------------------------------------------------------
# Primary GPT header broken: the backup at the disk's end is used.
cp "$T/gpt.img" "$T/gptbad.img"
printf '\xde\xad\xbe\xef' | dd of="$T/gptbad.img" bs=1 seek=$((512 + 24)) conv=notrunc status=none
# The only filesystem's superblock broken: nothing to boot, a clear error.
cp "$T/gpt.img" "$T/nofs.img"
dd if=/dev/zero of="$T/nofs.img" bs=1024 count=2 seek=$((p2 / 2)) conv=notrunc status=none
tb_vblade 13 0 t0 "$T/gptbad.img" || fail setup "vblade e13.0"
tb_vblade 13 1 t0 "$T/nofs.img" || fail setup "vblade e13.1"

name=gpt_backup_header
if tb_aoectl boot --dry-run -i i0 e13.0 >"$T/g.out" 2>"$T/g.err"; then
	check_load "$name" "$T/g.out" "$T/gpt/boot/vmlinuz-6.1.0-10" \
		"$T/gpt/boot/initrd-10.img" "$T/gpt/boot/extra.img" && pass "$name"
else
	fail "$name" "exit $?: $(cat "$T/g.err")"
fi

name=no_filesystem_clear_error
tb_timed ms tb_aoectl boot --dry-run -i i0 e13.1 >"$T/n.out" 2>"$T/n.err"
rc=$?
if [ $rc = 1 ] && grep -q 'nothing to boot: no boot entries' "$T/n.err"; then
	pass "$name"
else
	fail "$name" "exit $rc after $ms ms: $(cat "$T/n.err")"
fi

# --- the boot manager's menu: titles, SAN before a rootless guess, empty
# initrd, a settings file ------------------------------------------------------
name=title_version_once
if grep -q '^menu    \* Debian GNU/Linux, kernel 6.1.0-13-amd64 (md[0-9]*) \[debian\]$' "$T/m.out" &&
   ! grep -q '6.1.0-13-amd64 6.1.0-13-amd64' "$T/m.out"; then
	pass "$name"
else
	fail "$name" "$(grep '^menu' "$T/m.out" | tr '\n' '|')"
fi

# A GPT disk whose ESP holds a loader (\EFI\BOOT\BOOTX64.EFI) and, beside
# it, /vmlinuz and a 0-byte /initrd.img: the symlinks guess has no root=.
mkdir -p "$T/esp/EFI/BOOT"
head -c 4096 /dev/urandom >"$T/esp/EFI/BOOT/BOOTX64.EFI"
head -c $((1 << 20)) /dev/urandom >"$T/esp/vmlinuz"
: >"$T/esp/initrd.img"
truncate -s 40M "$T/esp.img"
sgdisk -n1:2048:0 -t1:ef00 "$T/esp.img" >/dev/null
truncate -s 38M "$T/esp.part"
mkfs.vfat -F 32 -n ESP "$T/esp.part" >/dev/null
mcopy -s -i "$T/esp.part" "$T/esp/EFI" "$T/esp/vmlinuz" "$T/esp/initrd.img" ::
dd if="$T/esp.part" of="$T/esp.img" bs=512 seek=2048 conv=notrunc status=none
tb_vblade 14 0 t0 "$T/esp.img" || fail setup "vblade e14.0"

name=san_before_rootless_debian_guess
if tb_aoectl boot --dry-run -i i0 e14.0 >"$T/s.out" 2>"$T/s.err"; then
	san=$(grep -n '^menu .*e14.0: /EFI/BOOT/BOOTX64.EFI (SAN boot) \[san-e14.0\]$' "$T/s.out" | cut -d: -f1)
	deb=$(grep -n '^menu .*Debian GNU/Linux (e14.0p1) \[debian\]$' "$T/s.out" | cut -d: -f1)
	if [ -n "$san" ] && [ -n "$deb" ] && [ "$san" -lt "$deb" ] &&
	   grep -q '^san      e14.0 starting /EFI/BOOT/BOOTX64.EFI$' "$T/s.out" &&
	   grep -q '^abft     46 bytes: e14.0 via ' "$T/s.out"; then
		pass "$name"
	else
		fail "$name" "$(tr '\n' '|' <"$T/s.out")"
	fi
else
	fail "$name" "exit $?: $(cat "$T/s.err")"
fi

name=empty_initrd_loads
if tb_aoectl boot --dry-run -i i0 e14.0 --entry debian >"$T/z.out" 2>"$T/z.err"; then
	if check_load "$name" "$T/z.out" "$T/esp/vmlinuz" "$T/esp/initrd.img"; then
		if grep -q '^initrd   /initrd.img 0 bytes sha256 ' "$T/z.out"; then
			pass "$name"
		else
			fail "$name" "$(tr '\n' '|' <"$T/z.out")"
		fi
	fi
else
	fail "$name" "exit $?: $(cat "$T/z.err")"
fi

name=settings_file_bad_line
printf '%s\n' '# chosen by the file' 'entry=debian' 'this line is wrong' \
	'append="root=/dev/sda2 quiet"' >"$T/aoeboot.conf"
if tb_aoectl boot --dry-run -i i0 e14.0 --settings "$T/aoeboot.conf" >"$T/f.out" 2>"$T/f.err"; then
	nbad=$(grep -c 'aoeboot.conf:3: ' "$T/f.err")
	if [ "$nbad" = 1 ] && grep -q '^title    Debian GNU/Linux$' "$T/f.out" &&
	   grep -q '^cmdline  root=/dev/sda2 quiet BOOTIF=' "$T/f.out"; then
		pass "$name"
	else
		fail "$name" "$nbad messages: $(tr '\n' '|' <"$T/f.err") $(tr '\n' '|' <"$T/f.out")"
	fi
else
	fail "$name" "exit $?: $(cat "$T/f.err")"
fi

tb_finish
