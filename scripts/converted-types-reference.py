#!/usr/bin/env python3
# Dev-time oracle for Numerics' dequantizers of the types converted at load: one seeded random block
# each of Q5_0, Q5_1, Q4_K, Q5_K and Q6_K (scale fields set to ordinary f16 values), dequantized by
# gguf-py, llama.cpp's own Python package, and printed as the Swift cases of
# Tests/NumericsTests/ConvertedTypeTests.swift.
# Needs numpy and gguf (pip install gguf); not used at run time or by the tests.
# Usage: python3 scripts/converted-types-reference.py
import numpy as np
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize

rng = np.random.default_rng(2026)


def block(size, halves):
    """Random bytes with an ordinary f16 at each offset in `halves`."""
    b = rng.integers(0, 256, size=size, dtype=np.uint8)
    for at in halves:
        b[at:at + 2] = np.frombuffer(np.float16(rng.uniform(0.001, 0.05)).tobytes(), dtype=np.uint8)
    return b


for name, qtype, size, halves in [("q5_0", T.Q5_0, 22, [0]), ("q5_1", T.Q5_1, 24, [0, 2]),
                                  ("q4_K", T.Q4_K, 144, [0, 2]), ("q5_K", T.Q5_K, 176, [0, 2]),
                                  ("q6_K", T.Q6_K, 210, [208])]:
    b = block(size, halves)
    values = dequantize(b, qtype).astype(np.float32)
    print(f"        (.{name}, \"{b.tobytes().hex()}\",")
    rows = [", ".join(repr(float(v)) for v in values[i:i + 8]) for i in range(0, len(values), 8)]
    print("         [" + ",\n          ".join(rows) + "]),")
