#!/usr/bin/python3
"""Trains Hush's speaker projection (models/speaker-lda-v1.hnn) for diarization.

Input: the window statistics that the C++ diarizer itself computes (mean/std of 20 MFCCs and
std of their deltas over ~1.5 s windows, src/meeting/speaker_features.h), dumped with

    build/<dir>/apps/hush-bench speaker-stats --data $HUSH_DATA --out build/speaker-stats

for every LibriSpeech utterance in $HUSH_DATA (librispeech-speakers: 251 speakers, one utterance
each; librispeech-mini: 28 speakers), clean and through a simulated room/microphone/noise.

Model: standardize -> linear discriminant analysis (between- vs within-speaker scatter, the
within-speaker part from the several windows of each utterance) -> the top DIMS directions,
scaled so the within-speaker covariance is the identity. Embeddings are length-normalized and
compared by cosine. The last HELD_OUT files of librispeech-speakers (sorted by name) are never
trained on; the script reports the equal error rate of window-pair trials on them, and
tests/unit/test_diarize.cpp checks the same held-out speakers.

    /usr/bin/python3 train/speaker_lda.py --stats build/speaker-stats --out models/speaker-lda-v1.hnn
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import scipy.linalg

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hushnn import model_file  # noqa: E402

STATS_DIMS = 60
HELD_OUT = 20  # keep in sync with kHeldOutSpeakerFiles in tests/unit/test_diarize.cpp


def load(prefix):
    x = np.fromfile(prefix + ".f32", dtype="<f4").reshape(-1, STATS_DIMS)
    rows = [line.rstrip("\n").split("\t") for line in open(prefix + ".tsv")]
    assert len(rows) == len(x), "stats and tsv disagree"
    return x, rows


def lda(x, labels, dims, reg=1e-3):
    classes = np.unique(labels)
    mu = x.mean(0)
    sw = np.zeros((x.shape[1], x.shape[1]))
    sb = np.zeros_like(sw)
    for c in classes:
        xc = x[labels == c]
        mc = xc.mean(0)
        d = xc - mc
        sw += d.T @ d
        sb += len(xc) * np.outer(mc - mu, mc - mu)
    sw /= len(x)
    sb /= len(x)
    sw += reg * np.trace(sw) / len(sw) * np.eye(len(sw))
    vals, vecs = scipy.linalg.eigh(sb, sw)  # vecs.T @ sw @ vecs = I
    order = np.argsort(vals)[::-1][:dims]
    return vecs[:, order], vals[order]


def embed(x, mean, scale, proj):
    e = ((x - mean) / scale) @ proj
    return e / np.linalg.norm(e, axis=1, keepdims=True)


def eer(emb, utt, rng, pairs=20000):
    """Equal error rate of random same-utterance vs different-speaker window pairs."""
    ids = np.array(utt)
    n = len(emb)
    a = rng.integers(0, n, pairs * 4)
    b = rng.integers(0, n, pairs * 4)
    keep = a != b
    a, b = a[keep], b[keep]
    same = ids[a] == ids[b]
    s = np.sum(emb[a] * emb[b], axis=1)
    tgt, non = s[same][:pairs], s[~same][:pairs]
    thr = np.sort(np.concatenate([tgt, non]))
    best = 1.0
    for t in thr[:: max(1, len(thr) // 2000)]:
        fr = np.mean(tgt < t)
        fa = np.mean(non >= t)
        best = min(best, max(fr, fa))
    return float(best), len(tgt), len(non)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stats", required=True, help="prefix written by hush-bench speaker-stats")
    ap.add_argument("--out", required=True)
    ap.add_argument("--dims", type=int, default=32)
    args = ap.parse_args()

    x, rows = load(args.stats)
    corpus = np.array([r[0] for r in rows])
    speaker = np.array([r[0] + ":" + r[1] for r in rows])
    utt = [r[2] for r in rows]
    held_files = sorted({r[2] for r in rows if r[0] == "librispeech-speakers"})[-HELD_OUT:]
    held = np.array([u in held_files for u in utt])
    train = ~held
    mean = x[train].mean(0)
    scale = x[train].std(0) + 1e-6
    z = (x - mean) / scale
    proj, vals = lda(z[train], speaker[train], args.dims)

    rng = np.random.default_rng(7)
    emb = embed(x, mean, scale, proj)
    clean_held = held & (np.array([r[3] for r in rows]) == "0")
    held_eer = eer(emb[clean_held], [utt[i] for i in np.where(clean_held)[0]], rng)
    all_held_eer = eer(emb[held], [utt[i] for i in np.where(held)[0]], rng)
    raw = (x - mean) / scale
    raw = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    raw_eer = eer(raw[held], [utt[i] for i in np.where(held)[0]], rng)
    print(f"held-out EER: LDA clean {held_eer[0]:.3f}, LDA clean+room {all_held_eer[0]:.3f}, "
          f"standardized stats without LDA {raw_eer[0]:.3f}")

    metadata = {"architecture": "speaker-lda", "features": "mfcc20-mean-std-dstd-v1",
                "stats_dims": STATS_DIMS, "embedding_dims": args.dims}
    tensors = [("mean", mean.astype(np.float32)), ("scale", scale.astype(np.float32)),
               ("projection", proj.astype(np.float32))]
    size = model_file.write(args.out, metadata, tensors)
    sha = hashlib.sha256(open(args.out, "rb").read()).hexdigest()
    manifest = {
        "file": os.path.basename(args.out), "bytes": size, "sha256": sha, "metadata": metadata,
        "data": {"librispeech-speakers": "251 speakers, one utterance each (CC BY 4.0)",
                 "librispeech-mini": "train-clean-5, 28 speakers (CC BY 4.0)",
                 "held_out_files": held_files,
                 "windows_train": int(train.sum()), "windows_held_out": int(held.sum()),
                 "speakers_train": int(len(np.unique(speaker[train]))),
                 "augmentation": "1 simulated room copy per utterance (hush-bench speaker-stats)"},
        "metrics": {"held_out_window_eer_clean": held_eer[0], "held_out_window_eer_clean_and_room": all_held_eer[0],
                    "held_out_window_eer_without_lda": raw_eer[0],
                    "top_discriminant_ratios": [float(v) for v in vals[:8]]},
        "trained_by": "train/speaker_lda.py",
    }
    with open(args.out + ".manifest.json", "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {args.out} ({size} bytes, sha256 {sha})")


if __name__ == "__main__":
    main()
