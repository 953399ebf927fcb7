#!/usr/bin/env bash
# Engine benchmark, in one run on this machine: convolution against OpenBLAS sgemm at the same
# shape, model inference against ncnn (same weights) and PyTorch CPU (same networks), and the
# compact-x4 training step and the LWay fine-tuning step against PyTorch CPU (same networks and
# shapes), 1 and 2 threads. Medians; ratios are ours / theirs (below 1 = faster). Not a test.
#   usage: scripts/bench-engine.sh [runs] [--full]     (--full adds x4plus on 720x480: minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
full="${2:-}"
bash scripts/setup.sh
python3 -c 'import ncnn' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check ncnn==1.0.20261020
# PyPI's torch wheel (it pulls the CUDA libraries too, several GB; the timing runs on the CPU).
python3 -c 'import torch' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check torch==2.15.0
swift build -c release --product filmsr >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.build/release/filmsr lab bench engine --runs "$runs" --json $full > "$work/ours.jsonl"
python3 scripts/reference/ncnn_timing.py --runs "$runs" $full > "$work/ncnn.jsonl"
python3 scripts/reference/pytorch_timing.py --runs "$runs" > "$work/pytorch.jsonl"
python3 scripts/reference/pytorch_lway_step.py --runs "$runs" >> "$work/pytorch.jsonl"
python3 - "$work/ours.jsonl" "$work/ncnn.jsonl" "$work/pytorch.jsonl" <<'PY'
import json, sys
ours = [json.loads(line) for line in open(sys.argv[1])]
peer = {(r["name"], r["threads"]): r["seconds"] for r in map(json.loads, open(sys.argv[2]))}
torch = {(r["name"], r["threads"]): r["seconds"] for r in map(json.loads, open(sys.argv[3]))}
gemm = {(r["name"].replace("sgemm ", ""), r["threads"]): r for r in ours if r["name"].startswith("sgemm ")}
print(f"{'measurement':<62} {'thr':>3} {'filmsr s':>9} {'peer s':>9} {'ratio':>6}")
for r in ours:
    if r["name"].startswith("sgemm "):
        continue
    key = (r["name"], r["threads"])
    if r["name"].startswith("conv ") or r["name"].startswith("winograd "):
        g = gemm[(r["name"].split(" ", 1)[1], r["threads"])]
        print(f"{r['name']:<62} {r['threads']:>3} {r['seconds']:>9.4f} {g['seconds']:>9.4f} {r['seconds'] / g['seconds']:>6.2f}"
              f"   vs sgemm: {r['gflops']:.0f} / {g['gflops']:.0f} GFLOP/s = {100 * r['gflops'] / g['gflops']:.0f}% of sgemm" + (" (direct-convolution FLOPs)" if r["name"].startswith("winograd") else ""))
    else:
        pairs = [(times[key], label) for times, label in ((peer, "vs ncnn"), (torch, "vs PyTorch CPU")) if key in times]
        for theirs, label in pairs or [(None, "")]:
            ratio = f"{theirs:>9.4f} {r['seconds'] / theirs:>6.2f}   {label}" if theirs else ""
            print(f"{r['name']:<62} {r['threads']:>3} {r['seconds']:>9.4f} {ratio}")
PY
