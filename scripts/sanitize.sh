#!/usr/bin/env bash
# The Engine tests under AddressSanitizer and under ThreadSanitizer (debug builds, each in its own
# git-ignored scratch folder). OpenBLAS is given the kernel filmsr picks, as in scripts/test.sh.
# Slow: the engine's numeric tests run unoptimised here.
#
#   bash scripts/sanitize.sh [address|thread ...]     (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/openblas.sh
[ -x .build/release/filmsr ] || swift build -c release --product filmsr
export_openblas_kernel .build/release/filmsr
# Swift's own crash handler would stand between a finding and the sanitizer's report.
export SWIFT_BACKTRACE=enable=no
# No suppressions: OpenBLAS's own threads (uninstrumented) gave no report; the first report stops the run.
export TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}"
# LeakSanitizer is off: XCTest on Linux keeps its test-case objects and expectations' weak
# references to the end (every report's stack runs through libXCTest), so it reports XCTest, not us.
export ASAN_OPTIONS="detect_leaks=0 ${ASAN_OPTIONS:-}"
sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)
for sanitizer in "${sanitizers[@]}"; do
  start=$(date +%s)
  swift test --sanitize="$sanitizer" --scratch-path ".build-$sanitizer" --filter EngineTests --disable-swift-testing
  echo "sanitize: $sanitizer: EngineTests passed in $(( $(date +%s) - start )) s"
done
