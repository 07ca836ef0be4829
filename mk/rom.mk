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
# aoeboot_driver_main becomes the entry (gnu-efi's crt0 calls efi_main),
# then objcopy makes it subsystem 11 (efi-bsdrv-x86_64).  See docs/rom.md.

MKROM := $(BUILD)/mkrom
ROM_DIR := $(BUILD)/rom
ROM_BOARDS := qemu-e1000 qemu-virtio qemu-virtio-san
ROM_COMPRESS ?= 1

ifeq ($(BOARD),default)
EFI_DRV := $(EFI_DIR)/aoeboot-drv.efi
else
EFI_DRV := $(EFI_DIR)/aoeboot-drv-$(BOARD).efi
endif
EFI_DRV_SO := $(EFI_DRV:.efi=.so)
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

$(EFI_DRV_SO): $(EFI_DRV_OBJS) $(EFI_CORE_OBJS) $(EFI_BOARD_OBJ) $(EFI_DIR)/efi.lds
	@echo "  LD drv  $@"
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_CRT0) $(filter %.o,$^) \
		-L$(EFI_LIBDIR) -lefi -lgnuefi -o $@

$(EFI_DRV): $(EFI_DRV_SO)
	@echo "  EFI drv $@"
	$(Q)objcopy $(EFI_SECTIONS) --target efi-bsdrv-x86_64 $< $@
	$(Q)size=$$(stat -c %s $@); \
	echo "  SIZE    $@: $$size bytes, $$(( ($(EFI_SIZE_GOAL) - size) / 1024 )) KiB under the $$(( $(EFI_SIZE_GOAL) / 1024 )) KiB goal"; \
	[ $$size -le $(EFI_SIZE_GOAL) ] || echo "  WARNING $@ is over the size goal"

$(ROM_DIR)/$(BOARD).rom: $(EFI_DRV) $(MKROM) boards/$(BOARD).conf
	@mkdir -p $(dir $@)
	@echo "  ROM     $@"
	$(Q)$(MKROM) -o $@ --board boards/$(BOARD).conf \
		$(if $(filter 1,$(ROM_COMPRESS)),--compress) $(EFI_DRV)
	$(Q)echo "  SIZE    $@: $$(stat -c %s $@) bytes"

# Every ROM board, each in its own make (BOARD selects the objects).  The
# default driver first, so the sub-makes find the shared objects built.
roms: $(MKROM) $(EFI_DRV)
	$(Q)for b in $(ROM_BOARDS); do \
		$(MAKE) --no-print-directory rom BOARD=$$b || exit 1; done

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
