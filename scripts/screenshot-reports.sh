#!/usr/bin/env bash
# The screenshots in docs/screenshots/ that the README shows: a folder of the two sample films
# and a file that is no film, restored as a batch (defaults, 30 iterations, frame 40 dumped), its
# collection index and the reel's report, as headless Chromium draws them from file:// with the
# network off. Takes a few minutes.
#   usage: scripts/screenshot-reports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/lib/packages.sh
install_packages chromium fonts-dejavu-core
# The test suite's flags, so that this build and the tests' are one.
swift build -c release -Xswiftc -enable-testing --product filmsr >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/films" docs/screenshots
cp samples/reel_old.mp4 "$work/films/reel.mp4"
cp samples/tape_old.mp4 "$work/films/tape.mp4"
head -c 4096 /dev/urandom >"$work/films/damaged.mp4"
# Exits 1: the damaged file fails, as it should, and the index shows it.
.build/release/filmsr restore "$work/films" "$work/restored" --iterations 30 --seed 1 --dump 40 || true

# shot PAGE WIDTH,HEIGHT NAME: a JPEG of the page's top WIDTH x HEIGHT pixels.
shot() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --proxy-server=127.0.0.1:9 --virtual-time-budget=5000 --window-size="$2" \
    --screenshot="$work/shot.png" "file://$1" 2>/dev/null
  ffmpeg -v error -y -i "$work/shot.png" -q:v 3 "docs/screenshots/$3"
  echo "docs/screenshots/$3"
}
shot "$work/restored/index.html" 1280,480 collection-index.jpg
shot "$work/restored/reel.mkv.work/report.html" 1280,2300 report.jpg
