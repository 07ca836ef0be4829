# mk/nic.mk - the native NIC drivers (src/drivers) and their test program.
#
#   make nictest     build/nic/nictest.elf: a multiboot ELF32 image that QEMU
#                    starts with -kernel, holding the AoE engine, the drivers
#                    and a minimal platform (tests/nic/); test-vm/nic.sh runs
#                    it against vblade, scripts/bench-nic times it
#
# Everything here is 32-bit flat protected-mode code, built without libgcc
# (src/arch/i386/div64.c has the 64-bit division helpers).  The core comes
# from mk/core32.mk (build/core32/).

NIC_DIR := $(BUILD)/nic
NIC_CFLAGS := $(WARNINGS) -m32 -march=i686 -ffreestanding -fno-pie -fno-pic \
	-fno-stack-protector -mno-sse -mno-mmx -mno-80387 -Os \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-fno-builtin-printf -ffunction-sections -fdata-sections \
	$(FIRMWARE_STACK_LIMIT) -Isrc/core
NIC_LDFLAGS := -m elf_i386 -nostdlib --gc-sections --no-warn-rwx-segments -T tests/nic/nictest.ld

NIC_DRV_SRCS := $(sort $(wildcard src/drivers/*.c src/drivers/net/*.c))
NIC_TEST_SRCS := $(sort $(wildcard tests/nic/*.c))
NIC_OBJS := $(CORE32_OBJS) \
	$(NIC_DRV_SRCS:src/%.c=$(NIC_DIR)/%.o) \
	$(NIC_TEST_SRCS:tests/nic/%.c=$(NIC_DIR)/test/%.o) \
	$(NIC_DIR)/arch/i386/div64.o $(NIC_DIR)/libc.o $(NIC_DIR)/lib/string.o \
	$(NIC_DIR)/test/entry.o

all: nictest
nictest: $(NIC_DIR)/nictest.elf

$(filter-out $(CORE32_OBJS),$(NIC_OBJS)): mk/nic.mk

$(NIC_DIR)/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC i386 $<"
	$(Q)$(CC) $(NIC_CFLAGS) -MMD -c -o $@ $<

# The UEFI build's plain-C memcpy/memset/memmove; nothing in them is
# EFI-specific (the string functions are src/lib/string.c, through the
# $(NIC_DIR)/%.o rule).
$(NIC_DIR)/libc.o: src/efi/libc.c
	@mkdir -p $(dir $@)
	@echo "  CC i386 $<"
	$(Q)$(CC) $(NIC_CFLAGS) -MMD -c -o $@ $<

$(NIC_DIR)/test/%.o: tests/nic/%.c
	@mkdir -p $(dir $@)
	@echo "  CC i386 $<"
	$(Q)$(CC) $(NIC_CFLAGS) -MMD -c -o $@ $<

$(NIC_DIR)/test/entry.o: tests/nic/entry.S
	@mkdir -p $(dir $@)
	@echo "  AS i386 $<"
	$(Q)$(CC) -m32 -c -o $@ $<

$(NIC_DIR)/nictest.elf: $(NIC_OBJS) tests/nic/nictest.ld
	@echo "  LD i386 $@"
	$(Q)$(LD) $(NIC_LDFLAGS) -o $@ $(NIC_OBJS)
	$(Q)echo "  SIZE    $@: $$(size -A $@ | awk '/^\.(text|rodata|data)/ { s += $$2 } END { print s }') bytes of code and data"

-include $(shell find $(NIC_DIR) -name '*.d' 2>/dev/null)

.PHONY: nictest

# The drivers' raw AoE throughput against the iPXE-like baseline
# (scripts/bench-nic, build/bench/nic.md); BENCH_NIC=0 leaves it out of
# `make bench`.
BENCH_NIC ?= 1
BENCH_NIC_ARGS ?=
bench-nic: nictest
	$(Q)scripts/bench-nic $(BENCH_NIC_ARGS)
ifneq ($(BENCH_NIC),0)
bench-extra:: bench-nic
endif
.PHONY: bench-nic

# The unit tests that compile driver sources in (test_pci) find the core's
# headers the way the drivers do.
$(BUILD)/san/tests/test_pci.o: SAN_CFLAGS += -Isrc/core
