// Automatic gain control for the capture path: WebRTC's adaptive digital AGC (a second,
// AGC-only instance of its audio processing module, so it runs after Hush's noise and voice
// stages instead of inside WebRTC's own order) with its limiter.
#pragma once

#include <memory>

namespace webrtc {
class AudioProcessing;
}

namespace hush::enhance {

class AutomaticGain {
 public:
  // Returns nullptr when the library refuses the rate.
  static std::unique_ptr<AutomaticGain> create(int sample_rate_hz);
  ~AutomaticGain();

  // One 10 ms frame in place. `speech` says whether the frame holds the user's speech (the
  // gain estimate below follows speech frames only).
  void process(float* frame, bool speech);
  void reset();

  // Smoothed gain the AGC applied to speech frames, in dB.
  float gain_db() const { return gain_db_; }

 private:
  AutomaticGain(webrtc::AudioProcessing* apm, int sample_rate_hz);
  bool probe();
  std::unique_ptr<webrtc::AudioProcessing> apm_;
  int frame_size_;
  int sample_rate_hz_;
  float gain_db_ = 0.0f;
};

}  // namespace hush::enhance
