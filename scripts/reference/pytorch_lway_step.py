#!/usr/bin/env python3
"""PyTorch's equivalent of one LWay fine-tuning iteration, timed on the CPU for
scripts/bench-engine.sh next to `filmsr lab bench engine --lway-step-only`: the same networks
and shapes as restore's defaults, so that the ratio says what a researcher's PyTorch
implementation would cost per iteration.

One iteration on 6 LR patches of 48x48 (AdaptationOptions' batch and patch):
  e = E(LR) (frozen, no gradient); SR = S(LR) (compact-x4, trained); est = R(SR, e) (frozen,
  gradient to SR only); W = Haar high-frequency map of LR; loss = mean(W |est - T|) +
  LPIPS_alex(W est, W T); backward; Adam (lr 1e-5) on S.
E: conv 3->64 (LeakyReLU 0.1), 2 residual blocks, 4x4 stride-2 convs to 128/256/512, global
pool, three 1x1 convs. R: pixel unshuffle x4, conv 48->64, 4 x (residual block, StyleGAN2
modulated 3x3 conv with styles from a 1x1 conv of e, LeakyReLU 0.2), conv, conv -> 3, plus the
4x4 area shrink of SR. LPIPS: AlexNet's five ReLU taps, unit-normalised, squared difference,
1x1 weights, spatial mean. Random weights: a step's time does not depend on their values.
Prints one JSON object per thread count, like `filmsr lab bench engine --json`.

    python3 -m pip install torch==2.15.0
    python3 scripts/reference/pytorch_lway_step.py [--runs N] [--threads 1 2]
"""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

from pytorch_timing import Compact, median

BATCH, PATCH, SCALE, WIDTH, EMBEDDING = 6, 48, 4, 64, 512


def leaky(slope):
    return lambda x: F.leaky_relu(x, slope)


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        return x + self.conv2(F.relu(self.conv1(x)))


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.Conv2d(3, WIDTH, 3, padding=1)
        self.blocks = nn.Sequential(ResidualBlock(WIDTH), ResidualBlock(WIDTH))
        self.down = nn.ModuleList([nn.Conv2d(a, b, 4, stride=2) for a, b in [(WIDTH, 128), (128, 256), (256, 512)]])
        self.mlp = nn.ModuleList([nn.Conv2d(512, 512, 1), nn.Conv2d(512, 512, 1), nn.Conv2d(512, EMBEDDING, 1)])

    def forward(self, lr):
        x = self.blocks(F.leaky_relu(self.first(lr), 0.1))
        for conv in self.down:
            x = F.leaky_relu(conv(x), 0.1)
        x = F.adaptive_avg_pool2d(x, 1)
        x = F.leaky_relu(self.mlp[0](x), 0.1)
        x = F.leaky_relu(self.mlp[1](x), 0.1)
        return self.mlp[2](x)


class ModulatedConv(nn.Module):
    """StyleGAN2's modulated, demodulated convolution as one grouped convolution."""

    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(channels, channels, 3, 3) * 0.05)
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x, style):
        n, c, h, w = x.shape
        weight = self.weight[None] * style.view(n, 1, c, 1, 1)
        weight = weight * torch.rsqrt(weight.pow(2).sum(dim=(2, 3, 4), keepdim=True) + 1e-8)
        out = F.conv2d(x.reshape(1, n * c, h, w), weight.reshape(n * c, c, 3, 3), padding=1, groups=n)
        return F.leaky_relu(out.view(n, c, h, w) + self.bias.view(1, c, 1, 1), 0.2)


