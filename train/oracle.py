#!/usr/bin/python3
"""Upper bounds on the dev set's 0-10 dB clips for what HushNet's output can reach on its 20 ms /
10 ms grid: SI-SDR with ideal gains (|S| / |X|, floored at --strength-db, default 25 dB, noisy
phase), and with the same gains plus the clean complex spectrum in the lowest N bins (what a perfect deep filter there
would give). Reads the dev set `hush-bench devset` writes. With --out DIR it also writes each
bound's audio to DIR/<bound>/<clip id>.wav, and the ideal gains through the engine's gain
release (0.8 per hop) as DIR/ideal-release/, for `hush-bench quality --enhanced` (DNSMOS):
how good the 20 ms per-bin-gain representation itself can sound. With --model FILE.hnn (and
--out) it writes the model's output and four swaps with the ideal output, to tell what costs what:
DIR/model-ideal-pauses/ (the model's output where the clean speech talks, the ideal gains' in its
pauses, the frames --pause-db (40) dB below its loudest) and DIR/ideal-model-pauses/ (the other
way round); and, in every frame, DIR/model-less-noise/ (the ideal output wherever the model keeps
more of a bin than the ideal gain does: the model without its residual noise) and
DIR/model-less-loss/ (the ideal output wherever the model keeps less: without its speech loss).
  train/oracle.py build/release/devset [--df-bins 48] [--out DIR] [--model FILE.hnn]
"""
import argparse
import json
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from hushnn.model import DF_BINS, HOP, istft, release_limited, stft
from band_levels import pause_frames
from golden import model_from_file
from train import si_sdr_db


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("devset")
    p.add_argument("--df-bins", type=int, default=DF_BINS)
    p.add_argument("--out", help="write each bound's audio here")
    p.add_argument("--strength-db", type=float, default=25.0, help="the gains' floor (the engine's default: 25)")
    p.add_argument("--pause-db", type=float, default=40.0, help="swap frames this far below the clean's loudest")
    p.add_argument("--model", help="a model file whose output to swap with the ideal gains' (needs --out)")
    args = p.parse_args()
    if args.model and not args.out:
        p.error("--model needs --out: the swaps are audio to score")
    root = Path(args.devset)
    floor = 10 ** (-args.strength_db / 20)
    model = model_from_file(args.model) if args.model else None
    scores = {"noisy": [], "ideal gains": [], f"ideal gains + clean lowest {args.df_bins} bins": [],
              "ideal gains, released at 0.8 per hop": []}
    for clip in json.load(open(root / "manifest.json")):
        if not 0 <= clip["snr_db"] <= 10:
            continue
        clean = torch.from_numpy(sf.read(root / clip["clean"], dtype="float32")[0])
        noisy = torch.from_numpy(sf.read(root / clip["noisy"], dtype="float32")[0])
        n = len(clean) - HOP  # the last hop sees one window only
        spec_clean, spec_noisy = stft(clean[None]), stft(noisy[None])
        gains = (spec_clean.abs() / (spec_noisy.abs() + 1e-9)).clamp(floor, 1.0)
        ideal_spec = spec_noisy * gains
        with_low = ideal_spec.clone()
        with_low[..., : args.df_bins] = spec_clean[..., : args.df_bins]
        released = istft(spec_noisy * release_limited(gains, 0.8), len(clean))
        signals = (noisy[None], istft(ideal_spec, len(clean)), istft(with_low, len(clean)), released)
        for name, signal in zip(scores, signals):
            scores[name].append(si_sdr_db(signal[0, :n], clean[:n]).item())
        if args.out:
            for folder, signal in zip(("ideal", f"ideal-df{args.df_bins}", "ideal-release"), signals[1:]):
                write_wav(Path(args.out) / folder, clip["id"], signal)
        if model:
            write_swaps(model, spec_clean, spec_noisy, ideal_spec, floor, args.pause_db, len(clean),
                        Path(args.out), clip["id"])
    for name, values in scores.items():
        print(f"{name}: {np.mean(values):.2f} dB SI-SDR ({len(values)} clips)")


def write_wav(folder, clip_id, signal):
    folder.mkdir(parents=True, exist_ok=True)
    sf.write(folder / (clip_id + ".wav"), signal[0].numpy(), 16000, subtype="FLOAT")


def write_swaps(model, spec_clean, spec_noisy, ideal_spec, floor, pause_db, length, out, clip_id):
    with torch.no_grad():
        model_spec = model.apply(spec_noisy, *model(spec_noisy), floor)
    pauses = torch.from_numpy(pause_frames(spec_clean[0].abs().square().numpy(), pause_db))[None, :, None]
    keeps_more = model_spec.abs() > ideal_spec.abs()
    for folder, spec in (("model", model_spec), ("model-ideal-pauses", torch.where(pauses, ideal_spec, model_spec)),
                         ("ideal-model-pauses", torch.where(pauses, model_spec, ideal_spec)),
                         ("model-less-noise", torch.where(keeps_more, ideal_spec, model_spec)),
                         ("model-less-loss", torch.where(keeps_more, model_spec, ideal_spec))):
        write_wav(out / folder, clip_id, istft(spec, length))


if __name__ == "__main__":
    main()
