#!/usr/bin/python3
"""Full-band check on the 48 kHz clean/noise/noisy triple in $HUSH_DATA/pairs: does each engine
keep speech above 8 kHz (the neural model only sees 0-8 kHz), and how much noise stays there?

  bench/fullband_pair.py build/release/apps/hush [--data ../shared/data]

Runs `hush denoise` at 48 kHz with each engine and prints, per band (0-8 kHz, 8-24 kHz):
the SI-SDR of the band-passed output against the band-passed clean speech, and the output's
level relative to the clean speech in that band. Band-limited output would show as a level far
below 0 dB in 8-24 kHz.
"""
import argparse
import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile


def band(x, rate, lo_hz, hi_hz):
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1 / rate)
    spec[(f < lo_hz) | (f >= hi_hz)] = 0
    return np.fft.irfft(spec, len(x))


def si_sdr_db(est, ref):
    a = np.dot(est, ref) / np.dot(ref, ref)
    target = a * ref
    return 10 * np.log10(np.sum(target**2) / np.sum((est - target) ** 2))


def level_db(x, ref):
    return 10 * np.log10(np.sum(x**2) / np.sum(ref**2))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("hush", help="path to the hush binary")
    p.add_argument("--data", default=os.environ.get("HUSH_DATA", str(Path(__file__).resolve().parents[2] / "shared/data")))
    args = p.parse_args()
    pairs = Path(args.data) / "pairs"
    clean, rate = soundfile.read(str(pairs / "clean_freesound_33711.flac"), dtype="float64")
    noisy_path = pairs / "noisy_snr0.flac"
    noisy, noisy_rate = soundfile.read(str(noisy_path), dtype="float64")
    assert rate == noisy_rate == 48000, "the pair is 48 kHz"
    n = min(len(clean), len(noisy))
    outputs = {"noisy": noisy[:n]}
    with tempfile.TemporaryDirectory() as tmp:
        for engine in ("spectral", "neural"):
            out = Path(tmp) / f"{engine}.wav"
            subprocess.run([args.hush, "denoise", str(noisy_path), str(out), "--engine", engine, "--float"], check=True)
            y, out_rate = soundfile.read(str(out), dtype="float64")
            assert out_rate == rate
            outputs[engine] = y[:n]
    print(f"`{noisy_path.name}` (0 dB SNR, {n / rate:.1f} s at {rate} Hz)\n")
    print("| signal | SI-SDR 0-8 kHz (dB) | SI-SDR 8-24 kHz (dB) | level 0-8 kHz vs clean (dB) | level 8-24 kHz vs clean (dB) |")
    print("|---|---|---|---|---|")
    lo_ref, hi_ref = band(clean[:n], rate, 0, 8000), band(clean[:n], rate, 8000, 24000)
    for name, y in outputs.items():
        lo, hi = band(y, rate, 0, 8000), band(y, rate, 8000, 24000)
        print(f"| {name} | {si_sdr_db(lo, lo_ref):.2f} | {si_sdr_db(hi, hi_ref):.2f} | "
              f"{level_db(lo, lo_ref):+.2f} | {level_db(hi, hi_ref):+.2f} |")


if __name__ == "__main__":
    main()
