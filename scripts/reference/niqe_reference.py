"""Reference NIQE values for Tests/EngineTests (Engine/Quality/NIQE.swift), from basicsr 1.4.2 itself.

Peer: basicsr.metrics.niqe.calculate_niqe (crop_border as listed, input_order 'HWC',
convert_to 'y') on 8-bit BGR pictures, with its own niqe_pris_params.npz. basicsr's package
__init__ imports every network and dataset, so niqe.py, metric_util.py, color_util.py,
matlab_functions.py and registry.py are imported from the extracted sdist under stand-in
package modules: the code that runs is basicsr's, unchanged.

Pictures (written to Tests/EngineTests/Reference/niqe/ when they are not decoded from the
samples): frames of samples/reel_clean.mp4 (768x576) and samples/reel_old.mp4 (192x144, two
blocks), decoded by the ffmpeg tool to rgb24 as the Swift test decodes them; a 288x192 crop of
a clean frame, blurred (Gaussian sigma 2) and noisy (Gaussian sigma 12/255, seed 0); the crop
with its top 96 rows black (flat blocks: NaN features, made by the test itself); samples/still.png (128x128, one block:
basicsr fails, so must the engine).

Run in a throwaway environment (never on filmsr's path), after scripts/fetch-niqe.sh's sdist:
    python3 -m venv /tmp/niqe-venv
    /tmp/niqe-venv/bin/pip install torch numpy scipy opencv-python-headless pillow   # torch CPU
    pip download --no-deps --no-binary :all: basicsr==1.4.2 (as fetch-niqe.sh does); tar -xzf it
    /tmp/niqe-venv/bin/python scripts/reference/niqe_reference.py BASICSR_SDIST_FOLDER
"""
import hashlib
import importlib
import json
import os
import subprocess
import sys
import types

import cv2
import numpy as np
import torch
from PIL import Image

sdist = os.path.abspath(sys.argv[1])
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
folder = os.path.join(root, "Tests", "EngineTests", "Reference", "niqe")
os.makedirs(folder, exist_ok=True)

for name in ("basicsr", "basicsr.metrics", "basicsr.utils"):
    package = types.ModuleType(name)
    package.__path__ = [os.path.join(sdist, *name.split("."))]
    sys.modules[name] = package
# metric_util.py imports bgr2ycbcr from the utils package.
sys.modules["basicsr.utils"].bgr2ycbcr = importlib.import_module("basicsr.utils.color_util").bgr2ycbcr
niqe_module = importlib.import_module("basicsr.metrics.niqe")


def decoded_frame(path, index):
    """Frame `index` of a sample as rgb24, decoded by the ffmpeg tool (the Swift test runs the same command)."""
    command = ["ffmpeg", "-v", "error", "-i", os.path.join(root, path), "-vf", f"select=eq(n\\,{index})", "-frames:v", "1",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    data = subprocess.run(command, check=True, capture_output=True).stdout
    probe = ["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "stream=width,height", "-of", "csv=p=0",
             os.path.join(root, path)]
    width, height = map(int, subprocess.run(probe, check=True, capture_output=True, text=True).stdout.split(","))
    return np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)


def png(name, rgb=None):
    path = os.path.join(folder, name)
    if rgb is not None:
        Image.fromarray(rgb).save(path)
    return np.asarray(Image.open(path).convert("RGB"))


clean = decoded_frame("samples/reel_clean.mp4", 40)
crop = png("crop.png", clean[192:384, 240:528].copy())
blurred = png("crop_blur2.png", np.clip(np.round(cv2.GaussianBlur(crop.astype(np.float64), (0, 0), 2.0)), 0, 255).astype(np.uint8))
noise = np.random.default_rng(0).normal(0, 12, crop.shape)
noisy = png("crop_noise12.png", np.clip(np.round(crop.astype(np.float64) + noise), 0, 255).astype(np.uint8))
letterbox = crop.copy()
letterbox[:96] = 0  # the Swift test blacks out the same rows of crop.png

cases = [
    {"picture": "samples/reel_clean.mp4", "frame": 40, "rgb": clean, "crop_border": 0},
    {"picture": "samples/reel_clean.mp4", "frame": 40, "rgb": clean, "crop_border": 5},
    {"picture": "samples/reel_clean.mp4", "frame": 100, "rgb": decoded_frame("samples/reel_clean.mp4", 100), "crop_border": 0},
    {"picture": "samples/reel_old.mp4", "frame": 40, "rgb": decoded_frame("samples/reel_old.mp4", 40), "crop_border": 0},
    {"picture": "samples/reel_old.mp4", "frame": 100, "rgb": decoded_frame("samples/reel_old.mp4", 100), "crop_border": 0},
    {"picture": "crop.png", "rgb": crop, "crop_border": 0},
    {"picture": "crop_blur2.png", "rgb": blurred, "crop_border": 0},
    {"picture": "crop_noise12.png", "rgb": noisy, "crop_border": 0},
    {"picture": "crop.png", "black_rows": 96, "rgb": letterbox, "crop_border": 0},
]
results = []
for case in cases:
    rgb = case.pop("rgb")
    case["rgb24_sha256"] = hashlib.sha256(rgb.tobytes()).hexdigest()
    case["niqe"] = float(niqe_module.calculate_niqe(rgb[..., ::-1], case["crop_border"], input_order="HWC", convert_to="y"))
    results.append(case)
    print(case)

# One 96x96 block gives a covariance of a single sample: basicsr cannot score the still.
still = np.asarray(Image.open(os.path.join(root, "samples", "still.png")).convert("RGB"))
try:
    niqe_module.calculate_niqe(still[..., ::-1], 0)
    unscorable = None
except Exception as error:  # numpy's LinAlgError from pinv of NaN
    unscorable = {"picture": "samples/still.png", "error": f"{type(error).__name__}: {error}"}

with open(os.path.join(folder, "..", "niqe.json"), "w") as out:
    json.dump({"implementation": f"basicsr 1.4.2 calculate_niqe (numpy {np.__version__}, torch {torch.__version__})",
               "cases": results, "unscorable": unscorable}, out, indent=1)
    out.write("\n")
