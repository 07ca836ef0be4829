# mk/deb.mk - the Debian package (scripts/mkdeb): aoectl, the firmware
# images, the ROM tools and the initramfs-tools / dracut integration.
#
#   make deb      build/aoeboot_<version>_amd64.deb

deb: all roms efi-drv
	$(Q)pkg=$$(scripts/mkdeb $(BUILD)) && echo "  DEB     $$pkg"

# tests/integration/deb_package.sh installs it in a Debian chroot.
check-extra:: deb

.PHONY: deb
