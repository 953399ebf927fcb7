#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine, run as root.
# Installs the system libraries FilmSR links against and the ffmpeg/ffprobe
# clients the tests use as independent readers. Fetching of model weights and
# training data is added here by the issues that need them.
set -euo pipefail

system_packages=(
  pkg-config
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
  libopenblas-dev
  ffmpeg
)

missing=()
for package in "${system_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bash "$(dirname "$0")/fetch-assets.sh"
bash "$(dirname "$0")/fetch-lpips.sh"
bash "$(dirname "$0")/fetch-niqe.sh"
bash "$(dirname "$0")/fetch-photos.sh"
