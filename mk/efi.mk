# mk/efi.mk - the UEFI firmware image (gnu-efi, x86_64).
#
#   make efi              build/efi/aoeboot.efi (BOARD=default)
#   make efi BOARD=x      build/efi/aoeboot-x.efi with boards/x.conf built in
#                         (or name the image: make build/efi/aoeboot-x.efi)
#
# The core sources are compiled again here with the gnu-efi flags into
# build/efi/core/; only the board object differs between board images.
# Boards are pattern rules (board-<name>.o, aoeboot-<name>.so/.efi), so
# one make builds any number of board images side by side; BOARD only
# picks what `make efi` names.

EFI_DIR     := $(BUILD)/efi
EFI_INC     := /usr/include/efi
EFI_LIBDIR  := /usr/lib
EFI_LDS     := $(EFI_LIBDIR)/elf_x86_64_efi.lds
EFI_CRT0    := $(EFI_LIBDIR)/crt0-efi-x86_64.o
EFI_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
EFI_SIZE_GOAL := 98304

# -fno-zero-initialized-in-bss: gnu-efi's linker script gathers only plain
# .bss, so with -fdata-sections zeroed data must land in .data.* instead.
# -mgeneral-regs-only (as systemd-boot): firmware code never touches the
# SSE state; with -fno-jump-tables it also saves about 1 KiB.
EFI_CFLAGS := $(WARNINGS) -Oz -fno-caller-saves -fconserve-stack -fno-shrink-wrap -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -Isrc/core \
	-Isrc/efi -I$(EFI_DIR) -fpic -ffreestanding -fno-stack-protector \
	-fshort-wchar -mno-red-zone -DGNU_EFI_USE_MS_ABI -fvisibility=hidden \
	-ffunction-sections -fdata-sections -fno-zero-initialized-in-bss \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-fno-builtin-printf -mgeneral-regs-only -fno-jump-tables \
	$(FIRMWARE_STACK_LIMIT)
# The firmware is linked without gnu-efi's crt0 and libraries: efi_main
# (EFIAPI) is the entry point, and build/elf2efi (src/tools/elf2efi.c)
# writes the PE image: .text, .data and a .reloc of PE base relocations
# made from the R_X86_64_RELATIVE ones, so the firmware's PE loader
# relocates the image and no .rela/.dynamic/.dynsym nor crt0's run-time
# _relocate is carried (3.9 KiB).  Sections packed at 32 bytes in the file
# as before; no COFF symbol table (the .so beside each image keeps its
# symbols for gdb and addr2line).  --no-undefined: an undefined symbol
# fails the link here rather than in elf2efi (a relocation it refuses).
EFI_LDFLAGS := -shared -Bsymbolic -nostdlib -znocombreloc --gc-sections \
	--no-undefined -e efi_main -T $(EFI_DIR)/efi.lds
ELF2EFI := $(BUILD)/elf2efi
# objcopy's flags for the gnu-efi way (crt0 + objcopy), which
# test-vm/efi-progs still use (mk/rom.mk): the sections the loader maps,
# --strip-all, and sections packed at 32 bytes in the file.
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
	-j .rela -j .rel.* -j .rela.* -j .reloc --strip-all --file-alignment 32

