# mk/benchboot.mk - the boot-time benchmark (scripts/bench-boot): aoeboot
# over AoE against Debian's iPXE over TFTP and HTTP, ~40 MiB kernel +
# initrd, QEMU/OVMF.  Figures and ratios only, no PASS/FAIL.
#
#   make bench-boot                  virtio-net, 3 runs each (about 7 minutes)
#   make bench-boot BENCH_BOOT_ARGS='--nics "virtio e1000"'
#   make bench BENCH_BOOT=0          `make bench` without it
#
# Report: build/bench/boot.md; console logs: build/bench/boot-logs/.

BENCH_BOOT ?= 1
BENCH_BOOT_ARGS ?=

bench-boot: efi initramfs
	$(Q)scripts/bench-boot $(BENCH_BOOT_ARGS)

ifneq ($(BENCH_BOOT),0)
bench-extra:: bench-boot
endif

.PHONY: bench-boot

# make bench-boot-bios: the same on a legacy BIOS (SeaBIOS, QEMU's iPXE ROM
# as the PXE stack): aoeboot.pxe against Debian's undionly.kpxe.  Report:
# build/bench/boot-bios.md.
bench-boot-bios: bios initramfs
	$(Q)scripts/bench-boot --bios $(BENCH_BOOT_ARGS)

.PHONY: bench-boot-bios
