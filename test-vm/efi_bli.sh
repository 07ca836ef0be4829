#!/bin/bash
# efi_bli.sh - systemd's Boot Loader Interface: what `bootctl status` reads
# and what `bootctl set-oneshot` writes, with Debian's own bootctl.
#
# A FAT32 target holds two BLS entries, "first" (loader.conf's default,
# timeout 1) and "second"; aoeboot.efi boots from a GPT disk's ESP.
# Boot 1: the initrd mounts efivarfs, prints every Loader* variable and
# `bootctl status`, then runs `bootctl set-default second`, `set-oneshot
# first` and `set-timeout 3` and powers off.  Boot 2, same variable store:
# the one-shot entry beats the default one (first boots, counting down
# from 3 s) and LoaderEntryOneShot is gone.  Boot 3: the default entry
# (second) beats loader.conf's.  bootctl comes from Debian's systemd-boot
# package (apt-get download, cached; never installed on the host).
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

BLI_GUID=4a67b082-0a4c-41cf-b6c7-440b29bb8c4f
BOOTCTL_CACHE=${AOEBOOT_CACHE:-/var/cache/aoeboot}/bootctl

efi_prepare efi_bli

# bootctl and its libraries from Debian's packages, unpacked in a cache.
fetch_bootctl() {
	local dir=$BOOTCTL_CACHE tmp
	[ -x "$dir/root/usr/bin/bootctl" ] && return 0
	tmp=$(mktemp -d) || return 1
	(cd "$tmp" && apt-get download -q systemd-boot libsystemd-shared \
		>/dev/null 2>&1) || { rm -rf "$tmp"; return 1; }
	mkdir -p "$dir/root"
	for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$dir/root" || return 1; done
	rm -rf "$tmp"
	[ -x "$dir/root/usr/bin/bootctl" ]
}

# The initrd: busybox, bootctl with every library ldd names, and /init.
bli_initrd() {
	local out=$1 dir lib libdir ko
	dir=$(mktemp -d "$EFI_TMP/initrd.XXXXXX") || return 1
	mkdir -p "$dir/bin" "$dir/proc" "$dir/sys" "$dir/lib/bootctl" \
		"$dir/lib64"
	cp "$(command -v busybox)" "$dir/bin/busybox"
	# efivarfs is a module in Debian's kernel.
	ko=$(find "$moddir" -name 'efivarfs.ko*' | head -n 1)
	[ -n "$ko" ] || return 1
	case $ko in
	*.xz) xz -dc "$ko" >"$dir/efivarfs.ko" ;;
	*.zst) zstd -qdc "$ko" >"$dir/efivarfs.ko" ;;
	*) cp "$ko" "$dir/efivarfs.ko" ;;
	esac
	if [ -n "$have_bootctl" ]; then
		libdir=$BOOTCTL_CACHE/root/usr/lib/x86_64-linux-gnu/systemd
		cp "$BOOTCTL_CACHE/root/usr/bin/bootctl" "$dir/bin/bootctl"
		for lib in $(LD_LIBRARY_PATH=$libdir ldd "$dir/bin/bootctl" |
			     awk '/=> \//{print $3} /^\t\/lib64/{print $1}'); do
			cp -L "$lib" "$dir/lib/bootctl/"
		done
		cp -L /lib64/ld-linux-x86-64.so.2 "$dir/lib64/"
	fi
	cat >"$dir/init" <<INIT
#!/bin/busybox sh
PATH=/bin
export LD_LIBRARY_PATH=/lib/bootctl
busybox mount -t proc proc /proc
busybox mount -t sysfs sys /sys
busybox insmod /efivarfs.ko
busybox mount -t efivarfs efivarfs /sys/firmware/efi/efivars
echo "EFITEST-CMDLINE: \$(busybox cat /proc/cmdline)"
# Each variable: its UTF-16 units (after the 4 attribute bytes) as text,
# NULs as '|', so a list shows its separators.  LoaderEntries is in menu
# order: BLS entries sort newest (here: highest id) first.
for v in LoaderInfo LoaderFeatures LoaderFirmwareType LoaderFirmwareInfo \\
	 LoaderImageIdentifier LoaderDevicePartUUID LoaderEntries \\
	 LoaderEntrySelected LoaderTimeInitUSec LoaderTimeExecUSec \\
	 LoaderEntryOneShot; do
	f=/sys/firmware/efi/efivars/\$v-$BLI_GUID
	if [ ! -e "\$f" ]; then
		echo "BLI \$v absent"
	elif [ \$v = LoaderFeatures ]; then
		echo "BLI \$v=\$(busybox dd if="\$f" bs=4 skip=1 2>/dev/null |
			busybox od -An -tx1 | busybox tr -d ' ')"
	else
		echo "BLI \$v=\$(busybox dd if="\$f" bs=4 skip=1 2>/dev/null |
			busybox od -An -v -tu2 -w2 |
			busybox awk '{ if (\$1 == 0) printf "|"; else printf "%c", \$1 }')"
	fi