EFI_SRCS := $(filter-out src/efi/board.c,$(sort $(wildcard src/efi/*.c)))
EFI_OBJS := $(EFI_SRCS:src/efi/%.c=$(EFI_DIR)/%.o) $(EFI_DIR)/lib/string.o
EFI_CORE_OBJS := $(CORE_SRCS:src/core/%.c=$(EFI_DIR)/core/%.o)
# The image of a board: the default board's has no suffix.
efi_image = $(EFI_DIR)/aoeboot$(if $(filter default,$(1)),,-$(1)).efi
EFI_IMAGE := $(call efi_image,$(BOARD))

all: efi
efi: $(EFI_IMAGE)
check-extra:: efi $(call efi_image,qemu-raw)

# Compiler flags live here: objects follow this file.
$(EFI_OBJS) $(EFI_CORE_OBJS): mk/efi.mk

# -Oz everywhere (code that runs once per boot), but the AoE engine's
# frame loop keeps -Os: it runs for every frame of every transfer.
$(EFI_DIR)/core/aoe.o $(EFI_DIR)/core/aoedev.o $(EFI_DIR)/core/aoecmd.o: EFI_CFLAGS += -Os

$(EFI_DIR)/core/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	@echo "  CC efi  $<"
	$(Q)$(CC) $(EFI_CFLAGS) -MMD -c -o $@ $<

$(EFI_DIR)/lib/%.o: src/lib/%.c
	@mkdir -p $(dir $@)
	@echo "  CC efi  $<"
	$(Q)$(CC) $(EFI_CFLAGS) -MMD -c -o $@ $<

$(EFI_DIR)/%.o: src/efi/%.c
	@mkdir -p $(dir $@)
	@echo "  CC efi  $<"
	$(Q)$(CC) $(EFI_CFLAGS) -MMD -c -o $@ $<

# The version and the board are generated headers, rewritten only when
# their text changes, so an unchanged tree is not rebuilt.
$(EFI_DIR)/version.h: efi-force
	@mkdir -p $(dir $@)
	$(Q)echo '#define AOEBOOT_VERSION "$(EFI_VERSION)"' >$@.tmp; \
	cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(EFI_DIR)/main.o: $(EFI_DIR)/version.h
$(EFI_DIR)/main.o: EFI_CFLAGS += -include $(EFI_DIR)/version.h

$(EFI_DIR)/board-%.h: boards/%.conf mk/efi.mk
	@mkdir -p $(dir $@)
	@echo "  BOARD   $<"
	$(Q)awk -v name='$*' ' \
		/^[ \t]*(#|$$)/ { next } \
		{ sub(/^[ \t]+/, ""); sub(/[ \t]+$$/, ""); \
		  gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); \
		  s = s (s == "" ? "" : " ") $$0 } \
		END { printf "#define BOARD_NAME \"%s\"\n", name; \
		      printf "#define BOARD_CONFIG \"%s\"\n", s }' $< >$@

$(EFI_DIR)/board-%.o: src/efi/board.c $(EFI_DIR)/board-%.h mk/efi.mk
	@echo "  CC efi  $< ($*)"
	$(Q)$(CC) $(EFI_CFLAGS) -DBOARD_HEADER='"board-$*.h"' \
		-MMD -c -o $@ $<

# gnu-efi's linker script with crt0's dummy .reloc kept under
# --gc-sections (for test-vm/efi-progs, which still link crt0): without a .reloc section the PE loader refuses to move
# the image from address 0.  Uninitialised globals (-fno-common, so
# .bss.<name> with -fdata-sections) go into .data with plain .bss: left
# as orphan sections they lay outside the PE image (rom.mk's driver crashed).
$(EFI_DIR)/efi.lds: $(EFI_LDS) mk/efi.mk
	@mkdir -p $(dir $@)
	$(Q)sed -e 's/^\( *\)\*(\.reloc)/\1KEEP(*(.reloc))/' \
		-e 's/^\( *\)\*(\.bss)$$/\1*(.bss .bss.*)/' $< >$@
	$(Q)grep -q 'KEEP(\*(\.reloc))' $@
	$(Q)grep -q '(\.bss \.bss\.\*)' $@

# Link the objects among the prerequisites (an image's board object is
# one of them); report an image's size against the goal.
EFI_LINK = $(LD) $(EFI_LDFLAGS) $(filter %.o,$^) -o $@
# The margin in bytes (whole KiB rounded toward 0 said "0 KiB under" of
# an image 288 bytes over).
EFI_SIZE_REPORT = size=$$(stat -c %s $@); left=$$(( $(EFI_SIZE_GOAL) - size )); \
	if [ $$left -ge 0 ]; then \
		echo "  SIZE    $@: $$size bytes, $$left under the $$(( $(EFI_SIZE_GOAL) / 1024 )) KiB goal"; \
	else \
		echo "  SIZE    $@: $$size bytes, $$(( -left )) over the $$(( $(EFI_SIZE_GOAL) / 1024 )) KiB goal"; \
		echo "  WARNING $@ is over the size goal"; \
	fi

define EFI_APP_RECIPE
@echo "  EFI     $@"
$(Q)$(ELF2EFI) --subsystem app $< $@
$(Q)$(EFI_SIZE_REPORT)
endef

$(ELF2EFI): src/tools/elf2efi.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $<

$(EFI_DIR)/aoeboot.so: $(EFI_OBJS) $(EFI_CORE_OBJS) \
		$(EFI_DIR)/board-default.o $(EFI_DIR)/efi.lds
	@echo "  LD efi  $@"
	$(Q)$(EFI_LINK)
$(EFI_DIR)/aoeboot-%.so: $(EFI_OBJS) $(EFI_CORE_OBJS) $(EFI_DIR)/board-%.o \
		$(EFI_DIR)/efi.lds
	@echo "  LD efi  $@"
	$(Q)$(EFI_LINK)

$(EFI_DIR)/aoeboot.efi: $(EFI_DIR)/aoeboot.so $(ELF2EFI)
	$(EFI_APP_RECIPE)
$(EFI_DIR)/aoeboot-%.efi: $(EFI_DIR)/aoeboot-%.so $(ELF2EFI)
	$(EFI_APP_RECIPE)

.PHONY: efi efi-force
