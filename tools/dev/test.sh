#!/bin/sh
# test.sh — builds isoloir with AddressSanitizer + UndefinedBehaviorSanitizer and runs every
# test, then builds the fuzz targets with clang and runs each for a fixed time, and last builds
# everything as the demo does (Release: gcc -O3 warns about things a Debug build does not).
# Environment: ISOLOIR_FUZZ_SECONDS (default 20), JOBS (default: number of cores).
set -eu
cd "$(dirname "$0")/../.."
sh tools/dev/deps.sh
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${ISOLOIR_FUZZ_SECONDS:-20}
SUPP="$(pwd)/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$SUPP/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

echo "== sanitizer build and tests"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DISOLOIR_SANITIZE=ON
cmake --build build/asan -j "$JOBS"
ctest --test-dir build/asan --output-on-failure -j "$JOBS"

echo "== fuzz targets ($FUZZ_SECONDS s each)"
CC=clang cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DISOLOIR_FUZZ=ON -DISOLOIR_KIOSK=OFF -DISOLOIR_FUZZ_SECONDS="$FUZZ_SECONDS"
cmake --build build/fuzz -j "$JOBS"
ctest --test-dir build/fuzz --output-on-failure -j "$JOBS" -L fuzz

echo "== release build (what tools/dev/demo.sh builds, and the benchmarks)"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build/release -j "$JOBS"
