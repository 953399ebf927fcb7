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
# Until per-scene adaptation lands, the main job is the unadapted 4x upscale of the whole reel
# (sound and timing kept), plus a frame of each scene to inspect.
"$filmsr" upscale samples/reel_old.mp4 out/reel_old_x4.mkv --model compact-x4
"$filmsr" frames out/reel_old_x4.mkv --at 10 30 60 85 110 --out out/frames
