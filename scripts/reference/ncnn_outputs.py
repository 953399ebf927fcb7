#!/usr/bin/env python3
"""Reference outputs of the peer (ncnn, CPU, float32) for FilmSR's engine parity tests.

Runs the same Real-ESRGAN ncnn weights FilmSR loads (assets/models, fetched by
scripts/fetch-assets.sh) on crops of samples/still.png and writes each output as raw
little-endian float32 CHW to Tests/EngineTests/Reference/<model>.<c>x<h>x<w>.f32, with the
input crop recorded in reference.json. fp16/bf16 storage and arithmetic are switched off
so that ncnn computes in float32 like FilmSR does.

    python3 -m pip install ncnn==1.0.20261020 numpy
    python3 scripts/reference/ncnn_outputs.py
"""
import json
import os
import subprocess
import sys

import ncnn
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, "assets", "models")
OUT = os.path.join(ROOT, "Tests", "EngineTests", "Reference")

# name -> (ncnn file stem, crop size); x4plus is 27x slower, so it gets a smaller crop.
CASES = {
    "compact-x4": ("REALESRGAN_ANIMAVIDEOV3_UP4X", 64),
    "compact-x3": ("REALESRGAN_ANIMAVIDEOV3_UP3X", 64),
    "compact-x2": ("REALESRGAN_ANIMAVIDEOV3_UP2X", 64),
    "x4plus": ("REALESRGAN_X4PLUS_UP4X", 32),
}
CROP_ORIGIN = (40, 24)  # (y, x) in still.png: a detailed region


def still_rgb():
    """samples/still.png decoded by ffmpeg to rgb24 (the exact bytes FilmSR decodes)."""
    path = os.path.join(ROOT, "samples", "still.png")
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(128, 128, 3)


def run(stem, chw):
    net = ncnn.Net()
    net.opt.use_vulkan_compute = False
    net.opt.num_threads = 1
    net.opt.use_fp16_packed = False
    net.opt.use_fp16_storage = False
    net.opt.use_fp16_arithmetic = False
    net.opt.use_bf16_storage = False
    net.load_param(os.path.join(MODELS, stem + ".param"))
    net.load_model(os.path.join(MODELS, stem + ".bin"))
    # The Mat borrows the array's memory: both must outlive the extraction.
    data = np.ascontiguousarray(chw, dtype=np.float32)
    mat = ncnn.Mat(data)
    extractor = net.create_extractor()
    extractor.input("data", mat)
    status, output = extractor.extract("output")
    if status != 0:
        sys.exit(f"ncnn failed on {stem}: {status}")
    return np.array(output, dtype=np.float32, copy=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    image = still_rgb()
    record = {"source": "samples/still.png", "crop_origin_yx": CROP_ORIGIN, "ncnn": ncnn.__version__, "cases": {}}
    y, x = CROP_ORIGIN
    for name, (stem, size) in CASES.items():
        chw = image[y:y + size, x:x + size].transpose(2, 0, 1).astype(np.float32) / 255
        output = run(stem, chw)
        c, h, w = output.shape
        file = f"{name}.{c}x{h}x{w}.f32"
        output.astype("<f4").tofile(os.path.join(OUT, file))
        record["cases"][name] = {"model": stem, "crop": size, "file": file}
        print(f"{name}: {size}x{size} -> {c}x{h}x{w}, range {output.min():.3f}..{output.max():.3f}")
    with open(os.path.join(OUT, "reference.json"), "w") as handle:
        json.dump(record, handle, indent=2)


if __name__ == "__main__":
    main()
