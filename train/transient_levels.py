#!/usr/bin/python3
"""How loud transient noises stay in the speech pauses, by the time since each transient
began: for the dev set's 0-10 dB clips of the given noise kinds, the output's energy against
the noisy input in pause frames (clean speech 40 dB below its loudest), grouped by hops since
the last onset in the noisy input (a hop 10 dB above the quietest of the five before it).
If only the first hops pass, the denoiser is fooled by the onset (causality); if the later ones
pass, it takes the noise itself for speech.

  train/transient_levels.py build/release/devset enhanced-neural enhanced-rnnoise-0.2
"""
import argparse
import json
from pathlib import Path

import numpy as np
import soundfile

from band_levels import pause_frames, power_frames

TRANSIENT_KINDS = ["speechcommands_doing_the_dishes", "freesound_car-horn", "freesound_thunder",
                   "freesound_dog", "freesound_applause"]
EDGES_HOPS = [0, 2, 5, 10, 20, 10**6]
ONSET_RISE_DB = 10
ONSET_LOOKBACK_HOPS = 5


def hops_since_onset(noisy_power):
    level_db = 10 * np.log10(noisy_power + 1e-12)
    since = np.empty(len(level_db), dtype=np.int64)
    last = -10**6
    for t in range(len(level_db)):
        rose = t >= ONSET_LOOKBACK_HOPS and level_db[t] > level_db[t - ONSET_LOOKBACK_HOPS:t].min() + ONSET_RISE_DB
        if rose and t - last > ONSET_LOOKBACK_HOPS:  # a rise that lasts several hops is one onset
            last = t
        since[t] = t - last
    return since


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("devset")
    p.add_argument("folders", nargs="+", help="folders under DEVSET (or paths) with ID.wav files")
    p.add_argument("--kinds", nargs="+", default=TRANSIENT_KINDS, help="noise kinds to include")
    args = p.parse_args()
    devset = Path(args.devset)
    clips = [c for c in json.load(open(devset / "manifest.json")) if 0 <= c["snr_db"] <= 10 and c["noise"] in args.kinds]
    groups = list(zip(EDGES_HOPS, EDGES_HOPS[1:]))
    sums = {f: np.zeros((len(groups), 2)) for f in args.folders}  # output, noisy energy per group
    for clip in clips:
        clean, _ = soundfile.read(devset / clip["clean"])
        noisy, _ = soundfile.read(devset / clip["noisy"])
        c, x = power_frames(clean), power_frames(noisy).sum(1)
        pause = pause_frames(c)
        since = hops_since_onset(x)
        for folder in args.folders:
            out, _ = soundfile.read(devset / folder / (clip["id"] + ".wav"))
            o = power_frames(out[: len(clean)]).sum(1)
            n = min(len(o), len(x))
            for g, (lo, hi) in enumerate(groups):
                k = pause[:n] & (since[:n] >= lo) & (since[:n] < hi)
                sums[folder][g] += [o[:n][k].sum(), x[:n][k].sum()]
    print(f"{len(clips)} clips; hops since onset: " + " ".join(f"{lo}-{hi - 1}" if hi < 10**6 else f">={lo}" for lo, hi in groups))
    noise = sums[args.folders[0]][:, 1]
    print("share of the pause noise energy: " + " ".join(f"{v / noise.sum():.2f}" for v in noise))
    for folder in args.folders:
        print(f"{folder}: " + " ".join(f"{10 * np.log10(o / x):+6.1f}" if x > 0 else "   n/a" for o, x in sums[folder]))


if __name__ == "__main__":
    main()
