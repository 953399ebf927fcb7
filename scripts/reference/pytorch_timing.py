#!/usr/bin/env python3
"""The PyTorch peer's timings for scripts/bench-engine.sh: PyTorch on the CPU (PyPI's wheel,
its default oneDNN convolutions) running what `filmsr lab bench engine` runs. Inference
(torch.no_grad, one picture): compact-x4 at 128x128 and 720x480 (PyTorch takes the whole frame
at once, the way Real-ESRGAN's scripts do without --tile; ours is tiled at 200) and x4plus
(RRDBNet, 23 blocks) at 128x128. The training step: the
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


class DenseBlock(torch.nn.Module):
    """ESRGAN's residual dense block: five 3x3 convolutions, growth 32, LeakyReLU 0.2, x0.2."""

    def __init__(self, features=64, growth=32):
        super().__init__()
        self.convs = torch.nn.ModuleList([torch.nn.Conv2d(features + i * growth, growth if i < 4 else features, 3, padding=1)
                                          for i in range(5)])

    def forward(self, x):
        taps = [x]
        for index, conv in enumerate(self.convs):
            out = conv(torch.cat(taps, 1))
            if index < 4:
                taps.append(F.leaky_relu(out, 0.2))
        return x + 0.2 * out


class RRDBNet(torch.nn.Module):
    """Real-ESRGAN x4plus: 23 residual-in-residual dense blocks, two nearest x2 upsamplings."""

    def __init__(self, blocks=23):
        super().__init__()
        self.first = torch.nn.Conv2d(3, 64, 3, padding=1)
        self.blocks = torch.nn.ModuleList([torch.nn.ModuleList([DenseBlock() for _ in range(3)]) for _ in range(blocks)])
        self.body = torch.nn.Conv2d(64, 64, 3, padding=1)
        self.up = torch.nn.ModuleList([torch.nn.Conv2d(64, 64, 3, padding=1) for _ in range(2)])
        self.hr = torch.nn.Conv2d(64, 64, 3, padding=1)
        self.last = torch.nn.Conv2d(64, 3, 3, padding=1)

    def forward(self, x):
        feature = self.first(x)
        body = feature
        for dense in self.blocks:
            inner = body
            for block in dense:
                inner = block(inner)
            body = body + 0.2 * inner
        feature = feature + self.body(body)
        for conv in self.up:
            feature = F.leaky_relu(conv(F.interpolate(feature, scale_factor=2, mode="nearest")), 0.2)
        return self.last(F.leaky_relu(self.hr(feature), 0.2))


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
        for name, model, (width, height), runs in [("compact-x4", Compact(), (128, 128), args.runs),
                                                   ("compact-x4", Compact(), (720, 480), args.runs),
                                                   ("x4plus", RRDBNet(), (128, 128), max(1, args.runs // 2))]:
            picture = torch.rand(1, 3, height, width)
            with torch.no_grad():
                seconds = median(runs, lambda: model(picture))
            label = f"{name} {width}x{height}" + (" tiled 200" if max(width, height) > 200 else "")
            print(json.dumps({"name": label, "threads": threads, "seconds": seconds, "torch": torch.__version__}), flush=True)
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
