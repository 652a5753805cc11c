// Short-time features for telling speakers apart: MFCCs and their deltas every 10 ms, and the
// per-window statistics (means and standard deviations) that the speaker model projects.
//
// Frame i describes the 25 ms around time (i + 0.5) * 10 ms, so frame i stands for the interval
// [i, i + 1) * 10 ms; a signal of n samples has ceil(n / 160) frames (zero-padded at the ends).
// The training script (train/speaker_lda.py) gets its statistics from this same code through
// `hush-bench speaker-stats`, so training and inference cannot drift apart.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace hush::meeting {

inline constexpr int kSpeakerRateHz = 16000;
inline constexpr int kFrameHopSamples = 160;     // 10 ms
inline constexpr int kFrameWindowSamples = 400;  // 25 ms
inline constexpr double kFrameHopS = 0.01;
inline constexpr int kMelBands = 40;
inline constexpr int kCepstra = 20;  // c1..c20 (c0, the loudness, says little about who speaks)
// Window statistics: mean of the cepstra, their standard deviation, std of their deltas.
inline constexpr int kStatsDims = 3 * kCepstra;

struct FrameFeatures {
  int frames = 0;
  std::vector<float> cepstra;       // frames * kCepstra
  std::vector<float> deltas;        // frames * kCepstra (regression over +-2 frames)
  std::vector<float> log_energy_db; // frames: frame energy in dB (full scale sine = ~-3 dB)
};

FrameFeatures compute_frame_features(std::span<const float> mono_16k);

// Statistics of frames [first, last) where `use` is nonzero (all frames in the range when fewer
// than kMinStatsFrames are marked). Writes kStatsDims values to `out`; returns frames used.
inline constexpr int kMinStatsFrames = 10;
int window_stats(const FrameFeatures& features, int first, int last, std::span<const std::uint8_t> use,
                 std::span<float> out);

}  // namespace hush::meeting
