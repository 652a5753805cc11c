#!/usr/bin/python3
"""Collects a model's benchmark results (bench/noise_engines.sh's files in bench/results) into
the JSON that export.py --metrics records in the model's manifest.

  train/bench_metrics.py [--results bench/results] > /tmp/metrics.json
"""
import argparse
import json
import re
from pathlib import Path


def groups(quality_json):
    rows = json.load(open(quality_json))["rows"]
    return {r["snr_group"]: r for r in rows}


def si_sdr_0_10(markdown):
    """The enhanced SI-SDR of the 0..10 dB row of a quality table ("5.03 →  10.41 (+5.38)")."""
    for line in open(markdown):
        if line.startswith("| 0..10"):
            return float(re.search(r"→\s*(-?[\d.]+)", line.split("|")[5]).group(1))
    raise SystemExit(f"{markdown}: no 0..10 row")


def speed(markdown):
    """weight bytes and the 16/48 kHz rows of `hush-bench speed`'s table."""
    text = open(markdown).read()
    out = {"weight_bytes": int(re.search(r"(\d+) weight bytes", text).group(1))}
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if cells and cells[0] in ("16000", "48000"):
            k = "16k" if cells[0] == "16000" else "48k"
            out[f"rtf_{k}"] = float(cells[1])
            out[f"p99_us_{k}"] = float(cells[5])
            out[f"state_bytes_{k}"] = int(cells[7])
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--results", default=str(Path(__file__).parent.parent / "bench/results"))
    r = Path(p.parse_args().results)
    neural, spectral = groups(r / "quality-neural.json"), groups(r / "quality-spectral.json")
    side = lambda row, key: {k: v for k, v in sorted(row[key].items())}
    metrics = {
        "dev_set_16k": {g: {"noisy": side(neural[g], "noisy"), "neural": side(neural[g], "enhanced"),
                            "onset_loss_db": neural[g]["onset_loss_db"]} for g in ("0..10", "all")},
        "spectral_dev_set_16k_0_10": {k: round(v, 3) for k, v in side(spectral["0..10"], "enhanced").items()},
        "dev_set_0_10_si_sdr_db_at_rate": {
            "8000": si_sdr_0_10(r / "quality-neural-8000.md"),
            "16000": round(neural["0..10"]["enhanced"]["si_sdr_db"], 2),
            "48000": si_sdr_0_10(r / "quality-neural-48000.md"),
        },
        "speed": speed(r / "speed-neural.md"),
        "source": "bench/results/quality-neural.md, speed-neural.md (bench/noise_engines.sh)",
    }
    if (r / "independent-neural.json").exists():  # bench/independent_eval.sh
        independent = groups(r / "independent-neural.json")["0..10"]
        metrics["independent_set_16k_0_10"] = {"noisy": side(independent, "noisy"),
                                               "neural": side(independent, "enhanced"),
                                               "onset_loss_db": independent["onset_loss_db"]}
    print(json.dumps(metrics, indent=1))


if __name__ == "__main__":
    main()
