#!/usr/bin/env bash
# Trains weights/reconstruction-x4-bank.safetensors (issue 4): the controller branch
# (weights/reconstruction-x4-controller.safetensors) continued with R's degradation bank
# (a softmax blend, read from E's embedding, of blurred area/bilinear/bicubic shrinks that
# replaces the plain area shrink), R's residual gate, a degradation-family classifier on the
# embedding (cross-entropy weight 0.1) and a PSNR loss (weight 0.03) beside L1 + 0.1 LPIPS.
# 3000 steps of 8 pairs of 48x48 LR patches, peak learning rate 1.5e-4, seed 11. Resumable
# like pretrain-recon.sh (work folder: first argument, default out/pretrain-recon-x4-bank).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product filmsr
work=${1:-out/pretrain-recon-x4-bank}
.build/release/filmsr pretrain-recon --work "$work" --initial weights/reconstruction-x4-controller.safetensors \
  --controller --degradation-bank --residual-gate --family-classifier --family-weight 0.1 --psnr-weight 0.03 \
  --steps 3000 --learning-rate 1.5e-4 --lpips-weight 0.1 --seed 11 --validate-every 250 \
  --output weights/reconstruction-x4-bank.safetensors --output-half
.build/release/filmsr evaluate-recon weights/reconstruction-x4-bank.safetensors