done
if [ -x /bin/bootctl ]; then
	bootctl status --no-pager 2>&1 | busybox sed 's/^/BOOTCTL: /'
	# The first boot (no default set yet) asks for the next ones.
	if [ ! -e /sys/firmware/efi/efivars/LoaderEntryDefault-$BLI_GUID ]; then
		rc=0
		for cmd in "set-default second" "set-oneshot first" "set-timeout 3"; do
			out=\$(bootctl \$cmd 2>&1) || rc=\$?
			echo "\$out" | busybox sed "s/^/BOOTCTL \$cmd: /"
		done
		echo "BOOTCTL-RC: \$rc"
	fi
fi
echo "EFITEST-DONE"
busybox poweroff -f
INIT
	chmod +x "$dir/init"
	(cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
}

# A GPT disk with one ESP (a known partition GUID) holding aoeboot.efi.
ESP_GUID=6a1f3c2e-9b4d-4e8a-a1b2-0c3d4e5f6a7b
bli_esp_disk() {
	local out=$1 fat=$EFI_TMP/esp-part.img last
	truncate -s 40M "$out"
	sgdisk -n 1:2048:0 -t 1:ef00 -u "1:$ESP_GUID" "$out" >/dev/null || return 1
	last=$(sgdisk -i 1 "$out" | sed -n 's/^Last sector: \([0-9]*\).*/\1/p')
	[ -n "$last" ] || return 1
	truncate -s $(((last - 2048 + 1) * 512)) "$fat"
	mkfs.vfat -F 32 -n ESP "$fat" >/dev/null || return 1
	mmd -i "$fat" ::/EFI ::/EFI/BOOT || return 1
	mcopy -i "$fat" "$EFI_BUILD/efi/aoeboot.efi" ::/EFI/BOOT/BOOTX64.EFI || return 1
	dd if="$fat" of="$out" bs=512 seek=2048 conv=notrunc status=none
}

name=efi_bli
moddir=${AOEBOOT_CACHE:-/var/cache/aoeboot}/kernel/$(cat "$EFI_BUILD/vmlinuz.release")/lib/modules/$(cat "$EFI_BUILD/vmlinuz.release")
have_bootctl=
fetch_bootctl && have_bootctl=1
efi_init bli || { fail $name "cannot create namespace"; exit 1; }
efi_tap
src=$EFI_TMP/fs
mkdir -p "$src/loader/entries" "$src/linux"
cp "$kernel" "$src/linux/vmlinuz"
bli_initrd "$src/linux/initrd.img" || { fail $name "cannot build the initrd"; exit 1; }
for e in first second; do
	cat >"$src/loader/entries/$e.conf" <<CONF
title   Entry $e
linux   /linux/vmlinuz
initrd  /linux/initrd.img
options console=ttyS0 panic=-1 EFITEST-ENTRY=$e
CONF
done
printf 'default first\ntimeout 1\n' >"$src/loader/loader.conf"
efi_fat_disk "$src" "$EFI_TMP/disk.img"
efi_vblade 1 0 "$EFI_TMP/disk.img"
bli_esp_disk "$EFI_TMP/esp.img" || { fail $name "cannot build the GPT ESP"; exit 1; }
tb_ovmf_args "$EFI_TMP/vars.fd" || { fail $name "no OVMF variable store"; exit 1; }
nicdev=$(tb_nic_dev virtio tap0)

# One boot with the shared variable store; waits for EFITEST-DONE.
bli_boot() {
	local log=$1
	# shellcheck disable=SC2086
	tb_qemu "$log" -machine q35 "${TB_OVMF_ARGS[@]}" \
		-drive "format=raw,file=$EFI_TMP/esp.img" $nicdev
	efi_wait "$log" 'EFITEST-DONE' 240 && tb_wait_exit 60
}

# A variable's value as the initrd printed it.
var() { sed -n "s/^BLI $1=//p" <<<"$2" | head -n 1; }

