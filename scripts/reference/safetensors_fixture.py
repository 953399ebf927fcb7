#!/usr/bin/env python3
"""A safetensors file written by the reference implementation (PyPI safetensors, numpy API),
for FilmSR's reader test: Tests/EngineTests/Reference/peer.safetensors, with the values it
holds spelled out in peer.safetensors.json.

    python3 -m pip install safetensors==0.8.0 numpy
    python3 scripts/reference/safetensors_fixture.py
"""
import json
import os

import numpy as np
from safetensors.numpy import save_file

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "Tests", "EngineTests", "Reference")
rng = np.random.default_rng(7)
tensors = {
    "conv.weight": rng.standard_normal((4, 3, 3, 3)).astype(np.float32),
    "conv.bias": rng.standard_normal((4,)).astype(np.float32),
    "half.values": rng.standard_normal((2, 5)).astype(np.float16),
}
save_file(tensors, os.path.join(OUT, "peer.safetensors"), metadata={"producer": "safetensors reference", "step": "12"})
with open(os.path.join(OUT, "peer.safetensors.json"), "w") as handle:
    json.dump({name: {"shape": list(value.shape), "values": value.astype(np.float64).ravel().tolist()} for name, value in tensors.items()},
              handle)
