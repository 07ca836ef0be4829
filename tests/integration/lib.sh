# tests/integration/lib.sh - helpers for the AoE test bed (sourced, bash).
#
# Every test gets a network namespace of its own (name includes $$), with
# veth pairs created inside it, so nothing touches the host's interfaces.
# vblade, the relay and aoectl all run inside it with `ip netns exec`.
# Everything started here is recorded by PID and killed by PID in the EXIT
# trap, which also deletes the namespace and the scratch directory (in RAM,
# under /dev/shm).
#
#   tb_init NAME              namespace aoe-NAME-$$, scratch dir $TB_DIR, trap
#   tb_veth A B [MTU]         veth pair A <-> B inside the namespace, up
#   tb_vblade SHELF SLOT IF FILE [vblade options]
#                             start vblade; its PID is in $TB_LAST_PID
#   tb_relay A B [relay options]   start build/tools/relay; PID in $TB_LAST_PID
#   tb_stop PID               SIGTERM, wait (then SIGKILL after 5 s)
#   tb_ns CMD...              run a command inside the namespace
#   tb_aoectl ARGS...         build/aoectl inside the namespace
#   tb_image FILE MIB         random image from /dev/urandom
#   tb_sha FILE               sha256 of a file
#   tb_slice_sha FILE LBA N   sha256 of N sectors of FILE at LBA
#   tb_targets / tb_field     parse `aoectl discover` output
#   tb_timed VAR CMD...       run CMD, its wall time in ms into VAR
#   pass NAME / fail NAME WHY / skip NAME WHY   the result lines

TB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AOECTL=${AOECTL:-$TB_ROOT/build/aoectl}
RELAY=${RELAY:-$TB_ROOT/build/tools/relay}
TB_NS=
TB_DIR=
TB_PIDS=()
TB_LAST_PID=
TB_FAILED=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; TB_FAILED=1; }
skip() { echo "SKIP: $1: $2"; }

# tb_cleanup: kill what we started (by PID), delete namespace and scratch.
tb_cleanup() {
	local pid
	for pid in "${TB_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${TB_PIDS[@]}"; do
		local i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	TB_PIDS=()
	if [ -n "$TB_NS" ]; then
		ip netns del "$TB_NS" 2>/dev/null
		TB_NS=
	fi
	if [ -n "$TB_DIR" ] && [ -d "$TB_DIR" ]; then
		rm -rf "$TB_DIR"
		TB_DIR=
	fi
}

# tb_require NAME: SKIP when not root, FAIL when a tool is missing.
tb_require() {
	local name=$1
	if [ "$(id -u)" != 0 ]; then
		skip "$name" "needs root for network namespaces"
		exit 0
	fi
	local t
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

# tb_init NAME: make the namespace and scratch directory, set the trap.
tb_init() {
	local name=$1
	tb_require "$name"
	TB_NS="aoe-$name-$$"
	TB_DIR=$(mktemp -d "/dev/shm/aoe-$name-$$.XXXXXX") || exit 1
	trap tb_cleanup EXIT
	trap 'exit 130' INT TERM
	if ! ip netns add "$TB_NS"; then
		TB_NS=
		fail "$name" "cannot create network namespace"
		exit 1
	fi
	# Private copies of the binaries: `make` by someone else may relink
	# build/aoectl while this test runs.
	local b
	for b in AOECTL RELAY; do
		if [ -x "${!b}" ]; then
			cp "${!b}" "$TB_DIR/$(basename "${!b}")" &&
				printf -v "$b" '%s' "$TB_DIR/$(basename "${!b}")"
		fi
	done
	ip -n "$TB_NS" link set lo up
	# No IPv6 chatter (router solicitations, DAD) on the test links.
	ip netns exec "$TB_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	return 0
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

# tb_vblade SHELF SLOT IF FILE [OPTIONS...]: start vblade in the background.
# Options (-b N, -r, ...) go before the positional arguments.  Waits until
# vblade has its raw socket open.  Output goes to $TB_DIR/vblade-S.S.log.
tb_vblade() {
	local shelf=$1 slot=$2 ifc=$3 file=$4
	shift 4
	ip netns exec "$TB_NS" vblade "$@" "$shelf" "$slot" "$ifc" "$file" \
		>"$TB_DIR/vblade-$shelf.$slot.log" 2>&1 &
	tb_track $!
	local pid=$! i=0
	# ip netns exec execs vblade, so $! is vblade itself.
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

# tb_relay A B [OPTIONS...]: start the relay; log in $TB_DIR/relay.log.
tb_relay() {
	local a=$1 b=$2
	shift 2
	local log=$TB_DIR/relay-$a-$b.log
	ip netns exec "$TB_NS" "$RELAY" "$a" "$b" "$@" >"$log" 2>&1 &
	tb_track $!
	local pid=$! i=0
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

# tb_stop PID: stop one process we started, wait for it.
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
}

# tb_image FILE MIB: random image of MIB MiB (from /dev/urandom).
tb_image() {
	local file=$1 mib=$2
	head -c "$((mib * 1024 * 1024))" /dev/urandom >"$file"
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
	local __var=$1
	shift
	local t0 t1 rc
	t0=$(date +%s%N)
	"$@"
	rc=$?
	t1=$(date +%s%N)
	printf -v "$__var" '%d' $(((t1 - t0) / 1000000))
	return $rc
}

# tb_finish: exit status for the test script.
tb_finish() {
	exit "$TB_FAILED"
}
