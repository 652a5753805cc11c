#!/usr/bin/python3
"""How much better a model does on its own training talkers and noise than on held-out ones.

Two paired tests, so that the comparison is not drowned by how much mixtures differ:
- talkers: each mixture is made twice with the same noise (a held-out recorded noise part or a
  synthesized noise) at the same SNR, once with a training talker's speech and once with a
  held-out talker's;
- noise: each mixture is made twice with the same held-out talker's speech at the same SNR, once
  with the training part of a recorded noise and once with the held-out part of the same file.
A positive gap (SI-SDR gain on the training side minus the held-out side) means the model has
learnt those talkers or recordings rather than speech and noise in general, so more data would
help it; no gap means data is not what holds it back. No reverberation or EQ: only the
talkers and noises differ.

  train/generalization_gap.py ../models/hushnet-v3.hnn [--pairs 160] [--data-fraction F]

MODEL is a model file (.hnn) or a training checkpoint (.pt, with the shipped release and DC
floor). --data-fraction names the share of the training split a run saw (train.py's option).
"""
import argparse

import numpy as np
import torch

from golden import model_from_file
from hushnn import noises
from hushnn.corpus import RATE_HZ, Corpus, data_dir
from hushnn.mixer import rms
from hushnn.periodicity import model_from_checkpoint
from train import loss_terms, si_sdr_db

SECONDS = 4.0


def piece(rng, x, n):
    """n samples of x from a random start, repeated if x is shorter."""
    if len(x) < n:
        x = np.tile(x, -(-n // len(x)))
    start = int(rng.integers(0, len(x) - n + 1))
    return x[start : start + n].astype(np.float64)


def mix(speech, noise, snr_db, level_dbfs):
    speech = speech / rms(speech) * 10 ** (level_dbfs / 20)
    noise = noise / rms(noise) * 10 ** ((level_dbfs - snr_db) / 20)
    return (speech + noise).astype(np.float32), speech.astype(np.float32)


def sisdr_gain_db(model, noisy, clean, floor_gain):
    noisy, clean = torch.from_numpy(noisy)[None], torch.from_numpy(clean)[None]
    with torch.no_grad():
        _, out_db, (_, ref, _) = loss_terms(model, noisy, clean, torch.zeros(1, dtype=torch.bool), floor_gain)
    return (out_db - si_sdr_db(noisy[:, : ref.shape[-1]], ref)).item()


def paired_gaps(model, seen, held_out, pairs, seed, floor_gain):
    rng = np.random.default_rng(seed)
    n = int(SECONDS * RATE_HZ)
    talkers, noise = [], []
    for _ in range(pairs):
        snr_db, level_dbfs = rng.uniform(-5, 15), rng.uniform(-35, -20)
        # talkers: one noise, two talkers
        if rng.random() < 0.5:
            k = int(rng.integers(len(held_out.noise)))
            shared_noise = piece(rng, held_out.noise[k], n)
        else:
            shared_noise = noises.SYNTHETIC[int(rng.integers(len(noises.SYNTHETIC)))](rng, n)
        s_seen = piece(rng, seen.speech[int(rng.integers(len(seen.speech)))], n)
        s_new = piece(rng, held_out.speech[int(rng.integers(len(held_out.speech)))], n)
        talkers.append(sisdr_gain_db(model, *mix(s_seen, shared_noise, snr_db, level_dbfs), floor_gain)
                       - sisdr_gain_db(model, *mix(s_new, shared_noise, snr_db, level_dbfs), floor_gain))
        # noise: one talker, the two parts of one recording
        k = int(rng.integers(len(held_out.noise)))
        shared_speech = piece(rng, held_out.speech[int(rng.integers(len(held_out.speech)))], n)
        n_seen, n_new = piece(rng, seen.noise[k], n), piece(rng, held_out.noise[k], n)
        noise.append(sisdr_gain_db(model, *mix(shared_speech, n_seen, snr_db, level_dbfs), floor_gain)
                     - sisdr_gain_db(model, *mix(shared_speech, n_new, snr_db, level_dbfs), floor_gain))
    return np.array(talkers), np.array(noise)


def mean_se(x):
    return f"{x.mean():+.3f} ± {x.std(ddof=1) / np.sqrt(len(x)):.3f} dB"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model")
    p.add_argument("--data", default=None)
    p.add_argument("--pairs", type=int, default=160)
    p.add_argument("--data-fraction", type=float, default=1.0)
    p.add_argument("--strength-db", type=float, default=25.0)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    torch.set_num_threads(1)
    model = model_from_checkpoint(args.model) if args.model.endswith(".pt") else model_from_file(args.model)
    model.eval()
    root = data_dir(args.data)
    seen, held_out = Corpus(root, "train", args.data_fraction), Corpus(root, "val")
    talkers, noise = paired_gaps(model, seen, held_out, args.pairs, args.seed, 10 ** (-args.strength_db / 20))
    print(f"{args.model}: {args.pairs} pairs, SNR -5..15 dB, strength {args.strength_db:g} dB; "
          "SI-SDR gain on training data minus held-out data (mean ± s.e.)")
    print(f"talkers: {mean_se(talkers)}")
    print(f"noise:   {mean_se(noise)}")


if __name__ == "__main__":
    main()
