// Objective speech-quality metrics implemented in Hush (no external metric library).
//
// Common rules for every function here:
//  - `reference`/`clean` is the clean signal, `estimate`/`degraded` the one being judged; both
//    are mono. When the lengths differ, only the first min(length) samples of each are used
//    (the tail of the longer one has nothing to be compared with).
//  - Non-finite samples (NaN, inf), a bad sample rate, or a signal too short to measure throw
//    hush::Error with HUSH_ERR_INVALID_ARGUMENT; none of them crash or return NaN.
//  - Everything is computed in double precision. These are offline metrics: they allocate freely.
#pragma once

#include <span>

namespace hush::metrics {

// Scale-invariant signal-to-distortion ratio (Le Roux et al. 2019), in dB:
//   r, e = reference and estimate, each made zero-mean;  t = (<e,r> / <r,r>) r;  n = e - t;
//   SI-SDR = 10 log10(|t|^2 / |n|^2).
// The result is clamped to [-300, 300] dB, so e == a*r (a > 0) gives 300 (a perfect estimate)
// and a silent or orthogonal estimate gives -300. Throws when the reference is empty or
// constant (its zero-mean energy is 0, so there is no target to project onto).
double si_sdr_db(std::span<const float> reference, std::span<const float> estimate);

// Segmental SNR in dB, defined exactly as:
//   frames of L = round(0.030 * rate) samples (30 ms), hop L/2 (integer division), only whole
//   frames (a tail shorter than L is not used), each multiplied by the MATLAB-style Hann
//   window w[i] = 0.5 - 0.5 cos(2 pi (i + 1) / (L + 1)), i = 0..L-1;
//   per frame: S = sum (w r)^2, N = sum (w (r - e))^2, snr = 10 log10(S / N), with N == 0
//   giving +35; snr is clamped to [-10, 35] dB;
//   skipped: frames whose reference energy S is 0 or more than 40 dB below the loudest
//   reference frame (silence would otherwise pull the mean down to -10 whatever the estimate);
//   result: the mean of snr over the frames kept.
// Throws when the signals are shorter than one frame or the reference is all zeros.
double seg_snr_db(std::span<const float> reference, std::span<const float> estimate,
                  int sample_rate_hz);

// Short-Time Objective Intelligibility (Taal et al. 2011) and, with extended = true, ESTOI
// (Jensen & Taal 2016). Matches the reference implementation (pystoi) to +-0.002 (in practice
// to 1e-4): resampling to 10 kHz with the same Octave-style Kaiser FIR (not libsoxr, see
// stoi_resample.cpp), silent-frame removal (frames 40 dB below the loudest 256-sample clean
// frame), 15 one-third-octave bands from 150 Hz, 384 ms segments. sample_rate_hz must be in
// [1000, 192000]; rates sharing few factors with 10 kHz need a long filter (slow, ~100 MB).
// Differences from pystoi: ESTOI's row/column normalisation adds no random dither (a constant
// row or column is left at 0 instead of becoming noise), and where pystoi warns and returns
// 1e-5 for fewer than 30 frames after silence removal, this throws (HUSH_ERR_INVALID_ARGUMENT).
// The result lies in [-1, 1]; 1 means the degraded signal is as intelligible as the clean one.
double stoi(std::span<const float> clean, std::span<const float> degraded, int sample_rate_hz,
            bool extended = false);

}  // namespace hush::metrics
