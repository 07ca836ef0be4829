# test-vm/distro-lib.sh - a real Debian root (scripts/mkdebroot) on an md
# RAID1 over AoE, booted by aoeboot.efi with Debian's own /vmlinuz and
# /initrd.img, for the initramfs-tools and dracut tests.  Sourced; not a
# test.  On top of efi-lib.sh.
#
#   distro_init GENERATOR NAME  the root (a copy of the cached tree) in $R,
#                          with our files for GENERATOR installed where the
#                          package puts them, /etc/kernel/cmdline giving the
#                          console, and a /sbin/init that reports and powers
#                          off; the namespace, tap0 and the ESP
#   chroot_run CMD...      run CMD in $R (proc, sys, dev in a private mount
#                          namespace: nothing stays mounted on the host)
#   distro_boot CASE KVER  the root onto a fresh RAID1 pair, served as
#                          e11.0/e11.1; boot it; PASS when KVER runs from
#                          the md array with the expected command line and
#                          our script reported both targets
#   distro_upgrade CASE PKG  install the kernel package PKG (downloaded on
#                          the host, cached) with dpkg in $R: Debian's own
#                          postinst scripts make its initrd and move the links;
#                          the new release in $DISTRO_NEW
. "$(dirname "${BASH_SOURCE[0]}")/efi-lib.sh"

distro_step() { echo "== $(date +%T) $*" >&2; }

chroot_run() {
	unshare --mount --propagation private sh -c '
		r=$1; shift
		mount -t proc proc "$r/proc" && mount -t sysfs sysfs "$r/sys" &&
		mount --bind /dev "$r/dev" && exec chroot "$r" "$@"' sh "$R" "$@"
}

