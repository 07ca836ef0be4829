#!/bin/bash
# aoe_select.sh - choosing targets on a shared wire, with real vblade.
# One bridge, one initiator port (i0) and these targets:
#   e11.0 twice: vblades on t0 and t1 with different disks, run as two
#         hosts (their IDENTIFY serials are "11.0:<hostname>"), so two
#         disks answer for one name;
#   e12.0 with config string "rack1/web", e13.0 with "rack2/db";
#   e14.0 reserved to another host, then to another host and us.
# Config strings and reservations are set with build/tools/aoeadmin, as an
# administrator would; aoectl (the firmware's engine) only reads them.
set -u
. "$(dirname "$0")/lib.sh"

tb_init select
T=$TB_DIR
AOEADMIN=${TB_BUILD:-$TB_ROOT/build}/tools/aoeadmin
if [ ! -x "$AOEADMIN" ]; then
	skip select "build/tools/aoeadmin missing (make tools)"
	exit 0
fi
cp "$AOEADMIN" "$T/aoeadmin" && AOEADMIN=$T/aoeadmin
if ! command -v unshare >/dev/null; then
	skip select "unshare (util-linux) missing"
	exit 0
fi

for d in a b c d e; do tb_image "$T/$d.img" 4; done

tb_ns ip link add br0 type bridge
tb_ns ip link set br0 up
tb_veth i0 bi0 1500
for p in 0 1 2; do tb_veth "t$p" "bt$p" 1500; done
for p in bi0 bt0 bt1 bt2; do tb_ns ip link set "$p" master br0; done

# vblade_as HOST SHELF SLOT IF FILE: vblade in a UTS namespace of its own
# named HOST (vblade puts the hostname in its IDENTIFY serial).
vblade_as() {
	local host=$1 shelf=$2 slot=$3 ifc=$4 file=$5 i=0 pid
	ip netns exec "$TB_NS" unshare --uts sh -c \
		"hostname $host && exec vblade $shelf $slot $ifc $file" \
		>"$T/vblade-$host-$shelf.$slot.log" 2>&1 &
	pid=$!
	tb_track "$pid"
	while [ $i -lt 50 ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		if ls -l "/proc/$pid/fd" 2>/dev/null | grep -q 'socket:'; then
			sleep 0.05
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

mac_of() { tb_ns cat "/sys/class/net/$1/address"; }

vblade_as hosta 11 0 t0 "$T/a.img" || fail setup "vblade e11.0 on t0"
vblade_as hostb 11 0 t1 "$T/b.img" || fail setup "vblade e11.0 on t1"
vblade_as hosta 12 0 t2 "$T/c.img" || fail setup "vblade e12.0"
vblade_as hosta 13 0 t2 "$T/d.img" || fail setup "vblade e13.0"
vblade_as hosta 14 0 t2 "$T/e.img" || fail setup "vblade e14.0"
MAC0=$(mac_of t0) MAC1=$(mac_of t1) MYMAC=$(mac_of i0)
OTHER=02:99:00:00:00:42
sleep 1	# the bridge forwards once its ports are up

tb_ns "$AOEADMIN" i0 12 0 config rack1/web >"$T/adm.log" 2>&1 ||
	fail setup "config e12.0: $(cat "$T/adm.log")"
tb_ns "$AOEADMIN" i0 13 0 config rack2/db >"$T/adm.log" 2>&1 ||
	fail setup "config e13.0: $(cat "$T/adm.log")"
tb_ns "$AOEADMIN" i0 14 0 reserve "$OTHER" >"$T/adm.log" 2>&1 ||
	fail setup "reserve e14.0: $(cat "$T/adm.log")"

# --- two disks, one name ------------------------------------------------------
tb_aoectl discover -i i0 >"$T/d.out" 2>"$T/d.err"

name=select_two_disks_one_name_refused
line=$(grep 'different disks' "$T/d.err")
if [ "$(grep -c 'different disks' "$T/d.err")" = 1 ] &&
   grep -q "e11.0" <<<"$line" && grep -q "$MAC0" <<<"$line" &&
   grep -q "$MAC1" <<<"$line" &&
   grep -q '^e11.0 .*IDENTIFY failed' "$T/d.out"; then
	pass "$name"
else
	fail "$name" "$(cat "$T/d.out" "$T/d.err" | tr '\n' '|')"
fi

name=select_two_disks_one_name_never_read
if tb_aoectl read -i i0 e11.0 -o "$T/r11.img" >"$T/r.out" 2>"$T/r.err"; then
	fail "$name" "the read of e11.0 succeeded"
elif grep -q 'different disks' "$T/r.err"; then
	pass "$name"
else
	fail "$name" "$(tr '\n' '|' <"$T/r.err")"
fi

# --- config string prefix --------------------------------------------------
name=select_config_prefix_discover
tb_aoectl discover -i i0 --config rack1/ >"$T/p.out" 2>"$T/p.err"
if [ "$(tb_targets <"$T/p.out" | tr '\n' ' ')" = "e12.0 " ]; then
	pass "$name"
else
	fail "$name" "$(cat "$T/p.out" "$T/p.err" | tr '\n' '|')"
fi

name=select_config_prefix_read
if tb_aoectl read -i i0 --config rack1/ e12.0 -o "$T/r12.img" 2>"$T/r.err" &&
   [ "$(tb_sha "$T/r12.img")" = "$(tb_sha "$T/c.img")" ]; then
	pass "$name"
else
	fail "$name" "$(tr '\n' '|' <"$T/r.err")"
fi

name=select_config_prefix_other_not_found
if tb_aoectl read -i i0 --config rack1/ e13.0 -o "$T/r13.img" 2>"$T/r.err"; then
	fail "$name" "e13.0 (config rack2/db) was read with --config rack1/"
else
	pass "$name"
fi

# --- reservations ------------------------------------------------------------
name=select_reserved_to_other_skipped
if grep -q "e14.0 is reserved to $OTHER" "$T/d.err" &&
   grep -q '^e14.0 .*IDENTIFY failed' "$T/d.out" &&
   ! tb_aoectl read -i i0 e14.0 -o "$T/r14.img" 2>"$T/r.err"; then
	pass "$name"
else
	fail "$name" "$(cat "$T/d.out" "$T/d.err" "$T/r.err" 2>/dev/null | tr '\n' '|')"
fi

name=select_reserved_to_us_used
tb_ns "$AOEADMIN" i0 14 0 reserve "$OTHER,$MYMAC" >"$T/adm.log" 2>&1 ||
	fail "$name" "reserve: $(cat "$T/adm.log")"
if tb_aoectl read -i i0 e14.0 -o "$T/r14.img" 2>"$T/r.err" &&
   [ "$(tb_sha "$T/r14.img")" = "$(tb_sha "$T/e.img")" ]; then
	pass "$name"
else
	fail "$name" "$(tr '\n' '|' <"$T/r.err")"
fi

# The others are still listed, with their disks, without a prefix.
name=select_others_unaffected
tb_aoectl discover -i i0 >"$T/d2.out" 2>"$T/d2.err"
if [ "$(tb_targets <"$T/d2.out" | tr '\n' ' ')" = "e11.0 e12.0 e13.0 e14.0 " ] &&
   ! grep -q '^e1[234].0 .*IDENTIFY failed' "$T/d2.out"; then
	pass "$name"
else
	fail "$name" "$(cat "$T/d2.out" "$T/d2.err" | tr '\n' '|')"
fi

tb_finish
