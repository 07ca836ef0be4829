#!/bin/bash
# efi_vlan.sh - 802.1Q end to end: aoeboot.efi with vlan=5 targets=e7.1
# boots disk A, which is e7.1 on VLAN 5, though an untagged decoy disk B
# answers as e7.1 on the same wire; our initrd makes eth0.5 and Linux's
# aoe finds e7.1 there, and A's root comes up.
#
#   VM (virtio) - tap0 [vblade B e7.1, untagged: the decoy]
#                 tap0 [relay --vlan 5: trunk tap0, access ra] ra -veth- t0
#                                                      t0 [vblade A e7.1]
# The host kernel has no 8021q, so build/tools/relay is the VLAN-aware
# switch port (frames tagged 5 reach A untagged, A's answers go out tagged
# 5; untagged frames never reach A).  vblade B also sees the tagged frames
# (the kernel strips the tag before it) and answers them untagged: both
# the firmware and Linux must ignore those.
# Disks (MBR, p1 FAT16 with extlinux.conf, the Debian kernel and our
# initramfs, p2 ext4 labelled vlanroot): A is 72 MiB, B 64 MiB, each root's
# /sbin/init prints VLAN-ROOT-INIT disk-a or disk-b, the interface aoe used
# for e7.1, what aoectl (copied in with its libraries) discovers on eth0.5
# (the kernel's VLAN interface: A), on eth0 (untagged: B) and on eth0 with
# --vlan 5 (A), and the command line, then powers off.  Two VM boots, ~1 min
# each: vlan=5 must come up on A, from UEFI and from a legacy BIOS
# (aoeboot.lkrn, native virtio-net driver); without vlan= the same wire
# must come up on B (the test can tell them apart; VLAN_DECOY=0 leaves it
# out).
# VLAN_NIC=e1000 boots over iPXE's efi-e1000.rom SNP instead of OVMF's
# virtio-net (both hand tagged frames through; 2 Dec 2026: PASS, 56 s).
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

if ! make --no-print-directory -s efi bios initramfs tools >/dev/null 2>&1; then
	fail efi_vlan_setup "make efi bios initramfs tools failed"
	exit 1
fi
PATH=$PATH:/sbin:/usr/sbin
export MTOOLS_SKIP_CHECK=1
K=$EFI_BUILD/vmlinuz
I=$EFI_BUILD/initramfs.img

# vlan_disk OUT MIB NAME: the MBR disk described above, root marker NAME.
vlan_disk() {
	local out=$1 mib=$2 name=$3 w=$EFI_TMP/mk-$3
	mkdir -p "$w/boot/extlinux" "$w/root"/{bin,sbin,proc,sys,dev,etc}
	cp "$K" "$w/boot/vmlinuz"
	cp "$I" "$w/boot/initrd.img"
	cat >"$w/boot/extlinux/extlinux.conf" <<EOF
DEFAULT aoe
LABEL aoe
  MENU LABEL Linux from $name
  KERNEL /vmlinuz
  INITRD /initrd.img
  APPEND root=LABEL=vlanroot ro console=ttyS0 panic=-1 aoeboot.timeout=60
EOF
	cp "$(command -v busybox)" "$w/root/bin/busybox"
	ln -s busybox "$w/root/bin/sh"
	# aoectl and exactly the libraries ldd names, at the same paths.
	cp "$EFI_BUILD/aoectl" "$w/root/bin/aoectl"
	ldd "$EFI_BUILD/aoectl" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }' | while read -r lib; do
		mkdir -p "$w/root$(dirname "$lib")"
		cp -L "$lib" "$w/root$lib"
	done
	echo "$name" >"$w/root/etc/rootname"
	cat >"$w/root/sbin/init" <<'EOF'
#!/bin/busybox sh
b=/bin/busybox
$b mount -t proc proc /proc 2>/dev/null
$b mount -t sysfs sysfs /sys 2>/dev/null
echo "VLAN-ROOT-INIT $($b cat /etc/rootname)"
echo "VLAN-ROOT-AOE e7.1 netif $($b cat '/sys/block/etherd!e7.1/netif' 2>&1) mac $($b cat '/sys/block/etherd!e7.1/mac' 2>&1)"
echo "VLAN-ROOT-IFS $($b ls /sys/class/net | $b tr '\n' ' ')"
for a in "-i eth0.5" "-i eth0" "-i eth0 --vlan 5"; do
	echo "VLAN-ROOT-AOECTL $a: $(/bin/aoectl discover $a --timeout 2000 2>&1 | $b tr '\n' '|')"
