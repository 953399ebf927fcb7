#!/usr/bin/env bash
# The whole test suite, from a fresh machine: set-up (idempotent), then every test target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# filmsr picks its OpenBLAS kernel itself (it re-executes with OPENBLAS_CORETYPE set); the
# test process links OpenBLAS directly, so it is given the same kernel here (the AVX-512 one
# where the CPU has AVX-512 F/DQ/BW/VL, else the AVX2 one where it has AVX2 and FMA; see
# BLASRuntime.recommendedCoreType).
cpu_flags=" $(grep -m1 '^flags' /proc/cpuinfo) "
has() { [[ "$cpu_flags" == *" $1 "* ]]; }
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if has avx512f && has avx512dq && has avx512bw && has avx512vl; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif has avx2 && has fma; then
    export OPENBLAS_CORETYPE=Haswell
  fi
fi
# Release build: the engine's numeric tests (real networks, finite differences) run 10-50x
# faster optimised; -enable-testing keeps @testable imports working.
build=(-c release -Xswiftc -enable-testing)
swift build "${build[@]}" --build-tests
report=.build/test-results.xml
status=0
swift test "${build[@]}" --skip-build --parallel --num-workers 2 --disable-swift-testing --xunit-output "$report" || status=$?
# Parallel XCTest prints no totals of its own: count them from the xUnit report.
python3 - "$report" <<'PY' || status=1
import sys, xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
total = failed = skipped = 0
for case in cases:
    total += 1
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    elif case.find("skipped") is not None:
        skipped += 1
print(f"tests: {total - failed - skipped} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or total == 0 else 0)
PY
exit $status
