# mk/deb.mk - the Debian package (scripts/mkdeb): aoectl, the firmware
# images, the ROM tools and the initramfs-tools / dracut integration.
#
#   make deb      build/aoeboot_<version>_amd64.deb

deb: all roms
	@echo "  DEB     $$(scripts/mkdeb $(BUILD))"

.PHONY: deb

# tests/integration/deb_package.sh installs it in a Debian chroot.
check-extra:: deb
