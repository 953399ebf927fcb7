#!/usr/bin/env python3
"""Whole-network training reference (PyTorch, CPU, float32) for FilmSR's engine, as llm.c's
test_gpt2.c checks its trainer against PyTorch: per-layer finite differences cannot catch wrong
wiring between layers or an optimiser/EMA ordering slip; five replayed steps of a whole network can.

A small SRVGGNetCompact (the realesr-animevideov3 architecture: conv, PReLU, NUM_CONV x (conv,
PReLU), conv to 3*4*4, pixel shuffle, plus the nearest-upsampled input) with seeded weights is
written as an ncnn .param/.bin pair laid out like the real model's, so that the test loads it
through FilmSR's own ncnn reader. On one batch (four 16x16 crops of samples/still.png, area-shrunk
4x from the 64x64 crops that are the targets) it trains 5 steps of: forward, mean L1, backward,
Adam, then EMA of the weights. It writes Tests/EngineTests/Reference/training/:

    compact-tiny.param, compact-tiny.bin     the network before training
    steps.safetensors                        input, target, each step's loss and every parameter's
                                             gradient, the weights after the last step, the EMA

    python3 -m pip install torch==2.15.0 numpy      (PyPI's wheel; this script runs it on the CPU)
    python3 scripts/reference/compact_training_reference.py

Replayed by EngineTests' WholeNetworkTrainingTests.
"""
import json
import os
import struct
import subprocess

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "EngineTests", "Reference", "training")
FEATURES, NUM_CONV, SCALE = 16, 4, 4
STEPS, LEARNING_RATE, EMA_DECAY = 5, 1e-3, 0.9
CROP_ORIGINS_YX = [(0, 0), (0, 64), (64, 0), (40, 24)]  # 64x64 HR crops of the 128x128 still


class Compact(torch.nn.Module):
    """SRVGGNetCompact; layer names are the ncnn file's, as FilmSR names its parameters."""

    def __init__(self):
        super().__init__()
        self.layers = torch.nn.ModuleList()
        self.names = []
        index = 0
        channels = 3
        for _ in range(NUM_CONV + 1):
            self.layers.append(torch.nn.Conv2d(channels, FEATURES, 3, padding=1))
            self.names.append(f"Conv_{index}")
            self.layers.append(torch.nn.PReLU(FEATURES))
            self.names.append(f"PRelu_{index + 1}")
            index += 2
            channels = FEATURES
        self.layers.append(torch.nn.Conv2d(FEATURES, 3 * SCALE * SCALE, 3, padding=1))
        self.names.append(f"Conv_{index}")

    def forward(self, x):
        out = x
        for layer in self.layers:
            out = layer(out)
        return F.pixel_shuffle(out, SCALE) + F.interpolate(x, scale_factor=SCALE, mode="nearest")

    def named(self):
        """(name, tensor) in ncnn file order: weight then bias for a convolution, slopes for PReLU."""
        for name, layer in zip(self.names, self.layers):
            yield name + ".weight", layer.weight
            if isinstance(layer, torch.nn.Conv2d):
                yield name + ".bias", layer.bias


def write_ncnn(model, stem):
    """The .param/.bin pair in the real model's layout (Input, Split, Convolution/PReLU, PixelShuffle,
    Interp nearest x4, BinaryOp add): float32 weights behind ncnn's zero tag, biases and slopes plain."""
    lines, blob = [], "input.1_splitncnn_1"
    weights = bytearray()
    for name, layer in zip(model.names, model.layers):
        out = f"{name}_out"
        if isinstance(layer, torch.nn.Conv2d):
            count = layer.weight.numel()
            lines.append(f"Convolution {name} 1 1 {blob} {out} 0={layer.out_channels} 1=3 4=1 5=1 6={count}")
            weights += struct.pack("<I", 0) + layer.weight.detach().numpy().astype("<f4").tobytes()
            weights += layer.bias.detach().numpy().astype("<f4").tobytes()
        else:
            lines.append(f"PReLU {name} 1 1 {blob} {out} 0={FEATURES}")
            weights += layer.weight.detach().numpy().astype("<f4").tobytes()
        blob = out
    lines.append(f"PixelShuffle DepthToSpace 1 1 {blob} shuffled 0={SCALE}")
    lines.append(f"Interp Resize 1 1 input.1_splitncnn_0 upsampled 0=1 1={SCALE:.6e} 2={SCALE:.6e}")
    lines.append("BinaryOp Add 2 1 shuffled upsampled output")
    head = ["Input input.1 0 1 data", "Split splitncnn_input0 1 2 data input.1_splitncnn_0 input.1_splitncnn_1"]
    body = head + lines
    with open(stem + ".param", "w") as f:
        f.write("7767517\n")
        f.write(f"{len(body)} {3 + len(lines)}\n")  # layers, blobs (data, the split's two, one per layer after)
        f.write("\n".join(body) + "\n")
    with open(stem + ".bin", "wb") as f:
        f.write(weights)


def write_safetensors(path, tensors):
    """The safetensors format (little-endian float32, header JSON padded to 8 bytes), written out
    here so that the reference needs no package beyond torch and numpy."""
    header, offset, blobs = {}, 0, []
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    header["__metadata__"] = {"producer": f"scripts/reference/compact_training_reference.py, torch {torch.__version__}"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def still_rgb():
    """samples/still.png decoded by ffmpeg to rgb24 (the bytes FilmSR's tests decode), as [0, 1] floats."""
    path = os.path.join(ROOT, "samples", "still.png")
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(128, 128, 3).astype(np.float32) / 255


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = Compact()
    with torch.no_grad():  # slopes spread around PReLU's 0.25, so that a slope gradient bug shows
        for layer in model.layers:
            if isinstance(layer, torch.nn.PReLU):
                layer.weight.uniform_(0.05, 0.45)
    os.makedirs(OUT, exist_ok=True)
    write_ncnn(model, os.path.join(OUT, "compact-tiny"))

    still = still_rgb()
    target = np.stack([still[y:y + 64, x:x + 64].transpose(2, 0, 1) for y, x in CROP_ORIGINS_YX])
    # Area shrink: the 4x4 box mean, computed in float64 and stored as float32 (the test reads it).
    lr = target.reshape(4, 3, 16, 4, 16, 4).astype(np.float64).mean(axis=(3, 5)).astype(np.float32)
    record = {"input": lr, "target": target}
    inputs, targets = torch.from_numpy(lr), torch.from_numpy(target)

    optimiser = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8)
    ema = {name: tensor.detach().clone() for name, tensor in model.named()}
    for step in range(STEPS):
        optimiser.zero_grad()
        loss = F.l1_loss(model(inputs), targets)
        loss.backward()
        record[f"step{step}.loss"] = np.array([loss.item()], dtype=np.float32)
        for name, tensor in model.named():
            record[f"step{step}.gradient.{name}"] = tensor.grad.numpy().copy()
        optimiser.step()
        with torch.no_grad():
            for name, tensor in model.named():
                ema[name].mul_(EMA_DECAY).add_(tensor, alpha=1 - EMA_DECAY)
    for name, tensor in model.named():
        record[f"trained.{name}"] = tensor.detach().numpy().copy()
        record[f"ema.{name}"] = ema[name].numpy()
    write_safetensors(os.path.join(OUT, "steps.safetensors"), record)
    print("losses:", [float(record[f"step{k}.loss"][0]) for k in range(STEPS)])


if __name__ == "__main__":
    main()
