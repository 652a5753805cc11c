// The knobs of diarize() and the pieces the benchmark needs apart (oracle speech, the
// one-speaker baseline). Defaults: speech detection and the 1 s minimum turn from
// `hush-bench diarize --tune` on the AMI train + development clips; the centring and the
// stopping similarity picked on the development clips, because --tune's objective on these few,
// mostly one-speaker train clips favours a single speaker. Never tuned on test.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "meeting/diarize.h"
#include "meeting/speech_activity.h"

namespace hush::meeting {

struct DiarizeTuning {
  SpeechActivityOptions speech = {.threshold_fraction = 0.70, .bridge_gap_s = 0.80, .min_speech_s = 0.40};
  float stop_similarity = -0.05f;  // automatic speaker count: merge while clusters are this similar
                                   // (chosen on the development clips: 0.4 / 0.1 / -0.05 gave
                                   // auto DER 62.6 / 48.7 / 40.3 % there)
  bool centre_on_recording = true; // subtract the recording's mean projection before comparing
  int refine_iterations = 3;       // reassign windows to the nearest cluster centroid
  double min_cluster_fraction = 0.05;  // auto mode: smaller clusters are folded into the nearest
  double min_turn_s = 1.0;         // shorter speaker runs inside speech take their neighbour's label
};

// diarize() with explicit knobs. `speech_override`, when given, replaces speech detection
// (one value per 10 ms frame; shorter is padded with 0, longer is cut).
std::vector<SpeakerTurn> diarize_with(std::span<const float> mono_16k, const DiarizeOptions& options,
                                      const DiarizeTuning& tuning,
                                      const std::vector<std::uint8_t>* speech_override = nullptr);

// Turns from per-frame labels (-1 = no speech): runs of one label.
std::vector<SpeakerTurn> turns_from_frame_labels(std::span<const int> labels);

// The speech mask diarize_with() would use (for the one-speaker baseline).
std::vector<std::uint8_t> detect_speech_frames(std::span<const float> mono_16k, const SpeechActivityOptions& options);

}  // namespace hush::meeting