log1=$EFI_TMP/boot1.log
if ! bli_boot "$log1"; then
	fail $name "boot 1 did not reach the initrd's end; console tail:"
	efi_console "$log1" | tail -n 25
	exit 1
fi
con1=$(efi_console "$log1")
init1=$(var LoaderTimeInitUSec "$con1")
exec1=$(var LoaderTimeExecUSec "$con1")
init1=${init1%|} exec1=${exec1%|}
if grep -q "^booting 'Entry first" <<<"$con1" &&
   [[ $(var LoaderInfo "$con1") =~ ^aoeboot\ [^|]+\|$ ]] &&
   [ "$(var LoaderEntries "$con1")" = 'second|first|' ] &&
   [ "$(var LoaderEntrySelected "$con1")" = 'first|' ] &&
   [ "$(var LoaderFeatures "$con1")" = 0f00000000000000 ] &&
   [[ $(var LoaderFirmwareType "$con1") =~ ^UEFI\ [0-9]+\.[0-9]+\|$ ]] &&
   [ "$(var LoaderDevicePartUUID "$con1")" = "$ESP_GUID|" ] &&
   [[ $(var LoaderImageIdentifier "$con1") =~ EFI.BOOT.BOOTX64\.EFI ]] &&
   [[ $init1 =~ ^[0-9]+$ && $exec1 =~ ^[0-9]+$ ]] && [ "$exec1" -gt "$init1" ]; then
	pass ${name}_variables "init ${init1} us, exec ${exec1} us"
else
	fail ${name}_variables "the Loader* variables of boot 1 are not right"
	grep -E "^(BLI |booting)" <<<"$con1"
fi

if [ -z "$have_bootctl" ]; then
	skip ${name}_bootctl "Debian's systemd-boot package could not be downloaded"
	skip ${name}_oneshot "needs bootctl"
	exit "$EFI_FAILED"
fi
if grep -Eq '^BOOTCTL: +Product: aoeboot ' <<<"$con1" &&
   grep -Eq '^BOOTCTL: +Firmware: UEFI ' <<<"$con1" &&
   grep -q '^BOOTCTL-RC: 0' <<<"$con1"; then
	pass ${name}_bootctl "status shows aoeboot; set-default, set-oneshot, set-timeout ok"
else
	fail ${name}_bootctl "bootctl status or set-* did not see aoeboot"
	grep -E '^BOOTCTL' <<<"$con1" | head -n 40
fi

log2=$EFI_TMP/boot2.log
if ! bli_boot "$log2"; then
	fail ${name}_oneshot "boot 2 did not reach the initrd's end; console tail:"
	efi_console "$log2" | tail -n 25
	exit 1
fi
con2=$(efi_console "$log2")
if grep -q 'LoaderEntryOneShot: entry first' <<<"$con2" &&
   grep -q "Booting 'Entry first (e1\.0)' in 3 s" <<<"$con2" &&
   grep -q "^booting 'Entry first" <<<"$con2" &&
   grep -q 'EFITEST-ENTRY=first' <<<"$con2" &&
   [ "$(var LoaderEntrySelected "$con2")" = 'first|' ] &&
   grep -q '^BLI LoaderEntryOneShot absent' <<<"$con2"; then
	pass ${name}_oneshot "boot 2: the one-shot entry over the default one, the 3 s timeout, the one-shot deleted"
else
	fail ${name}_oneshot "boot 2 did not take (or did not delete) the one-shot entry, or not the timeout"
	grep -E "^(BLI |booting|Booting|LoaderEntry|EFITEST-CMDLINE)" <<<"$con2"
fi

log3=$EFI_TMP/boot3.log
if ! bli_boot "$log3"; then
	fail ${name}_default "boot 3 did not reach the initrd's end; console tail:"
	efi_console "$log3" | tail -n 25
	exit 1
fi
con3=$(efi_console "$log3")
if grep -q 'LoaderEntryDefault: entry second' <<<"$con3" &&
   ! grep -q 'LoaderEntryOneShot: entry' <<<"$con3" &&
   grep -q "^booting 'Entry second" <<<"$con3" &&
   [ "$(var LoaderEntrySelected "$con3")" = 'second|' ]; then
	pass ${name}_default "boot 3: bootctl's default entry over loader.conf's"
else
	fail ${name}_default "boot 3 did not take the default entry"
	grep -E "^(BLI |booting|LoaderEntry|EFITEST-CMDLINE)" <<<"$con3"
fi
exit "$EFI_FAILED"
