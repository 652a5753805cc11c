#!/usr/bin/python3
"""Does the enhancement hold up over long clips? The SNR gain (output's SNR minus the noisy
input's, against the clean reference) in each whole second of every clip, averaged over the
clips long enough to have that second. The GRUs are trained on 3 s examples; a state that
drifted on longer input would show as a gain that falls after second 3 (train/README.md,
stops 26-27).

  train/snr_by_second.py DEVSET ENHANCED_DIR     # ENHANCED_DIR/ID.wav, aligned to the input
"""
import argparse
import json
from pathlib import Path

import numpy as np
import soundfile


def snr_db(clean, other):
    return 10 * np.log10(np.sum(clean**2) / max(np.sum((other - clean) ** 2), 1e-20))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("devset")
    p.add_argument("enhanced")
    args = p.parse_args()
    devset, gains = Path(args.devset), {}
    for clip in json.load(open(devset / "manifest.json")):
        out_path = Path(args.enhanced) / (clip["id"] + ".wav")
        if not out_path.exists():
            continue
        clean, rate = soundfile.read(devset / clip["clean"], dtype="float64")
        noisy, _ = soundfile.read(devset / clip["noisy"], dtype="float64")
        out, _ = soundfile.read(out_path, dtype="float64")
        for second in range(min(len(clean), len(out)) // rate):
            part = slice(second * rate, (second + 1) * rate)
            if np.sum(clean[part] ** 2) > 0:
                gains.setdefault(second, []).append(snr_db(clean[part], out[part]) - snr_db(clean[part], noisy[part]))
    for second, g in sorted(gains.items()):
        print(f"second {second}: {np.mean(g):+.2f} dB over {len(g)} clips")


if __name__ == "__main__":
    main()
