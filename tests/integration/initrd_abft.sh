#!/bin/bash
# initrd_abft.sh - the initrd's aBFT scanner (abft_parse in src/initramfs/init
# and contrib/initramfs-tools/scripts/local-top/aoeboot) on memory images:
# a valid table after a bad-checksum one, a too-short length, a table cut
# off at the end, and 200 random 4 KiB images each holding a planted
# "aBFT" signature (nothing may be printed unless the checksum holds).
set -u
cd "$(dirname "$0")/../.."
command -v busybox >/dev/null || { echo "SKIP: initrd_abft: busybox is not installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in src/initramfs/init contrib/initramfs-tools/scripts/local-top/aoeboot; do
	name=initrd_abft_$(basename "$(dirname "$f")")
	sed -n '/^abft_parse() {/,/^}/p' "$f" >"$tmp/p.sh"
	python3 - "$tmp" <<'PY'
import os, random, struct, sys
d = sys.argv[1]
def table(shelf, slot, mac, length=46):
    t = bytearray(b'aBFT' + struct.pack('<I', length) + bytes([1, 0]) +
                  b'AOEBT ' + b'aoeboot ' + struct.pack('<I', 1) + b'AOEB' +
                  struct.pack('<I', 1) + struct.pack('<HBB', shelf, slot, 0) +
                  bytes(mac))
    t[9] = (-sum(t)) & 255
    return t
good = table(300, 7, [0x52, 0x54, 0, 0x5a, 0xb, 1])
bad = bytearray(good); bad[36] ^= 1
m = bytearray(8192); m[64:110] = bad; m[4096:4142] = good
open(d + '/valid.bin', 'wb').write(m)
m = bytearray(4096); t = table(1, 2, [1, 2, 3, 4, 5, 6]); t[4] = 20
m[0:46] = t; open(d + '/short.bin', 'wb').write(m)
m = bytearray(4096); m[4080:4096] = good[:16]; open(d + '/cut.bin', 'wb').write(m)
r = random.Random(11)
for i in range(200):
    m = bytearray(r.getrandbits(8) for _ in range(4096))
    o = r.randrange(0, 4096, 16); m[o:o + 4] = b'aBFT'
    open(d + '/rand%03d.bin' % i, 'wb').write(m)
PY
	run() { busybox sh -c ". $tmp/p.sh; od -An -v -tu1 -w16 $1 | abft_parse"; }
	out=$(run "$tmp/valid.bin")
	if [ "$out" = "300 7 52:54:00:5a:0b:01" ]; then echo "PASS: ${name}_valid"
	else echo "FAIL: ${name}_valid: got '$out'"; fi
	out=$(run "$tmp/short.bin")$(run "$tmp/cut.bin")
	if [ -z "$out" ]; then echo "PASS: ${name}_short_and_cut"
	else echo "FAIL: ${name}_short_and_cut: got '$out'"; fi
	bad=0
	for r in "$tmp"/rand*.bin; do
		out=$(run "$r")
		# whatever is printed must come from a table that sums to 0
		[ -z "$out" ] && continue
		python3 - "$r" <<'PY' || bad=$((bad + 1))
import struct, sys
m = open(sys.argv[1], 'rb').read()
for o in range(0, len(m), 16):
    if m[o:o + 4] == b'aBFT':
        n = struct.unpack('<I', m[o + 4:o + 8])[0]
        if 46 <= n <= 512 and o + n <= len(m) and sum(m[o:o + n]) % 256 == 0:
            sys.exit(0)
sys.exit(1)
PY
	done
	if [ "$bad" = 0 ]; then echo "PASS: ${name}_random (200 images)"
	else echo "FAIL: ${name}_random: $bad images gave a table that does not check"; fi
done
