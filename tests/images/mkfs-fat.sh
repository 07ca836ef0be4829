#!/bin/bash
# mkfs-fat.sh OUTDIR - build FAT12/16/32 test images (one with 2 KiB
# logical sectors) with mkfs.vfat and
# mtools.  The tree OUTDIR/fs/fat-src (long names, mixed case, nested
# directories, a 300-entry directory, files of many sizes) is copied in by
# mcopy; in the FAT16 image free space is fragmented first (many small
# files, every other one deleted) so frag.bin's chain jumps around.
# test_fat compares every file read through the VFS with the tree.
set -eu
out=$1/fs
mkdir -p "$out"
PATH=$PATH:/sbin:/usr/sbin
export MTOOLS_SKIP_CHECK=1 LC_ALL=C.UTF-8
src=$out/fat-src
rm -rf "$src"
mkdir -p "$src/EFI/BOOT" "$src/dir/Sub Dir" "$src/many" "$src/loader/entries"
printf 'hello world\n' >"$src/hello.txt"
: >"$src/empty"
printf 'mixed\n' >"$src/MixedCase.TXT"
printf 'upper\n' >"$src/UPPER.TXT"
printf 'lower\n' >"$src/lower.txt"
printf 'spaces\n' >"$src/Long File Name With Spaces.txt"
printf 'umlaut\n' >"$src/Grüße aus Köln.txt"
printf 'x\n' >"$src/a.b.c.dat"
head -c 100000 /dev/urandom >"$src/EFI/BOOT/BOOTX64.EFI"
head -c 70001 /dev/urandom >"$src/dir/Sub Dir/deep file.bin"
head -c 2000000 /dev/urandom >"$src/big.bin"
head -c 4097 /dev/urandom >"$src/dir/odd-size.bin"
for i in $(seq -w 1 300); do printf 'entry %s\n' "$i" >"$src/many/Entry Number $i.txt"; done

list=$out/fat-images.txt
: >"$list"
mk() { # name size-MB mkfs.vfat-args...
	local name=$1 size=$2; shift 2
	local img=$out/$name.img
	rm -f "$img"
	truncate -s "${size}M" "$img"
	mkfs.vfat -n "${name^^}" -i 1234ABCD "$@" "$img" >/dev/null
	echo "$img"
}
img=$(mk fat12 4 -F 12)
mcopy -s -i "$img" "$src"/* ::/
echo "fat12 fat-src" >>"$list"
img=$(mk fat16-2k 16 -F 16 -S 2048 -s 1)
mcopy -s -i "$img" "$src"/* ::/
echo "fat16-2k fat-src" >>"$list"
img=$(mk fat32 40 -F 32 -s 1)
mcopy -s -i "$img" "$src"/* ::/
echo "fat32 fat-src" >>"$list"

# FAT16 with fragmented free space; the host tree gets the same result.
fsrc=$out/fat-src-frag
rm -rf "$fsrc"
cp -a "$src" "$fsrc"
mkdir -p "$fsrc/frag"
img=$(mk fat16 24 -F 16 -s 4)
mcopy -s -i "$img" "$fsrc"/* ::/
printf 'small\n' >"$out/small.txt"
for i in $(seq 1 120); do mcopy -i "$img" "$out/small.txt" "::/frag/s$i"; done
for i in $(seq 1 2 120); do mdel -i "$img" "::/frag/s$i"; done
for i in $(seq 2 2 120); do cp "$out/small.txt" "$fsrc/frag/s$i"; done
head -c 300001 /dev/urandom >"$fsrc/frag.bin"
mcopy -i "$img" "$fsrc/frag.bin" ::/frag.bin
rm -f "$out/small.txt"
echo "fat16 fat-src-frag" >>"$list"
