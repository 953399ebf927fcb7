#!/usr/bin/env bash
# swift-format (it ships with the Swift 6 toolchain) with the house settings in .swift-format:
# 4 spaces, lines up to 150 characters, paired values declared on one line (`let a = 1, b = 2`).
# Not a CI gate: the tree predates the file and differs from the pretty-printer mostly in how it
# indents continuation lines. Run it on what you change.
#
#   bash scripts/format.sh lint|format [FILE ...]   (default: Swift files changed since HEAD, and new ones)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-lint}
shift || true
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <({ git diff --name-only HEAD; git ls-files --others --exclude-standard; } | grep '\.swift$' | sort -u)
fi
[ ${#files[@]} -gt 0 ] || { echo "format: no Swift file changed"; exit 0; }
case "$mode" in
  lint) swift format lint --strict --configuration .swift-format "${files[@]}" ;;
  format) swift format format --in-place --configuration .swift-format "${files[@]}" ;;
  *) echo "format: usage: scripts/format.sh lint|format [FILE ...]" >&2; exit 2 ;;
esac
