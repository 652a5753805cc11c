// What hush-bench call measures on one processed signal. Signals here are aligned (out[n]
// answers mic[n]); frames are 10 ms at the signal's rate.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace hush::bench {

// Which 10 ms frames of a far-end single-talk stretch count for ERLE: those whose echo power
// at the mic is within 25 dB of the echo's loud frames (95th percentile) and at least 20 dB
// above the microphone noise. Frame powers are mean squares, so a mask made from the 16 kHz
// components also fits the same signals resampled to 48 kHz.
std::vector<bool> echo_active_frames(std::span<const double> echo_power, double noise_power);

// ERLE over one phase of far-end single talk (frames [first, last) of the scenario).
//  - per frame: 10 log10(mic power / output power), on echo-active frames only;
//  - median_db: median per-frame ERLE over the last half of the phase ("after convergence");
//  - blocks: 0.5 s blocks with at least 10 echo-active frames, ERLE = 10 log10(sum of their mic
//    power / sum of their output power);
//  - convergence_s: start of the first block from which every later block of the phase has
//    ERLE >= 20 dB, seconds from the phase start; negative when the phase ends below 20 dB;
//  - min_block_db: the lowest block ERLE in the first 2 s of the phase (the dip after an
//    echo-path change);
//  - ceiling_db: the median ERLE that a perfect canceller which left the microphone noise
//    untouched would show on the same frames (10 log10((echo + noise) / noise)).
struct PhaseErle {
  double median_db = 0, convergence_s = -1, min_block_db = 0, ceiling_db = 0;
  int active_frames = 0;
};
inline constexpr double kConvergedErleDb = 20.0;
PhaseErle phase_erle(std::span<const double> mic_power, std::span<const double> out_power,
                     std::span<const double> echo_power, const std::vector<bool>& active, double noise_power,
                     std::size_t first_frame, std::size_t last_frame);

// Near-end speech during double talk, against the near-end talker alone at the mic.
struct NearEndScores {
  double stoi_mic = 0, stoi_out = 0, si_sdr_mic_db = 0, si_sdr_out_db = 0;
};
NearEndScores near_end_scores(std::span<const float> near, std::span<const float> mic, std::span<const float> out,
                              int rate_hz);

// Background-voice suppression on a mixture (main talker + background talkers + noise).
//  - si_sdr / stoi: of the main talker, for the mixture and the output;
//  - background_attenuation_db: 10 log10(mixture power / output power) over the frames where
//    the background talkers are alone (main-talker power at least 20 dB below theirs);
//  - main_level_change_db: 10 log10(output power / mixture power) over the frames where the
//    main talker dominates (20 dB above the background): how much of the user survives.
struct BackgroundScores {
  double si_sdr_mix_db = 0, si_sdr_out_db = 0, stoi_mix = 0, stoi_out = 0;
  double background_attenuation_db = 0, main_level_change_db = 0;
  int background_frames = 0, main_frames = 0;
};
BackgroundScores background_scores(std::span<const float> main, std::span<const float> background,
                                   std::span<const float> mix, std::span<const float> out, int rate_hz);

// The lag (0..max_lag samples) at which `out` best matches `in`: the peak of the normalised
// cross-correlation. Returns {lag, peak correlation in [-1, 1]}.
struct Lag {
  int samples = 0;
  double correlation = 0;
};
Lag find_lag(std::span<const float> in, std::span<const float> out, int max_lag);

// Median of the values (NaN when empty); helpers for the summary tables.
double median(std::vector<double> v);

}  // namespace hush::bench
