#!/bin/sh
# aoeboot-up: run once from dracut's initqueue after udev settled: bring up
# the AoE NIC(s) (aoeboot.iface=, else the BOOTIF= NIC, else every Ethernet
# NIC), optionally an 802.1Q VLAN on them, load aoe there and ask the
# targets to answer.  Then report which of aoeboot.targets= answered.
type getarg >/dev/null 2>&1 || . /lib/dracut-lib.sh

bootif=$(getarg BOOTIF=)
ifaces=$(getarg aoeboot.iface=)
targets=$(getarg aoeboot.targets= | tr ',' ' ')
vlan=$(getarg aoeboot.vlan=)
case $vlan in
'') ;;
*[!0-9]*|0*|?????*) warn "aoeboot: bad aoeboot.vlan=$vlan (a VLAN id, 1..4094), ignored"; vlan="" ;;
*) [ "$vlan" -le 4094 ] || { warn "aoeboot: bad aoeboot.vlan=$vlan (a VLAN id, 1..4094), ignored"; vlan=""; } ;;
esac
bootmac=""
[ -n "$bootif" ] && bootmac=$(echo "${bootif#01-}" | tr 'A-F-' 'a-f:')

nic_by_mac() {
	for n in /sys/class/net/*; do
		[ "$(cat "$n/address" 2>/dev/null)" = "$1" ] && { echo "${n##*/}"; return 0; }
	done
	return 1
}
nics=""
if [ -n "$ifaces" ]; then
	for i in $(echo "$ifaces" | tr ',' ' '); do
		case $i in
		*:*) nics="$nics $(nic_by_mac "$(echo "$i" | tr A-F a-f)")" ;;
		*) [ -e "/sys/class/net/$i" ] && nics="$nics $i" ;;
		esac
	done
elif [ -n "$bootmac" ]; then
	nics=$(nic_by_mac "$bootmac")
fi
if [ -z "$(echo $nics)" ]; then
	for n in /sys/class/net/*; do
		[ -e "$n/device" ] && [ "$(cat "$n/type")" = 1 ] && nics="$nics ${n##*/}"
	done
fi
nics=$(echo $nics)
[ -n "$nics" ] || { warn "aoeboot: no network interface for AoE"; exit 1; }

# up NIC: with ip when the image has it, else through sysfs (IFF_UP).
up() {
	if command -v ip >/dev/null; then
		ip link set dev "$1" up
	else
		printf '0x%x\n' $(( $(cat "/sys/class/net/$1/flags") | 1 )) \
			>"/sys/class/net/$1/flags"
	fi
}
aoe_ifs=""
for n in $nics; do
	up "$n"
	if [ -n "$vlan" ] && command -v ip >/dev/null; then
		modprobe -q 8021q
		ip link add link "$n" name "$n.$vlan" type vlan id "$vlan" && up "$n.$vlan"
		aoe_ifs="$aoe_ifs $n.$vlan"
	else
		[ -n "$vlan" ] && warn "aoeboot: aoeboot.vlan= needs ip in the initrd"
		aoe_ifs="$aoe_ifs $n"
	fi
done
aoe_ifs=$(echo $aoe_ifs)
info "aoeboot: AoE on $aoe_ifs"
modprobe aoe aoe_iflist="$aoe_ifs" || { warn "aoeboot: cannot load the aoe driver"; exit 1; }
i=0
while [ $i -lt 100 ]; do
	miss=""
	for t in $targets; do [ -b "/dev/etherd/$t" ] || miss="$miss $t"; done
	[ -z "$miss" ] && break
	[ $((i % 10)) = 0 ] && echo >/dev/etherd/discover 2>/dev/null
	sleep 0.1
	i=$((i + 1))
done
if [ -n "$targets" ] && [ -z "$miss" ]; then
	echo "aoeboot: targets up: $targets" >/dev/console
elif [ -n "$targets" ]; then
	warn "aoeboot:$miss not there yet; waiting up to aoeboot.timeout, then going on degraded"
fi
exit 0
