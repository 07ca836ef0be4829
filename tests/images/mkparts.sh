#!/bin/bash
# mkparts.sh OUTDIR - partitioned test disks made by the real tools.
#
#   gpt.img  16 MiB, sgdisk: p1 EFI "EFI system", p2 Linux fs "root",
#            p3 Linux RAID "räid-ü", p5 Linux fs (entry 4 left empty)
#   mbr.img  16 MiB, sfdisk dos: p1 83 bootable, p2 extended holding
#            logicals 5 (83), 6 (fd), 7 (0c), p3 0c
#   wfat16.img wfat32.img wext4.img  8-16 MiB whole-disk filesystems (no
#            table: the boot sector's 55AA must not pass for an MBR)
# Each partition's first 16 bytes are "MARK <name>" padded with '.', so a
# test reading through the partition device proves the offset.  Cached:
# rebuilt only when this script is newer than the images.
set -eu
out=${1:-build/images}
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
stamp="$out/.mkparts.stamp"
if [ -f "$stamp" ] && [ "$stamp" -nt "$0" ]; then exit 0; fi

mark() { # img offset_sectors name
	printf '%-16s' "MARK $3" | tr ' ' '.' |
		dd of="$1" bs=512 seek="$2" conv=notrunc status=none
}

g="$out/gpt.img.tmp"
rm -f "$g"; truncate -s 16M "$g"
sgdisk -n 1:2048:+4M -t 1:EF00 -c 1:"EFI system" \
	-n 2:0:+4M -t 2:8300 -c 2:root \
	-n 3:0:+2M -t 3:FD00 -c 3:"räid-ü" \
	-n 5:0:+1M -t 5:8300 "$g" >/dev/null 2>&1
while read -r num start; do
	mark "$g" "$start" "gpt.p$num"
done < <(sgdisk -p "$g" | awk '/^ +[0-9]+ +[0-9]+/ {print $1, $2}')
mv "$g" "$out/gpt.img"

m="$out/mbr.img.tmp"
rm -f "$m"; truncate -s 16M "$m"
sfdisk -q "$m" >/dev/null <<'EOT'
label: dos
label-id: 0x12345678
start=2048, size=4096, type=83, bootable
start=8192, size=16384, type=5
start=26624, size=4096, type=c
start=10240, size=2048, type=83
start=14336, size=4096, type=fd
start=20480, size=2048, type=c
EOT
while read -r dev start; do
	mark "$m" "$start" "mbr.p${dev##*img.tmp}"
done < <(sfdisk -d "$m" | awk -F'[ ,=:]+' '/start=/ {for (i = 1; i <= NF; i++) if ($i == "start") print $1, $(i+1)}')
mv "$m" "$out/mbr.img"

for fs in fat16 fat32 ext4; do
	w="$out/w$fs.img"
	rm -f "$w"; truncate -s 16M "$w"
	case $fs in
	fat16) mkfs.vfat -F 16 "$w" >/dev/null ;;
	fat32) mkfs.vfat -F 32 "$w" >/dev/null 2>&1 ;;
	ext4) mkfs.ext4 -q -F "$w" ;;
	esac
done
touch "$stamp"
