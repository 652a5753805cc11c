#!/usr/bin/python3
"""Writes the PyTorch reference that tests/quality/test_neural_matches_torch.cpp compares the C++
engine with: a fixed 2 s input (synthetic voiced sweeps + noise, seed 2026) and the PyTorch
model's output for it, as raw little-endian float32 at 16 kHz, strength 25 dB.

The model is read back from the exported .hnn file, so this also checks the exporter.
  train/golden.py models/hushnet-v3.hnn tests/data/hushnet-golden
  train/golden.py tests/data/hushnet-tiny-df.hnn tests/data/hushnet-tiny-df-golden --output-only
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import torch

from hushnn import model_file
from hushnn.model import RATE_HZ, HushNet, enhance

STRENGTH_DB = 25.0


def model_from_file(path):
    meta, tensors = model_file.read(path)
    model = HushNet(encoder=meta["encoder"], hidden=meta["hidden"], df_bins=meta.get("df_bins", 0),
                    df_order=meta.get("df_order", 3), df_hidden=meta.get("df_hidden", 1),
                    gain_release=meta.get("gain_release", 0.0), floor_bins=meta.get("floor_bins", 0))
    model.release_power_exponent = meta.get("release_power_exponent", 0.0)
    model.release_smooth_bins = meta.get("release_smooth_bins", 1)
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in tensors.items()})
    model.eval()
    return model


def fixed_input(seconds=2.0, seed=2026):
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE_HZ)
    t = np.arange(n) / RATE_HZ
    f0 = 120 + 60 * np.sin(2 * np.pi * 0.7 * t)  # a gliding "voice" with harmonics, on and off
    phase = 2 * np.pi * np.cumsum(f0) / RATE_HZ
    voice = sum(np.sin(k * phase) / k for k in range(1, 20))
    voice *= (np.sin(2 * np.pi * 1.5 * t) > -0.2) * 0.1
    noise = rng.standard_normal(n) * 0.03
    return (voice + noise).astype(np.float32)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model")
    p.add_argument("prefix", help="writes PREFIX-in.f32 and PREFIX-out.f32")
    p.add_argument("--output-only", action="store_true", help="write only PREFIX-out.f32 (the input is fixed)")
    args = p.parse_args()
    model = model_from_file(args.model)
    x = fixed_input()
    with torch.no_grad():
        y = enhance(model, torch.from_numpy(x)[None], 10 ** (-STRENGTH_DB / 20))[0].numpy()
    Path(args.prefix).parent.mkdir(parents=True, exist_ok=True)
    if not args.output_only:
        x.astype("<f4").tofile(args.prefix + "-in.f32")
    y.astype("<f4").tofile(args.prefix + "-out.f32")
    print(f"{args.prefix}-{{in,out}}.f32: {len(x)} samples, output rms {np.sqrt(np.mean(y**2)):.4f}", file=sys.stderr)


if __name__ == "__main__":
    main()
