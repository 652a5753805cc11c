// Echo cancellation by SpeexDSP: the MDF frequency-domain adaptive filter followed by Speex's
// residual echo suppressor (its preprocessor with only echo suppression switched on; its
// denoiser, AGC and VAD stay off because Hush's own stages follow).
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "enhance/echo_canceller.h"

namespace hush::enhance {
namespace {

// MDF has no delay estimator: its filter spans what is left of the delay after alignment
// (ReferenceAligner keeps the reference a little early) plus the room's echo tail. Longer
// filters converge more slowly.
constexpr int kFilterMs = 250;

std::int16_t to_s16(float x) {
  return static_cast<std::int16_t>(std::lrint(std::clamp(x, -1.0f, 32767.0f / 32768.0f) * 32768.0f));
}

class SpeexEchoCanceller final : public EchoCanceller {
 public:
  explicit SpeexEchoCanceller(int sample_rate_hz)
      : frame_(sample_rate_hz / 100),
        rate_(sample_rate_hz),
        tail_samples_(sample_rate_hz * kFilterMs / 1000),
        ref_(frame_), mic_(frame_), out_(frame_) {
    create();
  }
  ~SpeexEchoCanceller() override { destroy(); }

  bool ok() const { return echo_ && preprocess_; }

  void process(const float* reference, const float* mic, float* out) override {
    for (int i = 0; i < frame_; ++i) {
      ref_[i] = to_s16(reference[i]);
      mic_[i] = to_s16(mic[i]);
    }
    speex_echo_cancellation(echo_, mic_.data(), ref_.data(), out_.data());
    speex_preprocess_run(preprocess_, out_.data());
    for (int i = 0; i < frame_; ++i) out[i] = static_cast<float>(out_[i]) / 32768.0f;
  }

  void reset() override {
    speex_echo_state_reset(echo_);
    // The preprocessor keeps echo-suppression statistics too; rebuild it around the echo state.
    if (preprocess_) speex_preprocess_state_destroy(preprocess_);
    preprocess_ = make_preprocess();
  }

 private:
  void create() {
    echo_ = speex_echo_state_init(frame_, tail_samples_);
    if (!echo_) return;
    int rate = rate_;
    speex_echo_ctl(echo_, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
    preprocess_ = make_preprocess();
  }

  SpeexPreprocessState* make_preprocess() {
    SpeexPreprocessState* p = speex_preprocess_state_init(frame_, rate_);
    if (!p) return nullptr;
    int off = 0;
    speex_preprocess_ctl(p, SPEEX_PREPROCESS_SET_DENOISE, &off);
    speex_preprocess_ctl(p, SPEEX_PREPROCESS_SET_AGC, &off);
    // Its VAD is off by default; setting it at all prints a warning to stderr.
    speex_preprocess_ctl(p, SPEEX_PREPROCESS_SET_DEREVERB, &off);
    speex_preprocess_ctl(p, SPEEX_PREPROCESS_SET_ECHO_STATE, echo_);
    return p;
  }

  void destroy() {
    if (preprocess_) speex_preprocess_state_destroy(preprocess_);
    if (echo_) speex_echo_state_destroy(echo_);
    preprocess_ = nullptr;
    echo_ = nullptr;
  }

  int frame_;
  int rate_;
  int tail_samples_;
  SpeexEchoState* echo_ = nullptr;
  SpeexPreprocessState* preprocess_ = nullptr;
  std::vector<std::int16_t> ref_, mic_, out_;
};

}  // namespace

std::unique_ptr<EchoCanceller> make_speex_echo_canceller(int sample_rate_hz) {
  auto canceller = std::make_unique<SpeexEchoCanceller>(sample_rate_hz);
  if (!canceller->ok()) return nullptr;
  return canceller;
}

}  // namespace hush::enhance
