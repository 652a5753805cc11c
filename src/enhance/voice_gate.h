// A voice gate: mutes the capture after a grace period without the user's speech, and opens
// again as soon as speech returns. The speech probability comes from the noise engine, which
// computes it one 10 ms hop before that audio leaves the engine, so the gate opens ahead of
// the word onset instead of clipping it.
#pragma once

namespace hush::enhance {

class VoiceGate {
 public:
  explicit VoiceGate(int frame_size) : frame_size_(frame_size) {}

  // 0 switches the gate off (gain 1).
  void set_grace_ms(int grace_ms) { grace_frames_ = grace_ms / 10; }
  void process(float* frame, float speech_probability);
  void reset();

 private:
  int frame_size_;
  int grace_frames_ = 0;
  int frames_without_speech_ = 0;
  float gain_ = 1.0f;
};

}  // namespace hush::enhance
