#!/usr/bin/python3
"""Upper bounds on the dev set's 0-10 dB clips for what HushNet's output can reach on its 20 ms /
10 ms grid: SI-SDR with ideal gains (|S| / |X|, floored at 25 dB, noisy phase), and with the same
gains plus the clean complex spectrum in the lowest N bins (what a perfect deep filter there
would give). Reads the dev set `hush-bench devset` writes.
  train/oracle.py build/release/devset [--df-bins 48]
"""
import argparse
import json
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from hushnn.model import DF_BINS, HOP, istft, stft
from train import si_sdr_db


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("devset")
    p.add_argument("--df-bins", type=int, default=DF_BINS)
    args = p.parse_args()
    root = Path(args.devset)
    floor = 10 ** (-25 / 20)
    scores = {"noisy": [], "ideal gains": [], f"ideal gains + clean lowest {args.df_bins} bins": []}
    for clip in json.load(open(root / "manifest.json")):
        if not 0 <= clip["snr_db"] <= 10:
            continue
        clean = torch.from_numpy(sf.read(root / clip["clean"], dtype="float32")[0])
        noisy = torch.from_numpy(sf.read(root / clip["noisy"], dtype="float32")[0])
        n = len(clean) - HOP  # the last hop sees one window only
        spec_clean, spec_noisy = stft(clean[None]), stft(noisy[None])
        gains = (spec_clean.abs() / (spec_noisy.abs() + 1e-9)).clamp(floor, 1.0)
        with_low = spec_noisy * gains
        with_low[..., : args.df_bins] = spec_clean[..., : args.df_bins]
        for name, signal in zip(scores, (noisy[None], istft(spec_noisy * gains, len(clean)),
                                         istft(with_low, len(clean)))):
            scores[name].append(si_sdr_db(signal[0, :n], clean[:n]).item())
    for name, values in scores.items():
        print(f"{name}: {np.mean(values):.2f} dB SI-SDR ({len(values)} clips)")


if __name__ == "__main__":
    main()
