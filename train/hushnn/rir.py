"""Room impulse responses from the image-source method (Allen & Berkley 1979) for shoebox rooms.

Written here because Debian has no room-acoustics package (pyroomacoustics is PyPI-only).
Wall reflection coefficients come from Sabine's formula for a drawn RT60; image delays are
placed with a short windowed-sinc fractional delay so early reflections are not quantised.
"""
import numpy as np

SPEED_OF_SOUND_M_S = 343.0


def image_source_rir(room_m, source_m, mic_m, rt60_s, rate_hz, length_s):
    room = np.asarray(room_m, dtype=np.float64)
    src = np.asarray(source_m, dtype=np.float64)
    mic = np.asarray(mic_m, dtype=np.float64)
    volume = room.prod()
    surface = 2 * (room[0] * room[1] + room[0] * room[2] + room[1] * room[2])
    absorption = min(0.99, 0.161 * volume / (surface * rt60_s))  # Sabine
    beta = np.sqrt(1.0 - absorption)  # pressure reflection coefficient, same on all walls
    n_samples = int(length_s * rate_hz)
    max_dist = length_s * SPEED_OF_SOUND_M_S
    orders = [int(np.ceil(max_dist / (2 * d))) + 1 for d in room]
    axes = []
    for dim in range(3):
        n = np.arange(-orders[dim], orders[dim] + 1)
        # Two image families per axis: x = 2nL + s (2|n| reflections), x = 2nL - s (|2n-1|).
        pos = np.concatenate([2 * n * room[dim] + src[dim], 2 * n * room[dim] - src[dim]])
        refl = np.concatenate([np.abs(2 * n), np.abs(2 * n - 1)])
        axes.append((pos - mic[dim], refl))
    dx, rx = axes[0]
    dy, ry = axes[1]
    dz, rz = axes[2]
    dist = np.sqrt(dx[:, None, None] ** 2 + dy[None, :, None] ** 2 + dz[None, None, :] ** 2)
    reflections = rx[:, None, None] + ry[None, :, None] + rz[None, None, :]
    dist = dist.ravel()
    reflections = reflections.ravel()
    keep = dist < max_dist
    dist, reflections = dist[keep], reflections[keep]
    amp = beta ** reflections / (4 * np.pi * np.maximum(dist, 0.05))
    delay = dist / SPEED_OF_SOUND_M_S * rate_hz
    taps = np.arange(-4, 5)
    idx = np.floor(delay).astype(np.int64)[:, None] + taps[None, :]
    frac = delay - np.floor(delay)
    t = taps[None, :] - frac[:, None]
    kernel = np.sinc(t) * (0.5 + 0.5 * np.cos(np.pi * t / 5.0))
    h = np.zeros(n_samples + 16)
    ok = (idx >= 0) & (idx < n_samples)
    np.add.at(h, idx[ok], (amp[:, None] * kernel)[ok])
    h = h[:n_samples]
    return (h / np.max(np.abs(h))).astype(np.float32)


def random_rir(rng, rate_hz=16000, length_s=0.5):
    room = np.array([rng.uniform(3, 10), rng.uniform(3, 8), rng.uniform(2.4, 4.0)])
    margin = 0.4
    src = np.array([rng.uniform(margin, d - margin) for d in room])
    # Talker-to-mic distances of a desk or a meeting table: 0.3 to 3 m.
    for _ in range(100):
        mic = np.array([rng.uniform(margin, d - margin) for d in room])
        if 0.3 < np.linalg.norm(mic - src) < 3.0:
            break
    rt60 = rng.uniform(0.15, 0.9)
    return image_source_rir(room, src, mic, rt60, rate_hz, min(length_s, 1.2 * rt60 + 0.05)), rt60


def early_part(h, rate_hz=16000, early_ms=50.0):
    """Direct path plus reflections up to early_ms after it, with a 5 ms fade: the target."""
    direct = int(np.argmax(np.abs(h)))
    end = direct + int(early_ms * rate_hz / 1000)
    fade = int(0.005 * rate_hz)
    e = h.copy()
    if end < len(e):
        e[end:] = 0
        lo = max(direct, end - fade)
        e[lo:end] *= np.linspace(1.0, 0.0, end - lo, endpoint=False)
    return e
