#!/bin/bash
# aoe_basic.sh - aoectl against real vblade targets on a veth pair (MTU 1500):
# discovery of three targets on two shelves, full and partial reads checked
# by sha256, writes that land in the backing file, a read-only target,
# out-of-range LBAs and the clear errors for bad interfaces and targets.
set -u
. "$(dirname "$0")/lib.sh"

tb_init basic
T=$TB_DIR

# e11.0: 64 MiB random, only ever read.  e11.1: scratch copy for writes,
# with an odd capacity.  e12.0: read-only, odd capacity.
tb_image "$T/e11.0.img" 64
head -c $((5 * 1024 * 1024 + 7 * 512)) /dev/urandom >"$T/e11.1.img"
head -c $((1000 * 512)) /dev/urandom >"$T/e12.0.img"
cp "$T/e12.0.img" "$T/e12.0.orig"
SECT_110=$((64 * 2048))
SECT_111=$((5 * 2048 + 7))
SECT_120=1000

tb_veth i0 t0 1500
tb_veth i1 t1 1500		# nothing on t1: no target answers there
tb_vblade 11 0 t0 "$T/e11.0.img" || { fail basic_setup "vblade e11.0"; exit 1; }
tb_vblade 11 1 t0 "$T/e11.1.img" || { fail basic_setup "vblade e11.1"; exit 1; }
tb_vblade 12 0 t0 "$T/e12.0.img" -r || { fail basic_setup "vblade e12.0"; exit 1; }

# --- discovery -------------------------------------------------------------
name=discover_three_targets
if tb_aoectl discover -i i0 --timeout 1000 >"$T/disc.out" 2>"$T/disc.err"; then
	got=$(tb_targets <"$T/disc.out" | sort | tr '\n' ' ')
	if [ "$got" = "e11.0 e11.1 e12.0 " ]; then
		pass "$name"
	else
		fail "$name" "targets '$got', output: $(tr '\n' '|' <"$T/disc.out")"
	fi
else
	fail "$name" "exit $?: $(cat "$T/disc.err")"
fi

