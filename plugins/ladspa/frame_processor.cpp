#include "frame_processor.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "hush.h"
#include "plugin_ports.h"

namespace hush::ladspa {
namespace {

[[noreturn]] void refuse(const char* what, int error) {
  throw std::runtime_error(std::string(what) + ": " + hush_strerror(error));
}

// hush_mic: the call's capture path. No echo canceller (a mono in -> out plugin never sees
// what the loudspeaker plays); automatic gain control on, as in a call.
class MicProcessor final : public FrameProcessor {
 public:
  explicit MicProcessor(int sample_rate_hz) {
    config_ = hush_call_default_config();
    config_.sample_rate_hz = sample_rate_hz;
    config_.echo_canceller = HUSH_AEC_OFF;
    config_.agc = 1;
    if (const int err = hush_call_create(&config_, &call_); err < 0) refuse("hush_call_create", err);
    frame_size_ = hush_call_frame_size(call_);
    latency_ = hush_call_capture_latency_samples(call_);
  }
  ~MicProcessor() override { hush_call_destroy(call_); }
  MicProcessor(const MicProcessor&) = delete;
  MicProcessor& operator=(const MicProcessor&) = delete;

  int frame_size() const override { return frame_size_; }
  int latency_samples() const override { return latency_; }
  void process(float* out, const float* in) override { (void)hush_call_process_capture(call_, out, in); }

  // A new call rather than hush_call_reset(): a reset call does not reproduce a fresh one
  // (its AGC keeps some adaptation: on the same input, a call reset once and one reset twice
  // came out up to 1.9e-3 apart), and the plugin's output should be the library's output.
  void restart(std::span<const float> controls) override {
    hush_call_config config = config_;
    config.capture_strength_db = controls[kStrength];
    config.background_voice_db = controls[kBackgroundVoices];
    config.voice_gate_grace_ms = int(std::lround(controls[kVoiceGateGrace]));
    hush_call* fresh = nullptr;
    if (hush_call_create(&config, &fresh) == HUSH_OK) {
      hush_call_destroy(call_);
      call_ = fresh;
      config_ = config;
      return;
    }
    (void)hush_call_reset(call_);  // out of memory: the old call, reset, with the new values
    for (int i = kStrength; i <= kVoiceGateGrace; ++i) set_control(i, controls[std::size_t(i)]);
  }

  void set_control(int index, float value) override {
    switch (index) {
      case kStrength: (void)hush_call_set_capture_strength_db(call_, value); break;
      case kBackgroundVoices: (void)hush_call_set_background_voice_db(call_, value); break;
      case kVoiceGateGrace: (void)hush_call_set_voice_gate_grace_ms(call_, int(std::lround(value))); break;
      default: break;
    }
  }

 private:
  hush_call_config config_{};
  hush_call* call_ = nullptr;
  int frame_size_ = 0;
  int latency_ = 0;
};

// hush_speaker: the call's render path, which is the noise engine alone (hush_call's
// process_render runs a hush_denoiser with the call's rate and engine). The denoiser is used
// directly because it can change its strength while audio runs; hush_call fixes the render
// strength at creation.
class SpeakerProcessor final : public FrameProcessor {
 public:
  explicit SpeakerProcessor(int sample_rate_hz) {
    hush_denoiser_config config = hush_denoiser_default_config();
    config.sample_rate_hz = sample_rate_hz;
    if (const int err = hush_denoiser_create(&config, &denoiser_); err < 0) {
      refuse("hush_denoiser_create", err);
    }
    frame_size_ = hush_denoiser_frame_size(denoiser_);
    latency_ = hush_denoiser_latency_samples(denoiser_);
  }
  ~SpeakerProcessor() override { hush_denoiser_destroy(denoiser_); }
  SpeakerProcessor(const SpeakerProcessor&) = delete;
  SpeakerProcessor& operator=(const SpeakerProcessor&) = delete;

  int frame_size() const override { return frame_size_; }
  int latency_samples() const override { return latency_; }
  void process(float* out, const float* in) override { (void)hush_denoiser_process(denoiser_, out, in); }
  // A denoiser reset is exact: it forgets everything and jumps to the target strength.
  void restart(std::span<const float> controls) override {
    set_control(kStrength, controls[kStrength]);
    (void)hush_denoiser_reset(denoiser_);
  }
  void set_control(int index, float value) override {
    if (index == kStrength) (void)hush_denoiser_set_strength_db(denoiser_, value);
  }

 private:
  hush_denoiser* denoiser_ = nullptr;
  int frame_size_ = 0;
  int latency_ = 0;
};

}  // namespace

std::unique_ptr<FrameProcessor> make_mic_processor(int sample_rate_hz) {
  return std::make_unique<MicProcessor>(sample_rate_hz);
}

std::unique_ptr<FrameProcessor> make_speaker_processor(int sample_rate_hz) {
  return std::make_unique<SpeakerProcessor>(sample_rate_hz);
}

}  // namespace hush::ladspa
