# mk/bios.mk - the legacy BIOS images (flat 32-bit C, nasm real-mode entry).
#
#   make bios     build/bios/aoeboot.pxe   PXE network boot program (0:7C00),
#                                          self-extracting (src/bios/pxeprefix.asm)
#                 build/bios/aoeboot.lkrn  the same program as a Linux bzImage
#                 build/bios/aoeboot.bin   the image itself, linked at 0:7C00
#
# The core is compiled again for i686 into build/bios/core/.  There is no
# 32-bit libgcc here: src/arch/i386/div64.c has the 64-bit division helpers.

BIOS_DIR     := $(BUILD)/bios
BIOS_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
BIOS_SIZE_GOAL := 98304
NASM         ?= nasm

# Size, because the legacy ROM holds aoeboot.pxe compressed in 64 KiB: beside
# -Oz, no frame pointer (this gcc keeps one for -m32: 1.5 KiB), no second
# scheduling pass (it interleaves instructions, so the same sequences repeat
# less and compress worse: 1.7 KiB compressed), and four smaller ones
# (-fconserve-stack -fno-shrink-wrap -fno-caller-saves -fno-ipa-sra: 0.5 KiB
# compressed together).
BIOS_CFLAGS := $(WARNINGS) $(FIRMWARE_STACK_LIMIT) -m32 -march=i686 -Oz -ffreestanding -fno-pie \
	-fomit-frame-pointer -fno-schedule-insns2 -fconserve-stack -fno-shrink-wrap \
	-fno-caller-saves -fno-ipa-sra \
	-fno-pic -fno-stack-protector -mno-sse -mno-mmx -mno-80387 \
	-mregparm=3 -fno-asynchronous-unwind-tables -ffunction-sections \
	-fdata-sections -fno-builtin-printf -fno-tree-loop-distribute-patterns \
	-fno-jump-tables -Isrc/core -Isrc/bios -Isrc/drivers/net -I$(BIOS_DIR)
BIOS_LDFLAGS := -m elf_i386 -nostdlib --gc-sections -z noexecstack \
	--no-warn-rwx-segments -T src/bios/bios.lds

