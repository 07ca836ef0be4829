# test-vm/efi-lib.sh - UEFI helpers for the VM tests, on top of lib.sh.
#
# lib.sh gives the namespace, tap, vblade and QEMU plumbing; this adds what
# every UEFI test needs: OVMF from pflash with a private copy of the
# variables, an ESP directory, the NIC models, a tiny initrd that reports
# back, and a console view without escape sequences.  Sourced; not a test.
#
#   efi_init NAME             lib.sh's vm_init: temp dir $EFI_TMP (= $VM_TMP),
#                             namespace $EFI_NS (= $VM_NS), cleanup trap
#   efi_tap                   tap0 in the namespace, up
#   efi_vblade SHELF SLOT FILE   serve FILE on tap0 (padded to 512 bytes)
#   efi_esp IMAGE             $EFI_TMP/esp with \EFI\BOOT\BOOTX64.EFI
#   efi_qemu NIC LOG [ARGS]   boot OVMF (q35) in the background: NIC is
#                             virtio (OVMF's VirtioNetDxe), e1000 (iPXE's
#                             efi-e1000.rom SNP) or e1000-norom (no SNP)
#   efi_keys TEXT             type TEXT on the console as is (no Enter added)
#   efi_wait LOG REGEX SEC    wait until LOG matches REGEX (0) or SEC pass
#   efi_console LOG           the console without CRs and ANSI sequences
#   efi_initrd OUT            tiny busybox initrd whose /init prints
#                             EFITEST-INIT, EFITEST-CMDLINE: ... and powers off
#   efi_cleanup               stop everything started, delete the namespace
#                             (kept with EFI_KEEP=1: the temp dir stays)
#   pass/fail/skip NAME [WHY] result lines; fail also sets EFI_FAILED=1
#
# Processes a test starts itself go into EFI_PIDS (and EFI_QEMU_PID for
# the VM efi_wait watches); efi_cleanup stops them by PID.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EFI_PIDS=()
EFI_NS=""
EFI_TMP=""
EFI_QEMU_PID=""
EFI_FAILED=0
EFI_ROOT=$VM_ROOT
EFI_BUILD=${BUILD:-$EFI_ROOT/build}
case $EFI_BUILD in /*) ;; *) EFI_BUILD=$EFI_ROOT/$EFI_BUILD ;; esac
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd

fail() { echo "FAIL: $1: $2"; EFI_FAILED=1; }

efi_cleanup() {
	local pid
	for pid in "${EFI_PIDS[@]}"; do
		vm_kill "$pid"
		wait "$pid" 2>/dev/null
	done
	EFI_PIDS=()
	[ -n "${EFI_KEEP:-}" ] && VM_TMP=""
	vm_cleanup
	EFI_NS="" EFI_TMP="" EFI_QEMU_PID=""
	return 0
}

efi_init() {
	vm_init "efi$1" || return 1
	trap efi_cleanup EXIT
	EFI_NS=$VM_NS
	EFI_TMP=$VM_TMP
}

efi_tap() {
	vm_tap tap0
}

efi_vblade() {
	local shelf=$1 slot=$2 file=$3 size
	size=$(stat -c %s "$file")
	if [ $((size % 512)) != 0 ]; then
		truncate -s $(( (size + 511) / 512 * 512 )) "$file"
	fi
	vm_vblade "$shelf" "$slot" tap0 "$file"
}

efi_esp() {
	mkdir -p "$EFI_TMP/esp/EFI/BOOT"
	cp "$1" "$EFI_TMP/esp/EFI/BOOT/BOOTX64.EFI"
}

efi_qemu() {
	local nic=$1 log=$2 dev
	shift 2
	case $nic in
	virtio) dev="virtio-net-pci,netdev=n0,romfile=" ;;  # OVMF's own VirtioNetDxe
	e1000) dev="e1000,netdev=n0,romfile=/usr/lib/ipxe/qemu/efi-e1000.rom" ;;
	e1000-norom) dev="e1000,netdev=n0,romfile=" ;;  # OVMF has no e1000 driver
	*) echo "efi_qemu: unknown NIC $nic" >&2; return 1 ;;
	esac
	cp "$OVMF_VARS" "$EFI_TMP/vars.fd"
	vm_qemu "$log" -machine q35 \
		-drive if=pflash,format=raw,readonly=on,file="$OVMF_CODE" \
		-drive if=pflash,format=raw,file="$EFI_TMP/vars.fd" \
		-drive format=raw,file=fat:rw:"$EFI_TMP/esp" \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
		-device "$dev" "$@"
	EFI_QEMU_PID=$VM_QEMU_PID
}

efi_keys() {
	printf '%s' "$1" >&"$VM_FIFO_FD"
}

efi_wait() {
	local log=$1 re=$2 sec=$3 end
	end=$(( $(date +%s) + sec ))
	while [ "$(date +%s)" -lt "$end" ]; do
		# the console carries CRs and escape sequences: strip them
		tr -d '\r' <"$log" 2>/dev/null | grep -Eq -- "$re" && return 0
		[ -n "${EFI_QEMU_PID:-}" ] && ! kill -0 "$EFI_QEMU_PID" 2>/dev/null &&
			{ tr -d '\r' <"$log" | grep -Eq -- "$re"; return; }
		sleep 0.5
	done
	return 1
}

# The console, without CRs and ANSI escape sequences, for assertions.
efi_console() {
	tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'
}

efi_initrd() {
	local out=$1 dir
	dir=$EFI_TMP/initrd
	mkdir -p "$dir/bin" "$dir/proc"
	cp /bin/busybox "$dir/bin/busybox"
	cat >"$dir/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
echo "EFITEST-INIT: the initrd's /init is running"
echo "EFITEST-CMDLINE: $(/bin/busybox cat /proc/cmdline)"
/bin/busybox poweroff -f
EOF
	chmod +x "$dir/init"
	(cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
}

# efi_prepare NAME [MAKE-ARGS...]: Debian's kernel in $kernel and the
# firmware built (`make efi MAKE-ARGS`); on failure a FAIL line for NAME
# and exit.  Also lets mtools work on images and finds mkfs in /sbin.
efi_prepare() {
	local name=$1
	shift
	kernel=$EFI_BUILD/vmlinuz
	[ -s "$kernel" ] || scripts/fetch-kernel --quiet >/dev/null 2>&1 || true
	if ! make --no-print-directory -s efi "$@" >/dev/null; then
		fail "$name" "make efi $* failed"
		exit 1
	fi
	[ -s "$kernel" ] || { fail "$name" "no kernel at $kernel"; exit 1; }
	export MTOOLS_SKIP_CHECK=1
	PATH=$PATH:/sbin:/usr/sbin
}

# efi_fat_disk SRC OUT: a 48 MiB whole-disk FAT32 image holding SRC's files.
efi_fat_disk() {
	truncate -s 48M "$2"
	mkfs.vfat -F 32 -n AOEBOOT "$2" >/dev/null
	mcopy -s -i "$2" "$1"/* ::/
}
