#!/usr/bin/env bash
# Fetches NIQE's pristine model into ./assets/niqe (git-ignored), once, and checks it against
# scripts/assets.sha256. Never fetched at run time.
#   PyPI sdist basicsr==1.4.2 (Apache-2.0) holds basicsr/metrics/niqe_pris_params.npz: the mean
#   (1x36) and covariance (36x36) of NIQE's features over pristine images, and the 7x7 Gaussian
#   window, all float64. It is converted (numpy only) to assets/niqe/niqe_pris_params.safetensors
#   (F64, same names) for Sources/Engine/Quality/NIQE.swift.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
assets=assets
target=niqe/niqe_pris_params.safetensors
if (cd "$assets" 2>/dev/null && grep " $target\$" ../scripts/assets.sha256 | sha256sum --check --quiet --status 2>/dev/null); then
  exit 0
fi
echo "fetch-niqe: downloading NIQE pristine parameters (PyPI basicsr==1.4.2)" >&2
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
# pip prepares an sdist's metadata before saving it. basicsr's setup.py asks for torch and
# cython as setup_requires; PEP 517 without build isolation skips those, and setuptools then
# needs only `wheel`, put in a throwaway environment beside the system packages.
python3 -m venv --without-pip --system-site-packages "$download/venv"
"$download/venv/bin/python" -m pip install --quiet --disable-pip-version-check wheel >/dev/null 2>&1 ||
  setup_fail "cannot install wheel from PyPI (pip needs it to prepare basicsr's sdist)"
PYTHON="$download/venv/bin/python" pypi_download "$download" --no-binary :all: --no-build-isolation --use-pep517 basicsr==1.4.2
verify_checksums "$download" ' basicsr-1.4.2.tar.gz$'
tar -xzf "$download/basicsr-1.4.2.tar.gz" -C "$download" basicsr-1.4.2/basicsr/metrics/niqe_pris_params.npz
mkdir -p "$assets/niqe"
python3 - "$download/basicsr-1.4.2/basicsr/metrics/niqe_pris_params.npz" "$assets/$target.partial" <<'PY' || setup_fail "cannot convert basicsr's niqe_pris_params.npz (needs python3 with numpy)"
import json, struct, sys
import numpy as np

source, output = sys.argv[1], sys.argv[2]
with np.load(source, allow_pickle=False) as archive:
    tensors = {name: np.ascontiguousarray(archive[name], dtype="<f8") for name in ("mu_pris_param", "cov_pris_param", "gaussian_window")}

header, offset = {}, 0
for name in sorted(tensors):
    value = tensors[name]
    header[name] = {"dtype": "F64", "shape": list(value.shape), "data_offsets": [offset, offset + value.nbytes]}
    offset += value.nbytes
header["__metadata__"] = {"source": "PyPI basicsr==1.4.2 basicsr/metrics/niqe_pris_params.npz"}
encoded = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
encoded += b" " * (-len(encoded) % 8)
with open(output, "wb") as handle:
    handle.write(struct.pack("<Q", len(encoded)))
    handle.write(encoded)
    for name in sorted(tensors):
        handle.write(tensors[name].tobytes())
PY
verify_checksums "$assets" " $target\$" .partial
mv "$assets/$target.partial" "$assets/$target"
