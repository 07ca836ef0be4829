#!/bin/bash
# mkrom_cbfs.sh - build/rom/aoeboot-bios.rom in a coreboot CBFS image.
#
# coreboot's SeaBIOS runs every genroms/*.rom it finds in CBFS.  With
# Debian's cbfstool (coreboot-utils): create an x86 CBFS image, add the
# system ROM as genroms/aoeboot.rom (type raw), check that `cbfstool print`
# lists it with its size, and that `cbfstool extract` gives back the same
# bytes (sha256).  Also checks the ROM itself with mkrom --info: one legacy
# image, checksum ok, PCIR ffff:ffff (no card in particular), last image.
set -u
cd "$(dirname "$0")/../.."
. tests/testbed.sh
PATH=$PATH:/sbin:/usr/sbin

if ! command -v cbfstool >/dev/null; then
	skip mkrom_cbfs "cbfstool not installed (Debian coreboot-utils)"
	exit 0
fi
make --no-print-directory -s bios-rom >/dev/null ||
	{ fail mkrom_cbfs_make "make bios-rom failed"; exit 1; }
rom=build/rom/aoeboot-bios.rom
tmp=$(mktemp -d /tmp/aoeboot-cbfs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

out=$(build/mkrom --info "$rom")
size=$(stat -c %s "$rom")
if grep -qF "image 0: offset 0x000000, size $size, code type 0 (x86 legacy), vendor:device ffff:ffff, class 020000, last 1" <<<"$out" &&
   grep -qF "legacy: init size $size, checksum ok" <<<"$out" &&
   ! grep -q '^image 1' <<<"$out"; then
	pass mkrom_cbfs_info
else
	fail mkrom_cbfs_info "mkrom --info does not show one checksummed legacy image:"
	sed 's/^/    | /' <<<"$out"
fi

if ! cbfstool "$tmp/coreboot.rom" create -m x86 -s 1M >"$tmp/log" 2>&1 ||
   ! cbfstool "$tmp/coreboot.rom" add -f "$rom" -n genroms/aoeboot.rom \
	-t raw >>"$tmp/log" 2>&1; then
	fail mkrom_cbfs_add "cbfstool create/add failed:"
	sed 's/^/    | /' "$tmp/log"
	exit 0
fi
listing=$(cbfstool "$tmp/coreboot.rom" print 2>&1)
if grep -qE "^genroms/aoeboot\.rom +0x[0-9a-f]+ +raw +$size( |$)" <<<"$listing"; then
	pass mkrom_cbfs_print
else
	fail mkrom_cbfs_print "cbfstool print does not list genroms/aoeboot.rom raw $size:"
	sed 's/^/    | /' <<<"$listing"
fi
if cbfstool "$tmp/coreboot.rom" extract -n genroms/aoeboot.rom \
	-f "$tmp/out.rom" >"$tmp/log" 2>&1 &&
   [ "$(sha256sum <"$tmp/out.rom")" = "$(sha256sum <"$rom")" ]; then
	pass mkrom_cbfs_extract
else
	fail mkrom_cbfs_extract "the extracted genroms/aoeboot.rom differs from $rom"
	sed 's/^/    | /' "$tmp/log"
fi