distro_init() {
	local gen=$1 name=$2 tree
	efi_prepare "$name"
	tree=$(scripts/mkdebroot "$gen") || { fail "$name" "scripts/mkdebroot $gen failed"; exit 1; }
	efi_init "$name"
	R=$EFI_TMP/root
	distro_step copy the root
	cp -a "$tree" "$R"
	rm -f "$R/.complete"
	case $gen in
	initramfs-tools)
		install -D -m 755 contrib/initramfs-tools/hooks/aoeboot \
			"$R/usr/share/initramfs-tools/hooks/aoeboot"
		install -D -m 755 contrib/initramfs-tools/scripts/local-top/aoeboot \
			"$R/usr/share/initramfs-tools/scripts/local-top/aoeboot" ;;
	dracut)
		mkdir -p "$R/usr/lib/dracut/modules.d/95aoeboot"
		cp --preserve=mode contrib/dracut/95aoeboot/* "$R/usr/lib/dracut/modules.d/95aoeboot/"
		install -D -m 644 contrib/dracut/aoeboot.conf "$R/etc/dracut.conf.d/aoeboot.conf" ;;
	esac
	# The administrator's part: the console, as kernel-install reads it.
	mkdir -p "$R/etc/kernel"
	echo "console=ttyS0 aoeboot.timeout=30" >"$R/etc/kernel/cmdline"
	# The root's init reports and powers off (the test needs no systemd).
	rm -f "$R/sbin/init"
	cat >"$R/sbin/init" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
echo 1 >/proc/sys/kernel/printk	# no kernel lines inside ours
echo "AOEBOOT-DEBIAN-ROOT: kernel $(uname -r) root $(awk '$2 == "/" {d = $1} END {print d}' /proc/mounts)"
echo "AOEBOOT-DEBIAN-CMDLINE: $(cat /proc/cmdline)"
cat /proc/mdstat
echo o >/proc/sysrq-trigger
sleep 10
EOF
	chmod 755 "$R/sbin/init"
	efi_tap
	efi_esp "$EFI_BUILD/efi/aoeboot.efi"
}

# The array is made once per test (mdadm in a VM, as on another host);
# each root is written into fresh copies of it.
distro_disks() {
	local off size m
	if [ ! -f "$EFI_TMP/md-a.img" ]; then
		truncate -s 1700M "$EFI_TMP/md-a.img" "$EFI_TMP/md-b.img"
		echo 'set -e; mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 --homehost=installer --name=root --assume-clean /dev/vda /dev/vdb' >"$EFI_TMP/mk.sh"
		scripts/vm-run --disk "$EFI_TMP/md-a.img" --disk "$EFI_TMP/md-b.img" \
			--log "$EFI_TMP/vm-run.log" "$EFI_TMP/mk.sh" || return 1
	fi
	for m in a b; do
		rm -f "$EFI_TMP/$m.img"
		cp --sparse=always "$EFI_TMP/md-$m.img" "$EFI_TMP/$m.img"
	done
	off=$(mdadm --examine "$EFI_TMP/a.img" | awk '/Data Offset/ {print $4}')
	size=$(mdadm --examine "$EFI_TMP/a.img" | awk '/Array Size/ {print $4}')
	[ -n "$off" ] && [ -n "$size" ] || return 1
	rm -f "$EFI_TMP/fs.img"
	mke2fs -q -t ext4 -L debroot -d "$R" "$EFI_TMP/fs.img" "${size}k" >/dev/null || return 1
	for m in a b; do
		dd if="$EFI_TMP/fs.img" of="$EFI_TMP/$m.img" bs=1M oflag=seek_bytes \
			seek=$((off * 512)) conv=notrunc,sparse status=none || return 1
	done
	rm -f "$EFI_TMP/fs.img"
}

distro_boot() {
	local name=$1 want=$2 log=$EFI_TMP/console-$1 con va vb
	distro_step disks
	distro_disks || { fail "$name" "could not make the RAID1 root (see $EFI_TMP/vm-run.log)"; return 1; }
	distro_step boot
	vm_vblade 11 0 tap0 "$EFI_TMP/a.img"; va=$VM_LAST_PID
	vm_vblade 11 1 tap0 "$EFI_TMP/b.img"; vb=$VM_LAST_PID
	efi_qemu virtio "$log" -m 1024
	if ! efi_wait "$log" '^AOEBOOT-DEBIAN-ROOT:' 400; then
		fail "$name" "no Debian root init: $(efi_console "$log" | grep -E 'aoeboot|panic|Gave up|dracut' | tail -n 4 | tr '\n' '|')"
		vm_log_tail "$log" 30
	else
		# The init's report ends with /proc/mdstat; then it powers off.
		efi_wait "$log" '^unused devices' 60 || true
		con=$(efi_console "$log")
		if ! grep -q "^AOEBOOT-DEBIAN-ROOT: kernel $want root /dev/md" <<<"$con"; then
			fail "$name" "wrong kernel or root: $(grep '^AOEBOOT-DEBIAN-ROOT' <<<"$con")"
		elif ! grep -q "^AOEBOOT-DEBIAN-CMDLINE: root=UUID=[0-9a-f-]* ro console=ttyS0 aoeboot.timeout=30 BOOTIF=01-.* aoeboot.targets=e11.0,e11.1" <<<"$con"; then
			fail "$name" "command line: $(grep 'AOEBOOT-DEBIAN-CMDLINE' <<<"$con")"
		elif ! grep -q 'aoeboot: targets up: e11.0 e11.1' <<<"$con"; then
			fail "$name" "our boot script did not report the targets"
		elif ! grep -Eq '^md[0-9a-z_]* : active .*raid1 .*etherd' <<<"$con"; then
			fail "$name" "no RAID1 of AoE members in /proc/mdstat"
		else
			pass "$name"
		fi
	fi
	vm_wait_exit 60 || true
	vm_kill "$va"; vm_kill "$vb"
}

distro_upgrade() {
	local name=$1 pkg=$2 debs deb new
	debs=${AOEBOOT_CACHE:-/var/cache/aoeboot}/debs
	mkdir -p "$debs"
	deb=$(ls "$debs/${pkg}"_*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		(cd "$debs" && apt-get download "$pkg" >/dev/null 2>&1)
		deb=$(ls "$debs/${pkg}"_*.deb 2>/dev/null | head -n 1)
	fi
	[ -n "$deb" ] || { skip "$name" "cannot download $pkg"; return 1; }
	distro_step upgrade to "$pkg"
	cp "$deb" "$R/tmp/kernel.deb"
	if ! chroot_run dpkg -i /tmp/kernel.deb >"$EFI_TMP/dpkg.log" 2>&1; then
		fail "$name" "dpkg -i $pkg failed: $(tail -n 3 "$EFI_TMP/dpkg.log" | tr '\n' '|')"
		return 1
	fi
	rm -f "$R/tmp/kernel.deb"
	new=${pkg#linux-image-}
	if [ "$(readlink "$R/vmlinuz")" != "boot/vmlinuz-$new" ]; then
		fail "$name" "Debian's postinst did not point /vmlinuz at $new"
		return 1
	fi
	DISTRO_NEW=$new
}