name=discover_capacities
bad=
for t in e11.0:$SECT_110 e11.1:$SECT_111 e12.0:$SECT_120; do
	n=${t%%:*} want=${t#*:}
	got=$(tb_field "$n" sectors <"$T/disc.out")
	[ "$got" = "$want" ] || bad="$bad $n=$got(want $want)"
done
if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad"; fi

name=discover_spf_1500
got=$(tb_field e11.0 spf <"$T/disc.out")
if [ "$got" = 2 ]; then pass "$name"; else fail "$name" "sectors/frame '$got', want 2"; fi

name=discover_no_targets
if tb_timed ms tb_aoectl discover -i i1 --timeout 500 >"$T/d1.out" 2>"$T/d1.err"; then
	fail "$name" "exit 0 with no target: $(cat "$T/d1.out")"
elif ! grep -q 'no AoE targets answered on i1' "$T/d1.err"; then
	fail "$name" "message: $(cat "$T/d1.err")"
elif [ "$ms" -gt 5000 ]; then
	fail "$name" "took $ms ms"
else
	pass "$name"
fi

# --- identify ---------------------------------------------------------------
name=identify
if tb_aoectl identify -i i0 e11.0 >"$T/id.out" 2>"$T/id.err"; then
	if ! grep -q 'vblade' "$T/id.out"; then
		fail "$name" "no model in: $(tr '\n' '|' <"$T/id.out")"
	elif ! grep -q "$SECT_110" "$T/id.out"; then
		fail "$name" "no capacity $SECT_110 in: $(tr '\n' '|' <"$T/id.out")"
	else
		pass "$name"
	fi
else
	fail "$name" "exit $?: $(cat "$T/id.err")"
fi

# --- full reads ---------------------------------------------------------------
name=read_full_64mib
if tb_timed ms tb_aoectl read -i i0 e11.0 -o "$T/e11.0.read" 2>"$T/r.err"; then
	if [ "$(tb_sha "$T/e11.0.read")" = "$(tb_sha "$T/e11.0.img")" ]; then
		pass "$name"
		echo "info: 64 MiB read in $ms ms ($((64 * 1000 / (ms ? ms : 1))) MiB/s)"
	else
		fail "$name" "sha256 differs (size $(stat -c %s "$T/e11.0.read"))"
	fi
else
	fail "$name" "exit $?: $(cat "$T/r.err")"
fi
rm -f "$T/e11.0.read"

name=read_full_stdout_aoe_prefix
if sha=$(set -o pipefail; tb_aoectl read -i i0 aoe:e12.0 2>"$T/r.err" | sha256sum | cut -d' ' -f1); then
	if [ "$sha" = "$(tb_sha "$T/e12.0.img")" ]; then
		pass "$name"
	else
		fail "$name" "sha256 differs"
	fi
else
	fail "$name" "exit status: $(cat "$T/r.err")"
fi

# --- partial reads at odd places ----------------------------------------------
name=read_partial
bad=
for lc in 0:1 1:1 3:5 7:13 255:3 12345:77 65535:300 100001:2049 \
	$((SECT_110 - 1)):1 $((SECT_110 - 37)):37; do
	lba=${lc%%:*} cnt=${lc#*:}
	got=$(set -o pipefail; tb_aoectl read -i i0 e11.0 --lba "$lba" --count "$cnt" 2>"$T/p.err" |
		sha256sum | cut -d' ' -f1) || { bad="$bad $lba+$cnt(exit: $(cat "$T/p.err"))"; continue; }
	[ "$got" = "$(tb_slice_sha "$T/e11.0.img" "$lba" "$cnt")" ] || bad="$bad $lba+$cnt(sha)"
done
if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad"; fi

name=read_out_of_range
bad=
for lc in $SECT_120:1 $((SECT_120 - 1)):2 999999999:1; do
	lba=${lc%%:*} cnt=${lc#*:}
	if tb_aoectl read -i i0 e12.0 --lba "$lba" --count "$cnt" -o "$T/oor" 2>"$T/o.err"; then
		bad="$bad $lba+$cnt(exit 0)"
	elif ! grep -qi 'range\|beyond\|past\|end of' "$T/o.err" ||
		[ "$(wc -l <"$T/o.err")" -gt 3 ]; then
		bad="$bad $lba+$cnt(message: $(tr '\n' '|' <"$T/o.err"))"
	fi
done
if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad"; fi

# --- writes (only to the scratch target e11.1) --------------------------------
name=write_read_back
cp "$T/e11.1.img" "$T/e11.1.expect"
bad=
for lc in 0:1 1001:37 4097:300 $((SECT_111 - 1)):1 $((SECT_111 - 19)):19; do
	lba=${lc%%:*} cnt=${lc#*:}
	head -c $((cnt * 512)) /dev/urandom >"$T/w.dat"
	dd if="$T/w.dat" of="$T/e11.1.expect" bs=512 seek="$lba" conv=notrunc status=none
	if ! tb_aoectl write -i i0 e11.1 --lba "$lba" "$T/w.dat" 2>"$T/w.err"; then
		bad="$bad $lba+$cnt(exit: $(cat "$T/w.err"))"
		continue
	fi
	got=$(tb_aoectl read -i i0 e11.1 --lba "$lba" --count "$cnt" 2>/dev/null | sha256sum | cut -d' ' -f1)
	[ "$got" = "$(tb_sha "$T/w.dat")" ] || bad="$bad $lba+$cnt(read back)"
done
if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad"; fi

name=write_lands_in_backing_file
# vblade writes with pwrite on the file: the whole file must now be exactly
# the expected image (the writes, and nothing else changed).
if [ "$(tb_sha "$T/e11.1.img")" = "$(tb_sha "$T/e11.1.expect")" ]; then
	pass "$name"
else
	fail "$name" "backing file differs from the expected image"
fi

name=write_full_read_back_whole
got=$(tb_aoectl read -i i0 e11.1 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ "$got" = "$(tb_sha "$T/e11.1.expect")" ]; then pass "$name"; else fail "$name" "whole-disk sha differs"; fi

name=write_read_only_target
head -c 1024 /dev/urandom >"$T/w.dat"
if tb_aoectl write -i i0 e12.0 --lba 10 "$T/w.dat" 2>"$T/w.err"; then
	fail "$name" "write to read-only target exited 0"
elif ! grep -qi 'read-only\|read only\|write.protect' "$T/w.err"; then
	fail "$name" "message: $(tr '\n' '|' <"$T/w.err")"
elif [ "$(tb_sha "$T/e12.0.img")" != "$(tb_sha "$T/e12.0.orig")" ]; then
	fail "$name" "backing file of the read-only target changed"
else
	pass "$name"
fi

name=write_out_of_range
if tb_aoectl write -i i0 e11.1 --lba $((SECT_111 - 1)) "$T/w.dat" 2>"$T/w.err"; then
	fail "$name" "2-sector write at the last sector exited 0"
elif ! grep -qi 'range\|beyond\|past\|end of' "$T/w.err"; then
	fail "$name" "message: $(tr '\n' '|' <"$T/w.err")"
elif [ "$(tb_sha "$T/e11.1.img")" != "$(tb_sha "$T/e11.1.expect")" ]; then
	fail "$name" "backing file changed"
else
	pass "$name"
fi

# --- errors ---------------------------------------------------------------------
name=error_unknown_interface
if tb_aoectl discover -i nosuch0 >"$T/e.out" 2>"$T/e.err"; then
	fail "$name" "exit 0"
elif ! grep -q 'nosuch0' "$T/e.err" || [ "$(wc -l <"$T/e.err")" -gt 2 ]; then
	fail "$name" "message: $(tr '\n' '|' <"$T/e.err")"
else
	pass "$name"
fi

name=error_target_not_found
if tb_timed ms tb_aoectl read -i i0 e99.9 --count 1 -o "$T/nf" 2>"$T/e.err"; then
	fail "$name" "exit 0"
elif ! grep -q 'e99.9' "$T/e.err" || ! grep -qi 'not found\|no answer\|did not answer\|not answer' "$T/e.err"; then
	fail "$name" "message: $(tr '\n' '|' <"$T/e.err")"
elif [ "$ms" -gt 10000 ]; then
	fail "$name" "took $ms ms"
else
	pass "$name"
fi

name=error_bad_target_name
if tb_aoectl read -i i0 e11 --count 1 -o "$T/nf" 2>"$T/e.err"; then
	fail "$name" "exit 0"
elif [ ! -s "$T/e.err" ]; then
	fail "$name" "no message"
else
	pass "$name"
fi

tb_finish
