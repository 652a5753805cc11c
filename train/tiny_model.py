#!/usr/bin/python3
"""Writes the small models tests and the fuzzer keep: a valid tiny HushNet (encoder 8,
hidden 8, random weights, seed 0) and a deliberately broken copy (one weight byte flipped).
  train/tiny_model.py tests/data
"""
import sys
from pathlib import Path

import torch

from export import export
from hushnn.model import HushNet


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data")
    torch.manual_seed(0)
    model = HushNet(encoder=8, hidden=8)
    tiny = out / "hushnet-tiny.hnn"
    export(model, tiny, "tiny-test-model")
    broken = bytearray(tiny.read_bytes())
    broken[-5] ^= 0x10
    (out / "hushnet-tiny-broken.hnn").write_bytes(bytes(broken))
    print(f"{tiny}: {tiny.stat().st_size} bytes")


if __name__ == "__main__":
    main()
