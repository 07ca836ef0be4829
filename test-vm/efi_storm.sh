#!/bin/bash
# efi_storm.sh - a small boot storm: four UEFI machines power on at the
# same moment and boot aoeboot.efi from one pair of AoE targets (the demo
# RAID1, one vblade per member on one bridge); every one must reach the
# real root's init, each with its own MAC in BOOTIF=.  The root is mounted
# read-only (the demo entry's `ro`), so four machines share it safely.
# Figures (power-on to the root's init, per machine) in the PASS line.
set -u
cd "$(dirname "$0")/.."
. test-vm/efi-lib.sh

STORM_VMS=${STORM_VMS:-4}
name=efi_storm

if ! make --no-print-directory -s efi initramfs >/dev/null 2>&1 ||
   ! scripts/mkdemo >/dev/null 2>&1; then
	fail $name "make efi initramfs / scripts/mkdemo failed"
	exit 1
fi
efi_init storm || { fail $name "cannot create namespace"; exit 1; }
taps=()
for ((i = 0; i < STORM_VMS; i++)); do taps+=("tap$i"); done
tb_lan br0 "" "${taps[@]}" || { fail $name "cannot build the bridge"; exit 1; }
cp "$EFI_BUILD/demo/a.img" "$EFI_BUILD/demo/b.img" "$EFI_TMP/"
tb_vblade 11 0 br0 "$EFI_TMP/a.img"
tb_vblade 11 1 br0 "$EFI_TMP/b.img"

start=$SECONDS
for ((i = 0; i < STORM_VMS; i++)); do
	mkdir -p "$EFI_TMP/esp$i/EFI/BOOT"
	cp "$EFI_BUILD/efi/aoeboot.efi" "$EFI_TMP/esp$i/EFI/BOOT/BOOTX64.EFI"
	tb_ovmf_args "$EFI_TMP/vars$i.fd" || { fail $name "no OVMF"; exit 1; }
	# shellcheck disable=SC2046
	tb_qemu "$EFI_TMP/console$i.log" -machine q35 "${TB_OVMF_ARGS[@]}" \
		-drive "format=raw,file=fat:rw:$EFI_TMP/esp$i" \
		$(tb_nic_dev virtio "tap$i" "52:54:00:5e:00:0$i")
done

# Watch all consoles at once, so each machine's time is its own.
done_at=()
ndone=0
deadline=$((SECONDS + 900))
while [ $ndone -lt "$STORM_VMS" ] && [ $SECONDS -lt $deadline ]; do
	for ((i = 0; i < STORM_VMS; i++)); do
		[ -z "${done_at[$i]:-}" ] || continue
		if grep -aq 'AOEBOOT-DEMO-ROOT-INIT' "$EFI_TMP/console$i.log"; then
			done_at[$i]=$((SECONDS - start))
			ndone=$((ndone + 1))
		fi
	done
	sleep 1
done
ok=0 times=()
for ((i = 0; i < STORM_VMS; i++)); do
	log=$EFI_TMP/console$i.log
	mac=52-54-00-5e-00-0$i
	if [ -z "${done_at[$i]:-}" ]; then
		fail "${name}_vm$i" "the real root's init never ran; console tail:"
		efi_console "$log" | tail -n 20 | sed 's/^/    | /'
		continue
	fi
	times+=("vm$i ${done_at[$i]} s")
	if ! efi_console "$log" | grep -q "Command line: .*BOOTIF=01-$mac"; then
		fail "${name}_vm$i" "the kernel's command line lacks BOOTIF=01-$mac"
		continue
	fi
	ok=$((ok + 1))
done
if [ "$ok" = "$STORM_VMS" ]; then
	pass $name "$STORM_VMS machines at once, all on the real root; power-on to the root's init: ${times[*]}"
fi
exit "$EFI_FAILED"
