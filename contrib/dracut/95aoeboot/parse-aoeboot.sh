#!/bin/sh
# cmdline hook: when the command line carries aoeboot's contract, queue the
# NIC + aoe bring-up for when udev has settled (the NIC drivers are loaded
# by then) and one "finished" condition per target: the target's block
# device, or the end of aoeboot.timeout (then the boot goes on degraded).
type getarg >/dev/null 2>&1 || . /lib/dracut-lib.sh

targets=$(getarg aoeboot.targets=)
ifaces=$(getarg aoeboot.iface=)
[ -n "$targets$ifaces" ] || return 0
timeout=$(getarg aoeboot.timeout=)
case $timeout in ''|*[!0-9]*) timeout=30 ;; esac
read -r now _ </proc/uptime
deadline=$(( timeout + ${now%%.*} + 30 ))
# dracut assembles md arrays only for rd.md.uuid= or rd.auto: the root's
# array is not known here, so a root on AoE asks for rd.auto (this boot).
if [ -z "$(getarg rd.md.uuid=)" ] && ! getargbool 0 rd.auto; then
	mkdir -p /etc/cmdline.d
	echo "rd.auto=1" >/etc/cmdline.d/95aoeboot.conf
	info "aoeboot: root on AoE, no rd.md.uuid=: rd.auto=1 for md assembly"
fi
/sbin/initqueue --settled --onetime --unique --name aoeboot-up /sbin/aoeboot-up
for t in $(echo "$targets" | tr ',' ' '); do
	case $t in *[!a-z0-9.]*) warn "aoeboot: bad target name $t"; continue ;; esac
	echo "[ -b /dev/etherd/$t ] || { read -r u _ </proc/uptime; [ \${u%%.*} -ge $deadline ]; }" \
		>"$hookdir/initqueue/finished/aoeboot-$t.sh"
done
