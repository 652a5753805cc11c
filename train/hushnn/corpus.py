"""Speech and noise sources from ../shared/data, split the same way as `hush-bench devset`.

The dev set (apps/hush-bench/devset.h) uses speakers 6272/7367/7859/8629 of librispeech-mini,
the last 30 % of every noise file and the last 40 librispeech-speakers files as babble talkers.
Training uses everything else, so the dev-set numbers are on speakers and noise it never saw.
"""
import math
import os
from pathlib import Path

import numpy as np
import soundfile

RATE_HZ = 16000
DEV_SPEAKERS = {"6272", "7367", "7859", "8629"}
DEV_NOISE_START_FRACTION = 0.7
DEV_BABBLE_TALKERS = 40


def data_dir(arg=None):
    return Path(arg or os.environ.get("HUSH_DATA", Path(__file__).resolve().parents[3] / "shared/data"))


def read_mono16k(path):
    x, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    if rate != RATE_HZ:
        raise ValueError(f"{path}: expected {RATE_HZ} Hz, got {rate}")
    return np.ascontiguousarray(x.mean(axis=1))


def first_share(items, fraction):
    """The first ceil(fraction * n) items (at least one): a smaller corpus for a data learning curve."""
    return items[:max(1, math.ceil(fraction * len(items)))]


class Corpus:
    """All audio of one split, decoded once into memory (about 0.7 GB for training).

    `data_fraction` < 1 (training only) keeps that share of the training talkers, by speaker, and
    of each recorded noise's training part, to measure how the model scales with data."""

    def __init__(self, root, split, data_fraction=1.0):
        if split not in ("train", "val"):
            raise ValueError(split)
        if not 0.0 < data_fraction <= 1.0 or (split == "val" and data_fraction != 1.0):
            raise ValueError(f"data_fraction {data_fraction}: must be in (0, 1], and 1 for validation")
        root = Path(root)
        mini = sorted(root.glob("speech/librispeech-mini/*/*/*.flac"))
        if not mini:
            raise FileNotFoundError(f"{root}/speech/librispeech-mini: no FLAC files (set HUSH_DATA)")
        is_dev = lambda p: p.parts[-3] in DEV_SPEAKERS
        talkers = sorted(root.glob("speech/librispeech-speakers/*.flac"))
        noise_files = sorted(root.glob("noise/*.flac"))
        if split == "train":
            train_speakers = first_share(sorted({p.parts[-3] for p in mini if not is_dev(p)}), data_fraction)
            mini_train = [p for p in mini if p.parts[-3] in train_speakers]
            talkers_train = first_share(talkers[:-DEV_BABBLE_TALKERS], data_fraction)
            speech_files = mini_train + talkers_train
            babble_files = talkers_train + mini_train
        else:
            speech_files = [p for p in mini if is_dev(p)]
            babble_files = talkers[-DEV_BABBLE_TALKERS:]
        self.speech = [read_mono16k(p) for p in speech_files]
        self.babble = [read_mono16k(p) for p in babble_files]
        self.noise = []
        self.noise_names = []
        for p in noise_files:
            x = read_mono16k(p)
            cut = int(DEV_NOISE_START_FRACTION * len(x))
            self.noise.append(x[:int(data_fraction * cut)] if split == "train" else x[cut:])
            self.noise_names.append(p.stem)
        self.speech_seconds = sum(len(x) for x in self.speech) / RATE_HZ
