#!/bin/bash
# aoe_relay.sh - aoectl through our relay (build/tools/relay) between two
# veth pairs:   aoectl@i0 <-> ra [relay] rb <-> t0@vblade
# First clean (the relay itself is transparent), then with 10% loss, 10%
# duplication, 10% reordering and 100 us added delay each way: discovery,
# full and partial reads and writes must still be exactly right, and the
# relay's counters must show the impairments really happened.
set -u
. "$(dirname "$0")/lib.sh"

tb_init relay
T=$TB_DIR
MIB=${RELAY_MIB:-16}
SEED=${RELAY_SEED:-20261125}

tb_image "$T/e11.0.img" "$MIB"
head -c $((1024 * 1024)) /dev/urandom >"$T/e11.1.img"
SECT=$((MIB * 2048))

# relay_setup MTU RELAY_OPTIONS...: set up links at MTU, start vblade and
# the relay, leave their PIDs in VB0 VB1 RL.
relay_setup() {
	local mtu=$1
	shift
	tb_veth i0 ra "$mtu" && tb_veth rb t0 "$mtu" || return 1
	tb_vblade 11 0 t0 "$T/e11.0.img" || return 1
	VB0=$TB_LAST_PID
	tb_vblade 11 1 t0 "$T/e11.1.img" || return 1
	VB1=$TB_LAST_PID
	tb_relay ra rb "$@" || return 1
	RL=$TB_LAST_PID
}

# relay_teardown: stop relay and vblades, delete the links.
relay_teardown() {
	tb_stop "$RL"
	tb_stop "$VB0"
	tb_stop "$VB1"
	ip -n "$TB_NS" link del i0
	ip -n "$TB_NS" link del rb
}

# check_full NAME TARGET IMAGE: full read through the relay, by sha256.
check_full() {
	local name=$1 target=$2 img=$3 ms
	if tb_timed ms tb_aoectl read -i i0 "$target" -o "$T/read" 2>"$T/r.err"; then
		if [ "$(tb_sha "$T/read")" = "$(tb_sha "$img")" ]; then
			pass "$name"
			echo "info: $name: $(($(stat -c %s "$img") / 1024)) KiB in $ms ms"
		else
			fail "$name" "sha256 differs"
		fi
	else
		fail "$name" "exit $?: $(tail -n 2 "$T/r.err" | tr '\n' '|')"
	fi
	rm -f "$T/read"
}

# --- clean relay: transparent ------------------------------------------------
if ! relay_setup 1500; then
	fail relay_setup "could not start vblade/relay"
	exit 1
fi
name=relay_clean_discover
if tb_aoectl discover -i i0 --timeout 1000 >"$T/d.out" 2>"$T/d.err"; then
	got=$(tb_targets <"$T/d.out" | sort | tr '\n' ' ')
	if [ "$got" = "e11.0 e11.1 " ]; then pass "$name"; else fail "$name" "targets '$got'"; fi
else
	fail "$name" "exit $?: $(cat "$T/d.err")"
fi
check_full relay_clean_read_full e11.0 "$T/e11.0.img"
relay_teardown
if grep -qE 'lost [1-9]|dup [1-9]|reordered [1-9]|overflow [1-9]' "$T"/relay-ra-rb.log; then
	fail relay_clean_counters "clean relay impaired frames: $(tr '\n' '|' <"$T/relay-ra-rb.log")"
else
	pass relay_clean_counters
fi
mv "$T/relay-ra-rb.log" "$T/relay-clean.log"

# --- impaired relay --------------------------------------------------------------
IMPAIR=(--loss 10 --dup 10 --reorder 10 --delay 100 --seed "$SEED")
if ! relay_setup 1500 "${IMPAIR[@]}"; then
	fail relay_setup "could not start vblade/relay"
	exit 1
fi
name=relay_impaired_discover
if tb_aoectl discover -i i0 --timeout 2000 >"$T/d.out" 2>"$T/d.err"; then
	got=$(tb_targets <"$T/d.out" | sort | tr '\n' ' ')
	cap=$(tb_field e11.0 sectors <"$T/d.out")
	if [ "$got" != "e11.0 e11.1 " ]; then
		fail "$name" "targets '$got'"
	elif [ "$cap" != "$SECT" ]; then
		fail "$name" "capacity '$cap', want $SECT"
	else
		pass "$name"
	fi
