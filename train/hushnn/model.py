"""HushNet: per-bin spectral gains from a two-layer GRU, 20 ms window, 10 ms hop, 16 kHz.

Everything here has a twin in src/enhance/neural_engine.cpp and src/nn/; the exporter writes
the tensors below and tests/quality/test_neural_matches_torch.cpp holds the two to 1e-4.
"""
import math

import torch
from torch import nn

RATE_HZ = 16000
HOP = 160
WINDOW = 320
BINS = WINDOW // 2 + 1
LOG_EPS = 1e-9


def analysis_window(device=None):
    """Square-root periodic Hann: analysis x synthesis is a Hann that sums to 1 at 50 % overlap."""
    n = torch.arange(WINDOW, dtype=torch.float64, device=device)
    return torch.sqrt(0.5 - 0.5 * torch.cos(2 * math.pi * n / WINDOW)).float()


def stft(x):
    """Streaming-equivalent STFT of [B, N] audio: frame m ends at sample (m + 1) * HOP, as in C++
    where the first window sees HOP zeros of history. Returns [B, T, BINS] complex, T = N / HOP."""
    pad = torch.nn.functional.pad(x, (WINDOW - HOP, 0))
    frames = pad.unfold(-1, WINDOW, HOP) * analysis_window(x.device)
    return torch.fft.rfft(frames, dim=-1)


def istft(spec, length):
    """Overlap-add of [B, T, BINS] back to [B, length], aligned with the input (the streaming C++
    engine emits the same samples WINDOW - HOP later). The last HOP samples see one window only."""
    frames = torch.fft.irfft(spec, n=WINDOW, dim=-1) * analysis_window(spec.device)
    b, t, _ = frames.shape
    out = torch.nn.functional.fold(
        frames.transpose(1, 2), output_size=(1, (t - 1) * HOP + WINDOW), kernel_size=(1, WINDOW), stride=(1, HOP)
    ).reshape(b, -1)
    return out[:, WINDOW - HOP : WINDOW - HOP + length]


class HushNet(nn.Module):
    def __init__(self, encoder=160, hidden=192):
        super().__init__()
        self.register_buffer("feature_mean", torch.zeros(BINS))
        self.register_buffer("feature_inv_std", torch.ones(BINS))
        self.encoder = nn.Linear(BINS, encoder)
        self.gru1 = nn.GRU(encoder, hidden, batch_first=True)
        self.gru2 = nn.GRU(hidden, hidden, batch_first=True)
        self.decoder = nn.Linear(hidden, BINS)

    def features(self, spec):
        power = spec.real.square() + spec.imag.square()
        return (torch.log(power + LOG_EPS) - self.feature_mean) * self.feature_inv_std

    def forward(self, spec, state=None):
        """spec [B, T, BINS] complex -> gains [B, T, BINS] in (0, 1), new state."""
        h1, h2 = state if state is not None else (None, None)
        x = torch.tanh(self.encoder(self.features(spec)))
        x, h1 = self.gru1(x, h1)
        x, h2 = self.gru2(x, h2)
        return torch.sigmoid(self.decoder(x)), (h1, h2)


def enhance(model, x, floor_gain):
    """Whole-signal reference of the C++ engine at 16 kHz: same framing, gains, floor and OLA."""
    spec = stft(x)
    gains, _ = model(spec)
    return istft(spec * torch.clamp(gains, min=floor_gain), x.shape[-1])
