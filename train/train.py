#!/usr/bin/python3
"""Trains HushNet on on-the-fly mixtures. Resumable: rerun the same command to continue.

Checkpoints go to RUN_DIR/last.pt every few minutes (atomic rename) and RUN_DIR/best.pt on the
best validation loss; RUN_DIR/log.jsonl has one line per validation.
"""
import argparse
import json
import math
import os
import time
from pathlib import Path

import numpy as np
import torch

from golden import model_from_file
from hushnn.corpus import Corpus, data_dir
from hushnn.mixer import Mixer, rir_pool
from hushnn.periodicity import PeriodicHushNet
from hushnn.model import BINS, DF_BINS, DF_HIDDEN, HOP, HushNet, istft, stft, widen_state

NARROWBAND_BINS = 81  # 8 kHz telephony: the C++ engine feeds zeros above 4 kHz
VAL_EXAMPLES = 64


def si_sdr_db(est, ref, eps=1e-8):
    alpha = (est * ref).sum(-1, keepdim=True) / (ref.square().sum(-1, keepdim=True) + eps)
    target = alpha * ref
    return 10 * torch.log10(target.square().sum(-1) / ((est - target).square().sum(-1) + eps) + eps)


def compressed(spec, c=0.3):
    mag = spec.abs().clamp_min(1e-12)
    return mag**c, spec * (mag ** (c - 1))


MR_FFT_SIZES = (256, 512, 1024)  # 16, 32, 64 ms: finer and coarser than the model's own 20 ms grid


