#!/usr/bin/env bash
# The whole test suite, from a fresh machine: set-up (idempotent), then every test target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# filmsr picks its OpenBLAS kernel itself (it re-executes with OPENBLAS_CORETYPE set); the
# test process links OpenBLAS directly, so it is given the same kernel here.
export OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"
swift build --build-tests
swift test --skip-build --parallel --num-workers 2
