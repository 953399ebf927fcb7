#!/usr/bin/env bash
# The whole test suite, from a fresh machine: set-up (idempotent), then every test target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The report pages are tested in a real browser.
source scripts/lib/packages.sh
install_packages chromium fonts-dejavu-core
# Release build: the engine's numeric tests (real networks, finite differences) run 10-50x
# faster optimised; -enable-testing keeps @testable imports working.
build=(-c release -Xswiftc -enable-testing)
swift build "${build[@]}" --build-tests
source scripts/lib/openblas.sh
export_openblas_kernel .build/release/filmsr
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
# The cluster test: a real single-node Slurm on loopback, and GNU parallel.
bash scripts/test-slurm.sh || status=1
exit $status