def multi_resolution(out, ref):
    """DeepFilterNet's multi-resolution spectral loss on the output waveform: compressed magnitude
    and complex MSE at three STFT sizes (hop 1/4). The model's own 20 ms grid cannot see
    artefacts that only longer windows resolve (residual noise between harmonics, gain flutter
    across hops). Each size's spectrum is scaled by 1/sqrt(n) so that the sizes weigh alike."""
    total = 0.0
    for n in MR_FFT_SIZES:
        window = torch.hann_window(n, device=out.device)
        spec_out, spec_ref = (torch.stft(x, n, n // 4, window=window, return_complex=True) / math.sqrt(n)
                              for x in (out, ref))
        mag_out, cplx_out = compressed(spec_out)
        mag_ref, cplx_ref = compressed(spec_ref)
        total = total + (mag_out - mag_ref).square().mean() + (cplx_out - cplx_ref).abs().square().mean()
    return total / len(MR_FFT_SIZES)


def blips(gains, spec_noisy, spec_target, floor_gain):
    """Mean height (dB) of one-hop peaks of the gains in bins the noise dominates: a gain above
    both its neighbours in time, weighted by how much of the bin is noise (1 - the ideal gain).
    The release turns each such blip into a ~100 ms tail of noise (0.8 per hop from the blip's
    height), the ring that DNSMOS hears in pauses; the spectral loss only sees the blip's hop."""
    lg = 20 * torch.log10(torch.clamp(gains, min=floor_gain) + 1e-6)
    neighbours = torch.maximum(lg[:, :-2], lg[:, 2:])
    height = (lg[:, 1:-1] - neighbours).clamp_min(0)
    ideal = (spec_target.abs() / (spec_noisy.abs() + 1e-8)).clamp(max=1.0)[:, 1:-1]
    return (height * (1 - ideal)).mean()


def loss_terms(model, noisy, target, narrowband, floor_gain, over_weight=0.0, under_weight=0.0, mr_weight=0.0,
               blip_weight=0.0):
    spec_noisy = stft(noisy)
    spec_target = stft(target)
    if narrowband.any():
        keep = torch.ones(BINS)
        keep[NARROWBAND_BINS:] = 0
        band = torch.where(narrowband[:, None, None], keep, torch.ones(BINS))
        spec_noisy = spec_noisy * band
        spec_target = spec_target * band
    gains, coefs = model(spec_noisy)
    spec_out = model.apply(spec_noisy, gains, coefs, floor_gain)
    mag_out, cplx_out = compressed(spec_out)
    mag_ref, cplx_ref = compressed(spec_target)
    spectral = (mag_out - mag_ref).square().mean() + (cplx_out - cplx_ref).abs().square().mean()
    # Asymmetric extra terms: magnitude above the target is residual noise (DNSMOS BAK), below it
    # is lost speech (SIG); the symmetric terms above shrink uncertain bins, which loses speech.
    if over_weight > 0:
        spectral = spectral + over_weight * (mag_out - mag_ref).clamp_min(0).square().mean()
    if under_weight > 0:
        spectral = spectral + under_weight * (mag_ref - mag_out).clamp_min(0).square().mean()
    if blip_weight > 0:
        spectral = spectral + blip_weight * blips(gains, spec_noisy, spec_target, floor_gain)
    n = noisy.shape[-1] - HOP
    out = istft(spec_out, noisy.shape[-1])[:, :n]
    ref = istft(spec_target, noisy.shape[-1])[:, :n]
    if mr_weight > 0:
        spectral = spectral + mr_weight * multi_resolution(out, ref)
    has_speech = ref.square().mean(-1) > 1e-9
    sisdr = si_sdr_db(out[has_speech], ref[has_speech])
    return spectral, sisdr, (out, ref, has_speech)


class Batches(torch.utils.data.IterableDataset):
    def __init__(self, root, rirs, batch, seconds, seed, pauses=0.0, recorded_noise=0.4, noise_speed=1.0,
                 speech_speed=1.0, data_fraction=1.0):
        self.root, self.rirs, self.batch, self.seconds, self.seed = root, rirs, batch, seconds, seed
        self.pauses, self.recorded_noise, self.noise_speed = pauses, recorded_noise, noise_speed
        self.speech_speed, self.data_fraction = speech_speed, data_fraction

    def __iter__(self):
        corpus = Corpus(self.root, "train", self.data_fraction)
        mixer = Mixer(corpus, self.rirs, self.seconds, np.random.default_rng(self.seed), pauses=self.pauses,
                      recorded_noise=self.recorded_noise, noise_speed=self.noise_speed,
                      speech_speed=self.speech_speed)
        while True:
            pairs = [mixer.example() for _ in range(self.batch)]
            noisy = torch.from_numpy(np.stack([p[0] for p in pairs]))
            target = torch.from_numpy(np.stack([p[1] for p in pairs]))
            narrowband = torch.from_numpy(mixer.rng.random(self.batch) < 0.1)
            yield noisy, target, narrowband


def feature_stats(model, corpus, rirs):
    mixer = Mixer(corpus, rirs, 3.0, np.random.default_rng(1))
    noisy = torch.from_numpy(np.stack([mixer.example()[0] for _ in range(128)]))
    spec = stft(noisy)
    logp = torch.log(spec.real.square() + spec.imag.square() + 1e-9).reshape(-1, BINS)
    model.feature_mean.copy_(logp.mean(0))
    model.feature_inv_std.copy_(1.0 / logp.std(0).clamp_min(1e-3))


def floor_gain(args):
    return 10 ** (-args.strength_db / 20) if args.strength_db > 0 else 0.0


def lr_at(step, args):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    t = min(1.0, (step - args.warmup) / max(1, args.steps - args.warmup))
    return args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * t))


def save_atomic(obj, path):
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


