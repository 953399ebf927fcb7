"""Reference SSIM values for Tests/EngineTests (Metrics.ssim), from scikit-image.

Peer: skimage.metrics.structural_similarity on the BT.601 luma of 8-bit RGB / 255, with the
settings SR papers use (Gaussian window sigma 1.5, truncate 3.5 -> 11x11, K1 0.01, K2 0.03,
population covariance, data_range 1). skimage averages over the valid region (crop of 5 px
each side), as Metrics.ssim does. Pairs: the LPIPS reference fixtures (same folder).

Run in a throwaway environment (never on filmsr's path):
    python3 -m venv /tmp/ssim-venv && /tmp/ssim-venv/bin/pip install scikit-image pillow
    /tmp/ssim-venv/bin/python scripts/reference/ssim_reference.py
"""
import json
import os

import numpy as np
import skimage
from PIL import Image
from skimage.metrics import structural_similarity

folder = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "EngineTests", "Reference", "lpips")
pairs = [("crop.png", "crop_blur0.8.png"), ("crop.png", "crop_blur3.2.png"), ("crop.png", "crop_noise0.05.png"),
         ("crop.png", "crop_jpeg_q20.png"), ("crop.png", "other_crop.png"), ("odd.png", "odd_blur1.6.png"),
         ("odd.png", "odd_noise0.05.png")]


def luma(name):
    rgb = np.asarray(Image.open(os.path.join(folder, name)).convert("RGB"), dtype=np.float64) / 255
    return 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]


results = []
for first, second in pairs:
    value = structural_similarity(luma(first), luma(second), gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                  data_range=1.0, K1=0.01, K2=0.03)
    results.append({"first": first, "second": second, "ssim": float(value)})

with open(os.path.join(folder, "..", "ssim.json"), "w") as out:
    json.dump({"implementation": f"scikit-image {skimage.__version__} structural_similarity", "pairs": results}, out, indent=1)
    out.write("\n")
