#!/bin/bash
# aoe_vlan.sh - 802.1Q: the core's tagging (aoectl --vlan) against real
# vblades, a decoy with the same name on the untagged LAN.
#
#   aoectl@i0 <-veth-> ra [vblade B e7.1, untagged]
#                      ra [relay --vlan 5: trunk ra, access rb] rb <-veth-> t0
#                                                       t0 [vblade A e7.1]
#
# The host kernel has no 8021q (no eth0.5 interfaces), so the relay is the
# VLAN-aware switch: frames tagged 5 from i0 reach A untagged, A's answers
# come back tagged 5; untagged frames never reach A.  vblade B sees every
# frame on ra (the kernel hands it tagged ones too, tag removed) and answers
# the tagged broadcasts untagged: a decoy the initiator must ignore.
#   vlan_read_disk_a      --vlan 5: e7.1 is A (size, sha256), not B
#   untagged_read_disk_b  no --vlan: e7.1 is B; A got no untagged frame
#   vlan_other_id_empty   --vlan 6: no target at all
#   vlan_bad_id           --vlan 0 / 4095: refused with one line
#   linux_vlan_interface  aoectl -i i0.5 (the kernel tags): A; SKIP where the
#                         kernel cannot make VLAN interfaces (then
#                         test-vm/efi_vlan.sh still runs aoectl on eth0.5
#                         inside its Linux guest)
set -u
. "$(dirname "$0")/lib.sh"

tb_init vlan
T=$TB_DIR

tb_image "$T/a.img" 8
tb_image "$T/b.img" 4
SECT_A=$((8 * 2048))
SECT_B=$((4 * 2048))

tb_veth i0 ra 1500 && tb_veth rb t0 1500 || { fail vlan_setup "veth"; exit 1; }
tb_vblade 7 1 t0 "$T/a.img" || { fail vlan_setup "vblade A"; exit 1; }
tb_vblade 7 1 ra "$T/b.img" || { fail vlan_setup "vblade B"; exit 1; }
tb_relay ra rb --vlan 5 || { fail vlan_setup "relay"; exit 1; }
RL=$TB_LAST_PID

# read_case NAME WANT-IMG WANT-SECTORS AOECTL-ARGS...: identify and read e7.1.
read_case() {
	local name=$1 img=$2 sect=$3
	shift 3
	if ! tb_aoectl identify "$@" e7.1 >"$T/$name.id" 2>"$T/$name.err"; then
		fail "$name" "identify: $(cat "$T/$name.err")"
		return
	fi
	if ! grep -q "$sect" "$T/$name.id"; then
		fail "$name" "not $sect sectors: $(tr '\n' '|' <"$T/$name.id")"
		return
	fi
	if ! tb_aoectl read "$@" e7.1 -o "$T/$name.read" 2>"$T/$name.err"; then
		fail "$name" "read: $(cat "$T/$name.err")"
	elif [ "$(tb_sha "$T/$name.read")" != "$(tb_sha "$img")" ]; then
		fail "$name" "sha256 differs (size $(stat -c %s "$T/$name.read"))"
	else
		pass "$name ($sect sectors, sha256 equal)"
	fi
	rm -f "$T/$name.read"
}

read_case vlan_read_disk_a "$T/a.img" "$SECT_A" -i i0 --vlan 5
read_case untagged_read_disk_b "$T/b.img" "$SECT_B" -i i0

name=vlan_other_id_empty
tb_aoectl discover -i i0 --vlan 6 --timeout 500 >"$T/d6.out" 2>&1
got=$(tb_targets <"$T/d6.out" | tr '\n' ' ')
if [ -z "$got" ]; then
	pass "$name"
else
	fail "$name" "targets '$got' on VLAN 6"
fi

name=vlan_bad_id
ok=1
for v in 0 4095 x; do
	if tb_aoectl discover -i i0 --vlan "$v" >"$T/bad.out" 2>&1; then
		fail "$name" "--vlan $v accepted"
		ok=0
	elif [ "$(wc -l <"$T/bad.out")" != 1 ]; then
		fail "$name" "--vlan $v: not one line: $(tr '\n' '|' <"$T/bad.out")"
		ok=0
	fi
done
[ $ok = 1 ] && pass "$name"

# The relay's counters: A saw only VLAN 5 (untagged frames from i0 were
# dropped at the access port, not forwarded).
tb_stop "$RL"
counters=$(grep '^relay: A->B' "$TB_DIR"/relay-ra-rb.log)
name=relay_isolates_vlan
if [[ $counters =~ tx\ ([0-9]+).*other_vlan\ ([0-9]+) ]] &&
   [ "${BASH_REMATCH[1]}" -gt 0 ] && [ "${BASH_REMATCH[2]}" -gt 0 ]; then
	pass "$name (to A: ${BASH_REMATCH[1]} tagged frames, ${BASH_REMATCH[2]} others dropped)"
else
	fail "$name" "counters: $counters"
fi

# A Linux VLAN interface: the kernel tags, aoectl just uses it.  The relay
# is gone; VLAN 5 goes straight to a VLAN interface on the target side.
name=linux_vlan_interface
if ip -n "$TB_NS" link add link i0 name i0.5 type vlan id 5 2>/dev/null; then
	ip -n "$TB_NS" link set i0.5 up
	ip -n "$TB_NS" link add link ra name ra.5 type vlan id 5
	ip -n "$TB_NS" link set ra.5 up
	tb_vblade 7 1 ra.5 "$T/a.img" || fail "$name" "vblade on ra.5"
	read_case "$name" "$T/a.img" "$SECT_A" -i i0.5
else
	skip "$name" "this kernel cannot make VLAN interfaces (no 8021q)"
fi

tb_finish