done
echo "VLAN-ROOT-CMDLINE $($b cat /proc/cmdline)"
$b sync
$b poweroff -f
EOF
	chmod 755 "$w/root/sbin/init"
	truncate -s "${mib}M" "$out"
	printf 'start=2048, size=65536, type=6, bootable\nstart=67584, type=83\n' |
		sfdisk -q "$out" || return 1
	truncate -s 32M "$w/boot.fat"
	mkfs.vfat -F 16 -n AOEBOOT "$w/boot.fat" >/dev/null &&
		mcopy -s -i "$w/boot.fat" "$w/boot"/* :: || return 1
	dd if="$w/boot.fat" of="$out" bs=512 seek=2048 conv=notrunc status=none
	mke2fs -q -t ext4 -L vlanroot -d "$w/root" -E offset=$((67584 * 512)) \
		"$out" $(( (mib * 2048 - 67584) / 2 ))k || return 1
	rm -rf "$w"
}

# boot [--bios] NAME CONF-LINES DISK-WANTED REGEX...: one VM boot over
# virtio with \EFI\BOOT\aoeboot.conf holding CONF-LINES ('|' between
# lines), or with --bios a SeaBIOS machine starting aoeboot.lkrn with them
# as its command line; the root must be DISK-WANTED and the console must
# match every REGEX.
boot() {
	local fw=efi log con re ok=1 t0
	[ "$1" = --bios ] && { fw=bios; shift; }
	local name=$1 conf=$2 want=$3
	shift 3
	efi_init "$name" || { fail "$name" "cannot create namespace"; return; }
	efi_tap
	if ! vlan_disk "$EFI_TMP/a.img" 72 disk-a >"$EFI_TMP/mk.log" 2>&1 ||
	   ! vlan_disk "$EFI_TMP/b.img" 64 disk-b >>"$EFI_TMP/mk.log" 2>&1; then
		fail "$name" "cannot build the disks: $(tail -n 3 "$EFI_TMP/mk.log" | tr '\n' '|')"
		efi_cleanup
		return
	fi
	tb_veth ra t0 1500 &&
		tb_vblade 7 1 t0 "$EFI_TMP/a.img" &&
		efi_vblade 7 1 "$EFI_TMP/b.img" &&
		tb_relay tap0 ra --vlan 5 ||
		{ fail "$name" "cannot start vblades and relay"; efi_cleanup; return; }
	log=$EFI_TMP/console.log
	t0=$(date +%s)
	if [ "$fw" = bios ]; then
		# SeaBIOS starts aoeboot.lkrn with the settings as its command
		# line; the native virtio-net driver (no PXE stack).
		tb_qemu "$log" -machine pc -kernel "$EFI_BUILD/bios/aoeboot.lkrn" \
			-append "$(tr '|' ' ' <<<"$conf")" $(tb_nic_dev virtio tap0)
	else
		efi_esp "$EFI_BUILD/efi/aoeboot.efi"
		tr '|' '\n' <<<"$conf" >"$EFI_TMP/esp/EFI/BOOT/aoeboot.conf"
		efi_qemu "${VLAN_NIC:-virtio}" "$log"
	fi
	if ! efi_wait "$log" 'VLAN-ROOT-CMDLINE|returning to the firmware|Kernel panic' 300; then
		fail "$name" "no root came up within 300 s; console tail:"
		efi_console "$log" | tail -n 30 | sed 's/^/    | /'
		efi_cleanup
		return
	fi
	vm_wait_exit 30 || true
	con=$(efi_console "$log")
	if ! grep -q "^VLAN-ROOT-INIT $want\$" <<<"$con"; then
		fail "$name" "root '$(grep -Eo '^VLAN-ROOT-INIT .*' <<<"$con")', not $want"
		ok=0
	fi
	for re in "$@"; do
		if ! grep -Eq -- "$re" <<<"$con"; then
			fail "$name" "console lacks /$re/"
			ok=0
		fi
	done
	if [ $ok = 1 ]; then
		pass "$name ($want; $(grep -Eo '^VLAN-ROOT-AOE .*' <<<"$con"); $(( $(date +%s) - t0 )) s)"
	else
		efi_console "$log" | grep -aE '^(aoeboot|aoe:|snp|target|loaded|error|warning|VLAN-ROOT)' | head -n 40 | sed 's/^/    | /'
	fi
	efi_cleanup
}

boot efi_vlan_boots_disk_a 'vlan=5|targets=e7.1|timeout=0' disk-a \
	'^AoE on 802\.1Q VLAN 5$' \
	'^target e7\.1: 72\.0 MiB' \
	'^aoeboot: AoE on 802\.1Q VLAN 5: eth0\.5$' \
	'^VLAN-ROOT-AOE e7\.1 netif eth0\.5 ' \
	'^VLAN-ROOT-IFS .*eth0\.5 ' \
	'^VLAN-ROOT-AOECTL -i eth0\.5: e7\.1 +[0-9a-f:]+ +147456 sectors \(72\.0 MiB\)' \
	'^VLAN-ROOT-AOECTL -i eth0: e7\.1 +[0-9a-f:]+ +131072 sectors \(64\.0 MiB\)' \
	'^VLAN-ROOT-AOECTL -i eth0 --vlan 5: e7\.1 +[0-9a-f:]+ +147456 sectors \(72\.0 MiB\)' \
	'^VLAN-ROOT-CMDLINE .*BOOTIF=01-52-54-00-12-34-56 aoeboot\.targets=e7\.1 aoeboot\.vlan=5$'

# The same from a legacy BIOS (the boot manager is the same core).
boot --bios bios_vlan_boots_disk_a 'vlan=5 targets=e7.1 timeout=0' disk-a \
	'^AoE on 802\.1Q VLAN 5$' \
	'^aoeboot: AoE on 802\.1Q VLAN 5: eth0\.5$' \
	'^VLAN-ROOT-AOE e7\.1 netif eth0\.5 ' \
	'^VLAN-ROOT-CMDLINE .*aoeboot\.targets=e7\.1 aoeboot\.vlan=5$'

if [ "${VLAN_DECOY:-1}" = 1 ]; then
	boot efi_vlan_untagged_boots_decoy 'targets=e7.1|timeout=0' disk-b \
		'^target e7\.1: 64\.0 MiB' \
		'^VLAN-ROOT-AOE e7\.1 netif eth0 ' \
		'^VLAN-ROOT-CMDLINE .*aoeboot\.targets=e7\.1$'
fi
tb_finish