class Reconstructor(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.Conv2d(3 * SCALE * SCALE, WIDTH, 3, padding=1)
        self.blocks = nn.ModuleList([ResidualBlock(WIDTH) for _ in range(4)])
        self.styles = nn.ModuleList([nn.Conv2d(EMBEDDING, WIDTH, 1) for _ in range(4)])
        self.modulated = nn.ModuleList([ModulatedConv(WIDTH) for _ in range(4)])
        self.conv_hr = nn.Conv2d(WIDTH, WIDTH, 3, padding=1)
        self.conv_last = nn.Conv2d(WIDTH, 3, 3, padding=1)

    def forward(self, hr, embedding):
        x = F.leaky_relu(self.first(F.pixel_unshuffle(hr, SCALE)), 0.1)
        for block, style, modulated in zip(self.blocks, self.styles, self.modulated):
            x = modulated(block(x), style(embedding).flatten(1))
        x = self.conv_last(F.leaky_relu(self.conv_hr(x), 0.1))
        return F.avg_pool2d(hr, SCALE) + x


class LPIPSAlex(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(3, 64, 11, stride=4, padding=2), nn.Conv2d(64, 192, 5, padding=2),
                                    nn.Conv2d(192, 384, 3, padding=1), nn.Conv2d(384, 256, 3, padding=1),
                                    nn.Conv2d(256, 256, 3, padding=1)])
        self.lins = nn.ModuleList([nn.Conv2d(c, 1, 1, bias=False) for c in (64, 192, 384, 256, 256)])
        self.register_buffer("shift", torch.tensor([-0.030, -0.088, -0.188]).view(1, 3, 1, 1))
        self.register_buffer("scale", torch.tensor([0.458, 0.448, 0.450]).view(1, 3, 1, 1))

    def taps(self, x):
        x = ((2 * x - 1) - self.shift) / self.scale
        taps = []
        for index, conv in enumerate(self.convs):
            if index in (1, 2):
                x = F.max_pool2d(x, 3, stride=2)
            x = F.relu(conv(x))
            taps.append(x)
        return taps

    def forward(self, a, b):
        total = 0
        for lin, fa, fb in zip(self.lins, self.taps(a), self.taps(b)):
            fa = fa / (fa.pow(2).sum(1, keepdim=True).sqrt() + 1e-10)
            fb = fb / (fb.pow(2).sum(1, keepdim=True).sqrt() + 1e-10)
            total = total + lin((fa - fb) ** 2).mean(dim=(2, 3))
        return total.mean()


def high_frequency_map(lr):
    """One Haar level per channel; the L2 norm of the detail bands over all channels, divided
    by the picture's largest, repeated over each 2x2 block."""
    a, b = lr[..., 0::2, 0::2], lr[..., 0::2, 1::2]
    c, d = lr[..., 1::2, 0::2], lr[..., 1::2, 1::2]
    bands = torch.stack([(a - b + c - d), (a + b - c - d), (a - b - c + d)]) / 2
    magnitude = bands.pow(2).sum(dim=(0, 2)).sqrt()
    magnitude = magnitude / magnitude.flatten(1).amax(1).clamp_min(1e-12).view(-1, 1, 1)
    return magnitude.repeat_interleave(2, 1).repeat_interleave(2, 2).unsqueeze(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    torch.manual_seed(4)
    for threads in args.threads:
        torch.set_num_threads(threads)
        sr_model, encoder, reconstructor, lpips = Compact(), Encoder(), Reconstructor(), LPIPSAlex()
        for frozen in (encoder, reconstructor, lpips):
            frozen.requires_grad_(False)
        optimiser = torch.optim.Adam(sr_model.parameters(), lr=1e-5)
        lr = torch.rand(BATCH, 3, PATCH, PATCH)
        target = torch.rand(BATCH, 3, PATCH, PATCH)

        def step():
            weight = high_frequency_map(lr)
            with torch.no_grad():
                embedding = encoder(lr)
            estimate = reconstructor(sr_model(lr), embedding)
            loss = (weight * (estimate - target).abs()).mean() + lpips(weight * estimate, weight * target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()

        seconds = median(args.runs, step)
        name = f"LWay step, {BATCH} x {PATCH}x{PATCH} patches (E, S, R, LPIPS, HF map, Adam on S)"
        print(json.dumps({"name": name, "threads": threads, "seconds": seconds, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
