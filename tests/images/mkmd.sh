#!/bin/bash
# mkmd.sh OUTDIR - md arrays made by real mdadm inside a VM (scripts/vm-run).
#
# Every member is a 16 MiB sparse image OUTDIR/<array>.<n>.img.  Each array
# is filled with the start of data.bin (deterministic random bytes) up to
# its size, as Linux reports it; the console lines "MDINFO <array>
# size=<bytes> ..." are collected into OUTDIR/manifest.  Arrays:
#   r1_090 r1_10 r1_11 r1_12  RAID1, metadata 0.90 / 1.0 / 1.1 / 1.2
#                             (r1_11 has a third member as a spare)
#   r1s    RAID1 1.2, 3 members; member 2 failed after the first fill, then
#          data2.bin (4 MiB) written over the start: member 2 is stale
#   r1s090 the same with metadata 0.90 (roles from the disks[] table)
#   r1n    RAID1 1.2 created with --name=boot (no number: md127)
#   r0     RAID0 1.2, 3 members, 64 KiB chunks
#   r0zo r0za  RAID0 1.2 on members of 16, 24 and 20 MiB (three zones),
#          --layout=original and --layout=alternate
#   r10n2 r10f2 r10o2   RAID10 near/far/offset 2 copies on 4 members
#   r10f2x3             RAID10 far 2 on 3 members; r10n3: near 3 on 4
#   lin    linear, 2 members (1.2)
#   r5ls r5ra r5p0  RAID5 on 4 members: left-symmetric (default),
#          right-asymmetric, parity-first; r6: RAID6 on 5 members (default)
#   pt     two MBR disks (pt.0.img pt.1.img): p1 = RAID1 1.2, p2 = RAID1
#          0.90 running to the disk end (its superblock sits exactly where a
#          whole-disk 0.90 superblock would be)
# Built once and cached (rebuilt when this script changes).  Three VM runs.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-build/images/md}
mkdir -p "$out"
out=$(cd "$out" && pwd)
exec 9>"$out/.lock"
flock 9
stamp=$out/.stamp
if [ -f "$stamp" ] && [ "$stamp" -nt "$0" ]; then exit 0; fi
rm -f "$out"/*.img "$out"/manifest "$stamp"

python3 - "$out" <<'PY'
import random, sys
r = random.Random(20261125)
open(sys.argv[1] + "/data.bin", "wb").write(r.randbytes(64 << 20))
open(sys.argv[1] + "/data2.bin", "wb").write(r.randbytes(4 << 20))
PY

mk() { # array nmembers
	local i
	for ((i = 0; i < $2; i++)); do truncate -s 16M "$out/$1.$i.img"; done
}
mk r1_090 2; mk r1_10 2; mk r1_11 3; mk r1_12 2; mk r1s 3; mk r0 3
mk r1s090 3; mk r1n 2; mk r0zo 3; mk r0za 3
mk r5ls 4; mk r5ra 4; mk r5p0 4; mk r6 5
for a in r0zo r0za; do
	truncate -s 24M "$out/$a.1.img"; truncate -s 20M "$out/$a.2.img"
done
mk r10n2 4; mk r10f2 4; mk r10o2 4; mk r10f2x3 3; mk r10n3 4; mk lin 2
mk pt 2
for i in 0 1; do
	sfdisk -q "$out/pt.$i.img" >/dev/null <<'EOT'
label: dos
start=2048, size=14336, type=fd
start=16384, size=16384, type=fd
EOT
done

pay=$(mktemp -d)
trap 'rm -rf "$pay"' EXIT
ln "$out/data.bin" "$pay/data.bin" 2>/dev/null || cp "$out/data.bin" "$pay/"
ln "$out/data2.bin" "$pay/data2.bin" 2>/dev/null || cp "$out/data2.bin" "$pay/"

# The in-VM part: make one array, fill it, report.
cat >"$pay/lib.sh" <<'EOS'
set -e
n=0
mkarr() { # name metadata level ndev devs... [-- extra mdadm args]
	name=$1 meta=$2 level=$3 nd=$4; shift 4
	devs="" extra=""
	while [ $# -gt 0 ] && [ "$1" != -- ]; do devs="$devs $1"; shift; done
	[ $# -gt 0 ] && { shift; extra="$*"; }
	mdadm --create /dev/md$n --run --metadata=$meta --level=$level \
		--raid-devices=$nd --assume-clean --chunk=64 $extra $devs \
		>/dev/null 2>&1 || mdadm --create /dev/md$n --run \
		--metadata=$meta --level=$level --raid-devices=$nd \
		--assume-clean $extra $devs
	size=$(blockdev --getsize64 /dev/md$n)
	head -c $size /payload/data.bin >/dev/md$n
	sync
	echo "MDINFO $name size=$size md=md$n"
	cur=/dev/md$n
	n=$((n + 1))
}
EOS

cat >"$pay/a.sh" <<'EOS'
. /payload/lib.sh
mkarr r1_090 0.90 1 2 /dev/vda /dev/vdb
mkarr r1_10 1.0 1 2 /dev/vdc /dev/vdd
mkarr r1_11 1.1 1 2 /dev/vde /dev/vdf /dev/vdg -- --spare-devices=1
mkarr r1_12 1.2 1 2 /dev/vdh /dev/vdi
mkarr r1s 1.2 1 3 /dev/vdj /dev/vdk /dev/vdl
mdadm $cur --fail /dev/vdl
head -c 4194304 /payload/data2.bin >$cur
sync
echo "MDINFO r1s-after-fail events-bumped"
mkarr r1s090 0.90 1 3 /dev/vdr /dev/vds /dev/vdt
mdadm $cur --fail /dev/vdt
head -c 4194304 /payload/data2.bin >$cur
sync
mkarr r1n 1.2 1 2 /dev/vdu /dev/vdv -- --name=boot
mkarr r0 1.2 0 3 /dev/vdm /dev/vdn /dev/vdo
mkarr lin 1.2 linear 2 /dev/vdp /dev/vdq
mkarr r0zo 1.2 0 3 /dev/vdw /dev/vdx /dev/vdy -- --layout=original
mdadm --detail --scan
EOS

cat >"$pay/b.sh" <<'EOS'
. /payload/lib.sh
mkarr r10n2 1.2 10 4 /dev/vda /dev/vdb /dev/vdc /dev/vdd -- --layout=n2
mkarr r10f2 1.2 10 4 /dev/vde /dev/vdf /dev/vdg /dev/vdh -- --layout=f2
mkarr r10o2 1.2 10 4 /dev/vdi /dev/vdj /dev/vdk /dev/vdl -- --layout=o2
mkarr r10f2x3 1.2 10 3 /dev/vdm /dev/vdn /dev/vdo -- --layout=f2
mkarr r10n3 1.2 10 4 /dev/vdp /dev/vdq /dev/vdr /dev/vds -- --layout=n3
mkarr pt1 1.2 1 2 /dev/vdt1 /dev/vdu1
mkarr pt2 0.90 1 2 /dev/vdt2 /dev/vdu2
mkarr r0za 1.2 0 3 /dev/vdv /dev/vdw /dev/vdx -- --layout=alternate
mdadm --detail --scan
EOS

cat >"$pay/c.sh" <<'EOS'
. /payload/lib.sh
mkarr r5ls 1.2 5 4 /dev/vda /dev/vdb /dev/vdc /dev/vdd
mkarr r5ra 1.2 5 4 /dev/vde /dev/vdf /dev/vdg /dev/vdh -- --layout=right-asymmetric
mkarr r5p0 1.2 5 4 /dev/vdi /dev/vdj /dev/vdk /dev/vdl -- --layout=parity-first
mkarr r6 1.2 6 5 /dev/vdm /dev/vdn /dev/vdo /dev/vdp /dev/vdq
mdadm --detail --scan
EOS

disks() { local a d; for a in "$@"; do for d in "$out/$a".*.img; do
	printf -- '--disk\n%s\n' "$d"; done; done; }
mapfile -t da < <(disks r1_090 r1_10 r1_11 r1_12 r1s r0 lin r1s090 r1n r0zo)
mapfile -t db < <(disks r10n2 r10f2 r10o2 r10f2x3 r10n3 pt r0za)
"$here/scripts/vm-run" --mem 384 --timeout 900 --log "$out/vm-a.log" \
	--payload "$pay" "${da[@]}" "$pay/a.sh"
"$here/scripts/vm-run" --mem 384 --timeout 900 --log "$out/vm-b.log" \
	--payload "$pay" "${db[@]}" "$pay/b.sh"
mapfile -t dc < <(disks r5ls r5ra r5p0 r6)
"$here/scripts/vm-run" --mem 384 --timeout 900 --log "$out/vm-c.log" \
	--payload "$pay" "${dc[@]}" "$pay/c.sh"
cat "$out/vm-a.log" "$out/vm-b.log" "$out/vm-c.log" | tr -d '\r' |
	grep '^MDINFO ' >"$out/manifest"
touch "$stamp"
