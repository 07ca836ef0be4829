#!/bin/bash
# initrd_rescue.sh - failures are friendly, and the shells work:
#   rescue        no target answers: the console names the missing targets and
#                 root, shows /proc/mdstat and /dev/etherd, and a shell on the
#                 serial console runs what we type
#   shell-option  aoeboot.shell stops before switch_root with root on
#                 /newroot; leaving the shell boots on
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/initrd_common.sh"
vm_init initrd-resc
vm_tap tap0
if ! initrd_prepare >"$VM_TMP/prepare.log" 2>&1; then
	fail initrd-prepare "cannot build kernel/initramfs/images: $(tail -n 5 "$VM_TMP/prepare.log" | tr '\n' ' ')"
	exit 1
fi

# check NAME LOG REGEX...: every REGEX is on the console, else FAIL.
check() {
	local name=$1 log=$2 re
	shift 2
	for re in "$@"; do
		if ! tr -d '\r' <"$log" | grep -Eq -- "$re"; then
			fail "$name" "console lacks /$re/"
			vm_log_tail "$log" 30
			return 1
		fi
	done
}

# 1. Nothing answers: a rescue shell, with the facts on the console.
name=initrd-rescue-shell
log=$VM_TMP/rescue.console
initrd_boot "$log" "root=/dev/md0 aoeboot.targets=e11.0,e11.1 aoeboot.timeout=3"
if ! vm_wait "$log" 'aoeboot: starting a shell' 120; then
	fail $name "no rescue shell"
	vm_log_tail "$log" 30
else
	sleep 2
	vm_send 'echo RESCUE-$((6 * 7))'
	if vm_wait "$log" '^RESCUE-42$' 30 &&
		check $name "$log" 'target\(s\) e11\.0 e11\.1 did not answer' \
			'aoeboot: root device /dev/md0 not found' '^ls /dev/etherd/:' \
			'^/proc/mdstat:' 'Personalities'; then
		pass $name
	else
		fail $name "the shell did not run our command"
		vm_log_tail "$log" 30
	fi
fi
vm_kill "$VM_QEMU_PID"

# 2. aoeboot.shell: a shell before switch_root, then the boot goes on.
name=initrd-aoeboot-shell
initrd_disks d11a d11b
vm_vblade 11 0 tap0 "$VM_TMP/d11a"
vm_vblade 11 1 tap0 "$VM_TMP/d11b"
log=$VM_TMP/shell.console
initrd_boot "$log" "root=/dev/md0 aoeboot.targets=e11.0,e11.1 aoeboot.shell"
if ! vm_wait "$log" 'aoeboot: starting a shell' 120; then
	fail $name "no shell before switch_root"
	vm_log_tail "$log" 30
else
	sleep 2
	vm_send 'echo SHELL-$(cat /newroot/etc/rootname)'
	if ! vm_wait "$log" '^SHELL-md0$' 30; then
		fail $name "the shell did not show /newroot"
		vm_log_tail "$log" 30
	else
		vm_send 'exit'
		if vm_wait "$log" '^AOEBOOT-ROOT-DONE' 60 &&
			check $name "$log" 'aoeboot.shell: root is mounted on /newroot' \
				'^AOEBOOT-ROOT-INIT md0 '; then
			pass $name
		else
			fail $name "the boot did not go on after the shell"
			vm_log_tail "$log" 30
		fi
	fi
fi
vm_wait_exit 30 || true
