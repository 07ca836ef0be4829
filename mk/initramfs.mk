# mk/initramfs.mk - the Linux side: Debian kernel, our initramfs, VM tests.
#
#   make kernel      fetch Debian's linux-image-amd64 into the cache (no
#                    install), copy it to build/vmlinuz
#   make initramfs   build/initramfs.img (+ build/vmlinuz) for that kernel
# Both are cheap when nothing changed (the kernel is cached in
# $AOEBOOT_CACHE, default /var/cache/aoeboot).

kernel:
	$(Q)BUILD=$(BUILD) scripts/fetch-kernel --quiet >/dev/null

initramfs: kernel
	$(Q)$(MAKE) -s --no-print-directory $(BUILD)/initramfs.img

$(BUILD)/initramfs.img: scripts/mkinitramfs src/initramfs/init $(BUILD)/vmlinuz.release
	@echo "  INITRD  $@"
	$(Q)mkdir -p $(BUILD) && flock $(BUILD)/.initramfs.lock \
		scripts/mkinitramfs "$$(BUILD=$(BUILD) scripts/fetch-kernel --quiet)" $@

# Only when missing (make kernel checks for a newer Debian kernel).
$(BUILD)/vmlinuz $(BUILD)/vmlinuz.release:
	$(Q)BUILD=$(BUILD) scripts/fetch-kernel --quiet >/dev/null

check-extra:: initramfs

.PHONY: kernel initramfs

# The demo boots our kernel and initrd: a fresh clone builds them first.
demo-extra:: initramfs
