#!/usr/bin/python3
"""Post-processing sweep behind the gain release (train/README.md): runs a model file's PyTorch
twin over the dev set's 0-10 dB clips with each variant of gain post-processing, writes the
output under OUT/VARIANT/ and prints its mean DNSMOS (bench/dnsmos.mjs). Score the same folders
with `hush-bench quality --devset DEVSET --enhanced OUT/VARIANT` for STOI/SI-SDR.

  train/release_sweep.py MODEL.hnn build/release/devset /tmp/sweep none,rel0.8,f3,rel0.8s35

MODEL may also be a training checkpoint (.pt), scored without exporting it (the DC bin held at
the floor, as export.py --floor-bins 1 does): the way to score hushnn/periodicity.py's models.

A variant is a name made of: relR (gain release R per hop), relcR[pP][bB][d] (RNNoise 0.2's
release: the held gain scaled by the power change to the power P, over B-bin averages, d: only
down; see release_compensated), relhiR (the release only above the
deep filter's bins), f3 (3-bin moving average of the gains over frequency), sNN (strength NN dB
instead of 25), dfg[P] (deep filter times gain^P), xT[kK][cC] (pause expansion: see
pause_expand), or none.
"""
import argparse
import json
import re
import subprocess
from pathlib import Path

import soundfile
import torch

from golden import model_from_file
from hushnn.periodicity import model_from_checkpoint
from hushnn.model import FLOOR_EPS, istft, release_compensated, release_limited, stft


def post(gains, variant, df_bins, spec):
    compensated = re.search(r"relc([\d.]+\d)(?:p([\d.]+))?(?:b(\d+))?(d?)", variant)
    if compensated:
        return release_compensated(gains, float(compensated.group(1)), spec.real.square() + spec.imag.square(),
                                   float(compensated.group(2) or 1), int(compensated.group(3) or 1),
                                   compensated.group(4) == "d")
    if "f3" in variant:
        flat = gains.reshape(-1, 1, gains.shape[-1])
        gains = torch.nn.functional.avg_pool1d(flat, 3, 1, 1, count_include_pad=False).reshape(gains.shape)
    release = re.search(r"rel(hi)?([\d.]+\d)", variant)
    if not release:
        return gains
    if release.group(1):
        return torch.cat([gains[..., :df_bins], release_limited(gains[..., df_bins:], float(release.group(2)))], -1)
    return release_limited(gains, float(release.group(2)))


def df_gain_scaled(coefs, gains, variant):
    """dfgP: the deep filter's coefficients times the bin's (post-processed) gain to the power P
    (P 1): the filter fades with the gains, which tests whether it adds noise in pauses (it
    does not; train/README.md)."""
    m = re.search(r"dfg([\d.]*\d)?", variant)
    if not m or coefs is None:
        return coefs
    return coefs * gains[..., : coefs.shape[-2], None] ** float(m.group(1) or 1)


def pause_expand(spec, out, variant, floor_gain):
    """xT[kK][cC]: frames whose output keeps less than T dB of the input's energy lose K dB more
    per dB below T (K 1), at most C dB (C 15); the factor falls by at most 1.9 dB per hop."""
    m = re.search(r"x(\d+)(?:k([\d.]+))?(?:c(\d+))?", variant)
    if not m:
        return out
    thresh_db, slope, cap_db = -float(m.group(1)), float(m.group(2) or 1), float(m.group(3) or 15)
    kept_db = 10 * torch.log10(out.abs().square().sum(-1) / (spec.abs().square().sum(-1) + 1e-12) + 1e-12)
    extra_db = torch.clamp((thresh_db - kept_db) * slope, 0, cap_db)
    factor = release_limited(10 ** (-extra_db / 20)[..., None], 0.8)
    floor = floor_gain * spec.abs() / (out.abs() + FLOOR_EPS)  # as model.apply's raise_to_floor
    return out * torch.maximum(factor, torch.clamp(floor, max=1.0))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model")
    p.add_argument("devset")
    p.add_argument("out")
    p.add_argument("variants")
    args = p.parse_args()
    model = model_from_checkpoint(args.model) if args.model.endswith(".pt") else model_from_file(args.model)
    model.gain_release = 0.0  # the variants say which release to apply
    devset = Path(args.devset)
    clips = [c for c in json.load(open(devset / "manifest.json")) if 0 <= c["snr_db"] <= 10]
    dnsmos = Path(__file__).resolve().parent.parent / "bench/dnsmos.mjs"
    for variant in args.variants.split(","):
        strength = re.search(r"s(\d\d)", variant)
        floor_gain = 10 ** (-(float(strength.group(1)) if strength else 25.0) / 20)
        out = Path(args.out) / variant
        out.mkdir(parents=True, exist_ok=True)
        with torch.no_grad():
            for clip in clips:
                x, rate = soundfile.read(devset / clip["noisy"], dtype="float32")
                spec = stft(torch.from_numpy(x)[None])
                gains, coefs = model(spec)
                gains = post(gains, variant, model.df_bins, spec)
                out_spec = model.apply(spec, gains, df_gain_scaled(coefs, gains, variant), floor_gain)
                y = istft(pause_expand(spec, out_spec, variant, floor_gain), len(x))[0].numpy()
                soundfile.write(out / (clip["id"] + ".wav"), y, rate, subtype="FLOAT")
        files = sorted(str(f) for f in out.glob("*.wav"))
        scores = json.loads(subprocess.run(["node", str(dnsmos), "--json", *files], capture_output=True, text=True,
                                           check=True).stdout)["mean"]
        print(variant, " ".join(f"{k} {v:.3f}" for k, v in scores.items()), flush=True)


if __name__ == "__main__":
    main()
