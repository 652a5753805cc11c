#!/usr/bin/python3
"""Writes the small models tests and the fuzzer keep: a valid tiny HushNet (encoder 8,
hidden 8, random weights, seed 0), a deliberately broken copy (one weight byte flipped), and a
tiny HushNet with a deep filter whose coefficients are far from zero (seed 1), and that model
again with half weight matrices and with a compensated gain release, which
tests/quality/test_neural_matches_torch.cpp holds to PyTorch.
  train/tiny_model.py tests/data
"""
import sys
from pathlib import Path

import torch

from export import export
from hushnn.model import DF_BINS, HushNet


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
    torch.manual_seed(1)
    with_df = HushNet(encoder=8, hidden=8, df_bins=DF_BINS, df_hidden=8)
    with torch.no_grad():
        with_df.df.weight.normal_(0.0, 0.6)
        with_df.df.bias.normal_(0.0, 0.3)
    tiny_df = out / "hushnet-tiny-df.hnn"
    export(with_df, tiny_df, "tiny-deep-filter-test-model")
    print(f"{tiny_df}: {tiny_df.stat().st_size} bytes")
    tiny_half = out / "hushnet-tiny-df-half.hnn"  # the same model with half weight matrices
    export(with_df, tiny_half, "tiny-half-test-model", half=True)
    print(f"{tiny_half}: {tiny_half.stat().st_size} bytes")
    # ... and with RNNoise 0.2's compensated release, its power smoothed over 9 bins
    with_df.gain_release, with_df.release_power_exponent, with_df.release_smooth_bins = 0.8, 0.5, 9
    tiny_relc = out / "hushnet-tiny-relc.hnn"
    export(with_df, tiny_relc, "tiny-compensated-release-test-model")
    print(f"{tiny_relc}: {tiny_relc.stat().st_size} bytes")


if __name__ == "__main__":
    main()
