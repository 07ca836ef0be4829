# tests/integration/lib.sh - the AoE tool tests' entry to the test bed
# (sourced, bash).  Everything lives in tests/testbed.sh: tb_init NAME (a
# namespace aoe-NAME-$$, scratch in /dev/shm, private copies of aoectl and
# the relay, cleanup of every PID in the EXIT trap), tb_veth, tb_vblade,
# tb_relay, tb_stop, tb_ns, tb_aoectl, tb_image, tb_sha, tb_slice_sha,
# tb_targets, tb_field, tb_timed, pass/fail/skip and tb_finish.

. "$(dirname "${BASH_SOURCE[0]}")/../testbed.sh"
