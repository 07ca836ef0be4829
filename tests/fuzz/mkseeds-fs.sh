#!/bin/bash
# mkseeds-fs.sh - (re)make the seed corpora of fuzz_ext4, fuzz_fat,
# fuzz_bls and fuzz_extlinux from small images made by the real tools.
# Images are stored in the fuzzfs.h record format: only their non-zero
# 32-byte pieces, so each seed is a few KB.  Run from the repository top;
# the output is committed.
set -eu
PATH=$PATH:/sbin:/usr/sbin
export MTOOLS_SKIP_CHECK=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
c=tests/fuzz/corpus

tosseed() { # image seed
	python3 - "$1" "$2" <<'PY'
import struct, sys
img = open(sys.argv[1], 'rb').read()
units = (len(img) + 4095) // 4096
out = bytearray(struct.pack('<H', units))
i, G = 0, 32
while i < len(img):
    if any(img[i:i + G]):
        j = i
        while j < len(img) and any(img[j:j + G]) and j - i < 60000:
            j += G
        out += struct.pack('<IH', i, j - i) + img[i:j]
        i = j
    else:
        i += G
open(sys.argv[2], 'wb').write(out)
PY
}

src=$tmp/src
mkdir -p "$src/boot/extlinux" "$src/loader/entries" "$src/d"
printf 'hi\n' >"$src/hello.txt"
head -c 5000 /dev/urandom | tr -dc 'a-z' | head -c 3000 >"$src/d/text"
printf 'LABEL l\n LINUX /boot/vmlinuz\n INITRD /boot/initrd\n APPEND ro\n' \
	>"$src/boot/extlinux/extlinux.conf"
printf 'kernel\n' >"$src/boot/vmlinuz"
printf 'initrd\n' >"$src/boot/initrd"
printf 'title t\nversion 1.2\nlinux /boot/vmlinuz\ninitrd /boot/initrd\noptions ro\n' \
	>"$src/loader/entries/a.conf"
ln -s boot/vmlinuz "$src/vmlinuz"
ln -s /d/../boot/././initrd-but-a-long-target-name-so-it-is-not-fast-xxxxxxxx "$src/slow"
ln -s loop "$src/loop"

mkdir -p "$c/fuzz_ext4" "$c/fuzz_fat" "$c/fuzz_bls" "$c/fuzz_extlinux"
mkext() { # name size-KB args...
	local n=$1 s=$2; shift 2
	truncate -s "${s}K" "$tmp/$n.img"
	mke2fs -q -F -N 32 -O ^has_journal,^resize_inode "$@" -d "$src" "$tmp/$n.img"
	tosseed "$tmp/$n.img" "$c/fuzz_ext4/$n"
}
mkext ext4 256 -t ext4 -b 1024
mkext ext2 256 -t ext2 -b 1024
mkext ext4-inline 256 -t ext4 -b 1024 -I 256 -O inline_data
mkext ext4-4k 512 -t ext4 -b 4096 -O ^metadata_csum,^64bit
mkext ext4-bigalloc 512 -t ext4 -b 1024 -C 4096 -O bigalloc,^metadata_csum
mkext ext4-metabg 512 -t ext4 -b 1024 -g 256 -O meta_bg,^metadata_csum

mkfat() { # name size-KB args...
	local n=$1 s=$2; shift 2
	truncate -s "${s}K" "$tmp/$n.img"
	mkfs.vfat -n FUZZ "$@" "$tmp/$n.img" >/dev/null
	mcopy -s -i "$tmp/$n.img" "$src"/hello.txt "$src"/d "$src"/boot "$src"/loader ::/
	tosseed "$tmp/$n.img" "$c/fuzz_fat/$n"
}
mkfat fat12 200 -F 12
mkfat fat16 2200 -F 16 -s 1
mkfat fat32 33800 -F 32 -s 1 -S 512

cp "$src/loader/entries/a.conf" "$c/fuzz_bls/simple"
printf 'title Debian\nversion 6.1.0-10-amd64\n6.1.0-9-amd64\nlinux /vmlinuz\ninitrd /a\ninitrd b\noptions root=/dev/md0 BOOTIF=x "q  q"\noptions quiet\nsort-key deb\n' \
	>"$c/fuzz_bls/full"
printf '1.0~rc1\n1.0-1.2^p3\n' >"$c/fuzz_bls/versions"
cat >"$c/fuzz_extlinux/full" <<'CONF'
MENU TITLE m
TIMEOUT 50
DEFAULT b
LABEL a
  MENU LABEL ^A entry
  KERNEL ../vmlinuz-1
  INITRD ../i1,/i2
  APPEND root=/dev/md0 ro
LABEL b
  LINUX /vmlinuz-2
  APPEND initrd=/x,y quiet
  MENU DEFAULT
LABEL c
  LOCALBOOT 0
INCLUDE other.cfg
CONF
cp "$src/boot/extlinux/extlinux.conf" "$c/fuzz_extlinux/simple"
ls -la "$c"/fuzz_ext4 "$c"/fuzz_fat
