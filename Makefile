# aoeboot - boot firmware for diskless machines on ATA over Ethernet.
#
#   make            build/aoectl (host tool) and the firmware images
#   make check      install what is missing, build, run every test
#   make demo       the main job on a built-in demo target
#   make bench      benchmarks (ratios against a baseline, same run)
#   make fuzz       run every fuzz harness for FUZZ_SECONDS each
#   V=1             show full commands
#
# Subsystems add their own rules in mk/*.mk (initramfs, efi, rom, ...).

BUILD   ?= build
CC      ?= cc
CLANG   ?= clang
BOARD   ?= default
FUZZ_SECONDS ?= 30

ifeq ($(V),1)
Q :=
else
Q := @
endif

WARNINGS := -std=c11 -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla
# Per-function stack limit of the firmware builds (mk/efi.mk, mk/core32.mk).
# 2048 bytes, as Linux's FRAME_WARN on 64-bit: every frame the core needs is
# under ~1.2 KiB (the striped-read planner, the settings word buffer), while
# what must not live on a firmware stack is bigger: a boot entry (4.7 KiB),
# a path (FS_PATH_MAX, 4 KiB), a command line with anything beside it
# (BOOTCFG_CMDLINE_MAX, 2 KiB).  Even twenty frames of 2 KiB stay far inside
# the 128 KiB UEFI guarantees to boot services.  gcc -fstack-usage shows
# each function's figure.
FIRMWARE_STACK_LIMIT := -Wstack-usage=2048
CORE_SRCS := $(sort $(wildcard src/core/*.c src/core/fs/*.c))
HOST_SRCS := $(filter-out src/host/aoectl.c,$(sort $(wildcard src/host/*.c)))

# The core is compiled freestanding everywhere, so the host build proves it
# needs nothing of libc but the few functions in src/core/libc.h.
CORE_FLAGS := -ffreestanding -fno-builtin-printf
HOST_CFLAGS := $(WARNINGS) -O2 -g -D_GNU_SOURCE
SAN_CFLAGS := $(WARNINGS) -O1 -g -D_GNU_SOURCE -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

all: host
host: $(BUILD)/aoectl

# --- optimised host build: aoectl -----------------------------------------
$(BUILD)/host/core/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HOST_CFLAGS) $(CORE_FLAGS) -MMD -c -o $@ $<

$(BUILD)/host/host/%.o: src/host/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HOST_CFLAGS) -MMD -c -o $@ $<

HOST_CORE_OBJS := $(CORE_SRCS:src/core/%.c=$(BUILD)/host/core/%.o)
HOST_PLAT_OBJS := $(HOST_SRCS:src/host/%.c=$(BUILD)/host/host/%.o)

$(BUILD)/aoectl: $(HOST_CORE_OBJS) $(HOST_PLAT_OBJS) $(BUILD)/host/host/aoectl.o
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $^

# --- sanitised build: unit tests ------------------------------------------
$(BUILD)/san/core/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	@echo "  CC san  $<"
	$(Q)$(CC) $(SAN_CFLAGS) $(CORE_FLAGS) -MMD -c -o $@ $<

$(BUILD)/san/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	@echo "  CC san  $<"
	$(Q)$(CC) $(SAN_CFLAGS) -Wno-missing-prototypes -MMD -c -o $@ $<

SAN_CORE_OBJS := $(CORE_SRCS:src/core/%.c=$(BUILD)/san/core/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HELPERS := $(filter-out $(UNIT_SRCS),$(sort $(wildcard tests/unit/*.c)))
UNIT_HELPER_OBJS := $(UNIT_HELPERS:tests/unit/%.c=$(BUILD)/san/tests/%.o)

$(BUILD)/tests/%: $(BUILD)/san/tests/%.o $(UNIT_HELPER_OBJS) $(SAN_CORE_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD san  $@"
	$(Q)$(CC) $(SAN_CFLAGS) -o $@ $^

unit: $(UNIT_BINS)

# --- test tools (relay etc.): plain host programs in tests/tools ----------
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tools/%)
$(BUILD)/tools/%: tests/tools/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $<

# --- fuzzing ----------------------------------------------------------------
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_BASE := $(WARNINGS) -Wno-missing-prototypes -O1 -g -D_GNU_SOURCE \
	-fno-sanitize-recover=all
FUZZ_CFLAGS := $(FUZZ_BASE) -fsanitize=fuzzer,address,undefined
FUZZ_OBJ_CFLAGS := $(FUZZ_BASE) -fsanitize=fuzzer-no-link,address,undefined
FUZZ_CORE_OBJS := $(CORE_SRCS:src/core/%.c=$(BUILD)/fuzz/core/%.o) \
	$(BUILD)/fuzz/core/fuzzplat.o
# The core is compiled once for all harnesses, with coverage and sanitizers.
$(BUILD)/fuzz/core/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	@echo "  CC fuzz $<"
	$(Q)$(CLANG) $(FUZZ_OBJ_CFLAGS) \
		$(CORE_FLAGS) -MMD -c -o $@ $<
$(BUILD)/fuzz/core/fuzzplat.o: tests/fuzz/fuzzplat.c
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_OBJ_CFLAGS) -c -o $@ $<
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_CORE_OBJS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_CORE_OBJS)

fuzz-build: $(FUZZ_BINS)
fuzz: deps $(FUZZ_BINS)
	$(Q)scripts/run-fuzz $(FUZZ_SECONDS) $(FUZZ_BINS)

# --- top-level jobs -----------------------------------------------------------
deps:
	$(Q)scripts/install-deps

check: deps
	$(Q)$(MAKE) --no-print-directory all unit tools fuzz-build check-extra
	$(Q)tests/run

tools: $(TOOL_BINS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all demo-extra
	$(Q)scripts/demo

# AoE throughput against the iPXE-like baseline, then a file through the
# whole storage stack against raw reads; mk/ fragments add more.
bench: deps
	$(Q)$(MAKE) --no-print-directory all tools kernel bench-extra
	$(Q)scripts/bench
	$(Q)scripts/bench-fs | tee -a build/bench/results.md

clean:
	rm -rf $(BUILD)

# Subsystem fragments hook into these with double-colon rules.
check-extra:: ;
demo-extra:: ;
bench-extra:: ;

-include mk/*.mk
-include $(shell find $(BUILD)/host $(BUILD)/san $(BUILD)/efi $(BUILD)/fuzz/core -name '*.d' 2>/dev/null)

.PHONY: all host unit tools fuzz fuzz-build deps check demo bench clean \
	check-extra demo-extra bench-extra
.SECONDARY:
