// The analysis windows of diarization: ~1.5 s windows sliding by ~0.75 s over each run of
// speech, each described by its feature statistics, and each owning (labelling) the frames
// nearer its centre than any other window's. Shared by diarize() and the training dump
// (`hush-bench speaker-stats`), so the model sees windows cut the way it will meet them.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "meeting/speaker_features.h"
#include "meeting/speech_activity.h"

namespace hush::meeting {

inline constexpr double kWindowS = 1.5;
inline constexpr double kWindowHopS = 0.75;

struct SpeakerWindow {
  int first_frame = 0, last_frame = 0;  // statistics come from frames [first, last)
  int own_first = 0, own_last = 0;      // the frames this window's label is given to
  std::vector<float> stats;             // kStatsDims values
};

// Windows over the runs of nonzero `speech` (one value per frame of `features`), in time order.
// A run shorter than a window gets one window of its own length.
std::vector<SpeakerWindow> speaker_windows(const FrameFeatures& features, std::span<const std::uint8_t> speech,
                                           double window_s = kWindowS, double hop_s = kWindowHopS);

}  // namespace hush::meeting
