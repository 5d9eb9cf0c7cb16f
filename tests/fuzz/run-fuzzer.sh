#!/bin/sh
# run-fuzzer.sh FUZZER SEED_CORPUS WORK_DIR SECONDS
# Runs a libFuzzer target for a fixed time, starting from a copy of the seed corpus (the
# checked-in corpus is never modified). Any crash, leak or timeout fails the test; the
# reproducer is left in WORK_DIR.
set -eu
fuzzer=$1 seeds=$2 work=$3 seconds=$4
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp -r "$seeds"/. "$work/corpus/" 2>/dev/null || true
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus"
