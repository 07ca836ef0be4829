#!/bin/bash
# deb_package.sh - the Debian package (make deb) on a real Debian system:
# lintian reports no errors; `apt-get install ./aoeboot_*.deb` in a clean
# Debian chroot (scripts/mkdebroot) installs it; aoectl --help runs there;
# the package's trigger has run update-initramfs and Debian's initrd holds
# our boot script; the firmware images are where the man page says.
set -u
cd "$(dirname "$0")/../.."
build=${BUILD:-build}

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }
skip() { echo "SKIP: $1: $2"; }

deb=$(ls "$build"/aoeboot_*_amd64.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { fail deb-build "no $build/aoeboot_*_amd64.deb (make deb)"; exit 1; }
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")

if command -v lintian >/dev/null; then
	out=$(lintian "$deb" 2>&1 | grep -v 'root privileges')
	if grep -q '^E: ' <<<"$out"; then
		fail deb-lintian "$(grep '^E: ' <<<"$out" | head -n 3 | tr '\n' '|')"
	else
		pass deb-lintian
	fi
else
	skip deb-lintian "lintian is not installed"
fi

tree=$(scripts/mkdebroot initramfs-tools) || { fail deb-install "scripts/mkdebroot failed"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/aoeboot-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
R=$tmp/root
cp -a "$tree" "$R"
chroot_run() {
	unshare --mount --propagation private sh -c '
		r=$1; shift
		mount -t proc proc "$r/proc" && mount -t sysfs sysfs "$r/sys" &&
		mount --bind /dev "$r/dev" && exec chroot "$r" "$@"' sh "$R" "$@"
}
cp "$deb" "$R/tmp/"
if ! chroot_run env DEBIAN_FRONTEND=noninteractive apt-get install -y \
		"/tmp/$(basename "$deb")" >"$tmp/apt.log" 2>&1; then
	fail deb-install "apt-get install failed: $(tail -n 3 "$tmp/apt.log" | tr '\n' '|')"
	exit 1
fi
pass deb-install
if chroot_run aoectl --help 2>&1 | grep -q '^usage: aoectl COMMAND'; then
	pass deb-aoectl
else
	fail deb-aoectl "aoectl --help in the chroot did not print its usage"
fi
missing=""
for f in /usr/lib/aoeboot/aoeboot.efi /usr/lib/aoeboot/aoeboot-drv.efi \
	 /usr/share/man/man8/aoectl.8.gz /usr/sbin/aoeboot-mkinitramfs \
	 /usr/sbin/aoeboot-flash /usr/share/initramfs-tools/hooks/aoeboot; do
	[ -s "$R$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && pass deb-files || fail deb-files "missing:$missing"
# The trigger ran update-initramfs at install; run it once more by hand as
# an administrator would, then look inside Debian's initrd.
if ! grep -q 'update-initramfs' "$tmp/apt.log"; then
	fail deb-trigger "installing did not run update-initramfs"
elif ! chroot_run update-initramfs -u >"$tmp/ui.log" 2>&1; then
	fail deb-trigger "update-initramfs failed: $(tail -n 2 "$tmp/ui.log" | tr '\n' '|')"
elif ! chroot_run lsinitramfs /initrd.img | grep -q 'scripts/local-top/aoeboot$'; then
	fail deb-trigger "Debian's initrd does not hold the aoeboot boot script"
else
	pass deb-trigger
fi
exit 0
