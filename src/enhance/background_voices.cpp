#include "enhance/background_voices.h"

#include <algorithm>
#include <cmath>

#include "enhance/background_voices_tuning.h"

namespace hush::enhance {

void BackgroundVoices::process(float* frame, float speech_probability) {
  using namespace background_voices_tuning;
  double energy = 0.0;
  for (int i = 0; i < frame_size_; ++i) energy += static_cast<double>(frame[i]) * frame[i];
  const float level_db =
      static_cast<float>(10.0 * std::log10(energy / frame_size_ + 1e-12));

  // Envelope: instant attack, hold, then a constant release in dB per frame.
  if (level_db >= envelope_db_) {
    envelope_db_ = level_db;
    hold_frames_left_ = kHoldFrames;
  } else if (hold_frames_left_ > 0) {
    --hold_frames_left_;
  } else {
    envelope_db_ = std::max(level_db, envelope_db_ - kReleaseDbPerFrame);
  }

  // The user's level: rises quickly with loud speech, sinks slowly only with speech near it,
  // so other talkers well below it never pull it down.
  if (speech_probability >= kSpeechProbability) {
    if (main_level_db_ < -100.0f || level_db > main_level_db_) {
      main_level_db_ = main_level_db_ < -100.0f
                           ? level_db
                           : main_level_db_ + kRiseFraction * (level_db - main_level_db_);
    } else if (level_db > main_level_db_ - kFollowWithinDb) {
      main_level_db_ += kSinkFraction * (level_db - main_level_db_);
    }
  }

  float target = 1.0f;
  if (attenuation_db_ > 0.0f && main_level_db_ > -100.0f) {
    const float deficit_db = main_level_db_ - envelope_db_;
    const float t = std::clamp((deficit_db - kPassBelowDb) / (kFullAboveDb - kPassBelowDb), 0.0f, 1.0f);
    target = std::pow(10.0f, -t * attenuation_db_ / 20.0f);
  }
  // Gain rises within one frame (no clipped onsets) and falls over kFallFrames.
  float next = target >= gain_ ? target : std::max(target, gain_ - (1.0f - target) / kFallFrames);
  const float step = (next - gain_) / static_cast<float>(frame_size_);
  for (int i = 0; i < frame_size_; ++i) frame[i] *= gain_ + step * static_cast<float>(i + 1);
  gain_ = next;
}

void BackgroundVoices::reset() {
  main_level_db_ = -120.0f;
  envelope_db_ = -120.0f;
  hold_frames_left_ = 0;
  gain_ = 1.0f;
}

}  // namespace hush::enhance
