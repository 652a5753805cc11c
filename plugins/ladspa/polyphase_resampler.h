// A fixed-ratio resampler for host rates the library does not run at (22.05, 96 kHz, ...):
// a Kaiser-windowed sinc on a polyphase table, fed one input sample at a time.
//
// Why not libsoxr, which the offline path uses: measured with 10 ms chunks, soxr's HQ DFT
// stages hand out output in bursts (up to 1341 samples held back at 22.05 -> 32 kHz, 1840 at
// 48 -> 96 kHz) and still grow their FIFOs a quarter of a second into a stream. Here the
// delay is a constant taps/2 input samples, how many outputs each input yields is a fixed
// function of time (ResampleClock), and push() touches only memory sized in the constructor.
#pragma once

#include <cstdint>
#include <vector>

namespace hush::ladspa {

// When outputs fall due: output n sits at input time n * in/out. An input sample with index
// k completes every output n with k <= n * in/out < k + 1. Shared by the resampler and the
// count-only planning in stream_plan.cpp, so both agree by construction.
class ResampleClock {
 public:
  ResampleClock(int in_rate_hz, int out_rate_hz);
  // Phase (in 1/out_step units past the newest input) of the next output, if it is due.
  bool output_due() const { return phase_ < out_step_; }
  std::int64_t phase() const { return phase_; }
  void next_output() { phase_ += in_step_; }
  void next_input() { phase_ -= out_step_; }
  // How many outputs one more input completes (advances the clock).
  int advance();
  void reset() { phase_ = 0; }
  std::int64_t out_step() const { return out_step_; }  // out_rate / gcd
  std::int64_t in_step() const { return in_step_; }    // in_rate / gcd

 private:
  std::int64_t out_step_;
  std::int64_t in_step_;
  std::int64_t phase_ = 0;
};

class PolyphaseResampler {
 public:
  // Allocates everything; throws std::bad_alloc. Rates must be positive.
  PolyphaseResampler(int in_rate_hz, int out_rate_hz);

  // Most outputs a single push() can write: ceil(out/in).
  int max_outputs_per_input() const { return max_outputs_; }
  // Feeds one input sample, writes the outputs it completes to `out` (room for
  // max_outputs_per_input()) and returns how many. RT-safe.
  int push(float x, float* out);
  // Forgets the history (as if only silence had come before). RT-safe.
  void reset();
  // Output n is the input at time n * in/out - delay_input_samples().
  double delay_input_samples() const { return taps_ / 2.0; }
  int taps() const { return taps_; }

 private:
  float dot(const float* row) const;

  ResampleClock clock_;
  int taps_ = 0;
  int rows_ = 0;          // table rows - 1: the phase grid the table is sampled on
  bool exact_rows_ = false;  // rows_ == out_step: every phase has its own row
  int max_outputs_ = 0;
  std::vector<float> table_;    // (rows_ + 1) x taps_, each row reversed (oldest tap first)
  std::vector<float> history_;  // 2 x taps_: each sample stored twice, so a window is contiguous
  int write_ = 0;
};

}  // namespace hush::ladspa
