#!/bin/bash
# mkfs-ext.sh OUTDIR - build ext2/3/4 test images with the real e2fsprogs.
#
# One source tree (OUTDIR/ext-src) is copied into images with different
# feature sets by `mke2fs -d`; test_ext4 reads every file back through the
# VFS and compares it byte for byte with the tree.  Also made: a file with
# a deep extent tree (fragmented free space, written by debugfs), a 5 GiB
# sparse file, a 2000-entry directory indexed by `e2fsck -D` (htree), fast
# and slow symlinks, symlink loops.  Each image lists its mke2fs options in
# OUTDIR/ext-images.txt ("name fstype options...").
set -eu
out=$1/fs
mkdir -p "$out"
src=$out/ext-src
PATH=$PATH:/sbin:/usr/sbin

rm -rf "$src"
mkdir -p "$src"/boot "$src"/dir/sub/deep "$src"/links "$src"/big/many "$src"/MixedCase
printf 'hello world\n' >"$src"/hello.txt
: >"$src"/empty
head -c 300000 /dev/urandom >"$src"/boot/vmlinuz-6.1.0-10-amd64
head -c 1500000 /dev/urandom >"$src"/boot/initrd.img-6.1.0-10-amd64
head -c 70001 /dev/urandom >"$src"/dir/sub/deep/file.bin
head -c 3000000 /dev/urandom >"$src"/dir/three-megs.bin
head -c 59 /dev/urandom | base64 -w0 | head -c 59 >"$src"/dir/small59.txt
head -c 100 /dev/urandom | base64 -w0 >"$src"/dir/small136.txt
printf 'Mixed\n' >"$src"/MixedCase/ReadMe.TXT
# a directory too big for i_block alone: inline_data spills into system.data
mkdir -p "$src"/inl
for n in alpha bravo charlie delta echo foxtrot; do printf '%s\n' $n >"$src/inl/$n"; done
ln -s boot/vmlinuz-6.1.0-10-amd64 "$src"/vmlinuz
ln -s /boot/initrd.img-6.1.0-10-amd64 "$src"/initrd.img
ln -s ../dir/sub/deep/../../sub/./deep/../deep/../../sub/deep/file.bin "$src"/links/slow
ln -s ../hello.txt "$src"/links/fast
ln -s loop2 "$src"/links/loop1
ln -s loop1 "$src"/links/loop2
ln -s self "$src"/links/self
ln -s .. "$src"/links/dotdot
ln -s /dir/sub "$src"/links/absdir
ln -s nowhere "$src"/links/dangling
# a chain of 41 links: c00 -> c01 -> ... -> c40 -> ../hello.txt
mkdir -p "$src"/links/chain
for i in $(seq 0 39); do ln -s "$(printf 'c%02d' $((i + 1)))" "$src/links/chain/$(printf 'c%02d' "$i")"; done
ln -s ../../hello.txt "$src"/links/chain/c40
for i in $(seq -w 0 1999); do printf 'file %s\n' "$i" >"$src"/big/many/f$i; done
# 5 GiB sparse file: data at 0, at 1 GiB - 100 and past 4 GiB.
truncate -s $((5 * 1024 * 1024 * 1024)) "$src"/sparse.bin
printf 'start of sparse\n' | dd of="$src"/sparse.bin conv=notrunc status=none
head -c 5000 /dev/urandom | dd of="$src"/sparse.bin bs=1 seek=$((1024 * 1024 * 1024 - 100)) conv=notrunc status=none
head -c 9000 /dev/urandom | dd of="$src"/sparse.bin bs=1 seek=$((4 * 1024 * 1024 * 1024 + 1000)) conv=notrunc status=none

# A smaller tree without the 2000 files and the sparse file, for 64 KiB
# blocks, inline data (mke2fs 1.47 truncates the sparse file there) and the
# corruption tests.
rm -rf "$out/ext-src-small"
mkdir -p "$out/ext-src-small"
(cd "$src" && tar -cf - --exclude=./big --exclude=./sparse.bin .) |
	(cd "$out/ext-src-small" && tar -xf -)

