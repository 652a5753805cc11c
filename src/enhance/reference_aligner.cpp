#include "enhance/reference_aligner.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hush::enhance {
namespace {

// Forgetting: about 4 s of active far-end frames.
constexpr float kForget = 0.9975f;
// Frames quieter than this (mean square, -60 dBFS) say nothing about the echo path.
constexpr float kActiveEnergy = 1e-6f;
constexpr float kMaxOnset = 3.0f;  // nats: one loud click must not dominate the sums
// Adopt a lag when its normalised correlation beats the current one by this much for this long.
constexpr float kMinConfidence = 0.2f;
constexpr float kSwitchMargin = 0.05f;
constexpr int kSwitchFrames = 50;
// The first estimate (nothing to lose yet) is adopted after a shorter run of agreement.
constexpr int kFirstSwitchFrames = 10;

}  // namespace

ReferenceAligner::ReferenceAligner(int frame_size, int max_delay_frames, int initial_delay_frames)
    : frame_size_(frame_size),
      initial_delay_frames_(std::clamp(initial_delay_frames, 0, max_delay_frames)),
      max_delay_frames_(max_delay_frames),
      history_frames_(max_delay_frames + 1),
      history_(static_cast<std::size_t>(frame_size) * static_cast<std::size_t>(history_frames_), 0.0f),
      ref_features_(static_cast<std::size_t>(history_frames_)),
      correlation_(static_cast<std::size_t>(max_delay_frames + 1), 0.0f) {
  reset();
}

void ReferenceAligner::reset() {
  std::fill(history_.begin(), history_.end(), 0.0f);
  for (Features& f : ref_features_) std::fill(f.onset, f.onset + kBands, 0.0f);
  std::fill(correlation_.begin(), correlation_.end(), 0.0f);
  mic_power_ = ref_power_ = 0.0f;
  std::fill(ref_log_energy_, ref_log_energy_ + kBands, std::log(kActiveEnergy));
  std::fill(mic_log_energy_, mic_log_energy_ + kBands, std::log(kActiveEnergy));
  ref_last_sample_ = mic_last_sample_ = 0.0f;
  frame_index_ = 0;
  last_active_frame_ = -1;
  delay_frames_ = initial_delay_frames_;
  estimated_ = false;
  confidence_ = 0.0f;
  candidate_ = -1;
  candidate_frames_ = 0;
}

ReferenceAligner::Features ReferenceAligner::features_of(const float* x, float* last_log_energy,
                                                         float* last_sample) {
  double full = 0.0, high = 0.0;
  float previous = *last_sample;
  for (int i = 0; i < frame_size_; ++i) {
    full += static_cast<double>(x[i]) * x[i];
    const float d = x[i] - previous;
    high += static_cast<double>(d) * d;
    previous = x[i];
  }
  *last_sample = previous;
  const double energies[kBands] = {full / frame_size_, high / frame_size_};
  Features f{};
  for (int b = 0; b < kBands; ++b) {
    const float log_energy = static_cast<float>(std::log(energies[b] + kActiveEnergy));
    f.onset[b] = std::clamp(log_energy - last_log_energy[b], -kMaxOnset, kMaxOnset);
    last_log_energy[b] = log_energy;
  }
  return f;
}

void ReferenceAligner::process(const float* reference, const float* mic, float* aligned) {
  const int slot = static_cast<int>(frame_index_ % history_frames_);
  std::memcpy(history_.data() + static_cast<std::size_t>(slot) * frame_size_, reference,
              sizeof(float) * static_cast<std::size_t>(frame_size_));
  double ref_energy = 0.0;
  for (int i = 0; i < frame_size_; ++i) ref_energy += static_cast<double>(reference[i]) * reference[i];
  ref_features_[static_cast<std::size_t>(slot)] = features_of(reference, ref_log_energy_, &ref_last_sample_);
  const Features mic_features = features_of(mic, mic_log_energy_, &mic_last_sample_);

  // Learn only while some reference within the search window was loud enough to echo.
  const bool active = ref_energy / frame_size_ > kActiveEnergy;
  if (active) last_active_frame_ = frame_index_;
  if (last_active_frame_ >= 0 && frame_index_ - last_active_frame_ <= max_delay_frames_) {
    float mic_sq = 0.0f;
    for (int b = 0; b < kBands; ++b) mic_sq += mic_features.onset[b] * mic_features.onset[b];
    mic_power_ = kForget * mic_power_ + mic_sq;
    const Features& now = ref_features_[static_cast<std::size_t>(slot)];
    float ref_sq = 0.0f;
    for (int b = 0; b < kBands; ++b) ref_sq += now.onset[b] * now.onset[b];
    ref_power_ = kForget * ref_power_ + ref_sq;
    const long long available = std::min<long long>(frame_index_, max_delay_frames_);
    for (int lag = 0; lag <= available; ++lag) {
      const int s = static_cast<int>((frame_index_ - lag) % history_frames_);
      const Features& r = ref_features_[static_cast<std::size_t>(s)];
      float dot = 0.0f;
      for (int b = 0; b < kBands; ++b) dot += mic_features.onset[b] * r.onset[b];
      correlation_[static_cast<std::size_t>(lag)] = kForget * correlation_[static_cast<std::size_t>(lag)] + dot;
    }
    if (active) update_estimate();
  }

  const int lag = std::max(0, delay_frames_ - kSafetyFrames);
  const long long source = std::max<long long>(0, frame_index_ - lag);
  const float* from = history_.data() + static_cast<std::size_t>(source % history_frames_) * frame_size_;
  if (frame_index_ - lag < 0) {
    std::fill(aligned, aligned + frame_size_, 0.0f);
  } else {
    std::memcpy(aligned, from, sizeof(float) * static_cast<std::size_t>(frame_size_));
  }
  ++frame_index_;
}

void ReferenceAligner::update_estimate() {
  const float norm = std::sqrt(mic_power_ * ref_power_);
  if (norm <= 0.0f) return;
  int best = 0;
  for (int lag = 1; lag <= max_delay_frames_; ++lag) {
    if (correlation_[static_cast<std::size_t>(lag)] > correlation_[static_cast<std::size_t>(best)]) best = lag;
  }
  const float best_score = correlation_[static_cast<std::size_t>(best)] / norm;
  const float current_score = correlation_[static_cast<std::size_t>(delay_frames_)] / norm;
  confidence_ = std::max(0.0f, current_score);
  if (best == delay_frames_ || best_score < kMinConfidence || best_score < current_score + kSwitchMargin) {
    candidate_ = -1;
    candidate_frames_ = 0;
    return;
  }
  if (best != candidate_) {
    candidate_ = best;
    candidate_frames_ = 0;
  }
  if (++candidate_frames_ >= (estimated_ ? kSwitchFrames : kFirstSwitchFrames)) {
    estimated_ = true;
    delay_frames_ = best;
    confidence_ = best_score;
    candidate_ = -1;
    candidate_frames_ = 0;
  }
}

}  // namespace hush::enhance
