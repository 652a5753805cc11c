"""On-the-fly training mixtures: (noisy, target) pairs with reverberation, EQ, gain and clipping.

The target keeps the direct path and early reflections (first 50 ms) of the room: removing
late reverberation is wanted, removing the room's colour is not.
"""
import numpy as np
from scipy import signal

from . import noises
from .rir import early_part, random_rir

RATE_HZ = 16000


def rms(x):
    return float(np.sqrt(np.mean(x * x) + 1e-12))


def rir_pool(count, seed):
    rng = np.random.default_rng(seed)
    return [random_rir(rng)[0] for _ in range(count)]


def random_eq(rng, x):
    """One or two peaking filters of +-6 dB: microphones and rooms colour every recording."""
    for _ in range(int(rng.integers(1, 3))):
        f0 = np.exp(rng.uniform(np.log(100), np.log(6000)))
        gain_db = rng.uniform(-6, 6)
        q = rng.uniform(0.5, 2.0)
        a = 10 ** (gain_db / 40)
        w0 = 2 * np.pi * f0 / RATE_HZ
        alpha = np.sin(w0) / (2 * q)
        b = [1 + alpha * a, -2 * np.cos(w0), 1 - alpha * a]
        den = [1 + alpha / a, -2 * np.cos(w0), 1 - alpha / a]
        x = signal.lfilter(b, den, x)
    return x


