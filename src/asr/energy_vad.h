// Speech/pause detection by frame energy against a tracked noise floor, for cutting a stream
// into utterances. Written here because Debian's VADs are either tied to a decoder
// (PocketSphinx's own) or to 8 kHz telephony frames (WebRTC's in webrtc-audio-processing 0.3
// is not exported); this one needs nothing but the samples.
//
// The floor is the minimum frame level over the last few seconds (minimum statistics): speech
// always has stop closures and breaths near the noise level, so the minimum follows the noise,
// not the voice. Missing speech costs words while a false alarm only lengthens an utterance,
// so the threshold is low and the decision is held for a hangover.
#pragma once

#include <span>
#include <vector>

namespace hush::asr {

struct VadOptions {
  double threshold_db = 6.0;         // a frame is speech this far above the noise floor
  double min_speech_dbfs = -60.0;    // and never below this level (digital silence, dither)
  double warmup_floor_dbfs = -50.0;  // floor cap until a full window was seen (speech at t=0)
  double floor_window_s = 3.0;       // minimum-statistics window
  int onset_frames = 3;              // consecutive speech frames that start speech
};

class EnergyVad {
 public:
  static constexpr double kFrameSeconds = 0.01;  // 10 ms frames

  explicit EnergyVad(const VadOptions& options = {});
  // One 10 ms frame (any rate). Returns whether this frame is speech (after the onset rule;
  // the caller adds its own hangover, since how long a pause ends an utterance is its choice).
  bool process(std::span<const float> frame);
  double noise_floor_dbfs() const { return floor_db_; }
  void reset();

 private:
  VadOptions options_;
  std::vector<float> levels_db_;  // ring buffer of recent frame levels
  std::size_t next_ = 0, filled_ = 0;
  double floor_db_ = -100.0;
  int run_ = 0;  // consecutive frames above threshold
};

}  // namespace hush::asr
