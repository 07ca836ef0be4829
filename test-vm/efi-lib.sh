# test-vm/efi-lib.sh - UEFI helpers for the VM tests, on tests/testbed.sh.
#
# The test bed library gives the namespace, tap, vblade and QEMU plumbing
# (tb_qemu_uefi holds the one OVMF command line); this keeps the efi_* names
# the UEFI tests use, and adds a tiny initrd that reports back and the
# kernel/firmware preparation.  Sourced; not a test.
#
#   efi_init NAME             tb_vm_init efiNAME: $EFI_TMP, $EFI_NS, trap
#   efi_tap                   tap0 in the namespace, up
#   efi_vblade SHELF SLOT FILE   serve FILE on tap0 (padded to 512 bytes)
#   efi_esp IMAGE             $EFI_TMP/esp with \EFI\BOOT\BOOTX64.EFI
#   efi_qemu NIC LOG [ARGS]   boot OVMF (q35) with the ESP $EFI_TMP/esp in
#                             the background: NIC is virtio (OVMF's
#                             VirtioNetDxe), e1000 (iPXE's efi-e1000.rom SNP)
#                             or e1000-norom (no SNP), see tb_nic_dev
#   efi_keys TEXT             tb_keys: TEXT on the console as is
#   efi_wait LOG REGEX SEC    tb_wait
#   efi_console LOG           tb_console: no CRs and ANSI sequences
#   efi_initrd OUT            tiny busybox initrd whose /init prints
#                             EFITEST-INIT, EFITEST-CMDLINE: ... and powers off
#   efi_prepare NAME [ARGS]   kernel in $kernel, `make efi ARGS`
#   efi_fat_disk SRC OUT      48 MiB FAT32 disk image of SRC's files
#   efi_cleanup               tb_cleanup (EFI_KEEP=1 keeps the temp dir)
#   pass/fail/skip NAME [WHY] result lines; fail sets EFI_FAILED (TB_FAILED)
#
# EFI_PIDS, EFI_QEMU_PID, EFI_NS, EFI_TMP, EFI_FAILED are names for TB_PIDS,
# TB_QEMU_PID, TB_NS, TB_DIR, TB_FAILED: a process a test starts itself
# goes into EFI_PIDS and is stopped by PID at cleanup.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

declare -gn EFI_PIDS=TB_PIDS EFI_NS=TB_NS EFI_TMP=TB_DIR \
	EFI_QEMU_PID=TB_QEMU_PID EFI_FAILED=TB_FAILED
EFI_ROOT=$TB_ROOT
EFI_BUILD=$TB_BUILD

efi_cleanup() { tb_cleanup; }
efi_init() { tb_vm_init "efi$1"; }
efi_tap() { tb_tap tap0; }
efi_vblade() { tb_vblade "$1" "$2" tap0 "$3"; }
efi_keys() { tb_keys "$1"; }
efi_wait() { tb_wait "$@"; }
efi_console() { tb_console "$1"; }

efi_esp() {
	mkdir -p "$EFI_TMP/esp/EFI/BOOT"
	cp "$1" "$EFI_TMP/esp/EFI/BOOT/BOOTX64.EFI"
}

efi_qemu() {
	local nic=$1 log=$2 dev
	shift 2
	case $nic in
	virtio | e1000 | e1000-norom) dev=$(tb_nic_dev "$nic" tap0) ;;
	*) echo "efi_qemu: unknown NIC $nic" >&2; return 1 ;;
	esac
	tb_qemu_uefi "$log" "$dev" "$EFI_TMP/esp" "$@"
}

efi_initrd() { tb_report_initrd "$1" EFITEST; }

# efi_prepare NAME [MAKE-ARGS...]: Debian's kernel in $kernel and the
# firmware built (`make efi MAKE-ARGS`); on failure a FAIL line for NAME
# and exit.  Also lets mtools work on images and finds mkfs in /sbin.
efi_prepare() {
	local name=$1
	shift
	kernel=$EFI_BUILD/vmlinuz
	[ -s "$kernel" ] || scripts/fetch-kernel --quiet >/dev/null 2>&1 || true
	if ! make --no-print-directory -s efi "$@" >/dev/null; then
		fail "$name" "make efi $* failed"
		exit 1
	fi
	[ -s "$kernel" ] || { fail "$name" "no kernel at $kernel"; exit 1; }
	export MTOOLS_SKIP_CHECK=1
	PATH=$PATH:/sbin:/usr/sbin
}

# efi_fat_disk SRC OUT: a 48 MiB whole-disk FAT32 image holding SRC's files.
efi_fat_disk() {
	truncate -s 48M "$2"
	mkfs.vfat -F 32 -n AOEBOOT "$2" >/dev/null
	mcopy -s -i "$2" "$1"/* ::/
}
