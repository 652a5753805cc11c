"""Synthetic noise for training mixtures: the recorded noise is only 9 minutes, so most variety
comes from here (colored noise, hum, fans, keyboard/mouse clicks, music-like tones)."""
import numpy as np

RATE_HZ = 16000


def colored(rng, n):
    """Noise with a power spectrum ~ f^-alpha, alpha in [0, 2] (white .. brown)."""
    alpha = rng.uniform(0.0, 2.0)
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spec), dtype=np.float64)
    f[0] = 1.0
    spec *= f ** (-alpha / 2)
    return np.fft.irfft(spec, n)


def hum(rng, n):
    """Mains hum: 50/60 Hz and harmonics with random levels, plus a little broadband noise."""
    f0 = rng.choice([50.0, 60.0]) * rng.uniform(0.99, 1.01)
    t = np.arange(n) / RATE_HZ
    x = np.zeros(n)
    for k in range(1, int(rng.integers(3, 30))):
        if k * f0 > RATE_HZ / 2:
            break
        x += rng.uniform(0.05, 1.0) / k ** rng.uniform(0.3, 1.5) * np.sin(2 * np.pi * k * f0 * t + rng.uniform(0, 6.3))
    return x + 0.01 * rng.standard_normal(n) * np.std(x)


def fan(rng, n):
    """Broadband low-pass noise plus a blade-pass tone that wobbles slowly."""
    base = colored(rng, n)
    spec = np.fft.rfft(base)
    f = np.fft.rfftfreq(n, 1 / RATE_HZ)
    spec /= 1 + (f / rng.uniform(300, 3000)) ** 2
    x = np.fft.irfft(spec, n)
    x /= np.std(x) + 1e-9
    t = np.arange(n) / RATE_HZ
    blade = rng.uniform(80, 400) * (1 + 0.01 * np.sin(2 * np.pi * rng.uniform(0.1, 1) * t))
    phase = 2 * np.pi * np.cumsum(blade) / RATE_HZ
    for k in range(1, 4):
        x += rng.uniform(0, 0.5) / k * np.sin(k * phase)
    return x


def clicks(rng, n):
    """Keyboard and mouse clicks: short decaying band-passed bursts at typing rates."""
    x = np.zeros(n)
    rate = rng.uniform(2, 14)
    t = 0
    while True:
        t += int(rng.exponential(RATE_HZ / rate))
        if t >= n:
            break
        length = int(rng.uniform(0.004, 0.03) * RATE_HZ)
        burst = rng.standard_normal(length) * np.exp(-np.arange(length) / (length / rng.uniform(2, 6)))
        if rng.random() < 0.7:
            burst = np.convolve(burst, rng.standard_normal(int(rng.integers(2, 12))), mode="same")
        end = min(n, t + length)
        x[t:end] += rng.uniform(0.3, 1.0) * burst[: end - t]
    return x + 1e-4 * rng.standard_normal(n)


def tones(rng, n):
    """Music-like: notes of a random scale with harmonics and attack/decay envelopes."""
    x = np.zeros(n)
    root = 110 * 2 ** rng.uniform(0, 2)
    scale = np.array([0, 2, 4, 5, 7, 9, 11, 12, 14, 16])
    for _ in range(int(rng.integers(1, 4))):
        t = 0
        while t < n:
            length = int(rng.uniform(0.1, 0.8) * RATE_HZ)
            f = root * 2 ** (rng.choice(scale) / 12) * 2 ** int(rng.integers(0, 3))
            tt = np.arange(length) / RATE_HZ
            note = sum(rng.uniform(0.1, 1) / k * np.sin(2 * np.pi * k * f * tt) for k in range(1, 6) if k * f < 7900)
            env = np.minimum(1, tt / 0.01) * np.exp(-tt * rng.uniform(1, 8))
            end = min(n, t + length)
            x[t:end] += (note * env)[: end - t]
            t += length
    return x + 1e-4 * rng.standard_normal(n)


SYNTHETIC = [colored, hum, fan, clicks, tones]
