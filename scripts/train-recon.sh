#!/usr/bin/env bash
# Trains the committed LR reconstruction branch, weights/reconstruction-x4.safetensors, from
# scratch: E and R on the training photographs (scripts/photos.tsv) degraded on the fly by the
# six degradation families, L1 + 0.1 LPIPS, 2400 steps of 8 pairs of 48x48 LR patches, seed 1
# (every other option at its default; the full set is stored in the file's metadata).
# Resumable: run it again after an interruption and it goes on from the last checkpoint in
# the work folder (default out/train-recon-x4). About 75-120 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product filmsr
work=${1:-out/train-recon-x4}
.build/release/filmsr lab train recon --work "$work" --steps 2400 --lpips-weight 0.1 --seed 1 --output weights/reconstruction-x4.safetensors
.build/release/filmsr lab evaluate recon weights/reconstruction-x4.safetensors
