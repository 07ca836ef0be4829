# mk/core32.mk - the core compiled for 32-bit x86, as the legacy BIOS
# platform runs it (flat 32-bit protected mode), on every `make check`.
#
#   make core32      build/core32/*.o and build/core32/core.o (all of them
#                    linked with ld -r), then the link check below
#
# There is no 32-bit libgcc here (no multilib), so the core may call only
# what a platform provides: the functions declared in its own headers
# (platform.h, libc.h) and the 64-bit division helpers the BIOS platform
# writes itself (CORE32_HELPERS).  Any other undefined symbol in core.o,
# say a libgcc helper for a new operation, fails the build here instead of
# the BIOS link later.

CORE32_DIR := $(BUILD)/core32

# FIRMWARE_STACK_LIMIT (Makefile): the per-function stack limit of
# every firmware build.
CORE32_CFLAGS := $(WARNINGS) $(CORE_FLAGS) $(FIRMWARE_STACK_LIMIT) -m32 \
	-march=i686 -ffreestanding -fno-pie -fno-pic -fno-stack-protector \
	-mno-sse -Os -Isrc/core
CORE32_OBJS := $(CORE_SRCS:src/core/%.c=$(CORE32_DIR)/%.o)
CORE32_HELPERS := __udivdi3 __umoddi3 __divdi3 __moddi3 __udivmoddi4 \
	__divmoddi4

core32: $(CORE32_DIR)/core.o

check-extra:: core32

$(CORE32_OBJS): mk/core32.mk

$(CORE32_DIR)/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	@echo "  CC 32   $<"
	$(Q)$(CC) $(CORE32_CFLAGS) -MMD -c -o $@ $<

# A symbol is the platform's if a core header declares it as a function.
$(CORE32_DIR)/core.o: $(CORE32_OBJS)
	@echo "  LD 32   $@"
	$(Q)$(LD) -m elf_i386 -r -o $@ $^
	$(Q)bad=; for sym in $$(nm -u $@ | awk '{ print $$2 }'); do \
		case " $(CORE32_HELPERS) " in *" $$sym "*) continue ;; esac; \
		grep -qE "[^A-Za-z0-9_]$$sym\(" src/core/*.h src/core/fs/*.h || \
			bad="$$bad $$sym"; \
	done; \
	if [ -n "$$bad" ]; then \
		echo "core32: $@ needs what no platform provides:$$bad" >&2; \
		exit 1; \
	fi

-include $(CORE32_OBJS:.o=.d)

.PHONY: core32
