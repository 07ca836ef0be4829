#!/bin/bash
# fuzz_corpus.sh - every libFuzzer harness replays its committed corpus
# (seeds and the regression inputs of crashes once found), then fuzzes for
# FUZZ_SMOKE_SECONDS (default 10) from there.  A crash, leak or sanitizer
# report fails the case; the input that did it is left in build/fuzz/.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${FUZZ_SMOKE_SECONDS:-10}
status=0
found=0
for f in "$root"/build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	found=1
	name=$(basename "$f")
	corpus=$root/tests/fuzz/corpus/$name
	out=$root/build/fuzz/smoke/$name
	rm -rf "$out"
	mkdir -p "$out/work" "$out/crashes"
	if [ -d "$corpus" ]; then
		if "$f" -runs=0 -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix="$out/crashes/" "$corpus" >"$out/replay.log" 2>&1; then
			echo "PASS: ${name}_corpus_replay ($(ls "$corpus" | wc -l) inputs)"
		else
			echo "FAIL: ${name}_corpus_replay: see $out/replay.log"
			tail -n 30 "$out/replay.log"
			status=1
		fi
	fi
	if "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=1048576 -artifact_prefix="$out/crashes/" "$out/work" \
		${corpus:+$( [ -d "$corpus" ] && echo "$corpus")} >"$out/fuzz.log" 2>&1; then
		runs=$(grep -oE '^Done [0-9]+ runs' "$out/fuzz.log" | awk '{print $2}')
		echo "PASS: ${name}_fuzz_${secs}s (${runs:-?} runs)"
	else
		echo "FAIL: ${name}_fuzz_${secs}s: see $out/fuzz.log"
		tail -n 30 "$out/fuzz.log"
		status=1
	fi
done
if [ $found = 0 ]; then
	echo "FAIL: fuzz_harnesses: none built (make fuzz-build)"
	status=1
fi
exit $status
