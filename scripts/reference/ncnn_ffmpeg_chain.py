#!/usr/bin/env python3
"""The render peer for scripts/bench-render.sh: the chain a Video2X or Real-ESRGAN video user runs
on a CPU. The ffmpeg command-line tool decodes to raw RGB on a pipe, ncnn (PyPI, CPU) upscales
each frame in 200-pixel tiles with 10 pixels of context as realesrgan-ncnn-vulkan cuts them, and
a second ffmpeg encodes the frames from a pipe (libx264 CRF 18, preset medium, yuv420p) and
copies the sound from the input, as Real-ESRGAN's inference_realesrgan_video.py does. Decoding,
upscaling and encoding run at once, each in its own process.

    python3 scripts/reference/ncnn_ffmpeg_chain.py INPUT OUTPUT [--model compact-x4] [--threads 2]
"""
import argparse
import json
import subprocess
import sys

import numpy as np

from ncnn_timing import STEMS, load, tiled


def probe_size(path):
    """Width and height of the first video stream."""
    info = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "json", path],
        check=True, capture_output=True, text=True)
    stream = json.loads(info.stdout)["streams"][0]
    return stream["width"], stream["height"]


def frame_rate(path):
    info = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=r_frame_rate", "-of", "csv=p=0", path],
        check=True, capture_output=True, text=True)
    return info.stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--model", default="compact-x4", choices=sorted(STEMS))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    width, height = probe_size(args.input)
    scale = 4
    net = load(STEMS[args.model], args.threads)
    decoder = subprocess.Popen(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", args.input, "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        stdout=subprocess.PIPE)
    encoder = subprocess.Popen(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
         "-s", f"{width * scale}x{height * scale}", "-framerate", frame_rate(args.input), "-i", "-",
         "-i", args.input, "-map", "0:v", "-map", "1:a?", "-c:v", "libx264", "-crf", "18", "-preset", "medium",
         "-pix_fmt", "yuv420p", "-c:a", "copy", args.output],
        stdin=subprocess.PIPE)
    frame_bytes = width * height * 3
    frames = 0
    while True:
        raw = decoder.stdout.read(frame_bytes)
        if len(raw) < frame_bytes:
            break
        chw = np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3).transpose(2, 0, 1).astype(np.float32) / 255
        upscaled = tiled(net, chw, scale=scale)
        encoder.stdin.write((np.clip(upscaled, 0, 1) * 255 + 0.5).astype(np.uint8).transpose(1, 2, 0).tobytes())
        frames += 1
    encoder.stdin.close()
    if decoder.wait() != 0 or encoder.wait() != 0:
        sys.exit(f"ncnn_ffmpeg_chain: ffmpeg failed on {args.input}")
    print(json.dumps({"frames": frames}))


if __name__ == "__main__":
    main()