@torch.no_grad()
def validate(model, val, args):
    model.eval()
    noisy, target = val
    spectral, sisdr, (out, ref, has_speech) = loss_terms(model, noisy, target, torch.zeros(len(noisy), dtype=torch.bool),
                                                         floor_gain(args), args.over_weight, args.under_weight,
                                                         args.mr_weight, args.blip_weight)
    sisdr_in = si_sdr_db(noisy[:, : ref.shape[-1]][has_speech], ref[has_speech])
    model.train()
    loss = spectral.item() - args.sisdr_weight * sisdr.mean().item()
    return {"val_loss": loss, "val_spectral": spectral.item(), "val_si_sdr_in_db": sisdr_in.mean().item(),
            "val_si_sdr_out_db": sisdr.mean().item()}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data", default=None, help="shared data folder (default $HUSH_DATA or ../shared/data)")
    p.add_argument("--run-dir", default=str(Path(__file__).parent / "runs/hushnet-v2"))
    p.add_argument("--minutes", type=float, default=1e9, help="stop this invocation after N minutes")
    p.add_argument("--steps", type=int, default=20000, help="total optimizer steps (LR schedule length)")
    p.add_argument("--batch", type=int, default=24)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--min-lr", type=float, default=2e-5)
    p.add_argument("--warmup", type=int, default=300)
    p.add_argument("--sisdr-weight", type=float, default=0.01)
    p.add_argument("--over-weight", type=float, default=0.0,
                   help="extra loss weight on compressed magnitude above the target's (residual noise)")
    p.add_argument("--under-weight", type=float, default=0.0,
                   help="extra loss weight on compressed magnitude below the target's (lost speech)")
    p.add_argument("--pauses", type=float, default=0.0,
                   help="share of training examples whose speech comes in phrases between silences")
    p.add_argument("--recorded-noise", type=float, default=0.4,
                   help="share of training examples whose noise is a recorded file (babble takes 0.2 more, "
                        "synthesized noise the rest)")
    p.add_argument("--noise-speed", type=float, default=1.0,
                   help="recorded noise plays at a random speed (and pitch) from 1/S to S times its own "
                        "(1: as recorded)")
    p.add_argument("--speech-speed", type=float, default=1.0,
                   help="each piece of training speech plays at a random speed (and pitch) from 1/S to S "
                        "times its own: new voices from the corpus's 279 speakers (1: as recorded)")
    p.add_argument("--data-fraction", type=float, default=1.0,
                   help="train on this share of the training talkers and of each recorded noise (a data "
                        "learning curve; 1: all of it)")
    p.add_argument("--periodicity", action="store_true",
                   help="experiment: add hushnn/periodicity.py's autocorrelation input (PyTorch only, no export)")
    p.add_argument("--lookahead", type=int, default=0,
                   help="hops of look-ahead (10 ms each; an experiment the C++ engine does not run: the issue's "
                        "latency budget has no room for it)")
    p.add_argument("--release-power-exponent", type=float, default=0.0,
                   help="train through RNNoise 0.2's energy-compensated release (hushnn/model.py release_compensated) "
                        "with this exponent of the power ratio (0: the plain release)")
    p.add_argument("--release-smooth-bins", type=int, default=1,
                   help="bins the compensated release averages the power over (odd)")
    p.add_argument("--blip-weight", type=float, default=0.0,
                   help="weight of the one-hop gain peaks in noise-dominated bins (dB; blips())")
    p.add_argument("--mr-weight", type=float, default=0.0,
                   help="weight of the multi-resolution spectral loss on the output waveform (0: off)")
    p.add_argument("--gain-release", type=float, default=0.0,
                   help="train through the engine's gain release (each gain falls by at most this factor per hop)")
    p.add_argument("--val-every", type=int, default=250)
    p.add_argument("--checkpoint-minutes", type=float, default=3.0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--df-bins", type=int, default=DF_BINS, help="deep-filtered low bins (0: gains only)")
    p.add_argument("--strength-db", type=float, default=0.0,
                   help="train with the engine's gain floor at this strength (0: no floor)")
    p.add_argument("--strength-range-db", type=float, nargs=2, default=None, metavar=("LO", "HI"),
                   help="train each example at a strength drawn from LO..HI dB (validation stays at --strength-db)")
    p.add_argument("--hidden", type=int, default=192, help="GRU units per layer")
    p.add_argument("--df-hidden", type=int, default=DF_HIDDEN, help="units of the deep filter's hidden layer")
    p.add_argument("--init-from", default=None,
                   help="start a new run from this checkpoint's (.pt) or model file's (.hnn) weights (layers it lacks start fresh; the filter's output at zero; "
                        "a narrower checkpoint is widened to --hidden, computing the same function at first)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    run = Path(args.run_dir)
    run.mkdir(parents=True, exist_ok=True)
    root = data_dir(args.data)

    rir_cache = run / "rirs.npz"
    if rir_cache.exists():
        cached = np.load(rir_cache)
        train_rirs, val_rirs = list(cached["train"]), list(cached["val"])
    else:
        train_rirs = rir_pool(300, args.seed)
        val_rirs = rir_pool(20, args.seed + 1)
        pad = lambda rs: np.stack([np.pad(h, (0, 8000 - len(h))) for h in rs])
        np.savez(rir_cache, train=pad(train_rirs), val=pad(val_rirs))

    torch.manual_seed(args.seed)
    net = PeriodicHushNet if args.periodicity else HushNet
    model = net(hidden=args.hidden, df_bins=args.df_bins, df_hidden=args.df_hidden, gain_release=args.gain_release,
                lookahead=args.lookahead)
    model.release_power_exponent, model.release_smooth_bins = args.release_power_exponent, args.release_smooth_bins
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    step, best, elapsed_total = 0, float("inf"), 0.0
    if (run / "last.pt").exists():
        ck = torch.load(run / "last.pt")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, best, elapsed_total = ck["step"], ck["best"], ck["elapsed_s"]
        print(f"resumed at step {step} ({elapsed_total / 60:.1f} min trained)", flush=True)
    elif args.init_from:
        if args.init_from.endswith(".hnn"):  # a shipped model file: its (possibly half-rounded) weights
            start_state = model_from_file(args.init_from).state_dict()
        else:
            start_state = torch.load(args.init_from)["model"]
        missing, unexpected = model.load_state_dict(widen_state(start_state, model), strict=False)
        if unexpected or any(not k.startswith(("df.", "df_in.")) for k in missing):
            raise SystemExit(f"--init-from {args.init_from}: missing {missing}, unexpected {unexpected}")
        print(f"initialised from {args.init_from}; new: {missing}", flush=True)
    else:
        feature_stats(model, Corpus(root, "train", args.data_fraction), train_rirs)

    val_corpus = Corpus(root, "val")
    val_mixer = Mixer(val_corpus, val_rirs, 4.0, np.random.default_rng(7), snr_range_db=(-5.0, 20.0))
    pairs = [val_mixer.example() for _ in range(VAL_EXAMPLES)]
    val = (torch.from_numpy(np.stack([q[0] for q in pairs])), torch.from_numpy(np.stack([q[1] for q in pairs])))

    loader = torch.utils.data.DataLoader(Batches(root, train_rirs, args.batch, args.seconds, args.seed + step,
                                                 args.pauses, args.recorded_noise, args.noise_speed, args.speech_speed,
                                                 args.data_fraction),
                                         batch_size=None, num_workers=1, prefetch_factor=4)
    if step == 0 and args.init_from:  # the starting point, on the same validation set
        v = dict(validate(model, val, args), step=0, minutes=0.0)
        with open(run / "log.jsonl", "a") as log:
            log.write(json.dumps(v) + "\n")
        print(json.dumps(v), flush=True)
    params = sum(x.numel() for x in model.parameters())
    print(f"HushNet: {params} parameters; data {root}", flush=True)
    start = time.time()
    last_ckpt = start
    running = []

    def checkpoint():
        save_atomic({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "best": best,
                     "elapsed_s": elapsed_total + time.time() - start, "args": vars(args),
                     "gain_release": args.gain_release}, run / "last.pt")

    for noisy, target, narrowband in loader:
        if step >= args.steps or time.time() - start > args.minutes * 60:
            break
        for group in opt.param_groups:
            group["lr"] = lr_at(step, args)
        floor = floor_gain(args)
        if args.strength_range_db:  # per example: the filter must respect any floor, not one
            lo, hi = args.strength_range_db
            floor = 10 ** (-(lo + (hi - lo) * torch.rand(len(noisy), 1, 1)) / 20)
        spectral, sisdr, _ = loss_terms(model, noisy, target, narrowband, floor, args.over_weight, args.under_weight,
                                      args.mr_weight, args.blip_weight)
        loss = spectral - args.sisdr_weight * sisdr.mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        running.append((spectral.item(), sisdr.mean().item()))
        if step % args.val_every == 0:
            v = validate(model, val, args)
            v.update(step=step, minutes=(elapsed_total + time.time() - start) / 60, lr=lr_at(step, args),
                     train_spectral=float(np.mean([r[0] for r in running])),
                     train_si_sdr_db=float(np.mean([r[1] for r in running])))
            running = []
            with open(run / "log.jsonl", "a") as log:
                log.write(json.dumps(v) + "\n")
            print(json.dumps(v), flush=True)
            if v["val_loss"] < best:
                best = v["val_loss"]
                save_atomic({"model": model.state_dict(), "step": step, "val": v, "gain_release": args.gain_release},
                            run / "best.pt")
        if time.time() - last_ckpt > args.checkpoint_minutes * 60:
            checkpoint()
            last_ckpt = time.time()
    checkpoint()
    print(f"stopped at step {step}", flush=True)


if __name__ == "__main__":
    main()
