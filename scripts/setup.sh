#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine, run as root.
# Installs the system libraries FilmSR links against and the ffmpeg/ffprobe
# clients the tests use as independent readers, then fetches the model weights, LPIPS, NIQE
# and the training photos. Any asset that cannot be had stops it with one line naming it.
set -euo pipefail

system_packages=(
  pkg-config
  libavformat-dev libavcodec-dev libswscale-dev libavfilter-dev libavutil-dev
  libopenblas-dev
  ffmpeg
)

source "$(dirname "$0")/lib/packages.sh"
install_packages "${system_packages[@]}"
bash "$(dirname "$0")/fetch-assets.sh"
bash "$(dirname "$0")/fetch-lpips.sh"
bash "$(dirname "$0")/fetch-niqe.sh"
bash "$(dirname "$0")/fetch-photos.sh"
