#!/bin/bash
# aoe_jumbo.sh - MTU 9000 on both ends of the veth: 17 sectors per frame in
# discovery, and full/partial reads and writes that cross frame boundaries
# come back correct.
set -u
. "$(dirname "$0")/lib.sh"

tb_init jumbo
T=$TB_DIR
tb_image "$T/e11.0.img" 64
head -c $((3 * 1024 * 1024)) /dev/urandom >"$T/e11.1.img"
SECT=$((64 * 2048))

tb_veth i0 t0 9000
tb_vblade 11 0 t0 "$T/e11.0.img" || { fail jumbo_setup "vblade e11.0"; exit 1; }
VB110=$TB_LAST_PID
tb_vblade 11 1 t0 "$T/e11.1.img" || { fail jumbo_setup "vblade e11.1"; exit 1; }

name=jumbo_discover_17_spf
if tb_aoectl discover -i i0 --timeout 1000 >"$T/disc.out" 2>"$T/disc.err"; then
	a=$(tb_field e11.0 spf <"$T/disc.out")
	b=$(tb_field e11.1 spf <"$T/disc.out")
	if [ "$a" = 17 ] && [ "$b" = 17 ]; then
		pass "$name"
	else
		fail "$name" "sectors/frame e11.0='$a' e11.1='$b', want 17: $(tr '\n' '|' <"$T/disc.out")"
	fi
else
	fail "$name" "exit $?: $(cat "$T/disc.err")"
fi

name=jumbo_read_full_64mib
if tb_timed ms tb_aoectl read -i i0 e11.0 -o "$T/read" 2>"$T/r.err"; then
	if [ "$(tb_sha "$T/read")" = "$(tb_sha "$T/e11.0.img")" ]; then
		pass "$name"
		echo "info: 64 MiB read at MTU 9000 in $ms ms ($((64 * 1000 / (ms ? ms : 1))) MiB/s)"
	else
		fail "$name" "sha256 differs"
	fi
else
	fail "$name" "exit $?: $(cat "$T/r.err")"
fi
rm -f "$T/read"

name=jumbo_read_partial
bad=
for lc in 0:1 5:16 16:17 17:18 33:35 1001:171 77777:1000 $((SECT - 18)):18; do
	lba=${lc%%:*} cnt=${lc#*:}
	got=$(set -o pipefail; tb_aoectl read -i i0 e11.0 --lba "$lba" --count "$cnt" 2>"$T/p.err" |
		sha256sum | cut -d' ' -f1) || { bad="$bad $lba+$cnt(exit: $(cat "$T/p.err"))"; continue; }
	[ "$got" = "$(tb_slice_sha "$T/e11.0.img" "$lba" "$cnt")" ] || bad="$bad $lba+$cnt(sha)"
done
if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad"; fi

name=jumbo_write_read_back
cp "$T/e11.1.img" "$T/e11.1.expect"
bad=
for lc in 3:17 100:18 2000:1001; do
	lba=${lc%%:*} cnt=${lc#*:}
	head -c $((cnt * 512)) /dev/urandom >"$T/w.dat"
	dd if="$T/w.dat" of="$T/e11.1.expect" bs=512 seek="$lba" conv=notrunc status=none
	if ! tb_aoectl write -i i0 e11.1 --lba "$lba" "$T/w.dat" 2>"$T/w.err"; then
		bad="$bad $lba+$cnt(exit: $(cat "$T/w.err"))"
	fi
done
got=$(tb_aoectl read -i i0 e11.1 2>/dev/null | sha256sum | cut -d' ' -f1)
[ "$got" = "$(tb_sha "$T/e11.1.expect")" ] || bad="$bad read-back"
[ "$(tb_sha "$T/e11.1.img")" = "$(tb_sha "$T/e11.1.expect")" ] || bad="$bad backing-file"
if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad"; fi

# The initiator at 9000 but the target port at 1500: the target advertises
# what its own MTU allows (2 sectors) and the initiator must respect it.
name=jumbo_initiator_small_target
tb_mtu t0 1500
tb_stop "$VB110"
tb_vblade 11 0 t0 "$T/e11.0.img" || { fail "$name" "vblade restart"; }
if tb_aoectl discover -i i0 --timeout 1000 >"$T/disc2.out" 2>"$T/disc.err"; then
	spf=$(tb_field e11.0 spf <"$T/disc2.out")
	got=$(tb_aoectl read -i i0 e11.0 --lba 999 --count 2000 2>/dev/null | sha256sum | cut -d' ' -f1)
	if [ "$spf" != 2 ]; then
		fail "$name" "sectors/frame '$spf', want 2"
	elif [ "$got" != "$(tb_slice_sha "$T/e11.0.img" 999 2000)" ]; then
		fail "$name" "sha256 differs"
	else
		pass "$name"
	fi
else
	fail "$name" "discover exit $?: $(cat "$T/disc.err")"
fi

tb_finish
