# mk/rom.mk - the boot-service driver image and PCI option ROMs.
#
#   make mkrom                  build/mkrom (the ROM builder / inspector)
#   make efi-drv                build/efi/aoeboot-drv.efi (BOARD=default), or
#                               build/efi/aoeboot-drv-<board>.efi
#   make rom BOARD=qemu-e1000   build/rom/qemu-e1000.rom: the board's
#                               rombase= images (if any) + our EFI driver,
#                               vendor=/device= from boards/<board>.conf,
#                               EFI-compressed (ROM_COMPRESS=0: stored)
#
# The driver is the same firmware as aoeboot.efi, linked a second time:
# main.c's efi_main is renamed aoeboot_app_main and driver.c's
# aoeboot_driver_main becomes the entry (efi_main, the PE entry point),
# then build/elf2efi makes it subsystem 11 (--subsystem bsdrv).  See
# docs/rom.md.
# Driver images and ROMs are pattern rules on the board name, as the app
# images in mk/efi.mk: `make roms` builds every ROM board in one make.

MKROM := $(BUILD)/mkrom
ROM_DIR := $(BUILD)/rom
ROM_BOARDS := qemu-e1000 qemu-virtio qemu-virtio-san
ROM_COMPRESS ?= 1

# The driver image of a board: the default board's has no suffix.
efi_drv = $(EFI_DIR)/aoeboot-drv$(if $(filter default,$(1)),,-$(1)).efi
EFI_DRV := $(call efi_drv,$(BOARD))
EFI_DRV_MAIN := $(EFI_DIR)/drv/main.o
EFI_DRV_ENTRY := $(EFI_DIR)/drv/driver.o
EFI_DRV_OBJS := $(filter-out $(EFI_DIR)/main.o $(EFI_DIR)/driver.o,$(EFI_OBJS)) \
	$(EFI_DRV_MAIN) $(EFI_DRV_ENTRY)

all: mkrom
mkrom: $(MKROM)
efi-drv: $(EFI_DRV)
rom: $(ROM_DIR)/$(BOARD).rom

$(MKROM): src/tools/mkrom.c src/tools/eficomp.c src/tools/eficomp.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ src/tools/mkrom.c src/tools/eficomp.c

$(EFI_DRV_MAIN): $(EFI_DIR)/main.o
	@mkdir -p $(dir $@)
	$(Q)objcopy --redefine-sym efi_main=aoeboot_app_main $< $@

$(EFI_DRV_ENTRY): $(EFI_DIR)/driver.o
	@mkdir -p $(dir $@)
	$(Q)objcopy --redefine-sym aoeboot_driver_main=efi_main $< $@

# aoeboot-drv-<board> has a shorter stem than mk/efi.mk's aoeboot-<board>
# pattern, so make takes these rules for the driver images.
$(EFI_DIR)/aoeboot-drv.so: $(EFI_DRV_OBJS) $(EFI_CORE_OBJS) \
		$(EFI_DIR)/board-default.o $(EFI_DIR)/efi.lds
	@echo "  LD drv  $@"
	$(Q)$(EFI_LINK)
$(EFI_DIR)/aoeboot-drv-%.so: $(EFI_DRV_OBJS) $(EFI_CORE_OBJS) \
		$(EFI_DIR)/board-%.o $(EFI_DIR)/efi.lds
	@echo "  LD drv  $@"
	$(Q)$(EFI_LINK)

define EFI_DRV_RECIPE
@echo "  EFI drv $@"
$(Q)$(ELF2EFI) --subsystem bsdrv $< $@
$(Q)$(EFI_SIZE_REPORT)
endef
$(EFI_DIR)/aoeboot-drv.efi: $(EFI_DIR)/aoeboot-drv.so $(ELF2EFI)
	$(EFI_DRV_RECIPE)
$(EFI_DIR)/aoeboot-drv-%.efi: $(EFI_DIR)/aoeboot-drv-%.so $(ELF2EFI)
	$(EFI_DRV_RECIPE)

# A ROM: the board's driver image and its boards/<board>.conf.
define ROM_RECIPE
@mkdir -p $(dir $@)
@echo "  ROM     $@"
$(Q)$(MKROM) -o $@ --board $(filter %.conf,$^) \
		$(addprefix --legacy ,$(filter %.bin,$^)) \
		$(if $(filter 1,$(ROM_COMPRESS)),--compress) $<
$(Q)echo "  SIZE    $@: $$(stat -c %s $@) bytes"
endef
$(ROM_DIR)/default.rom: $(EFI_DIR)/aoeboot-drv.efi $(MKROM) boards/default.conf
	$(ROM_RECIPE)
# A card's ROM: our legacy BIOS image first (mk/optrom.mk), then rombase=
# and the EFI driver, so one flash works under SeaBIOS and under OVMF.
$(ROM_DIR)/%.rom: $(EFI_DIR)/aoeboot-drv-%.efi $(MKROM) boards/%.conf \
		$(BIOS_DIR)/legacy-%.bin
	$(ROM_RECIPE)

roms: $(ROM_BOARDS:%=$(ROM_DIR)/%.rom)

check-extra:: mkrom efi-drv roms

.PHONY: mkrom efi-drv rom roms

# --- test-vm/efi-progs: small EFI programs the VM tests boot ---------------
EFI_PROGS_DIR := $(BUILD)/efi-progs
EFI_PROGS := $(patsubst test-vm/efi-progs/%.c,$(EFI_PROGS_DIR)/%.efi,\
	$(wildcard test-vm/efi-progs/*.c))
EFI_PROG_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -isystem $(EFI_INC) \
	-isystem $(EFI_INC)/x86_64 -fpic -ffreestanding -fno-stack-protector \
	-fshort-wchar -mno-red-zone -DGNU_EFI_USE_MS_ABI \
	-fno-asynchronous-unwind-tables

efi-progs: $(EFI_PROGS)
check-extra:: efi-progs

$(EFI_PROGS_DIR)/%.o: test-vm/efi-progs/%.c
	@mkdir -p $(dir $@)
	@echo "  CC prog $<"
	$(Q)$(CC) $(EFI_PROG_CFLAGS) -c -o $@ $<

$(EFI_PROGS_DIR)/%.efi: $(EFI_PROGS_DIR)/%.o $(EFI_DIR)/efi.lds
	@echo "  EFI     $@"
	$(Q)$(LD) -shared -Bsymbolic -nostdlib -znocombreloc -T $(EFI_DIR)/efi.lds \
		$(EFI_CRT0) $< -L$(EFI_LIBDIR) -lefi -lgnuefi -o $(@:.efi=.so)
	$(Q)objcopy $(EFI_SECTIONS) --target efi-app-x86_64 $(@:.efi=.so) $@

.PHONY: efi-progs
