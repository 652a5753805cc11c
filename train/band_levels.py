#!/usr/bin/python3
"""Where the speech and the noise go, per band, on the dev set's 0-10 dB clips: for each folder
of enhanced clips (named like the dev set's ids), the output's energy relative to the clean
speech in frames where the clean speech is within 20 dB of its loudest, and relative to the
noisy input in pauses (clean speech 40 dB below its loudest). --by-noise adds, per noise kind,
each folder's whole-band pause level (the mean over that kind's clips).

  train/band_levels.py build/release/devset enhanced-neural enhanced-rnnoise-0.2 noisy [--by-noise]
"""
import argparse
import json
from pathlib import Path

import numpy as np
import soundfile

EDGES_HZ = [0, 500, 1000, 2000, 3000, 4000, 6000, 8000]
BIN_HZ = 50  # 320-point frames at 16 kHz


def pause_frames(clean_power, below_db=40.0):
    """Frames where the clean speech is below_db below its loudest (at 40 dB: the speech pauses)."""
    level = clean_power.sum(1)
    return level < level.max() * 10 ** (-below_db / 10)


def power_frames(x):
    frames = np.lib.stride_tricks.sliding_window_view(x, 320)[::160] * np.hanning(320)
    return np.abs(np.fft.rfft(frames, axis=-1)) ** 2


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("devset")
    p.add_argument("folders", nargs="+", help="folders under DEVSET (or paths) with ID.wav files")
    p.add_argument("--by-noise", action="store_true", help="also print pause levels per noise kind")
    args = p.parse_args()
    devset = Path(args.devset)
    clips = [c for c in json.load(open(devset / "manifest.json")) if 0 <= c["snr_db"] <= 10]
    bands = [slice(lo // BIN_HZ, hi // BIN_HZ + (1 if hi == EDGES_HZ[-1] else 0)) for lo, hi in zip(EDGES_HZ, EDGES_HZ[1:])]
    print("band (kHz): " + " ".join(f"{lo / 1000:g}-{hi / 1000:g}" for lo, hi in zip(EDGES_HZ, EDGES_HZ[1:])))
    pause_db = {}  # (noise, folder) -> per-clip whole-band pause level against the noisy input
    for folder in args.folders:
        sums = np.zeros((4, len(bands)))  # output in speech, clean in speech, output in pauses, noisy in pauses
        for clip in clips:
            clean, _ = soundfile.read(devset / clip["clean"])
            out, _ = soundfile.read(devset / folder / (clip["id"] + ".wav"))
            noisy, _ = soundfile.read(devset / clip["noisy"])
            n = min(len(clean), len(out), len(noisy))
            c, o, x = power_frames(clean[:n]), power_frames(out[:n]), power_frames(noisy[:n])
            level = c.sum(1)
            speech, pause = level > level.max() * 1e-2, pause_frames(c)
            for b, k in enumerate(bands):
                sums[:, b] += [o[speech][:, k].sum(), c[speech][:, k].sum(), o[pause][:, k].sum(), x[pause][:, k].sum()]
            if pause.any():
                pause_db.setdefault((clip["noise"], folder), []).append(10 * np.log10(o[pause].sum() / x[pause].sum()))
        db = lambda a, b: " ".join(f"{10 * np.log10(u / v):+6.2f}" for u, v in zip(a, b))
        print(f"{folder}: speech frames {db(sums[0], sums[1])} | pauses {db(sums[2], sums[3])}")
    if args.by_noise:
        print("pause level (dB against the noisy input), by noise: " + " | ".join(args.folders))
        for noise in sorted({n for n, _ in pause_db}):
            cells = [np.mean(pause_db[(noise, f)]) if (noise, f) in pause_db else float("nan") for f in args.folders]
            print(f"{noise:36s} " + " ".join(f"{v:+7.1f}" for v in cells))


if __name__ == "__main__":
    main()