BIOS_SRCS := $(sort $(wildcard src/bios/*.c))
# The native NIC drivers serve when no PXE stack is left (an .lkrn chained
# from iPXE, which shuts its devices down first, or started by qemu -kernel).
BIOS_DRV_SRCS := $(sort $(wildcard src/drivers/*.c src/drivers/net/*.c))
BIOS_OBJS := $(BIOS_SRCS:src/bios/%.c=$(BIOS_DIR)/%.o) $(BIOS_DIR)/entry.o \
	$(BIOS_DIR)/int13s.o \
	$(BIOS_DIR)/arch/i386/div64.o $(BIOS_DIR)/lib/string.o \
	$(BIOS_DRV_SRCS:src/%.c=$(BIOS_DIR)/%.o)
BIOS_CORE_OBJS := $(CORE_SRCS:src/core/%.c=$(BIOS_DIR)/core/%.o)

all: bios
bios: $(BIOS_DIR)/aoeboot.pxe $(BIOS_DIR)/aoeboot.lkrn

$(BIOS_OBJS) $(BIOS_CORE_OBJS): mk/bios.mk

# -Oz everywhere (code that runs once per boot) but the AoE engine's frame
# loop and the UNDI netdev, which run for every frame.
$(BIOS_DIR)/core/aoe.o $(BIOS_DIR)/core/aoedev.o $(BIOS_DIR)/core/aoecmd.o $(BIOS_DIR)/pxe.o: \
	BIOS_CFLAGS += -Os

$(BIOS_DIR)/core/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	@echo "  CC bios $<"
	$(Q)$(CC) $(BIOS_CFLAGS) -MMD -c -o $@ $<

$(BIOS_DIR)/%.o: src/bios/%.c
	@mkdir -p $(dir $@)
	@echo "  CC bios $<"
	$(Q)$(CC) $(BIOS_CFLAGS) -MMD -c -o $@ $<

$(BIOS_DIR)/drivers/%.o: src/drivers/%.c
	@mkdir -p $(dir $@)
	@echo "  CC bios $<"
	$(Q)$(CC) $(BIOS_CFLAGS) -MMD -c -o $@ $<

$(BIOS_DIR)/lib/%.o: src/lib/%.c
	@mkdir -p $(dir $@)
	@echo "  CC bios $<"
	$(Q)$(CC) $(BIOS_CFLAGS) -MMD -c -o $@ $<

$(BIOS_DIR)/arch/%.o: src/arch/%.c
	@mkdir -p $(dir $@)
	@echo "  CC bios $<"
	$(Q)$(CC) $(BIOS_CFLAGS) -MMD -c -o $@ $<

$(BIOS_DIR)/int13s.o: src/bios/int13.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f elf32 -o $@ $<

$(BIOS_DIR)/entry.o: src/bios/entry.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f elf32 -o $@ $<

$(BIOS_DIR)/version.h: bios-force
	@mkdir -p $(dir $@)
	$(Q)echo '#define AOEBOOT_VERSION "$(BIOS_VERSION)"' >$@.tmp; \
	cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BIOS_DIR)/main.o: $(BIOS_DIR)/version.h
$(BIOS_DIR)/main.o: BIOS_CFLAGS += -include $(BIOS_DIR)/version.h

$(BIOS_DIR)/aoeboot.elf: $(BIOS_OBJS) $(BIOS_CORE_OBJS) src/bios/bios.lds
	@echo "  LD bios $@"
	$(Q)$(LD) $(BIOS_LDFLAGS) -o $@ $(filter %.o,$^)

# aoeboot.bin: the image as linked (0:7C00); aoeboot.pxe: pxeprefix.asm +
# aoeboot.bin compressed by build/romlz (mk/optrom.mk builds the tool; the
# option ROMs carry the same compressed bytes).
$(BIOS_DIR)/aoeboot.bin: $(BIOS_DIR)/aoeboot.elf
	@echo "  BIN     $@"
	$(Q)objcopy -O binary $< $@
	$(Q)end=$$(nm $< | awk '$$3 == "__end" { print $$1 }'); \
	echo "  SIZE    $@: $$(stat -c %s $@) bytes (ends at 0x$$end in memory)"

$(BIOS_DIR)/aoeboot.bin.lz: $(BIOS_DIR)/aoeboot.bin $(BUILD)/romlz
	@echo "  LZ      $@"
	$(Q)$(BUILD)/romlz $< $@

$(BIOS_DIR)/aoeboot.pxe: src/bios/pxeprefix.asm src/bios/unlz.inc \
		$(BIOS_DIR)/aoeboot.bin.lz $(BIOS_DIR)/aoeboot.elf
	@echo "  NASM    $@"
	$(Q)$(NASM) -f bin -Isrc/bios/ -DPAYLOAD='"$(BIOS_DIR)/aoeboot.bin.lz"' \
		-DPAYLOAD_SIZE=$$(stat -c %s $(BIOS_DIR)/aoeboot.bin) \
		-DIMAGE_END=0x$$(nm $(BIOS_DIR)/aoeboot.elf | awk '$$3 == "__end" { print $$1 }') \
		-o $@ $<
	$(Q)size=$$(stat -c %s $@); \
	echo "  SIZE    $@: $$size bytes (aoeboot.bin $$(stat -c %s $(BIOS_DIR)/aoeboot.bin) compressed to $$(stat -c %s $(BIOS_DIR)/aoeboot.bin.lz) + its prefix), $$(( ($(BIOS_SIZE_GOAL) - size) / 1024 )) KiB under the $$(( $(BIOS_SIZE_GOAL) / 1024 )) KiB goal"; \
	[ $$size -le $(BIOS_SIZE_GOAL) ] || echo "  WARNING $@ is over the size goal"

# The bzImage: lkrn.asm's header and setup stub, then the compressed
# image as the "protected-mode kernel" a loader puts at 1 MiB (the stub
# decodes it to 0:7C00).
$(BIOS_DIR)/aoeboot.lkrn: src/bios/lkrn.asm src/bios/unlz.inc $(BIOS_DIR)/aoeboot.bin.lz
	@echo "  NASM    $@"
	$(Q)$(NASM) -f bin -Isrc/bios/ -DPAYLOAD='"$(BIOS_DIR)/aoeboot.bin.lz"' \
		-DPAYLOAD_SIZE=$$(stat -c %s $(BIOS_DIR)/aoeboot.bin) -o $@ $<
	$(Q)echo "  SIZE    $@: $$(stat -c %s $@) bytes (aoeboot.bin $$(stat -c %s $(BIOS_DIR)/aoeboot.bin) compressed to $$(stat -c %s $(BIOS_DIR)/aoeboot.bin.lz) + the bzImage header and setup stub)"

-include $(shell find $(BIOS_DIR) -name '*.d' 2>/dev/null)

.PHONY: bios bios-force
