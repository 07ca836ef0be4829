#!/bin/bash
# initrd_vmrun.sh - scripts/vm-run, which other tests use to make md images:
#   vmrun-raid1-1.2   a RAID1 (metadata 1.2) made in the VM on two 64 MiB
#                     images; the host's mdadm --examine sees both members of
#                     one clean array, and the payload's bytes are on md0
#   vmrun-exit-status the script's exit status (7) comes back as vm-run's
# (one VM run for both: the script does its work, then exits 7)
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aoeboot-vmrun.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
truncate -s 64M "$tmp/a.img" "$tmp/b.img"
mkdir "$tmp/pl"
head -c 65536 /dev/urandom >"$tmp/pl/blob"
cat >"$tmp/mk.sh" <<'EOS'
set -e
mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 \
	--assume-clean /dev/vda /dev/vdb
dd if=blob of=/dev/md0 bs=64k conv=fsync 2>/dev/null
echo "VM-SHA $(sha256sum </dev/md0 | cut -c1-64) $(head -c 65536 /dev/md0 | sha256sum | cut -c1-64)"
exit 7
EOS
scripts/vm-run --disk "$tmp/a.img" --disk "$tmp/b.img" --payload "$tmp/pl" \
	--log "$tmp/log" --timeout 300 "$tmp/mk.sh"
rc=$?
if [ "$rc" = 7 ]; then
	echo "PASS: vmrun-exit-status"
else
	echo "FAIL: vmrun-exit-status: vm-run returned $rc, want 7"
fi
if ! tr -d '\r' <"$tmp/log" | grep -q '^VM-SHA '; then
	echo "FAIL: vmrun-raid1-1.2: the script did not finish"
	tail -n 20 "$tmp/log"
else
	want=$(sha256sum <"$tmp/pl/blob" | cut -c1-64)
	ua=$(mdadm --examine "$tmp/a.img" | sed -n 's/^ *Array UUID : //p')
	ub=$(mdadm --examine "$tmp/b.img" | sed -n 's/^ *Array UUID : //p')
	# The data starts at the member's data offset (sectors) on each member.
	off=$(mdadm --examine "$tmp/b.img" | sed -n 's/^ *Data Offset : \([0-9]*\) sectors/\1/p')
	got=$(dd if="$tmp/b.img" bs=512 skip="${off:-0}" count=128 status=none | sha256sum | cut -c1-64)
	if [ -z "$ua" ] || [ "$ua" != "$ub" ]; then
		echo "FAIL: vmrun-raid1-1.2: members disagree on the array UUID ('$ua' '$ub')"
	elif ! mdadm --examine "$tmp/a.img" | grep -q 'Version : 1.2' ||
		! mdadm --examine "$tmp/a.img" | grep -q 'State : clean'; then
		echo "FAIL: vmrun-raid1-1.2: a.img is not a clean 1.2 member"
		mdadm --examine "$tmp/a.img"
	elif ! tr -d '\r' <"$tmp/log" | grep -q "^VM-SHA [0-9a-f]* $want$"; then
		echo "FAIL: vmrun-raid1-1.2: md0 in the VM does not hold the payload"
	elif [ "$got" != "$want" ]; then
		echo "FAIL: vmrun-raid1-1.2: b.img at data offset $off does not hold the payload"
	else
		echo "PASS: vmrun-raid1-1.2"
	fi
fi
