#include "enhance/automatic_gain.h"

#include <cmath>

#include <webrtc/modules/audio_processing/include/audio_processing.h>

namespace hush::enhance {
namespace {

// Speech is brought to about -9 dBFS peak-ish level with up to 12 dB of digital gain; the
// limiter keeps peaks below -3 dBFS (WebRTC's "target level" is in dB below full scale).
constexpr int kTargetLevelDbfs = 3;
constexpr int kCompressionGainDb = 12;
constexpr float kGainSmoothing = 0.05f;  // per speech frame
constexpr int kProbeFrames = 5;

double energy(const float* x, int n) {
  double e = 0.0;
  for (int i = 0; i < n; ++i) e += static_cast<double>(x[i]) * x[i];
  return e;
}

}  // namespace

AutomaticGain::AutomaticGain(webrtc::AudioProcessing* apm, int sample_rate_hz)
    : apm_(apm), frame_size_(sample_rate_hz / 100), sample_rate_hz_(sample_rate_hz) {}

AutomaticGain::~AutomaticGain() = default;

std::unique_ptr<AutomaticGain> AutomaticGain::create(int sample_rate_hz) {
  // The "experimental" AGC (AgcManagerDirect) drives an analog mic volume we do not have, and
  // grows vectors while processing; only the digital AGC is wanted.
  webrtc::Config config;
  config.Set<webrtc::ExperimentalAgc>(new webrtc::ExperimentalAgc(false));
  webrtc::AudioProcessing* apm = webrtc::AudioProcessing::Create(config);
  if (!apm) return nullptr;
  std::unique_ptr<AutomaticGain> agc(new AutomaticGain(apm, sample_rate_hz));
  webrtc::GainControl* gc = apm->gain_control();
  if (gc->set_mode(webrtc::GainControl::kAdaptiveDigital) != 0 ||
      gc->set_target_level_dbfs(kTargetLevelDbfs) != 0 ||
      gc->set_compression_gain_db(kCompressionGainDb) != 0 || gc->enable_limiter(true) != 0 ||
      gc->Enable(true) != 0 || apm->Initialize() != 0) {
    return nullptr;
  }
  // Refuse a rate the library cannot process rather than failing frame by frame later.
  if (agc->frame_size_ > 480 || !agc->probe()) return nullptr;
  return agc;
}

void AutomaticGain::process(float* frame, bool speech) {
  const double before = energy(frame, frame_size_);
  const float* in[1] = {frame};
  float* out[1] = {frame};
  webrtc::StreamConfig stream(sample_rate_hz_, 1, false);
  apm_->ProcessStream(in, stream, stream, out);
  const double after = energy(frame, frame_size_);
  if (speech && before > 1e-9) {
    const float frame_gain_db = static_cast<float>(10.0 * std::log10((after + 1e-12) / before));
    gain_db_ += kGainSmoothing * (frame_gain_db - gain_db_);
  }
}

bool AutomaticGain::probe() {
  // A few frames of noise rather than silence: the library's voice detector only sizes its
  // buffers once it sees a signal (checked by tests/unit/test_realtime_no_alloc.cpp).
  float noise[480];
  unsigned seed = 12345u;
  webrtc::StreamConfig stream(sample_rate_hz_, 1, false);
  for (int frame = 0; frame < kProbeFrames; ++frame) {
    for (float& x : noise) x = static_cast<float>(static_cast<int>((seed = seed * 1103515245u + 12345u) >> 16) % 2001 - 1000) * 3e-5f;
    const float* in[1] = {noise};
    float* out[1] = {noise};
    if (apm_->ProcessStream(in, stream, stream, out) != 0) return false;
  }
  return true;
}

void AutomaticGain::reset() {
  apm_->Initialize();
  // The library sizes some buffers on the first frame after initialising: do that here, not
  // on the audio thread's first frame.
  (void)probe();
  gain_db_ = 0.0f;
}

}  // namespace hush::enhance