else
	fail "$name" "exit $?: $(cat "$T/d.err")"
fi
check_full relay_impaired_read_full e11.0 "$T/e11.0.img"

name=relay_impaired_read_partial
bad=
for lc in 1:1 3:7 1023:1025 $((SECT - 5)):5; do
	lba=${lc%%:*} cnt=${lc#*:}
	got=$(set -o pipefail; tb_aoectl read -i i0 e11.0 --lba "$lba" --count "$cnt" 2>"$T/p.err" |
		sha256sum | cut -d' ' -f1) || { bad="$bad $lba+$cnt(exit: $(tail -n 1 "$T/p.err"))"; continue; }
	[ "$got" = "$(tb_slice_sha "$T/e11.0.img" "$lba" "$cnt")" ] || bad="$bad $lba+$cnt(sha)"
done
if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad"; fi

# Writes through loss and duplication: a duplicated or retransmitted write
# lands twice with the same data, so the result must still be exact.
name=relay_impaired_write
cp "$T/e11.1.img" "$T/e11.1.expect"
bad=
for lc in 7:1 100:333 1500:500; do
	lba=${lc%%:*} cnt=${lc#*:}
	head -c $((cnt * 512)) /dev/urandom >"$T/w.dat"
	dd if="$T/w.dat" of="$T/e11.1.expect" bs=512 seek="$lba" conv=notrunc status=none
	tb_aoectl write -i i0 e11.1 --lba "$lba" "$T/w.dat" 2>"$T/w.err" ||
		bad="$bad $lba+$cnt(exit: $(tail -n 1 "$T/w.err"))"
done
got=$(tb_aoectl read -i i0 e11.1 2>/dev/null | sha256sum | cut -d' ' -f1)
[ "$got" = "$(tb_sha "$T/e11.1.expect")" ] || bad="$bad read-back"
[ "$(tb_sha "$T/e11.1.img")" = "$(tb_sha "$T/e11.1.expect")" ] || bad="$bad backing-file"
if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad"; fi

relay_teardown
name=relay_impaired_counters
# Each direction must have lost, duplicated and reordered frames, and the
# relay's books must balance.
log=$T/relay-ra-rb.log
ok=1
for d in 'A->B' 'B->A'; do
	line=$(grep "^relay: $d " "$log")
	for c in lost dup reordered; do
		n=$(sed -n "s/.* $c \([0-9]*\).*/\1/p" <<<"$line")
		[ "${n:-0}" -gt 0 ] || ok=0
	done
	# Accounting: every frame received is lost, or sent (twice if
	# duplicated); nothing is left queued once the link is idle.
	read -r rx tx lost dup < <(sed -nE 's/.* rx ([0-9]+) tx ([0-9]+) lost ([0-9]+) dup ([0-9]+).*/\1 \2 \3 \4/p' <<<"$line")
	[ "$((rx - lost + dup))" = "${tx:-x}" ] || ok=0
done
if [ $ok = 1 ]; then
	pass "$name"
	sed 's/^/info: /' "$log"
else
	fail "$name" "$(tr '\n' '|' <"$log")"
fi
mv "$log" "$T/relay-impaired-1500.log"

# --- impaired relay at MTU 9000 ----------------------------------------------------
if ! relay_setup 9000 "${IMPAIR[@]}"; then
	fail relay_setup "could not start vblade/relay at MTU 9000"
	exit 1
fi
name=relay_impaired_jumbo_spf
if tb_aoectl discover -i i0 --timeout 2000 >"$T/d.out" 2>"$T/d.err"; then
	spf=$(tb_field e11.0 spf <"$T/d.out")
	if [ "$spf" = 17 ]; then pass "$name"; else fail "$name" "sectors/frame '$spf'"; fi
else
	fail "$name" "exit $?: $(cat "$T/d.err")"
fi
check_full relay_impaired_jumbo_read_full e11.0 "$T/e11.0.img"
relay_teardown

tb_finish
