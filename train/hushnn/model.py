"""HushNet: per-bin spectral gains from a two-layer GRU, 20 ms window, 10 ms hop, 16 kHz, plus
(optionally) a causal deep filter on the lowest bins: complex coefficients (from the second GRU
through a narrow dense+tanh layer) over the current and
previous DF_ORDER - 1 frames, added to the gain-scaled spectrum (DeepFilterNet's idea; gains
alone keep the noisy phase, which is where most of the remaining error at 0-10 dB SNR is).

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
DF_BINS = 48  # 0-2.35 kHz: the voiced harmonics carry most of the speech energy there
DF_ORDER = 3  # taps at t, t-1, t-2: no look-ahead, so no added latency
FLOOR_EPS = 1e-12  # |Y| + FLOOR_EPS: the C++ engine divides the same way
DF_HIDDEN = 32  # a narrow layer keeps the whole model under 2 MB of float32 weights


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
    def __init__(self, encoder=160, hidden=192, df_bins=0, df_order=DF_ORDER, df_hidden=DF_HIDDEN, gain_release=0.0,
                 floor_bins=0, lookahead=0):
        super().__init__()
        self.df_bins, self.df_order = df_bins, df_order
        # Hops of look-ahead (an experiment with no C++ twin, train.py --lookahead): frame t's
        # output uses the network's step t + lookahead and the filter taps X(t + lookahead - i).
        # Each hop adds 10 ms of latency: RNNoise 0.2 works this way with one hop.
        self.lookahead = lookahead
        # Each bin's gain may fall by at most this factor per hop (0: no limit). A post-processing
        # setting, not a weight: exported as model metadata, and applied by the engine.
        self.gain_release = gain_release
        # With an exponent > 0 the release is release_compensated's, else release_limited's.
        self.release_power_exponent, self.release_smooth_bins = 0.0, 1
        self.floor_bins = floor_bins  # lowest bins held at the floor (src/nn/hushnet.h floor_bins)
        self.register_buffer("feature_mean", torch.zeros(BINS))
        self.register_buffer("feature_inv_std", torch.ones(BINS))
        self.encoder = nn.Linear(BINS, encoder)
        self.gru1 = nn.GRU(encoder, hidden, batch_first=True)
        self.gru2 = nn.GRU(hidden, hidden, batch_first=True)
        self.decoder = nn.Linear(hidden, BINS)
        if df_bins:
            self.df_in = nn.Linear(hidden, df_hidden)
            # The output layer starts at zero: a model fine-tuned from a gains-only checkpoint
            # starts out identical to it.
            self.df = nn.Linear(df_hidden, df_bins * df_order * 2)
            nn.init.zeros_(self.df.weight)
            nn.init.zeros_(self.df.bias)

    def features(self, spec):
        power = spec.real.square() + spec.imag.square()
        return (torch.log(power + LOG_EPS) - self.feature_mean) * self.feature_inv_std

    def inputs(self, spec):
        """What the encoder reads: the log powers (an experiment's subclass may add to them)."""
        return self.features(spec)

    def forward(self, spec, state=None):
        """spec [B, T, BINS] complex -> gains [B, T, BINS] in (0, 1), deep-filter coefficients
        [B, T, df_bins, df_order] complex in the unit square (None without a deep filter)."""
        h1, h2 = state if state is not None else (None, None)
        x = torch.tanh(self.encoder(self.inputs(spec)))
        x, h1 = self.gru1(x, h1)
        x, h2 = self.gru2(x, h2)
        coefs = None
        if self.df_bins:
            c = torch.tanh(self.df(torch.tanh(self.df_in(x)))).reshape(*x.shape[:2], self.df_bins, self.df_order, 2)
            coefs = torch.complex(c[..., 0], c[..., 1])
        return torch.sigmoid(self.decoder(x)), coefs

    def apply(self, spec, gains, coefs, floor_gain):
        """The engine's output spectrum: max(gain, floor) * X, plus on the lowest bins
        (1 - floor) * sum_i coef_i * X(t - i), whose magnitude is then raised to at least
        floor * |X|. The strength limit holds for every bin: no bin loses more than the floor
        (the filter cannot cancel what the floor keeps), and at strength 0 dB (floor 1) the
        input passes unchanged. The lowest floor_bins bins are held at the floor (gain 0, no
        filter: a zero-phase high-pass); with a gain release r, gains then pass through
        release_limited."""
        if self.floor_bins > 0:
            gains = torch.cat([torch.zeros_like(gains[..., : self.floor_bins]), gains[..., self.floor_bins :]], -1)
            if coefs is not None:
                coefs = torch.cat([torch.zeros_like(coefs[..., : self.floor_bins, :]), coefs[..., self.floor_bins :, :]], -2)
        if self.lookahead:
            gains = ahead(gains, self.lookahead)
            coefs = None if coefs is None else ahead(coefs, self.lookahead)
        if self.gain_release > 0 and self.release_power_exponent > 0:
            gains = release_compensated(gains, self.gain_release, spec.real.square() + spec.imag.square(),
                                        self.release_power_exponent, self.release_smooth_bins)
        elif self.gain_release > 0:
            gains = release_limited(gains, self.gain_release)
        out = spec * torch.clamp(gains, min=floor_gain)
        if coefs is None:
            return out
        low_in = spec[..., : self.df_bins]
        low = torch.nn.functional.pad(low_in, (0, 0, self.df_order - 1 - self.lookahead, self.lookahead))
        taps = torch.stack([low[:, self.df_order - 1 - i : low.shape[1] - i] for i in range(self.df_order)], -1)
        filtered = out[..., : self.df_bins] + (coefs * taps).sum(-1) * (1.0 - floor_gain)
        raise_to_floor = torch.clamp(floor_gain * low_in.abs() / (filtered.abs() + FLOOR_EPS), min=1.0)
        return torch.cat([filtered * raise_to_floor, out[..., self.df_bins :]], -1)


def ahead(x, hops):
    """x[:, t + hops] at t; the last frames, which have no future, repeat the last step."""
    return torch.cat([x[:, hops:], x[:, -1:].expand(-1, hops, *x.shape[2:])], 1)


def release_limited(gains, release):
    """s_t = max(g_t, release * s_{t-1}) per bin, from s_{-1} = 0: a gain falls by at most
    20 log10(1 / release) dB per hop (RNNoise smooths its band gains the same way). Gains that
    drop from speech to noise within a hop chop word endings and make the residual noise
    flutter; the slower release lets the tail of each word and the room decay out naturally.
    A loop over hops, as in the engine, so that training sees exactly what the engine does."""
    out, prev = [], torch.zeros_like(gains[:, 0])
    for t in range(gains.shape[1]):
        prev = torch.maximum(gains[:, t], release * prev)
        out.append(prev)
    return torch.stack(out, 1)


def release_compensated(gains, release, power, exponent, smooth_bins, down_only=False):
    """RNNoise 0.2's release: the gain a bin holds into the next hop is first scaled by the
    change of the input's power, (P_t / P_t+1)^exponent (RNNoise: 1, on band energies), capped
    at 1. A noise that starts while the gain is still held up from speech then meets a held
    gain scaled down by its own loudness, instead of leaking through at the speech's gain.
    smooth_bins > 1 averages the power over that many bins first (per-bin power ratios flutter).
    down_only caps the ratio at 1: a rising power lowers the held gain, a falling one does not
    raise it (RNNoise's full ratio holds word tails, and the noise under them, at speech gain)."""
    if smooth_bins > 1:
        flat = power.reshape(-1, 1, power.shape[-1])
        power = torch.nn.functional.avg_pool1d(flat, smooth_bins, 1, smooth_bins // 2,
                                               count_include_pad=False).reshape(power.shape)
    out, hold = [], torch.zeros_like(gains[:, 0])
    for t in range(gains.shape[1]):
        s = torch.maximum(gains[:, t], hold)
        out.append(s)
        if t + 1 < gains.shape[1]:
            ratio = (power[:, t] + LOG_EPS) / (power[:, t + 1] + LOG_EPS)
            if down_only:
                ratio = torch.clamp(ratio, max=1.0)
            hold = release * torch.clamp(s * ratio**exponent, max=1.0)
    return torch.stack(out, 1)


def enhance(model, x, floor_gain):
    """Whole-signal reference of the C++ engine at 16 kHz: same framing, gains, filter, floor, OLA."""
    spec = stft(x)
    gains, coefs = model(spec)
    return istft(model.apply(spec, gains, coefs, floor_gain), x.shape[-1])


def widen_state(old, model):
    """A narrower checkpoint's weights laid into `model` (more GRU units) so that it computes the
    same function at first: each extra unit keeps its random weights, so it learns, but every
    weight that reads an extra unit from an old unit or an output starts at zero."""
    new = model.state_dict()
    h_old, h_new = old["gru1.weight_hh_l0"].shape[1], new["gru1.weight_hh_l0"].shape[1]
    out = {}
    for name, fresh in new.items():
        if name not in old:
            continue
        was = old[name]
        if was.shape == fresh.shape:
            out[name] = was
            continue
        t = fresh.clone()
        gate_rows = [(slice(g * h_new, g * h_new + h_old), slice(g * h_old, (g + 1) * h_old)) for g in range(3)]
        rows = gate_rows if name.startswith("gru") else [(slice(0, was.shape[0]), slice(0, was.shape[0]))]
        for new_rows, old_rows in rows:
            if was.dim() == 2:
                t[new_rows, : was.shape[1]] = was[old_rows]
                t[new_rows, was.shape[1]:] = 0  # old units and outputs ignore the new units
            else:
                t[new_rows] = was[old_rows]
        out[name] = t
    return out

