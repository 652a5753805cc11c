// Which 10 ms frames hold speech, from frame energy alone: the threshold sits between the
// recording's noise floor and its speech level, then short gaps are bridged and blips dropped.
// Simple on purpose: it needs no model, and the diarization bench measures how much its misses
// and false alarms cost (against oracle speech).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "meeting/speaker_features.h"

namespace hush::meeting {

struct SpeechActivityOptions {
  double floor_percentile = 0.10;  // the noise floor: this quantile of the smoothed frame energy
  double peak_percentile = 0.97;   // the speech level
  double threshold_fraction = 0.30;  // threshold = floor + fraction * (peak - floor) ...
  double min_margin_db = 6.0;        // ... but at least this far above the floor
  double silence_peak_db = -60.0;    // a recording whose speech level is below this is silent
  double bridge_gap_s = 0.30;        // gaps shorter than this inside speech are speech
  double min_speech_s = 0.20;        // speech runs shorter than this are dropped
  // > 0: instead of energy, frames whose speech probability from Hush's neural denoiser
  // (hush_denoiser_process) exceeds this are speech (same bridging and minimum length).
  double denoiser_threshold = 0.0;
};

// Speech probability per 10 ms frame from the built-in neural denoiser, aligned to the input.
std::vector<float> denoiser_speech_probability(std::span<const float> mono_16k);

// One value per frame of `features`: 1 = speech.
std::vector<std::uint8_t> detect_speech(const FrameFeatures& features, const SpeechActivityOptions& options = {});
// As above, but with options.denoiser_threshold > 0 it runs the denoiser over `mono_16k`.
std::vector<std::uint8_t> detect_speech(std::span<const float> mono_16k, const FrameFeatures& features,
                                        const SpeechActivityOptions& options);

}  // namespace hush::meeting
