#!/bin/bash
# rom_bios.sh - aoeboot's legacy option ROM under SeaBIOS (QEMU -machine pc),
# no DHCP, no TFTP, no disk to boot from.
#
#   rom_bios_virtio   -device virtio-net-pci,romfile=build/rom/qemu-virtio.rom:
#                     SeaBIOS runs the ROM's legacy image (PCIR 1af4:1000),
#                     its BEV inflates aoeboot.pxe, the native driver boots
#                     the demo RAID1 pair e11.0/e11.1 to the real root's init
#   rom_bios_e1000    the same with e1000,romfile=build/rom/qemu-e1000.rom
#   rom_bios_sysrom   -option-rom build/rom/aoeboot-bios.rom, the NIC with no
#                     ROM (romfile=): the system ROM finds the card itself
#   rom_bios_menu     SeaBIOS's boot menu (ESC, its screen on COM1 through
#                     etc/sercon-port) lists the BEV as "aoeboot (AoE)"
#   rom_bios_next     no AoE target at all: aoeboot gives up with INT 18h and
#                     SeaBIOS boots its next device (a disk whose MBR prints
#                     a marker)
#
# Asserted on the serial console: aoeboot's banner naming the option ROM,
# the native driver's line with QEMU's MAC, BOOTIF= of that MAC on the
# kernel's command line, the root's AOEBOOT-DEMO-ROOT-INIT; for the last
# case aoeboot's "returning to the BIOS" and then the next disk's marker.
set -u
cd "$(dirname "$0")/.."
. test-vm/lib.sh
PATH=$PATH:/sbin:/usr/sbin

if ! make --no-print-directory -s bios initramfs mkrom bios-rom >/dev/null ||
   ! make --no-print-directory -s rom BOARD=qemu-virtio >/dev/null ||
   ! make --no-print-directory -s rom BOARD=qemu-e1000 >/dev/null ||
   ! scripts/mkdemo >/dev/null; then
	fail rom_bios_build "make bios-rom, make rom or scripts/mkdemo failed"
	exit 1
fi

# rom_case NAME MAC QEMU-ARGS...: boot the demo pair through a ROM.
rom_case() {
	local name=$1 mac=$2 log bootif
	shift 2
	vm_init "$name"
	vm_tap tap0
	cp build/demo/a.img build/demo/b.img "$VM_TMP/"
	vm_vblade 11 0 tap0 "$VM_TMP/a.img"
	vm_vblade 11 1 tap0 "$VM_TMP/b.img"
	log=$VM_TMP/console.log
	vm_qemu "$log" -machine pc \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no "$@"
	bootif="BOOTIF=01-${mac//:/-}"
	if ! vm_wait "$log" '^AOEBOOT-DEMO-ROOT-INIT' 900; then
		fail "$name" "the real root's init did not run within 900 s; console tail:"
		vm_log_tail "$log" 30
	elif ! tr -d '\r' <"$log" | grep -q '^aoeboot .*(BIOS, option ROM)'; then
		fail "$name" "aoeboot's banner does not name the option ROM"
		vm_log_tail "$log" 30
	elif ! tr -d '\r' <"$log" | grep -qE "^(virtio-net|e1000)@[0-9a-f:.]*: $mac, MTU 1500$"; then
		fail "$name" "no native driver line for $mac"
		vm_log_tail "$log" 30
	elif ! tr -d '\r' <"$log" | grep -q "Command line: .*$bootif"; then
		fail "$name" "the kernel's command line lacks $bootif"
		vm_log_tail "$log" 30
	else
		pass "$name"
	fi
	vm_cleanup
}

# The next boot device: a disk whose MBR writes a marker to COM1.
next_disk() {
	cat >"$1.asm" <<'ASM'
bits 16
org 0x7C00
	xor	ax, ax
	mov	ds, ax
	mov	si, msg
.l:	lodsb
	test	al, al
	jz	.h
	mov	dx, 0x3FD
.w:	in	al, dx
	test	al, 0x20
	jz	.w
	mov	al, [si - 1]
	mov	dx, 0x3F8
	out	dx, al
	jmp	.l
.h:	hlt
	jmp	.h
msg:	db 13, 10, 'NEXT-BOOT-DEVICE-RAN', 13, 10, 0
	times 510 - ($ - $$) db 0
	dw	0xAA55
ASM
	nasm -f bin -o "$1" "$1.asm"
}

rom_next() {
	local name=rom_bios_next mac=52:54:00:0c:02:04 log
	vm_init "$name"
	vm_tap tap0
	log=$VM_TMP/console.log
	next_disk "$VM_TMP/next.img"
	vm_qemu "$log" -machine pc \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
		-device "virtio-net-pci,netdev=n0,mac=$mac,romfile=build/rom/qemu-virtio.rom,bootindex=1" \
		-drive "if=none,id=d0,format=raw,file=$VM_TMP/next.img" \
		-device ide-hd,drive=d0,bootindex=2
	if ! vm_wait "$log" 'NEXT-BOOT-DEVICE-RAN' 900; then
		fail "$name" "the next boot device did not run within 900 s; console tail:"
		vm_log_tail "$log" 30
	elif ! tr -d '\r' <"$log" | grep -q 'nothing booted.*returning to the BIOS'; then
		fail "$name" "aoeboot did not say it returns to the BIOS"
		vm_log_tail "$log" 30
	else
		pass "$name"
	fi
	vm_cleanup
}

rom_menu() {
	local name=rom_bios_menu log
	vm_init "$name"
	vm_tap tap0
	log=$VM_TMP/console.log
	printf '\xf8\x03' >"$VM_TMP/sercon-port"	# 0x3f8, COM1
	vm_qemu "$log" -machine pc -boot menu=on,splash-time=60000 \
		-fw_cfg "name=etc/sercon-port,file=$VM_TMP/sercon-port" \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
		-device "e1000,netdev=n0,mac=52:54:00:0c:02:05,romfile=build/rom/qemu-e1000.rom"
	if ! vm_wait "$log" 'Press ESC for boot menu' 300; then
		fail "$name" "SeaBIOS did not offer its boot menu; console tail:"
		vm_log_tail "$log" 20
	else
		printf '\033' >&"$TB_FIFO_FD"
		if vm_wait "$log" '[0-9]\. aoeboot \(AoE\)' 300; then
			pass "$name"
		else
			fail "$name" "the boot menu does not list 'aoeboot (AoE)'; console tail:"
			vm_log_tail "$log" 20
		fi
	fi
	vm_cleanup
}

case_on() { [ -z "${ROM_BIOS_CASES:-}" ] || [[ " $ROM_BIOS_CASES " == *" $1 "* ]]; }

case_on virtio && rom_case rom_bios_virtio 52:54:00:0c:02:01 \
	-device virtio-net-pci,netdev=n0,mac=52:54:00:0c:02:01,romfile=build/rom/qemu-virtio.rom
case_on e1000 && rom_case rom_bios_e1000 52:54:00:0c:02:02 \
	-device e1000,netdev=n0,mac=52:54:00:0c:02:02,romfile=build/rom/qemu-e1000.rom
case_on sysrom && rom_case rom_bios_sysrom 52:54:00:0c:02:03 \
	-option-rom build/rom/aoeboot-bios.rom \
	-device virtio-net-pci,netdev=n0,mac=52:54:00:0c:02:03,romfile=
case_on menu && rom_menu
case_on next && rom_next
exit 0
