#include "enhance/voice_gate.h"

#include <algorithm>

namespace hush::enhance {
namespace {

constexpr float kSpeechProbability = 0.5f;
constexpr float kClosedGain = 0.001f;       // -60 dB: "muted" without a hard digital zero
constexpr float kCloseStepPerFrame = 0.2f;  // closes over 50 ms: no click at the end of a word

}  // namespace

void VoiceGate::process(float* frame, float speech_probability) {
  if (speech_probability >= kSpeechProbability) {
    frames_without_speech_ = 0;
  } else if (frames_without_speech_ < 1'000'000) {
    ++frames_without_speech_;
  }
  float target = 1.0f;
  if (grace_frames_ > 0 && frames_without_speech_ > grace_frames_) {
    target = std::max(kClosedGain, gain_ - kCloseStepPerFrame);
  }
  // Opening is immediate but ramped across the frame; closing glides frame by frame.
  const float start = gain_;
  const float step = (target - start) / static_cast<float>(frame_size_);
  for (int i = 0; i < frame_size_; ++i) frame[i] *= start + step * static_cast<float>(i + 1);
  gain_ = target;
}

void VoiceGate::reset() {
  frames_without_speech_ = 0;
  gain_ = 1.0f;
}

}  // namespace hush::enhance
