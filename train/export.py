#!/usr/bin/python3
"""Exports a HushNet checkpoint to a Hush model file (.hnn) and its manifest (.manifest.json:
data, commit, metrics, parameters, sha256).

  train/export.py train/runs/hushnet-v3e/best.pt models/hushnet-v3.hnn --half --gain-release 0.8 --floor-bins 1 \
      [--metrics bench.json]
"""
import argparse
import hashlib
import json
import subprocess
from pathlib import Path

import numpy as np
import torch

from hushnn import model_file
from hushnn.model import BINS, DF_HIDDEN, DF_ORDER, HOP, LOG_EPS, RATE_HZ, WINDOW, HushNet

TENSOR_ORDER = [
    "feature_mean", "feature_inv_std", "encoder.weight", "encoder.bias",
    "gru1.weight_ih_l0", "gru1.weight_hh_l0", "gru1.bias_ih_l0", "gru1.bias_hh_l0",
    "gru2.weight_ih_l0", "gru2.weight_hh_l0", "gru2.bias_ih_l0", "gru2.bias_hh_l0",
    "decoder.weight", "decoder.bias",
]


def load_checkpoint(path):
    ck = torch.load(path, map_location="cpu")
    state = ck["model"]
    encoder, hidden = state["encoder.weight"].shape[0], state["gru1.weight_hh_l0"].shape[1]
    df_bins = state["df.weight"].shape[0] // (2 * DF_ORDER) if "df.weight" in state else 0
    df_hidden = state["df_in.weight"].shape[0] if df_bins else DF_HIDDEN
    model = HushNet(encoder=encoder, hidden=hidden, df_bins=df_bins, df_hidden=df_hidden,
                    gain_release=ck.get("gain_release", 0.0), floor_bins=ck.get("floor_bins", 0))
    model.load_state_dict(state)
    model.eval()
    return model, ck


def describe(model):
    enc, hid = model.encoder.out_features, model.gru1.hidden_size
    text = f"hushnet-gru2: {BINS} log-power bins -> dense {enc} tanh -> GRU {hid} -> GRU {hid} -> dense {BINS} sigmoid"
    if model.df_bins:
        text += f"; GRU {hid} -> dense {model.df_in.out_features} tanh -> dense {model.df.out_features} tanh: " \
                f"complex deep filter of the {model.df_bins} lowest bins, {model.df_order} taps"
    return text


def export(model, path, name, half=False):
    """half: weight matrices as IEEE half (biases and feature statistics stay float32)."""
    state = model.state_dict()
    metadata = {
        "architecture": "hushnet-gru2", "name": name, "rate_hz": RATE_HZ, "hop": HOP, "window": WINDOW,
        "bins": BINS, "encoder": model.encoder.out_features, "hidden": model.gru1.hidden_size, "log_eps": LOG_EPS,
    }
    names = list(TENSOR_ORDER)
    if model.df_bins:
        metadata.update(df_bins=model.df_bins, df_order=model.df_order, df_hidden=model.df_in.out_features)
        names += ["df_in.weight", "df_in.bias", "df.weight", "df.bias"]
    if model.gain_release > 0:
        metadata.update(gain_release=model.gain_release)
    if model.gain_release > 0 and model.release_power_exponent > 0:
        metadata.update(release_power_exponent=model.release_power_exponent,
                        release_smooth_bins=model.release_smooth_bins)
    if model.floor_bins > 0:
        metadata.update(floor_bins=model.floor_bins)
    tensors = [(n, state[n].detach().numpy()) for n in names]
    if half:
        tensors = [(n, t.astype(np.float16) if t.ndim == 2 else t) for n, t in tensors]
    return model_file.write(path, metadata, tensors)


def git_commit():
    try:
        return subprocess.check_output(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint")
    p.add_argument("output")
    p.add_argument("--name", default=None)
    p.add_argument("--metrics", default=None, help="JSON file with benchmark results to record")
    p.add_argument("--notes", default=None, help="how this checkpoint was trained, for the manifest")
    p.add_argument("--half", action="store_true", help="store weight matrices as IEEE half (half the memory)")
    p.add_argument("--gain-release", type=float, default=None,
                   help="the engine's per-hop gain release (0 <= r < 1; default: the checkpoint's, else 0)")
    p.add_argument("--floor-bins", type=int, default=None,
                   help="lowest 50 Hz bins the engine holds at the floor (0-8; default: the checkpoint's, else 0)")
    p.add_argument("--release-power-exponent", type=float, default=None,
                   help="the compensated release's power exponent (0 < p <= 4; 0: plain release; default: the "
                        "checkpoint's training setting)")
    p.add_argument("--release-smooth-bins", type=int, default=None,
                   help="bins the compensated release averages the power over (odd, 1-31; default: the checkpoint's)")
    args = p.parse_args()
    model, ck = load_checkpoint(args.checkpoint)
    trained = ck.get("args", {})
    model.release_power_exponent = trained.get("release_power_exponent", 0.0)
    model.release_smooth_bins = trained.get("release_smooth_bins", 1)
    if args.release_power_exponent is not None:
        if not 0.0 <= args.release_power_exponent <= 4.0:
            raise SystemExit("--release-power-exponent must be in [0, 4]")
        model.release_power_exponent = args.release_power_exponent
    if args.release_smooth_bins is not None:
        if not (1 <= args.release_smooth_bins <= 31 and args.release_smooth_bins % 2 == 1):
            raise SystemExit("--release-smooth-bins must be odd, 1-31")
        model.release_smooth_bins = args.release_smooth_bins
    if args.floor_bins is not None:
        if not 0 <= args.floor_bins <= 8:
            raise SystemExit("--floor-bins must be in [0, 8]")
        model.floor_bins = args.floor_bins
    if args.gain_release is not None:
        if not 0.0 <= args.gain_release < 1.0:
            raise SystemExit("--gain-release must be in [0, 1)")
        model.gain_release = args.gain_release
    out = Path(args.output)
    size = export(model, out, args.name or out.stem, half=args.half)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    run_dir = Path(args.checkpoint).parent
    log = [json.loads(line) for line in open(run_dir / "log.jsonl")] if (run_dir / "log.jsonl").exists() else []
    manifest = {
        "file": out.name,
        "sha256": digest,
        "bytes": size,
        "parameters": sum(p.numel() for p in model.parameters()),
        "architecture": describe(model),
        "training_data": {
            "speech": "../shared/data/speech/librispeech-mini (all speakers but 6272, 7367, 7859, 8629) + "
                      "librispeech-speakers (all but the last 40 files); CC BY 4.0",
            "noise": "../shared/data/noise, first 70% of each file (CC BY 4.0 / CC0 / CC BY) + synthesized noise",
            "reverberation": "image-source rooms, RT60 0.15-0.9 s (train/hushnn/rir.py)",
        },
        "training": {"step": ck.get("step"), "validation": ck.get("val") or (log[-1] if log else None),
                     "command": "train/train.sh", "notes": args.notes},
        "commit": git_commit(),
        "metrics": json.load(open(args.metrics)) if args.metrics else None,
    }
    Path(str(out) + ".manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{out}: {size} bytes, sha256 {digest}")


if __name__ == "__main__":
    main()
