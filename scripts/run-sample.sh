#!/usr/bin/env bash
# The main job on a bundled sample, from a fresh machine: set-up (idempotent), a release
# build, then filmsr on samples/reel_old.mp4. Results go to ./out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product filmsr
filmsr=.build/release/filmsr
mkdir -p out
"$filmsr" probe samples/reel_old.mp4
# Until per-scene restoration lands, the main job is the lossless archival master of the reel,
# plus frames to inspect.
"$filmsr" transcode samples/reel_old.mp4 out/reel_old_master.mkv --codec ffv1
"$filmsr" frames out/reel_old_master.mkv --at 0 2s 4s --out out/frames
