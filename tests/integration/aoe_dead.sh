#!/bin/bash
# aoe_dead.sh - targets that stop answering in the middle of a read:
#   killed for good   -> a clear error naming the target and the LBA reached,
#                        non-zero exit, within the retry budget;
#   stalled (SIGSTOP) -> the read resumes and the data is still correct;
#   restarted         -> a new vblade on the same image takes over.
set -u
. "$(dirname "$0")/lib.sh"

# The retry budget: a command unanswered for --dead-time ms is given up
# (default 10 s; 3 s here to keep the test short).  The error must come
# after about that long (not much earlier: no premature give-up) and not
# much later (slack for a loaded machine).
DEAD_MS=3000
MIN_MS=$((DEAD_MS * 3 / 4))
MAX_MS=$((DEAD_MS + 4000))

tb_init dead
T=$TB_DIR
tb_veth i0 t0 1500

# A big sparse image: reading it takes seconds but costs no memory.
truncate -s 2G "$T/big.img"

# wait_running PID MS: true if PID is still alive after MS milliseconds.
wait_running() {
	sleep "$(awk "BEGIN { print $2 / 1000 }")"
	kill -0 "$1" 2>/dev/null
}

name=dead_target_killed_mid_read
tb_vblade 11 0 t0 "$T/big.img" || { fail "$name" "vblade"; exit 1; }
vb=$TB_LAST_PID
ip netns exec "$TB_NS" "$AOECTL" read -i i0 e11.0 --dead-time "$DEAD_MS" >/dev/null 2>"$T/k.err" &
rd=$!
tb_track "$rd"
if ! wait_running "$rd" 800; then
	wait "$rd"
	fail "$name" "read ended (status $?) before the target was killed: $(cat "$T/k.err")"
else
	kill -KILL "$vb"
	t0=$(date +%s%N)
	wait "$rd"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	tb_untrack "$rd"
	tb_untrack "$vb"
	msg=$(grep -v '^\s*$' "$T/k.err" | tail -n 1)
	if [ "$rc" = 0 ]; then
		fail "$name" "exit 0 after the target died"
	elif [ "$rc" -ge 128 ]; then
		fail "$name" "killed by signal $((rc - 128))"
	elif ! grep -q 'e11\.0' "$T/k.err"; then
		fail "$name" "message does not name e11.0: $msg"
	elif ! grep -qiE 'lba[ =:]*[0-9]+|sector[ =:]*[0-9]+' "$T/k.err"; then
		fail "$name" "message gives no LBA: $msg"
	elif [ "$ms" -gt "$MAX_MS" ] || [ "$ms" -lt "$MIN_MS" ]; then
		fail "$name" "gave up $ms ms after the kill (dead time $DEAD_MS ms): $msg"
	else
		pass "$name"
		echo "info: gave up $ms ms after the kill: $msg"
	fi
fi

# A stall shorter than the dead time: the read must survive it.
name=dead_target_stalled_resumes
tb_image "$T/r.img" 64
tb_vblade 11 1 t0 "$T/r.img" || { fail "$name" "vblade"; exit 1; }
vb=$TB_LAST_PID
ip netns exec "$TB_NS" "$AOECTL" read -i i0 e11.1 -o "$T/r.read" 2>"$T/s.err" &
rd=$!
tb_track "$rd"
sleep 0.2
kill -STOP "$vb"
sleep 1.5
kill -CONT "$vb"
wait "$rd"
rc=$?
tb_untrack "$rd"
if [ "$rc" != 0 ]; then
	fail "$name" "exit $rc: $(tail -n 1 "$T/s.err")"
elif [ "$(tb_sha "$T/r.read")" != "$(tb_sha "$T/r.img")" ]; then
	fail "$name" "sha256 differs"
else
	pass "$name"
fi
rm -f "$T/r.read"

# The target process is replaced (same image, same shelf.slot, new vblade):
# the initiator keeps going with the new one.
name=dead_target_restarted
ip netns exec "$TB_NS" "$AOECTL" read -i i0 e11.1 -o "$T/r.read" 2>"$T/x.err" &
rd=$!
tb_track "$rd"
sleep 0.2
kill -KILL "$vb"
tb_untrack "$vb"
sleep 0.3
tb_vblade 11 1 t0 "$T/r.img" || fail "$name" "vblade restart"
wait "$rd"
rc=$?
tb_untrack "$rd"
if [ "$rc" != 0 ]; then
	fail "$name" "exit $rc: $(tail -n 1 "$T/x.err")"
elif [ "$(tb_sha "$T/r.read")" != "$(tb_sha "$T/r.img")" ]; then
	fail "$name" "sha256 differs"
else
	pass "$name"
fi

tb_finish
