#!/usr/bin/env python3
"""Per noise kind, from `hush-bench quality --json` files of the same set: mean SI-SDR gain
(enhanced - noisy) and DNSMOS OVRL of the clips at 0-10 dB SNR, one column pair per file.

  bench/by_noise.py NAME=results.json [NAME=results.json ...] > table.md
"""
import json
import sys
from collections import defaultdict


def main():
    if len(sys.argv) < 2 or any("=" not in a for a in sys.argv[1:]):
        sys.exit(__doc__)
    systems = [a.split("=", 1) for a in sys.argv[1:]]
    table = defaultdict(dict)
    for name, path in systems:
        by_kind = defaultdict(list)
        for clip in json.load(open(path))["clips"]:
            if 0 <= clip["snr_db"] <= 10:
                kind = clip["noise"].rstrip("0123456789") if clip["noise"].startswith("babble") else clip["noise"]
                by_kind[kind].append(clip)
        for kind, clips in by_kind.items():
            gain = sum(c["enhanced"]["si_sdr_db"] - c["noisy"]["si_sdr_db"] for c in clips) / len(clips)
            ovrl = [c["enhanced"].get("dnsmos_ovrl") for c in clips]
            ovrl = sum(ovrl) / len(ovrl) if None not in ovrl else None
            table[kind][name] = (gain, ovrl, len(clips))
    print("| noise (0–10 dB clips) | n | " + " | ".join(f"{n} SI-SDR gain (dB) | {n} OVRL" for n, _ in systems) + " |")
    print("|---|---|" + "---|---|" * len(systems))
    for kind in sorted(table):
        n = next(iter(table[kind].values()))[2]
        cells = []
        for name, _ in systems:
            gain, ovrl, _ = table[kind].get(name, (float("nan"), None, 0))
            cells += [f"{gain:+.2f}", "" if ovrl is None else f"{ovrl:.2f}"]
        print(f"| {kind} | {n} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
