"""Experiment (stop 23, PyTorch only; no C++ twin yet): HushNet with a periodicity input.

The network takes the ring of a horn or a clinking plate for voiced speech (train/README.md,
stop 22). Both are periodic; what tells them apart is how the period behaves: a horn's stays put,
a voice's glides. The 161 log-power bins, 50 Hz apart, barely resolve a low voice's harmonics,
so this adds the normalised autocorrelation of 40 ms of past input (causal: no latency) at
PERIODICITY_LAGS lags, log-spaced over 2.5-20 ms (pitches of 50-400 Hz) and unbiased for the
window. Initialised from a shipped file (train.py --init-from), the encoder's new columns start
at zero (model.widen_state), so the model computes exactly what the file did.
"""
import math

import torch
from torch import nn

from .model import BINS, DF_ORDER, HOP, HushNet, istft

PITCH_WINDOW = 640  # 40 ms, ending one hop before the model's frame does
PERIODICITY_LAGS = 48
MIN_LAG, MAX_LAG = 40, 320  # 400 Hz .. 50 Hz at 16 kHz
# The new inputs' encoder weights start at zero and Adam moves each weight by about the learning
# rate per step, whatever the input's scale: scaled like the normalised log powers (std 1, range
# about +-4), they are learnt as fast as those.
PERIODICITY_SCALE = 4.0


def lags():
    grid = torch.exp(torch.linspace(math.log(MIN_LAG), math.log(MAX_LAG), PERIODICITY_LAGS))
    return torch.unique(grid.round().long())


def periodicity(x):
    """[B, N] audio -> [B, N / HOP, len(lags())] normalised autocorrelation of each 40 ms window
    ending one hop before the model's frame ends (the overlap-add has finished those samples)."""
    window = torch.hann_window(PITCH_WINDOW, periodic=False, dtype=x.dtype, device=x.device)
    frames = torch.nn.functional.pad(x, (PITCH_WINDOW, 0)).unfold(-1, PITCH_WINDOW, HOP)[:, : x.shape[-1] // HOP]
    frames = frames * window
    n_fft = 2 * PITCH_WINDOW
    acf = torch.fft.irfft(torch.fft.rfft(frames, n=n_fft).abs().square(), n=n_fft)
    wacf = torch.fft.irfft(torch.fft.rfft(window, n=n_fft).abs().square(), n=n_fft)
    k = lags().to(x.device)
    return (acf[..., k] / (acf[..., :1] + 1e-9)) * (wacf[0] / wacf[k])


class PeriodicHushNet(HushNet):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.encoder = nn.Linear(BINS + len(lags()), self.encoder.out_features)

    def inputs(self, spec):
        x = istft(spec, spec.shape[1] * HOP)  # the input, complete up to one hop before each frame's end
        return torch.cat([self.features(spec), PERIODICITY_SCALE * periodicity(x).clamp(-1, 1)], -1)


def model_from_checkpoint(path, gain_release=0.8, floor_bins=1):
    """A training checkpoint (.pt) as a model, with or without the periodicity input (read from
    the encoder's width), without exporting it: for experiments that have no C++ twin. The
    defaults are what export.py writes for the shipped model."""
    ck = torch.load(path)
    state = ck["model"]
    hidden = state["gru1.weight_hh_l0"].shape[1]
    df_bins = state["df.weight"].shape[0] // (2 * DF_ORDER) if "df.weight" in state else 0
    kw = dict(encoder=state["encoder.weight"].shape[0], hidden=hidden, df_bins=df_bins,
              df_hidden=state["df_in.weight"].shape[0] if df_bins else 1,
              gain_release=gain_release, floor_bins=floor_bins,
              lookahead=ck.get("args", {}).get("lookahead", 0))
    model = (PeriodicHushNet if state["encoder.weight"].shape[1] > BINS else HushNet)(**kw)
    model.load_state_dict(state)
    model.eval()
    return model
