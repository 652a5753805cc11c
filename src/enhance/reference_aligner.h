// Bulk delay alignment of the far-end reference, in front of either echo canceller.
//
// Desktop audio cannot report its output+input latency reliably, and the cancellers only cover
// a short window: WebRTC's AEC2 (extended filter) about 128 ms, SpeexDSP's MDF whatever filter
// length it is given, converging more slowly the longer it is. hush-bench call showed both
// failing on 100-250 ms device delays. So the pipeline estimates the delay itself and hands the
// canceller a reference that is only a little early.
//
// The estimate correlates the frame-to-frame change of log energy (onsets, which give sharp
// correlation peaks where energy envelopes give broad ones) of the mic and of each lag of the
// reference, with exponential forgetting, in two bands (full band and a first-difference
// "high" band). A new lag is adopted only when it wins clearly for half a second, so a short
// double talk does not move it. Written here because neither Debian library exposes its
// delay estimator.
#pragma once

#include <vector>

namespace hush::enhance {

class ReferenceAligner {
 public:
  // The canceller gets the reference this many frames early: estimates can be a frame late,
  // and an echo that arrives before its reference cannot be cancelled at all.
  static constexpr int kSafetyFrames = 2;

  // `max_delay_frames` bounds the search (frames of 10 ms); `initial_delay_frames` is the
  // caller's hint, used until an estimate replaces it.
  ReferenceAligner(int frame_size, int max_delay_frames, int initial_delay_frames);

  // Takes the next reference frame and the captured frame it belongs to; writes into `aligned`
  // the reference delayed by the current estimate (minus a small safety margin, so the echo
  // never precedes its reference).
  void process(const float* reference, const float* mic, float* aligned);

  void reset();

  // Current bulk delay estimate in frames (0 until one is found), and its correlation (0..1).
  int delay_frames() const { return delay_frames_; }
  // The part of it the aligned reference still leads the echo by (at most kSafetyFrames).
  int remaining_delay_frames() const { return delay_frames_ < kSafetyFrames ? delay_frames_ : kSafetyFrames; }
  float confidence() const { return confidence_; }

 private:
  static constexpr int kBands = 2;
  struct Features {
    float onset[kBands];
  };
  Features features_of(const float* x, float* last_log_energy, float* last_sample);
  void update_estimate();

  int frame_size_;
  int initial_delay_frames_;
  int max_delay_frames_;
  int history_frames_;
  std::vector<float> history_;          // reference frames, ring of history_frames_
  std::vector<Features> ref_features_;  // ring, same indexing
  std::vector<float> correlation_;      // per lag
  float mic_power_ = 0.0f, ref_power_ = 0.0f;
  float ref_log_energy_[kBands] = {}, mic_log_energy_[kBands] = {};
  float ref_last_sample_ = 0.0f, mic_last_sample_ = 0.0f;
  long long frame_index_ = 0;
  long long last_active_frame_ = -1;
  int delay_frames_ = 0;
  bool estimated_ = false;  // an estimate has replaced the caller's hint
  float confidence_ = 0.0f;
  int candidate_ = -1;
  int candidate_frames_ = 0;
};

}  // namespace hush::enhance
