# mk/benchstorm.mk - the boot-storm benchmark (scripts/bench-storm): N = 1,
# 8, 32, 64 clients fetch the same 40 MiB at once over AoE (one vblade),
# TFTP (dnsmasq) and HTTP (busybox httpd), same run.  Figures only.
#
#   make bench-storm                       about 2-3 minutes
#   make bench-storm BENCH_STORM_ARGS='--ns "1 8" --mib 8'
#   make bench BENCH_STORM=0               `make bench` without it
#
# Report: build/bench/storm.md; per-client times: build/bench/storm/.

BENCH_STORM ?= 1
BENCH_STORM_ARGS ?=

bench-storm: host
	$(Q)scripts/bench-storm $(BENCH_STORM_ARGS)

ifneq ($(BENCH_STORM),0)
bench-extra:: bench-storm
endif

.PHONY: bench-storm
