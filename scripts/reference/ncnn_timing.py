#!/usr/bin/env python3
"""The peer's timings for scripts/bench-engine.sh: ncnn (PyPI ncnn, CPU, its default options)
running the same Real-ESRGAN weights as FilmSR on the same input sizes, 1 and 2 threads,
medians. 720x480 frames are cut into 200-pixel tiles with 10 pixels of context, as
realesrgan-ncnn-vulkan does. Prints one JSON object per measurement, like `filmsr lab bench engine --json`.

    python3 scripts/reference/ncnn_timing.py [--runs N] [--full]
"""
import argparse
import json
import os
import time

import ncnn
import numpy as np

MODELS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "assets", "models")
STEMS = {"compact-x4": "REALESRGAN_ANIMAVIDEOV3_UP4X", "x4plus": "REALESRGAN_X4PLUS_UP4X"}


def load(stem, threads):
    net = ncnn.Net()
    net.opt.use_vulkan_compute = False
    net.opt.num_threads = threads
    net.load_param(os.path.join(MODELS, stem + ".param"))
    net.load_model(os.path.join(MODELS, stem + ".bin"))
    return net


def infer(net, chw):
    data = np.ascontiguousarray(chw, dtype=np.float32)
    mat = ncnn.Mat(data)
    extractor = net.create_extractor()
    extractor.input("data", mat)
    _, output = extractor.extract("output")
    return np.array(output, copy=True)


def tiled(net, image, tile=200, context=10, scale=4):
    _, height, width = image.shape
    result = np.zeros((3, height * scale, width * scale), dtype=np.float32)
    for top in range(0, height, tile):
        for left in range(0, width, tile):
            bottom, right = min(top + tile, height), min(left + tile, width)
            t, l = max(0, top - context), max(0, left - context)
            b, r = min(height, bottom + context), min(width, right + context)
            out = infer(net, image[:, t:b, l:r])
            result[:, top * scale:bottom * scale, left * scale:right * scale] = \
                out[:, (top - t) * scale:(top - t + bottom - top) * scale, (left - l) * scale:(left - l + right - left) * scale]
    return result


def median(runs, body):
    body()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(2)
    for threads in (1, 2):
        cases = [("compact-x4", 128, 128, args.runs), ("compact-x4", 720, 480, args.runs),
                 ("x4plus", 128, 128, max(1, args.runs // 2))]
        if args.full:
            cases.append(("x4plus", 720, 480, 1))
        for model, width, height, runs in cases:
            net = load(STEMS[model], threads)
            image = rng.random((3, height, width), dtype=np.float32)
            seconds = median(runs, lambda: tiled(net, image))
            name = f"{model} {width}x{height}" + (" tiled 200" if max(width, height) > 200 else "")
            print(json.dumps({"name": name, "threads": threads, "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
