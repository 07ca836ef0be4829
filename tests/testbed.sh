# tests/testbed.sh - the one shell library of the test bed (sourced, bash).
#
# Every integration and VM test sources this file (directly, or through the
# thin wrappers tests/integration/lib.sh, test-vm/lib.sh, test-vm/efi-lib.sh
# that only keep older names working).  It gives:
#
#   results     pass NAME [NOTE] / fail NAME WHY / skip NAME WHY: the house
#               result lines; fail also sets TB_FAILED=1 (tb_finish exits
#               with it)
#   sandbox     tb_init NAME (tools tests: root + aoectl required, scratch in
#               /dev/shm) or tb_vm_init NAME (VM tests: scratch in $TMPDIR):
#               a network namespace $TB_NS and scratch dir $TB_DIR of the
#               test's own, and the EXIT trap tb_cleanup that stops every
#               process recorded in TB_PIDS (by PID), deletes the namespace
#               and the scratch dir (kept with TB_KEEP=1 or EFI_KEEP=1)
#   links       tb_veth A B [MTU], tb_tap TAP, tb_bridge BR [ADDR/LEN],
#               tb_bridge_add BR IF, tb_lan BR ADDR/LEN TAP... (bridge +
#               taps), tb_mtu IF MTU, tb_ns CMD...
#   processes   tb_bg CMD... (in the namespace, tracked, PID in
#               $TB_LAST_PID), tb_track PID, tb_untrack PID, tb_stop PID
#   AoE         tb_vblade SHELF SLOT IF FILE [OPTS...] (waits for its socket;
#               the file is padded to whole sectors), tb_relay A B [OPTS...],
#               tb_aoectl ARGS...
#   DHCP+TFTP   tb_dnsmasq IF RANGE TFTPROOT [DNSMASQ-OPTS...]: dnsmasq-base
#               in the namespace, no DNS, its own pid/lease/log files
#   QEMU        tb_qemu LOG ARGS... (TCG, console on stdio into LOG, stdin
#               from a FIFO for tb_send/tb_keys; PID in $TB_QEMU_PID);
#               tb_nic_dev KIND [TAP] [MAC]: the -netdev/-device pair for one
#               NIC of a kind (virtio, e1000 with or without a ROM; UEFI or
#               BIOS flavours); tb_ovmf_args VARS: the OVMF pflash pair into
#               TB_OVMF_ARGS (one copy of that command line);
#               tb_qemu_uefi LOG NICDEV ESPDIR|"" ARGS... (q35 + OVMF, with
#               or without an ESP); tb_qemu_bios [--screen] LOG NICDEV
#               ARGS... (pc + SeaBIOS, network boot first, the BIOS screen
#               on the serial console with --screen)
#   console     tb_wait LOG REGEX SECONDS, tb_wait_exit SECONDS,
#               tb_console LOG (no CRs, no ANSI sequences), tb_log_tail LOG [N],
#               tb_send TEXT (with Enter), tb_keys TEXT (as is)
#   guests      tb_report_initrd OUT [TAG] (a busybox initrd that prints
#               TAG-INIT and TAG-CMDLINE: and powers off), tb_marker_disk OUT
#               TEXT (an MBR that prints TEXT on COM1: a next boot device)
#   data        tb_image FILE MIB, tb_sha FILE, tb_slice_sha FILE LBA N,
#               tb_targets / tb_field (parse `aoectl discover`), tb_timed
#
# Networks exist only inside the namespace; the host's interfaces are never
# touched.  Processes are started with `ip netns exec`, which execs the
# program, so the recorded PID is the program itself.

