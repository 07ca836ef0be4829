# mk/initramfs.mk - the Linux side: Debian kernel, our initramfs, VM tests.
#
#   make kernel      fetch Debian's linux-image-amd64 into the cache (no install),
#                    copy it to build/vmlinuz
#   make initramfs   build/initramfs.img (+ build/vmlinuz) for that kernel

kernel:
	$(Q)scripts/fetch-kernel >/dev/null

.PHONY: kernel
