#!/bin/bash
# aoe_multipath.sh - one target reachable by several paths, with real
# vblade: two vblade processes serve the same image as e11.0 (two MACs).
#   bridge: both ports behind one initiator interface (one NIC, two MACs)
#   two NICs: aoectl -i i1,i2, each NIC reaching one port
# Discovery lists both paths, reads spread over both and match the image's
# sha256, and a port killed in the middle of a read is failed over: the
# read still completes with the right data.
set -u
. "$(dirname "$0")/lib.sh"

tb_init multipath
T=$TB_DIR
tb_image "$T/disk.img" 48
WANT=$(tb_sha "$T/disk.img")

# One NIC: i0 and both target ports on a bridge inside the namespace.
tb_ns ip link add br0 type bridge
tb_ns ip link set br0 up
tb_veth i0 bi0 1500
tb_veth t0 bt0 1500
tb_veth t1 bt1 1500
for p in bi0 bt0 bt1; do tb_ns ip link set "$p" master br0; done
# Two NICs: i1 reaches port t2 only, i2 reaches port t3 only.
tb_veth i1 t2 1500
tb_veth i2 t3 1500

tb_vblade 11 0 t0 "$T/disk.img" || fail setup "vblade on t0"
PORT_A=$TB_LAST_PID
tb_vblade 11 0 t1 "$T/disk.img" || fail setup "vblade on t1"
tb_vblade 11 0 t2 "$T/disk.img" || fail setup "vblade on t2"
tb_vblade 11 0 t3 "$T/disk.img" || fail setup "vblade on t3"
PORT_D=$TB_LAST_PID
sleep 1	# the bridge forwards once its ports are up

name=bridge_discovers_two_paths
tb_aoectl discover -i i0 >"$T/d.out" 2>"$T/d.err"
macs=$(awk '$1 == "e11.0" {print $2}' "$T/d.out")
if [ "$(echo "$macs" | tr ',' '\n' | grep -c :)" = 2 ]; then
	pass "$name"
else
	fail "$name" "paths '$macs': $(cat "$T/d.out" "$T/d.err")"
fi

name=bridge_read_both_paths
if tb_aoectl read -i i0 e11.0 -o "$T/r1.img" 2>"$T/r1.err" &&
   [ "$(tb_sha "$T/r1.img")" = "$WANT" ]; then
	pass "$name"
else
	fail "$name" "sha mismatch or error: $(cat "$T/r1.err")"
fi

name=bridge_port_killed_mid_read
tb_aoectl read -i i0 e11.0 -o "$T/r2.img" 2>"$T/r2.err" &
reader=$!
sleep 0.15
kill -0 "$reader" 2>/dev/null || fail "$name" "the read ended before the port was killed"
tb_stop "$PORT_A"
if wait "$reader" && [ "$(tb_sha "$T/r2.img")" = "$WANT" ]; then
	pass "$name"
else
	fail "$name" "read failed or wrong data: $(cat "$T/r2.err")"
fi

name=two_nics_discover_and_read
tb_aoectl discover -i i1,i2 >"$T/d2.out" 2>"$T/d2.err"
macs=$(awk '$1 == "e11.0" {print $2}' "$T/d2.out")
if [ "$(echo "$macs" | tr ',' '\n' | grep -c :)" = 2 ] &&
   tb_aoectl read -i i1,i2 e11.0 -o "$T/r3.img" 2>"$T/r3.err" &&
   [ "$(tb_sha "$T/r3.img")" = "$WANT" ]; then
	pass "$name"
else
	fail "$name" "paths '$macs': $(cat "$T/d2.err" "$T/r3.err" 2>/dev/null)"
fi

name=two_nics_port_killed_mid_read
tb_aoectl read -i i1,i2 e11.0 -o "$T/r4.img" 2>"$T/r4.err" &
reader=$!
sleep 0.15
kill -0 "$reader" 2>/dev/null || fail "$name" "the read ended before the port was killed"
tb_stop "$PORT_D"
if wait "$reader" && [ "$(tb_sha "$T/r4.img")" = "$WANT" ]; then
	pass "$name"
else
	fail "$name" "read failed or wrong data: $(cat "$T/r4.err")"
fi

tb_finish
