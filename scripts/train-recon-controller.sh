#!/usr/bin/env bash
# Trains the second committed branch, weights/reconstruction-x4-controller.safetensors: the
# committed branch (weights/reconstruction-x4.safetensors) continued with the HR-aware
# controller (QualityController): its head learns the true HR's quality indicator
# LPIPS(bicubic_up(LR), HR) from E's embedding, and R trains under the extent it gives.
# 600 steps of 8 pairs of 48x48 LR patches, peak learning rate 2e-5, L1 + 0.1 LPIPS, seed 2.
# Resumable like train-recon.sh (work folder: first argument, default
# out/train-recon-x4-controller).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product filmsr
work=${1:-out/train-recon-x4-controller}
.build/release/filmsr lab train recon --work "$work" --controller --initial weights/reconstruction-x4.safetensors \
  --steps 600 --learning-rate 2e-5 --lpips-weight 0.1 --seed 2 --validate-every 150 \
  --output weights/reconstruction-x4-controller.safetensors
.build/release/filmsr lab evaluate recon weights/reconstruction-x4-controller.safetensors