list=$out/ext-images.txt
: >"$list"
mk() { # name size-MB mke2fs-args...   (SRC= overrides the tree)
	local name=$1 size=$2; shift 2
	local tree=${SRC:-$src}
	rm -f "$out/$name.img"
	truncate -s "${size}M" "$out/$name.img"
	mke2fs -q -F -E root_owner=0:0 -L "$name" -U 2b7e1516-28ae-d2a6-abf7-158809cf4f3c \
		-d "$tree" "$@" "$out/$name.img"
	# rebuild directories as htrees where dir_index is on
	e2fsck -fyD "$out/$name.img" >/dev/null 2>&1 || [ $? -le 1 ]
	echo "$name ${tree##*/} $*" >>"$list"
}
mk ext2-1k 24 -t ext2 -b 1024
mk ext3-4k 24 -t ext3 -b 4096
mk ext4-default 24 -t ext4
mk ext4-noextent 24 -t ext4 -O ^extent,^64bit,^flex_bg,^metadata_csum
mk ext4-nocsum 24 -t ext4 -O ^metadata_csum,^64bit
mk ext4-1k 24 -t ext4 -b 1024
SRC=$out/ext-src-small mk ext4-inline 16 -t ext4 -O inline_data -I 512
SRC=$out/ext-src-small mk ext4-small 16 -t ext4
SRC=$out/ext-src-small mk ext4-64k 40 -t ext4 -b 65536 2>/dev/null
mk ext4-noflex 24 -t ext4 -O ^flex_bg,^dir_index
SRC=$out/ext-src-small mk ext4-bigalloc 32 -t ext4 -b 1024 -O bigalloc -C 16384
mk ext4-metabg 48 -t ext4 -b 1024 -g 1024 -N 3000 -O meta_bg,^resize_inode

# Deep extent tree: a 1K-block fs, free space fragmented by writing many
# 1-block files and deleting every other one, then one file written into
# the holes (400+ extents: depth 2 with 1K blocks).
frag=$out/ext4-frag.img
rm -f "$frag"
truncate -s 8M "$frag"
mke2fs -q -F -t ext4 -b 1024 -O ^resize_inode -N 2048 -L frag "$frag"
head -c 1024 /dev/urandom >"$out/one.blk"
head -c $((700 * 1024 + 77)) /dev/urandom >"$out/frag-src.bin"
{
	for i in $(seq 1 1500); do echo "write $out/one.blk s$i"; done
	for i in $(seq 1 2 1500); do echo "rm s$i"; done
	echo "write $out/frag-src.bin fragmented.bin"
} >"$out/frag.cmds"
debugfs -w -f "$out/frag.cmds" "$frag" >/dev/null 2>&1
rm -f "$out/one.blk" "$out/frag.cmds"

# Unwritten extents, on a fresh fs so they sit right after the written one
# (a read must not merge them): 8 KiB of data, then blocks 8-59 fallocated
# and filled with 0xAA underneath: they must still read as zeros.
pre=$out/ext4-prealloc.img
rm -f "$pre"
truncate -s 4M "$pre"
mke2fs -q -F -t ext4 -b 1024 -L prealloc "$pre"
head -c 8192 /dev/urandom >"$out/prealloc-head.bin"
debugfs -w -f - "$pre" >/dev/null 2>&1 <<CMDS
write $out/prealloc-head.bin prealloc.bin
fallocate prealloc.bin 8 59
sif prealloc.bin size 61440
CMDS
pb=$(debugfs -R "bmap prealloc.bin 8" "$pre" 2>/dev/null | awk '{print $1}')
head -c $((52 * 1024)) /dev/zero | tr '\0' '\252' |
	dd of="$pre" bs=1024 seek="$pb" conv=notrunc status=none