class Mixer:
    def __init__(self, corpus, rirs, seconds, rng, snr_range_db=(-5.0, 30.0), pauses=0.0, recorded_noise=0.4,
                 noise_speed=1.0, speech_speed=1.0):
        self.c = corpus
        self.pauses = pauses  # share of examples whose speech comes in phrases between silences
        self.recorded_noise = recorded_noise  # share whose noise is a recorded file (then babble 0.2, synthetic)
        self.noise_speed = noise_speed  # recorded noise plays at 1/S..S times its speed (1: as recorded, no draw)
        self.speech_speed = speech_speed  # speech pieces play at 1/S..S times their speed (1: no draw)
        self.rirs = rirs
        self.n = int(seconds * RATE_HZ)
        self.rng = rng
        self.snr_range_db = snr_range_db

    def _segment(self, pool, n, phrases=False, speed=1.0):
        """Pieces of random items of pool filling n samples, 0-0.3 s apart. A corpus utterance
        usually outlasts a whole example, so the speech hardly pauses; with phrases, pieces of
        0.4-2 s alternate with 0.3-1.5 s of silence, as a talker on a call does."""
        out = np.zeros(n)
        at = int(self.rng.uniform(0, 0.8) * RATE_HZ) if phrases else 0
        while at < n:
            x = pool[int(self.rng.integers(len(pool)))]
            length = min(n - at, int(self.rng.uniform(0.4, 2.0) * RATE_HZ)) if phrases else n - at
            if speed > 1.0:
                piece = self._resampled(x, length, speed)
            else:
                start = int(self.rng.integers(0, max(1, len(x) - length)))
                piece = x[start : start + length]
            out[at : at + len(piece)] = piece
            at += len(piece) + int(self.rng.uniform(*((0.3, 1.5) if phrases else (0, 0.3))) * RATE_HZ)
        return out

    def _speed_ratio(self, speed):
        """resample_poly's (up, down) for a random speed from 1/speed to speed."""
        up = 64
        return up, int(round(up * np.exp(self.rng.uniform(-1.0, 1.0) * np.log(speed))))

    def _resampled(self, x, length, speed):
        """About `length` samples of a random stretch of x played at a random speed from 1/speed
        to speed (resampled: pitch and formants move with it, as a different voice's would)."""
        up, down = self._speed_ratio(speed)
        need = min(len(x), -(-length * down // up) + 1)
        start = int(self.rng.integers(0, max(1, len(x) - need)))
        return signal.resample_poly(x[start : start + need], up, down)[:length]

    def _noise(self, n):
        r = self.rng.random()
        if r < self.recorded_noise:
            i = int(self.rng.integers(len(self.c.noise)))
            x = self._recorded(self.c.noise[i], n)
        elif r < self.recorded_noise + 0.2:
            x = np.zeros(n)
            for _ in range(int(self.rng.integers(1, 6))):
                v = self._segment(self.c.babble, n)
                x += v / rms(v)
        else:
            x = noises.SYNTHETIC[int(self.rng.integers(len(noises.SYNTHETIC)))](self.rng, n)
        if self.rng.random() < 0.25:  # a second, quieter noise on top
            y = noises.SYNTHETIC[int(self.rng.integers(len(noises.SYNTHETIC)))](self.rng, n)
            x = x / rms(x) + self.rng.uniform(0.1, 0.7) * y / rms(y)
        return x

    def _recorded(self, recording, n):
        """n samples of a recorded noise. With noise_speed S > 1 the recording plays at a random
        speed between 1/S and S (resampled, so its pitch moves with it): there are only 20
        recordings, and a horn, a dish or a bark at another pitch and tempo is still that noise."""
        if self.noise_speed <= 1.0:
            return self._segment([recording], n)
        up, down = self._speed_ratio(self.noise_speed)
        x = self._segment([recording], -(-n * down // up) + 1)
        return signal.resample_poly(x, up, down)[:n]

    def _reverb(self, x, early):
        h = self.rirs[int(self.rng.integers(len(self.rirs)))]
        wet = signal.fftconvolve(x, h)[: len(x)]
        dry = signal.fftconvolve(x, early_part(h))[: len(x)] if early else None
        return wet, dry

    def example(self):
        n, rng = self.n, self.rng
        # No draw when pauses is 0: the shipped recipe's random stream stays as it was.
        phrases = self.pauses > 0 and rng.random() < self.pauses
        dry = self._segment(self.c.speech, n, phrases, self.speech_speed)
        speech = random_eq(rng, dry)
        if rng.random() < 0.5:
            reverberant, target = self._reverb(speech, early=True)
        else:
            reverberant, target = speech, speech.copy()
        noise = random_eq(rng, self._noise(n))
        if rng.random() < 0.3:
            noise, _ = self._reverb(noise, early=False)
        lo, hi = self.snr_range_db
        snr_db = rng.uniform(lo, 15.0) if rng.random() < 0.7 else rng.uniform(15.0, hi)
        kind = rng.random()
        if kind < 0.03:  # noise only: the model must be able to output silence
            reverberant, target = np.zeros(n), np.zeros(n)
            noise_gain = 1.0 / rms(noise)
        elif kind < 0.06:  # clean only: and must leave clean speech alone
            noise_gain = 0.0
        else:
            # In phrases the SNR is the talking part's, not diluted by the silence between.
            level = rms(reverberant[dry != 0]) if phrases else rms(reverberant)
            noise_gain = level / rms(noise) * 10 ** (-snr_db / 20)
        noisy = reverberant + noise_gain * noise
        level_db = rng.uniform(-45, -15)
        scale = 10 ** (level_db / 20) / rms(noisy)
        peak = np.max(np.abs(noisy)) * scale
        if peak > 0.99:
            scale *= 0.99 / peak
        noisy, target = noisy * scale, target * scale
        if rng.random() < 0.2:  # a band edge below 8 kHz: resampled, codec-coded or cheap audio
            sos = signal.butter(int(rng.integers(4, 13)), rng.uniform(5000, 7900), fs=RATE_HZ, output="sos")
            noisy, target = signal.sosfilt(sos, noisy), signal.sosfilt(sos, target)
        if rng.random() < 0.05:  # an overdriven microphone
            limit = rng.uniform(0.3, 0.9) * np.max(np.abs(noisy))
            noisy = np.clip(noisy, -limit, limit)
        return noisy.astype(np.float32), target.astype(np.float32)
