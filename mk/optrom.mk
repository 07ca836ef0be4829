# mk/optrom.mk - aoeboot as a legacy BIOS option ROM image.
#
#   build/bios/legacy-<board>.bin   the legacy image (code type 0) for a
#                                   board's card: src/bios/romprefix.asm +
#                                   aoeboot.bin compressed by build/romlz
#                                   (mk/bios.mk: build/bios/aoeboot.bin.lz),
#                                   the board's settings as its command line;
#                                   mk/rom.mk puts it first in the board's ROM
#   make bench-rom                  scripts/bench-rom: ROM path vs PXE path
#                                   under SeaBIOS (part of make bench; about
#                                   6 minutes; BENCH_ROM=0 leaves it out)
#   make bios-rom                   build/rom/aoeboot-bios.rom: the same for
#                                   no card in particular (PCIR ffff:ffff),
#                                   for qemu -option-rom and coreboot's CBFS
#
# See docs/rom.md ("Legacy BIOS").

ROMLZ := $(BUILD)/romlz
BIOS_ROM := $(BUILD)/rom/aoeboot-bios.rom
LEGACY_ROM_GOAL := 65536

all: bios-rom
bios-rom: $(BIOS_ROM)
check-extra:: bios-rom

$(ROMLZ): src/tools/romlz.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $< -llzma

# A board's firmware settings as one command line (mkrom's keys dropped).
$(BIOS_DIR)/cmdline-%.txt: boards/%.conf
	@mkdir -p $(dir $@)
	$(Q)sed -e 's/#.*//' -e 's/^[ \t]*//' -e 's/[ \t]*$$//' $< | \
		grep -v -E '^(vendor|device|class|rombase)=|^$$' | \
		tr '\n' ' ' | sed 's/ $$//' | tr -d '\n' >$@
$(BIOS_DIR)/cmdline-bios.txt:
	@mkdir -p $(dir $@)
	$(Q): >$@

board_key = $$(sed -n 's/^$(2)=//p' $(1) | tail -n 1)
define LEGACY_RECIPE
@echo "  NASM    $@"
$(Q)$(NASM) -f bin -Isrc/bios/ -DPAYLOAD='"$(BIOS_DIR)/aoeboot.bin.lz"' \
	-DPAYLOAD_SIZE=$$(stat -c %s $(BIOS_DIR)/aoeboot.bin) \
	-DCMDLINE='"$(filter %.txt,$^)"' $(1) -o $@ $<
$(Q)size=$$(stat -c %s $@); \
echo "  SIZE    $@: $$size bytes (aoeboot.bin $$(stat -c %s $(BIOS_DIR)/aoeboot.bin) compressed to $$(stat -c %s $(BIOS_DIR)/aoeboot.bin.lz)), $$(( ($(LEGACY_ROM_GOAL) - size) / 1024 )) KiB under the $$(( $(LEGACY_ROM_GOAL) / 1024 )) KiB goal"; \
[ $$size -le $(LEGACY_ROM_GOAL) ] || echo "  WARNING $@ is over the 64 KiB goal (SeaBIOS still takes up to 127.5 KiB)"
endef

$(BIOS_DIR)/legacy-bios.bin: src/bios/romprefix.asm src/bios/unlz.inc $(BIOS_DIR)/aoeboot.bin.lz \
		$(BIOS_DIR)/cmdline-bios.txt
	$(call LEGACY_RECIPE,-DVENDOR=0xFFFF -DDEVICE=0xFFFF)
$(BIOS_DIR)/legacy-%.bin: src/bios/romprefix.asm src/bios/unlz.inc $(BIOS_DIR)/aoeboot.bin.lz \
		$(BIOS_DIR)/cmdline-%.txt boards/%.conf
	$(call LEGACY_RECIPE,-DVENDOR=$(call board_key,boards/$*.conf,vendor) \
		-DDEVICE=$(call board_key,boards/$*.conf,device) \
		-DCLASS=$$(v=$(call board_key,boards/$*.conf,class); echo $${v:-0x020000}))

$(BIOS_ROM): $(BIOS_DIR)/legacy-bios.bin $(BUILD)/mkrom
	@mkdir -p $(dir $@)
	@echo "  ROM     $@"
	$(Q)$(BUILD)/mkrom -o $@ --legacy $<
	$(Q)echo "  SIZE    $@: $$(stat -c %s $@) bytes"

BENCH_ROM ?= 1
bench-rom: bios bios-rom mkrom initramfs
	$(Q)scripts/bench-rom $(BENCH_ROM_ARGS)
ifneq ($(BENCH_ROM),0)
bench-extra:: bench-rom
endif

.PHONY: bios-rom bench-rom

# romlz's unit test and fuzz harness include romlz.c itself; the unit
# test links liblzma for the encoder.
$(BUILD)/tests/test_romlz: $(BUILD)/san/tests/test_romlz.o $(UNIT_HELPER_OBJS) \
		$(SAN_CORE_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD san  $@"
	$(Q)$(CC) $(SAN_CFLAGS) -o $@ $^ -llzma
$(BUILD)/san/tests/test_romlz.o $(BUILD)/fuzz/fuzz_romlz: src/tools/romlz.c