# Sourced twice (lib.sh and efi-lib.sh both): keep the state of the first.
[ -z "${TB_LOADED:-}" ] || return 0
TB_LOADED=1
TB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TB_BUILD=${BUILD:-$TB_ROOT/build}
case $TB_BUILD in /*) ;; *) TB_BUILD=$TB_ROOT/$TB_BUILD ;; esac
AOECTL=${AOECTL:-$TB_ROOT/build/aoectl}
RELAY=${RELAY:-$TB_ROOT/build/tools/relay}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
TB_IPXE_ROMS=/usr/lib/ipxe/qemu
TB_NS=
TB_DIR=
TB_PIDS=()
TB_LAST_PID=
TB_QEMU_PID=
TB_FIFO_FD=
TB_FAILED=0
TB_OVMF_ARGS=()

pass() { echo "PASS: $1${2:+ ($2)}"; }
fail() { echo "FAIL: $1: $2"; TB_FAILED=1; }
skip() { echo "SKIP: $1: $2"; }

# tb_finish: exit with 1 when any case failed, else 0.
tb_finish() {
	exit "$TB_FAILED"
}

# tb_stop PID: stop one process we started (TERM, then KILL after 5 s),
# reap it and forget it.
tb_stop() {
	local pid=$1 i=0
	kill -TERM "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	tb_untrack "$pid"
	return 0
}

# tb_cleanup: stop what we started (by PID), delete namespace and scratch.
# The EXIT trap; also called between cases of one script.
tb_cleanup() {
	local pid
	for pid in "${TB_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${TB_PIDS[@]}"; do
		tb_stop "$pid"
	done
	TB_PIDS=()
	TB_QEMU_PID=
	if [ -n "$TB_NS" ]; then
		ip netns del "$TB_NS" 2>/dev/null
		TB_NS=
	fi
	if [ -n "$TB_DIR" ] && [ -d "$TB_DIR" ] && [ -z "${TB_KEEP:-}${EFI_KEEP:-}" ]; then
		rm -rf "$TB_DIR"
	fi
	TB_DIR=
	return 0
}

# tb_sandbox NS DIRPARENT NAME: the namespace NS (lo up, no IPv6 chatter),
# a scratch dir under DIRPARENT, the cleanup trap.  Returns 1 (after a FAIL
# line for NAME) when the namespace cannot be made.
tb_sandbox() {
	local ns=$1 parent=$2 name=$3
	TB_DIR=$(mktemp -d "$parent/$ns.XXXXXX") || return 1
	trap tb_cleanup EXIT
	trap 'exit 130' INT TERM
	if ! ip netns add "$ns"; then
		fail "$name" "cannot create network namespace"
		return 1
	fi
	TB_NS=$ns
	ip -n "$TB_NS" link set lo up
	# No router solicitations or DAD on the test links.
	ip netns exec "$TB_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	return 0
}

# tb_require NAME: SKIP when not root, FAIL when a tool is missing.
tb_require() {
	local name=$1 t
	if [ "$(id -u)" != 0 ]; then
		skip "$name" "needs root for network namespaces"
		exit 0
	fi
	for t in ip vblade sha256sum; do
		if ! command -v "$t" >/dev/null; then
			fail "$name" "$t not installed (scripts/install-deps)"
			exit 1
		fi
	done
	if [ ! -x "$AOECTL" ]; then
		fail "$name" "$AOECTL not built (make)"
		exit 1
	fi
}

# tb_init NAME: sandbox for the tools tests (namespace aoe-NAME-$$, scratch
# in RAM), with private copies of aoectl and the relay, since a `make` by
# someone else may relink them while the test runs.  Exits on failure.
tb_init() {
	local name=$1 b
	tb_require "$name"
	tb_sandbox "aoe-$name-$$" /dev/shm "$name" || exit 1
	for b in AOECTL RELAY; do
		if [ -x "${!b}" ]; then
			cp "${!b}" "$TB_DIR/$(basename "${!b}")" &&
				printf -v "$b" '%s' "$TB_DIR/$(basename "${!b}")"
		fi
	done
	return 0
}

# tb_vm_init NAME: sandbox for a VM test (namespace aoeboot-NAME-$$, scratch
# in ${TMPDIR:-/tmp}, since disk images are large).  Exits on failure.
tb_vm_init() {
	tb_sandbox "aoeboot-$1-$$" "${TMPDIR:-/tmp}" "$1" || exit 1
}

# tb_ns CMD...: run inside the namespace.
tb_ns() {
	ip netns exec "$TB_NS" "$@"
}

# tb_aoectl ARGS...: run aoectl inside the namespace.
tb_aoectl() {
	ip netns exec "$TB_NS" "$AOECTL" "$@"
}

# tb_veth A B [MTU]: a veth pair inside the namespace, both ends up.
tb_veth() {
	local a=$1 b=$2 mtu=${3:-1500}
	ip -n "$TB_NS" link add "$a" mtu "$mtu" type veth peer name "$b" \
		mtu "$mtu" || return 1
	ip -n "$TB_NS" link set "$a" up || return 1
	ip -n "$TB_NS" link set "$b" up || return 1
}

# tb_mtu IF MTU: change an interface's MTU.
tb_mtu() {
	ip -n "$TB_NS" link set "$1" mtu "$2"
}

# tb_tap TAP: a tap device inside the namespace, up (QEMU attaches to it).
tb_tap() {
	ip -n "$TB_NS" tuntap add "$1" mode tap &&
		ip -n "$TB_NS" link set "$1" up
}

# tb_bridge BR [ADDR/LEN]: a bridge inside the namespace that forwards at
# once (no STP, no forward delay), up, with ADDR for dnsmasq if given.
tb_bridge() {
	ip -n "$TB_NS" link add "$1" type bridge forward_delay 0 stp_state 0 ||
		return 1
	[ -z "${2:-}" ] || ip -n "$TB_NS" addr add "$2" dev "$1" || return 1
	ip -n "$TB_NS" link set "$1" up
}

# tb_bridge_add BR IF: enslave IF (a tap or a veth end) to bridge BR.
tb_bridge_add() {
	ip -n "$TB_NS" link set "$2" master "$1" &&
		ip -n "$TB_NS" link set "$2" up
}

# tb_lan BR ADDR/LEN TAP...: the usual network of a VM test: bridge BR
# holding ADDR (for dnsmasq and TFTP/HTTP servers) with the taps TAP...
# enslaved.  Start vblade on BR only after this: a bridge takes the lowest
# MAC address of its ports, so it changes while ports are added.
tb_lan() {
	local br=$1 addr=$2 tap
	shift 2
	tb_bridge "$br" "$addr" || return 1
	for tap in "$@"; do
		tb_tap "$tap" && tb_bridge_add "$br" "$tap" || return 1
	done
}

# tb_track PID: remember a PID for cleanup.
tb_track() {
	TB_PIDS+=("$1")
	TB_LAST_PID=$1
}

# tb_untrack PID: forget a PID (after it has been stopped).
tb_untrack() {
	local p keep=()
	for p in "${TB_PIDS[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	TB_PIDS=("${keep[@]}")
}

# tb_bg CMD...: start CMD in the namespace in the background (redirect at
# the call site), tracked; its PID in $TB_LAST_PID.
tb_bg() {
	ip netns exec "$TB_NS" "$@" &
	tb_track $!
}

# tb_vblade SHELF SLOT IF FILE [OPTIONS...]: serve FILE with vblade (options
# such as -b N or -r go before the positional arguments; FILE is padded to
# whole sectors first).  Waits until vblade has its raw socket open; log in
# $TB_DIR/vblade-SHELF.SLOT.log; PID in $TB_LAST_PID.
tb_vblade() {
	local shelf=$1 slot=$2 ifc=$3 file=$4 size pid i=0
	shift 4
	size=$(stat -c %s "$file") || return 1
	if [ $((size % 512)) != 0 ]; then
		truncate -s $(((size + 511) / 512 * 512)) "$file"
	fi
	ip netns exec "$TB_NS" vblade "$@" "$shelf" "$slot" "$ifc" "$file" \
		>"$TB_DIR/vblade-$shelf.$slot.log" 2>&1 &
	pid=$!
	tb_track "$pid"
	while [ $i -lt 50 ]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "vblade $shelf.$slot died:" >&2
			cat "$TB_DIR/vblade-$shelf.$slot.log" >&2
			return 1
		fi
		if ls -l "/proc/$pid/fd" 2>/dev/null | grep -q 'socket:'; then
			sleep 0.05
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "vblade $shelf.$slot did not open its socket" >&2
	return 1
}

# tb_relay A B [OPTIONS...]: start build/tools/relay between A and B; log in
# $TB_DIR/relay-A-B.log; waits for its "ready" line.
tb_relay() {
	local a=$1 b=$2 log pid i=0
	shift 2
	log=$TB_DIR/relay-$a-$b.log
	ip netns exec "$TB_NS" "$RELAY" "$a" "$b" "$@" >"$log" 2>&1 &
	pid=$!
	tb_track "$pid"
	while [ $i -lt 100 ]; do
		grep -q '^relay: ready' "$log" 2>/dev/null && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "relay died:" >&2
			cat "$log" >&2
			return 1
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "relay did not start" >&2
	return 1
}

# tb_dnsmasq IF RANGE TFTPROOT [OPTIONS...]: DHCP on IF (which must hold an
# address of RANGE's subnet) handing out RANGE ("first,last"), TFTP from
# TFTPROOT; no DNS; leases and log (every DHCP exchange) in $TB_DIR; PID
# in $TB_LAST_PID.  OPTIONS are more dnsmasq options (--dhcp-boot=...,
# --dhcp-option=17,aoe:e1.0, ...).  Waits until TFTP is being served (in the
# foreground dnsmasq writes no pid file: its log says when it is ready).
tb_dnsmasq() {
	local ifc=$1 range=$2 root=$3 pid i=0
	shift 3
	ip netns exec "$TB_NS" dnsmasq --no-daemon --conf-file=/dev/null \
		--port=0 --interface="$ifc" --bind-interfaces \
		--dhcp-range="$range,1h" --enable-tftp --tftp-root="$root" \
		--dhcp-leasefile="$TB_DIR/dnsmasq.leases" --log-dhcp "$@" \
		>"$TB_DIR/dnsmasq.log" 2>&1 &
	pid=$!
	tb_track "$pid"
	while [ $i -lt 100 ]; do
		grep -q 'TFTP root is' "$TB_DIR/dnsmasq.log" 2>/dev/null && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "dnsmasq died:" >&2
			cat "$TB_DIR/dnsmasq.log" >&2
			return 1
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "dnsmasq did not start" >&2
	return 1
}

# tb_nic_dev KIND [TAP] [MAC]: print the QEMU arguments of one NIC on TAP
# (tap0), as "-netdev ... -device ..." (word-split it into an array).
# KIND: virtio (no ROM: OVMF's own VirtioNetDxe), e1000 (iPXE's
# efi-e1000.rom, which holds a UEFI SNP and a legacy PXE ROM), e1000-norom,
# bios-virtio / bios-e1000 (QEMU's iPXE as the PXE stack: for virtio the
# default ROM, efi-virtio.rom, because QEMU patches the PCI IDs of default
# ROMs only: Debian's virtio ROMs say 1af4:1041, the modern-only device, and
# SeaBIOS skips them as a romfile= on the transitional 1af4:1000; for e1000
# pxe-e1000.rom, whose 8086:100e matches),
# MODEL:ROMFILE (an empty ROMFILE for none), or a bare QEMU device MODEL
# with QEMU's default ROM.
tb_nic_dev() {
	local kind=$1 tap=${2:-tap0} mac=${3:-} dev
	case $kind in
	virtio) dev="virtio-net-pci,romfile=" ;;
	e1000) dev="e1000,romfile=$TB_IPXE_ROMS/efi-e1000.rom" ;;
	e1000-norom) dev="e1000,romfile=" ;;
	bios-virtio) dev=virtio-net-pci ;;
	bios-e1000) dev="e1000,romfile=$TB_IPXE_ROMS/pxe-e1000.rom" ;;
	*:*) dev="${kind%%:*},romfile=${kind#*:}" ;;
	*) dev=$kind ;;
	esac
	echo "-netdev tap,id=n_$tap,ifname=$tap,script=no,downscript=no -device $dev,netdev=n_$tap${mac:+,mac=$mac}"
}

# tb_ovmf_args VARS: copy OVMF's variable store to VARS and set
# TB_OVMF_ARGS to the two pflash drives that boot OVMF with it.
tb_ovmf_args() {
	cp "$OVMF_VARS" "$1" || return 1
	TB_OVMF_ARGS=(-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE"
		-drive "if=pflash,format=raw,file=$1")
}

# tb_qemu LOG QEMU-ARGS...: start qemu-system-x86_64 in the namespace (TCG,
# 512 MiB, no default NIC, no reboot, no display, serial on stdio, no
# monitor; later -m/-machine/-serial arguments override) with its console
# in LOG and stdin from a FIFO that tb_send/tb_keys write to.  PID in
# $TB_QEMU_PID.  Several VMs may run at once; tb_send, tb_wait and
# tb_wait_exit act on the last one.
tb_qemu() {
	local log=$1 fifo
	shift
	fifo=$TB_DIR/console-in.$RANDOM
	mkfifo "$fifo"
	# Held open read-write so QEMU never sees EOF on stdin.
	exec {TB_FIFO_FD}<>"$fifo"
	: >"$log"
	ip netns exec "$TB_NS" qemu-system-x86_64 -machine accel=tcg -m 512 \
		-nic none -no-reboot -display none -serial stdio -monitor none \
		"$@" <"$fifo" >>"$log" 2>&1 &
	TB_QEMU_PID=$!
	tb_track "$TB_QEMU_PID"
}

# tb_qemu_uefi LOG NICDEV ESPDIR ARGS...: a UEFI machine (q35, OVMF with a
# fresh variable store) whose NIC is NICDEV (tb_nic_dev output, "" for
# none) and whose only disk is the directory ESPDIR as a FAT drive ("" for
# no disk at all).
tb_qemu_uefi() {
	local log=$1 nic=$2 esp=$3
	shift 3
	local disk=()
	[ -z "$esp" ] || disk=(-drive "format=raw,file=fat:rw:$esp")
	tb_ovmf_args "$TB_DIR/vars.fd" || return 1
	# shellcheck disable=SC2086
	tb_qemu "$log" -machine q35 "${TB_OVMF_ARGS[@]}" "${disk[@]}" $nic "$@"
}

# tb_qemu_bios [--screen] LOG NICDEV ARGS...: a legacy BIOS machine (pc,
# SeaBIOS) that network-boots first through NICDEV's PXE ROM (tb_nic_dev
# bios-virtio or bios-e1000, "" for none); ARGS may add disks, more NICs or
# -boot order=... (SeaBIOS tries the next device when one returns).  The
# console LOG holds what is written to COM1; with --screen also everything
# written to the BIOS screen (INT 10h: the PXE ROM's, iPXE's, pxelinux's
# text), through SeaBIOS's serial console (fw_cfg etc/sercon-port, a
# little-endian port number).  A program that writes both to the screen and
# to COM1 then shows up twice: use --screen only for programs that do not.
tb_qemu_bios() {
	local screen=()
	if [ "$1" = --screen ]; then
		printf '\xf8\x03' >"$TB_DIR/sercon-port"	# 0x3f8, COM1
		screen=(-fw_cfg "name=etc/sercon-port,file=$TB_DIR/sercon-port")
		shift
	fi
	local log=$1 nic=$2
	shift 2
	# shellcheck disable=SC2086
	tb_qemu "$log" -machine pc -boot n "${screen[@]}" $nic "$@"
}

# tb_send TEXT: type TEXT and Enter on the console of the last tb_qemu.
tb_send() {
	printf '%s\r' "$1" >&"$TB_FIFO_FD"
}

# tb_keys TEXT: type TEXT as is (escape sequences, no Enter added).
tb_keys() {
	printf '%s' "$1" >&"$TB_FIFO_FD"
}

# tb_wait LOG REGEX SECONDS: 0 once a console line matches the extended
# REGEX (CRs stripped), 1 on timeout or when the last QEMU exited without
# printing it.
tb_wait() {
	local log=$1 re=$2 secs=$3 end
	end=$((SECONDS + secs))
	while [ $SECONDS -lt $end ]; do
		tr -d '\r' <"$log" 2>/dev/null | grep -Eq -- "$re" && return 0
		if [ -n "$TB_QEMU_PID" ] && ! kill -0 "$TB_QEMU_PID" 2>/dev/null; then
			tr -d '\r' <"$log" 2>/dev/null | grep -Eq -- "$re"
			return
		fi
		sleep 0.5
	done
	return 1
}

# tb_wait_exit SECONDS: wait for the last QEMU to exit; on timeout stop it
# and return 1.
tb_wait_exit() {
	local secs=$1 end
	end=$((SECONDS + secs))
	while [ $SECONDS -lt $end ]; do
		kill -0 "$TB_QEMU_PID" 2>/dev/null || return 0
		sleep 0.5
	done
	tb_stop "$TB_QEMU_PID"
	return 1
}

# tb_console LOG: the console without CRs and ANSI escape sequences.
tb_console() {
	tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'
}

# tb_log_tail LOG [N]: the last N (20) console lines, indented, as context
# after a FAIL line.
tb_log_tail() {
	tb_console "$1" 2>/dev/null | tail -n "${2:-20}" | sed 's/^/    | /'
}

# tb_report_initrd OUT [TAG]: a tiny busybox initrd whose /init prints
# "TAG-INIT: the initrd's /init is running" and "TAG-CMDLINE: <its
# /proc/cmdline>", then powers off (TAG: TBTEST).
tb_report_initrd() {
	local out=$1 tag=${2:-TBTEST} dir
	dir=$(mktemp -d "$TB_DIR/initrd.XXXXXX") || return 1
	mkdir -p "$dir/bin" "$dir/proc"
	cp "$(command -v busybox)" "$dir/bin/busybox"
	cat >"$dir/init" <<EOF
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
echo "$tag-INIT: the initrd's /init is running"
echo "$tag-CMDLINE: \$(/bin/busybox cat /proc/cmdline)"
/bin/busybox poweroff -f
EOF
	chmod +x "$dir/init"
	(cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
}

# tb_marker_disk OUT TEXT: a 1 MiB disk image whose MBR boot code writes
# TEXT and a newline to COM1 and halts: the "next boot device" a BIOS test
# watches for (SeaBIOS boots it when the network boot returns).
tb_marker_disk() {
	local out=$1 text=$2 src=$TB_DIR/marker-mbr.asm
	cat >"$src" <<EOF
bits 16
org 0x7c00
	cli
	xor ax, ax
	mov ds, ax
	cld
	mov si, message
.next:	lodsb
	test al, al
	jz .halt
	mov bl, al
	mov dx, 0x3fd		; line status: wait until the transmitter is empty
.tx:	in al, dx
	test al, 0x20
	jz .tx
	mov dx, 0x3f8
	mov al, bl
	out dx, al
	jmp .next
.halt:	hlt
	jmp .halt
message: db "$text", 13, 10, 0
	times 510 - (\$ - \$\$) db 0
	dw 0xaa55
EOF
	nasm -f bin -o "$out.mbr" "$src" || return 1
	truncate -s 1M "$out"
	dd if="$out.mbr" of="$out" conv=notrunc status=none
	rm -f "$out.mbr"
}

# tb_image FILE MIB: random image of MIB MiB (from /dev/urandom).
tb_image() {
	head -c "$(($2 * 1024 * 1024))" /dev/urandom >"$1"
}

# tb_sha FILE: print the sha256 of a file (or of stdin with -).
tb_sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# tb_slice_sha FILE LBA COUNT: sha256 of COUNT sectors at LBA of FILE.
tb_slice_sha() {
	dd if="$1" bs=512 skip="$2" count="$3" status=none | sha256sum |
		cut -d' ' -f1
}

# tb_targets: the target names in `aoectl discover` output (stdin).
tb_targets() {
	awk '/^e[0-9]+\.[0-9]+ / { print $1 }'
}

# tb_field NAME sectors|spf|bufcnt: one figure of target NAME from
# `aoectl discover` output (stdin), whose lines read
#   e11.0    02:..:..  131072 sectors (64 MiB)  "model"  bufcnt 16  sectors/frame 2
tb_field() {
	local name=$1 what=$2 line
	line=$(awk -v n="$name" '$1 == n' | head -n 1)
	case $what in
	sectors) sed -nE 's/.* ([0-9]+) sectors \(.*/\1/p' <<<"$line" ;;
	spf) sed -nE 's/.*sectors\/frame ([0-9]+).*/\1/p' <<<"$line" ;;
	bufcnt) sed -nE 's/.*bufcnt ([0-9]+).*/\1/p' <<<"$line" ;;
	esac
}

# tb_timed OUTVAR CMD...: run CMD, store its wall time in ms in OUTVAR,
# return its exit status.
tb_timed() {
	local __var=$1 t0 t1 rc
	shift
	t0=$(date +%s%N)
	"$@"
	rc=$?
	t1=$(date +%s%N)
	printf -v "$__var" '%d' $(((t1 - t0) / 1000000))
	return $rc
}
