"""Speech and noise sources from ../shared/data, split the same way as `hush-bench devset`.

The dev set (apps/hush-bench/devset.h) uses speakers 6272/7367/7859/8629 of librispeech-mini,
the last 30 % of every noise file and the last 40 librispeech-speakers files as babble talkers.
Training uses everything else, so the dev-set numbers are on speakers and noise it never saw.
"""
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


class Corpus:
    """All audio of one split, decoded once into memory (about 0.7 GB for training)."""

    def __init__(self, root, split):
        if split not in ("train", "val"):
            raise ValueError(split)
        root = Path(root)
        mini = sorted(root.glob("speech/librispeech-mini/*/*/*.flac"))
        if not mini:
            raise FileNotFoundError(f"{root}/speech/librispeech-mini: no FLAC files (set HUSH_DATA)")
        is_dev = lambda p: p.parts[-3] in DEV_SPEAKERS
        talkers = sorted(root.glob("speech/librispeech-speakers/*.flac"))
        noise_files = sorted(root.glob("noise/*.flac"))
        if split == "train":
            speech_files = [p for p in mini if not is_dev(p)] + talkers[:-DEV_BABBLE_TALKERS]
            babble_files = talkers[:-DEV_BABBLE_TALKERS] + [p for p in mini if not is_dev(p)]
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
            self.noise.append(x[:cut] if split == "train" else x[cut:])
            self.noise_names.append(p.stem)
        self.speech_seconds = sum(len(x) for x in self.speech) / RATE_HZ
