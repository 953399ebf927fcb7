#!/usr/bin/env python3
"""The fine-tuning peer's timings for scripts/bench-engine.sh: PyTorch on the CPU (PyPI's wheel,
its default oneDNN convolutions) running the same training step as `filmsr lab bench engine`: the
compact-x4 network (SRVGGNetCompact, realesr-animevideov3's architecture: conv 3->64, PReLU,
16 x (conv 64->64, PReLU), conv 64->48, pixel shuffle x4 plus the nearest-upsampled input),
forward, mean L1, backward and Adam (lr 1e-5) on 4 patches of 64x64 against 256x256 targets,
1 and 2 threads, medians after one warm-up step. Random weights: a step's time does not depend
on their values. Prints one JSON object per measurement, like `filmsr lab bench engine --json`.

    python3 -m pip install torch==2.15.0      (PyPI's wheel, as scripts/bench-engine.sh installs it)
    python3 scripts/reference/pytorch_timing.py [--runs N]
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

FEATURES, NUM_CONV, SCALE = 64, 16, 4
BATCH, PATCH = 4, 64


class Compact(torch.nn.Module):
    """SRVGGNetCompact as Real-ESRGAN defines it (and Sources/Engine reads it from the ncnn file)."""

    def __init__(self):
        super().__init__()
        layers, channels = [], 3
        for _ in range(NUM_CONV + 1):
            layers += [torch.nn.Conv2d(channels, FEATURES, 3, padding=1), torch.nn.PReLU(FEATURES)]
            channels = FEATURES
        layers.append(torch.nn.Conv2d(FEATURES, 3 * SCALE * SCALE, 3, padding=1))
        self.body = torch.nn.Sequential(*layers)

    def forward(self, x):
        return F.pixel_shuffle(self.body(x), SCALE) + F.interpolate(x, scale_factor=SCALE, mode="nearest")


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
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    torch.manual_seed(3)
    for threads in args.threads:
        torch.set_num_threads(threads)
        model = Compact()
        optimiser = torch.optim.Adam(model.parameters(), lr=1e-5)
        inputs = torch.rand(BATCH, 3, PATCH, PATCH)
        targets = torch.rand(BATCH, 3, PATCH * SCALE, PATCH * SCALE)

        def step():
            optimiser.zero_grad()
            loss = F.l1_loss(model(inputs), targets)
            loss.backward()
            optimiser.step()

        seconds = median(args.runs, step)
        name = f"compact-x4 training step, {BATCH} x {PATCH}x{PATCH} patches"
        print(json.dumps({"name": name, "threads": threads, "seconds": seconds, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
