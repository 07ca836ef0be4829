# test-vm/efi-lib.sh - helpers for the UEFI firmware VM tests (sourced).
#
# Each test gets its own network namespace with a tap inside it; vblade and
# QEMU (q35, OVMF from pflash, -nographic) run in that namespace, so the
# host's interfaces are never touched.  efi_cleanup (installed as an EXIT
# trap by efi_init) kills what was started, by PID, and deletes the
# namespace.
#
#   efi_init NAME             temp dir $EFI_TMP, namespace $EFI_NS, trap
#   efi_tap                   tap0 in the namespace, up
#   efi_vblade SHELF SLOT FILE   serve FILE on tap0 (padded to 512 bytes)
#   efi_esp IMAGE             $EFI_TMP/esp with \EFI\BOOT\BOOTX64.EFI
#   efi_qemu NIC LOG [ARGS]   boot OVMF in the background: NIC is virtio,
#                             e1000 (iPXE's efi-e1000.rom SNP) or
#                             e1000-norom (no SNP at all)
#   efi_wait LOG REGEX SEC    wait until LOG matches REGEX (0) or SEC pass
#   efi_initrd OUT            tiny busybox initrd whose /init prints
#                             EFITEST-INIT, EFITEST-CMDLINE: ... and powers off
#   pass/fail/skip NAME [WHY] one result line each

EFI_PIDS=()
EFI_NS=""
EFI_TMP=""
EFI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EFI_BUILD=${BUILD:-$EFI_ROOT/build}
case $EFI_BUILD in /*) ;; *) EFI_BUILD=$EFI_ROOT/$EFI_BUILD ;; esac
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; EFI_FAILED=1; }
skip() { echo "SKIP: $1: $2"; }

efi_cleanup() {
	local pid
	for pid in "${EFI_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${EFI_PIDS[@]}"; do
		# give QEMU a moment, then insist
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	EFI_PIDS=()
	[ -n "$EFI_NS" ] && ip netns del "$EFI_NS" 2>/dev/null
	[ -n "$EFI_TMP" ] && [ -z "${EFI_KEEP:-}" ] && rm -rf "$EFI_TMP"
	return 0
}

efi_init() {
	EFI_NS="aoeefi-$1-$$"
	EFI_TMP=$(mktemp -d "/tmp/aoeboot-$1.XXXXXX")
	EFI_FAILED=0
	trap efi_cleanup EXIT
	trap 'exit 130' INT TERM
	ip netns add "$EFI_NS" || return 1
	ip netns exec "$EFI_NS" ip link set lo up
}

efi_tap() {
	ip netns exec "$EFI_NS" ip tuntap add tap0 mode tap &&
	ip netns exec "$EFI_NS" ip link set tap0 up
}

efi_vblade() {
	local shelf=$1 slot=$2 file=$3 size
	size=$(stat -c %s "$file")
	if [ $((size % 512)) != 0 ]; then
		truncate -s $(( (size + 511) / 512 * 512 )) "$file"
	fi
	ip netns exec "$EFI_NS" vblade "$shelf" "$slot" tap0 "$file" \
		>"$EFI_TMP/vblade-$shelf.$slot.log" 2>&1 &
	EFI_PIDS+=($!)
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
	ip netns exec "$EFI_NS" qemu-system-x86_64 -machine q35 -m 512 \
		-nographic -no-reboot \
		-drive if=pflash,format=raw,readonly=on,file="$OVMF_CODE" \
		-drive if=pflash,format=raw,file="$EFI_TMP/vars.fd" \
		-drive format=raw,file=fat:rw:"$EFI_TMP/esp" \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
		-device "$dev" "$@" <"${EFI_STDIN:-/dev/null}" >"$log" 2>&1 &
	EFI_QEMU_PID=$!
	EFI_PIDS+=($!)
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
	tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;]*[A-Za-z]//g'
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
