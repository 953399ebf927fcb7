#!/usr/bin/env bash
# The main job on a bundled sample, from a fresh machine: set-up (idempotent), a release
# build, then `filmsr restore` on samples/reel_old.mp4: scenes, per-scene LWay adaptation with
# the committed reconstruction branch, the 4x render with sound. Results go to ./out/:
# out/reel_old_restored.mkv, and its work folder with report.html and the dumped frames.
# Run it again after an interruption: it resumes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product filmsr
filmsr=.build/release/filmsr
mkdir -p out
"$filmsr" probe samples/reel_old.mp4
"$filmsr" scenes samples/reel_old.mp4
"$filmsr" restore samples/reel_old.mp4 out/reel_old_restored.mkv --work out/reel_old_restored.work --dump 10 30 60 85 110
"$filmsr" probe out/reel_old_restored.mkv
echo "report: out/reel_old_restored.work/report.html"
