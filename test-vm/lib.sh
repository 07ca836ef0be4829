# test-vm/lib.sh - the VM tests' older names for tests/testbed.sh (sourced).
# New tests call the tb_* functions directly; these aliases stay so that
# tests written against the vm_* names keep working.
#
#   vm_init NAME            tb_vm_init: $VM_NS, $VM_TMP, cleanup trap
#   vm_tap TAP              tb_tap        vm_veth A B       tb_veth
#   vm_nic_args TAP [MODEL] [MAC]   tb_nic_dev MODEL TAP MAC (QEMU's ROM)
#   vm_vblade SHELF SLOT IF FILE [OPTS]   tb_vblade
#   vm_bg CMD...            tb_bg         vm_kill PID       tb_stop
#   vm_qemu LOG ARGS...     tb_qemu       vm_send TEXT      tb_send
#   vm_wait LOG RE SEC      tb_wait       vm_wait_exit SEC  tb_wait_exit
#   vm_log_tail LOG [N]     tb_log_tail   pass/fail/skip    the result lines
# The variables VM_NS, VM_TMP, VM_PIDS, VM_QEMU_PID, VM_LAST_PID and
# VM_FIFO_FD are names for TB_NS, TB_DIR, TB_PIDS, TB_QEMU_PID, ... .

. "$(dirname "${BASH_SOURCE[0]}")/../tests/testbed.sh"

VM_ROOT=$TB_ROOT
declare -gn VM_NS=TB_NS VM_TMP=TB_DIR VM_PIDS=TB_PIDS VM_QEMU_PID=TB_QEMU_PID \
	VM_LAST_PID=TB_LAST_PID VM_FIFO_FD=TB_FIFO_FD

vm_init() { tb_vm_init "$1"; }
vm_cleanup() { tb_cleanup; }
vm_tap() { tb_tap "$1"; }
vm_veth() { tb_veth "$1" "$2"; }
vm_nic_args() { tb_nic_dev "${2:-virtio-net-pci}" "$1" "${3:-}"; }
vm_vblade() { tb_vblade "$@"; }
vm_bg() { tb_bg "$@"; }
vm_kill() { tb_stop "$1"; }
vm_qemu() { tb_qemu "$@"; }
vm_send() { tb_send "$1"; }
vm_wait() { tb_wait "$@"; }
vm_wait_exit() { tb_wait_exit "$1"; }
vm_log_tail() { tb_log_tail "$@"; }
