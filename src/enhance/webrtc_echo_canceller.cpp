// Echo cancellation by WebRTC's audio processing module (Debian's 0.3): AEC2 with the extended
// filter (longer echo tails) and delay-agnostic mode (its own far-end/near-end delay estimator,
// which copes with the unknown device latency that a desktop app cannot measure).
// Only the echo canceller and the high-pass filter are enabled: noise suppression and gain
// control are Hush's own stages that follow.
#include <cstddef>
#include <memory>

#include <webrtc/modules/audio_processing/include/audio_processing.h>

#include "enhance/echo_canceller.h"

namespace hush::enhance {
namespace {

constexpr int kReverseRateHz = 16000;

class WebRtcEchoCanceller final : public EchoCanceller {
 public:
  WebRtcEchoCanceller(webrtc::AudioProcessing* apm, int sample_rate_hz)
      : apm_(apm),
        stream_(sample_rate_hz, 1, false),
        reverse_output_(sample_rate_hz < kReverseRateHz ? sample_rate_hz : kReverseRateHz, 1, false) {}

  bool configure() {
    webrtc::EchoCancellation* aec = apm_->echo_cancellation();
    return aec->enable_drift_compensation(false) == webrtc::AudioProcessing::kNoError &&
           aec->set_suppression_level(webrtc::EchoCancellation::kModerateSuppression) ==
               webrtc::AudioProcessing::kNoError &&
           aec->Enable(true) == webrtc::AudioProcessing::kNoError &&
           apm_->high_pass_filter()->Enable(true) == webrtc::AudioProcessing::kNoError &&
           apm_->Initialize() == webrtc::AudioProcessing::kNoError;
  }

  void process(const float* reference, const float* mic, float* out) override {
    const float* ref_channels[1] = {reference};
    // 0.3 analyses the reverse stream at 16 kHz at most and rewrites its reverse output format
    // to match; asking for any other output rate re-initialises the whole module (allocating)
    // on every frame. So the reverse output is requested at the rate it really runs at.
    float* scratch_channels[1] = {reverse_scratch_};
    apm_->ProcessReverseStream(ref_channels, stream_, reverse_output_, scratch_channels);
    apm_->set_stream_delay_ms(echo_delay_ms_);
    const float* mic_channels[1] = {mic};
    float* out_channels[1] = {out};
    apm_->ProcessStream(mic_channels, stream_, stream_, out_channels);
  }

  // The library sizes buffers on the first frames after initialising; the probe makes that
  // happen here rather than on the audio thread.
  // AEC2 places its filter window by the reported delay: an echo that arrives earlier than
  // reported falls outside it.
  void set_echo_delay_ms(int delay_ms) override { echo_delay_ms_ = delay_ms; }

  void reset() override {
    apm_->Initialize();
    float silence[480] = {};
    (void)probe(silence);
  }

  // One silent frame through both streams; false if the library reports an error.
  bool probe(float* silence) {
    const float* in[1] = {silence};
    float* out[1] = {silence};
    float* scratch[1] = {reverse_scratch_};
    return apm_->ProcessReverseStream(in, stream_, reverse_output_, scratch) ==
               webrtc::AudioProcessing::kNoError &&
           apm_->set_stream_delay_ms(echo_delay_ms_) == webrtc::AudioProcessing::kNoError &&
           apm_->ProcessStream(in, stream_, stream_, out) == webrtc::AudioProcessing::kNoError;
  }

 private:
  std::unique_ptr<webrtc::AudioProcessing> apm_;
  webrtc::StreamConfig stream_;
  webrtc::StreamConfig reverse_output_;
  int echo_delay_ms_ = 0;
  float reverse_scratch_[kReverseRateHz / 100];
};

}  // namespace

std::unique_ptr<EchoCanceller> make_webrtc_echo_canceller(int sample_rate_hz) {
  if (sample_rate_hz / 100 > 480) return nullptr;
  webrtc::Config config;
  config.Set<webrtc::ExtendedFilter>(new webrtc::ExtendedFilter(true));
  config.Set<webrtc::DelayAgnostic>(new webrtc::DelayAgnostic(true));
  webrtc::AudioProcessing* apm = webrtc::AudioProcessing::Create(config);
  if (!apm) return nullptr;
  apm->SetExtraOptions(config);  // the echo canceller reads these here, not from Create
  auto canceller = std::make_unique<WebRtcEchoCanceller>(apm, sample_rate_hz);
  if (!canceller->configure()) return nullptr;
  // Refuse rates the library cannot process rather than failing frame by frame later. The
  // probe also sets both stream formats, so the re-initialisation they trigger (which
  // allocates) happens here and not on the first real frame.
  float probe[480] = {};
  if (!canceller->probe(probe)) return nullptr;
  canceller->reset();  // forget the probe
  return canceller;
}

}  // namespace hush::enhance
