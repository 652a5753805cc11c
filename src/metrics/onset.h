// Word-onset preservation: how much of the first 50 ms of each word a denoiser keeps, next to
// how much of the rest of the speech it keeps. A suppressor that waits to be sure before it
// opens (gating, slow speech-presence tracking) clips onsets -- plosives, the start of a
// vowel -- while leaving steady speech intact; averaged metrics such as SI-SDR barely see it.
#pragma once

#include <cstddef>
#include <optional>
#include <span>

namespace hush::metrics {

// Defined exactly as (the same rules as metrics.h: first min(length) samples, doubles,
// non-finite samples or an all-zero reference or a rate <= 0 throw HUSH_ERR_INVALID_ARGUMENT):
//   frames: whole, non-overlapping 10 ms frames, round(0.010 * rate) samples; a shorter tail
//     is not used (and a signal shorter than one frame throws);
//   Ec[f], Ee[f]: sum of squares of the clean / enhanced samples of frame f;
//   active: Ec[f] > max_f Ec[f] * 10^(-40/10) (within 40 dB of the loudest frame);
//   onset: an active frame f preceded by at least kOnsetQuietFrames (10 = 100 ms) inactive
//     frames f-10..f-1, all inside the signal (a word at the very start is not an onset);
//   onset window: frames f..f+4 (50 ms; any activity; cut at the end of the signal);
//   steady: every active frame in no onset window;
//   onset_kept_db  = 10 log10(sum Ee / sum Ec over the onset-window frames),
//   steady_kept_db = 10 log10(sum Ee / sum Ec over the steady frames),
//   each clamped to [-100, 100] dB (a silent estimate gives -100).
// 0 dB keeps the energy; a denoiser that also removes noise lands a little below 0 on both,
// and one that clips onsets has onset_kept_db well below steady_kept_db.
// Enhanced and clean must be time-aligned (a latency offset would read as onset loss).
struct OnsetKept {
  int onsets = 0;                 // word onsets found in the clean reference
  std::size_t onset_frames = 0;   // frames in onset windows
  std::size_t steady_frames = 0;  // active frames outside them
  std::optional<double> onset_kept_db;   // empty when there is no onset
  std::optional<double> steady_kept_db;  // empty when there is no steady frame
};

inline constexpr int kOnsetQuietFrames = 10;   // 100 ms of quiet before a word
inline constexpr int kOnsetWindowFrames = 5;   // 50 ms from the onset
inline constexpr double kOnsetActiveRangeDb = 40.0;

OnsetKept onset_energy_kept(std::span<const float> clean, std::span<const float> enhanced, int sample_rate_hz);

}  // namespace hush::metrics
