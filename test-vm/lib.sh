# test-vm/lib.sh - shared helpers for QEMU end-to-end tests.  Source it; it is
# not a test (not executable).  Everything runs inside a network namespace of
# the test's own; the host's interfaces are never touched.
#
#   . "$(dirname "$0")/lib.sh"
#   vm_init NAME          make the namespace $VM_NS (aoeboot-NAME-$$), the temp
#                         dir $VM_TMP, and the EXIT trap that cleans up both
#                         and every process started below (by PID)
#   vm_tap TAP            create tap device TAP (up) inside $VM_NS
#   vm_veth HOSTSIDE NSSIDE  a veth pair, both ends inside $VM_NS, both up
#   vm_nic_args TAP [MODEL] [MAC]
#                         print QEMU args for a NIC on TAP (model virtio-net-pci
#                         by default; use in an array: args+=($(vm_nic_args tap0)))
#   vm_vblade SHELF SLOT IFACE FILE [VBLADE-OPTS...]
#                         start vblade in $VM_NS; its PID is tracked
#   vm_bg CMD...          start any command in $VM_NS in the background, tracked;
#                         the PID is in $VM_LAST_PID
#   vm_qemu LOG QEMU-ARGS...
#                         start qemu-system-x86_64 in $VM_NS (TCG, -m 512,
#                         -nic none, -no-reboot, -display none, serial on
#                         stdio, no monitor: pass -m/-machine/-serial to
#                         change; do not pass -nographic) with its console in
#                         LOG and stdin from a FIFO that vm_send writes to.
#                         PID in $VM_QEMU_PID.  Several VMs may run at once;
#                         vm_send and vm_wait_exit act on the last one.
#   vm_send TEXT          type TEXT and Enter on the console of the last vm_qemu
#   vm_wait LOG REGEX SECONDS
#                         wait until a console line matches the extended REGEX
#                         (CRs stripped); 0 when seen, 1 on timeout or when
#                         QEMU exited without printing it
#   vm_wait_exit SECONDS  wait for the last QEMU to exit; kills it on timeout
#                         (returns 1 then)
#   vm_kill PID           stop one process started here (TERM, then KILL)
#   pass NAME / fail NAME WHY / skip NAME WHY
#                         print the house-format result lines
#   vm_log_tail LOG [N]   the last N (20) console lines, indented, for FAIL context
#
# Example:
#   vm_init demo; vm_tap tap0
#   vm_vblade 11 0 tap0 "$VM_TMP/disk.img"
#   vm_qemu "$VM_TMP/console" -kernel build/vmlinuz -initrd build/initramfs.img \
#       -append "console=ttyS0 ..." $(vm_nic_args tap0)
#   vm_wait "$VM_TMP/console" '^AOEBOOT-ROOT-INIT' 120 && pass boot || fail boot "no init"
VM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VM_NS=""
VM_TMP=""
VM_PIDS=()
VM_QEMU_PID=""
VM_LAST_PID=""
VM_FIFO_FD=""

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }
skip() { echo "SKIP: $1: $2"; }

vm_log_tail() {
	tr -d '\r' <"$1" 2>/dev/null | tail -n "${2:-20}" | sed 's/^/    | /'
}

vm_kill() {
	local pid=$1 i
	kill "$pid" 2>/dev/null || return 0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.2
	done
	kill -9 "$pid" 2>/dev/null || true
}

vm_cleanup() {
	local pid
	for pid in "${VM_PIDS[@]}"; do vm_kill "$pid"; done
	VM_PIDS=()
	[ -z "$VM_NS" ] || ip netns del "$VM_NS" 2>/dev/null || true
	[ -z "$VM_TMP" ] || rm -rf "$VM_TMP"
	VM_NS="" VM_TMP=""
}

vm_init() {
	VM_NS=aoeboot-$1-$$
	VM_TMP=$(mktemp -d "${TMPDIR:-/tmp}/aoeboot-$1.XXXXXX")
	trap vm_cleanup EXIT
	trap 'exit 130' INT TERM
	ip netns add "$VM_NS" || { echo "FAIL: $1: cannot create network namespace"; exit 1; }
	ip -n "$VM_NS" link set lo up
}

vm_tap() {
	ip -n "$VM_NS" tuntap add "$1" mode tap &&
		ip -n "$VM_NS" link set "$1" up
}

vm_veth() {
	ip -n "$VM_NS" link add "$1" type veth peer name "$2" &&
		ip -n "$VM_NS" link set "$1" up && ip -n "$VM_NS" link set "$2" up
}

vm_nic_args() {
	local tap=$1 model=${2:-virtio-net-pci} mac=${3:-}
	echo "-netdev tap,id=n_$tap,ifname=$tap,script=no,downscript=no -device $model,netdev=n_$tap${mac:+,mac=$mac}"
}

vm_bg() {
	ip netns exec "$VM_NS" "$@" &
	VM_LAST_PID=$!
	VM_PIDS+=("$VM_LAST_PID")
}

vm_vblade() {
	local shelf=$1 slot=$2 ifc=$3 file=$4
	shift 4
	vm_bg vblade "$@" "$shelf" "$slot" "$ifc" "$file" >>"$VM_TMP/vblade.log" 2>&1
}

vm_qemu() {
	local log=$1 fifo
	shift
	fifo=$VM_TMP/console-in.$RANDOM
	mkfifo "$fifo"
	# Hold the FIFO open read-write so QEMU never sees EOF on stdin.  An
	# earlier VM's FIFO stays open too (its console input is then lost).
	exec {VM_FIFO_FD}<>"$fifo"
	: >"$log"
	ip netns exec "$VM_NS" qemu-system-x86_64 -machine accel=tcg -m 512 -nic none \
		-no-reboot -display none -serial stdio -monitor none "$@" \
		<"$fifo" >>"$log" 2>&1 &
	VM_QEMU_PID=$!
	VM_LAST_PID=$VM_QEMU_PID
	VM_PIDS+=("$VM_QEMU_PID")
}

vm_send() {
	printf '%s\r' "$1" >&"$VM_FIFO_FD"
}

vm_wait() {
	local log=$1 re=$2 secs=$3 end
	end=$((SECONDS + secs))
	while [ $SECONDS -lt $end ]; do
		tr -d '\r' <"$log" 2>/dev/null | grep -Eq -- "$re" && return 0
		if [ -n "$VM_QEMU_PID" ] && ! kill -0 "$VM_QEMU_PID" 2>/dev/null; then
			tr -d '\r' <"$log" 2>/dev/null | grep -Eq -- "$re"
			return
		fi
		sleep 0.5
	done
	return 1
}

vm_wait_exit() {
	local secs=$1 end
	end=$((SECONDS + secs))
	while [ $SECONDS -lt $end ]; do
		kill -0 "$VM_QEMU_PID" 2>/dev/null || return 0
		sleep 0.5
	done
	vm_kill "$VM_QEMU_PID"
	return 1
}
