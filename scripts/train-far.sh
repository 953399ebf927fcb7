#!/usr/bin/env bash
# Trains the committed feature-alignment regulariser, weights/far-alexnet.safetensors, from
# scratch: the small encoder G (and its projection) aligned to the fixed LPIPS AlexNet (conv1-2
# Gram statistics, standardised and projected to 64 values) on clean 96x96 patches of the
# training photographs (scripts/photos.tsv), each turned by a random flip/transposition:
# 3000 steps of 16 patches, Adam 2e-3 cosine to 2e-4, seed 1 (the full option set is stored
# in the file's metadata). One BLAS thread: faster than two on the shared 2-core machine.
# Resumable: run it again after an interruption and it goes on from the last checkpoint in the
# work folder (default out/train-far). About 15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product filmsr
work=${1:-out/train-far}
.build/release/filmsr lab train far --work "$work" --steps 3000 --learning-rate 2e-3 --seed 1 --threads 1 --output weights/far-alexnet.safetensors
cp "$work/loss.tsv" weights/far-alexnet.loss.tsv
cp "$work/validation.tsv" weights/far-alexnet.validation.tsv
