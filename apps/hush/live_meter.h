// The terminal level meter of `hush live`: input and output levels (RMS, dBFS) as two bars,
// redrawn every `update_frames` frames (10 per second for 10 ms frames). On a terminal it
// redraws one line in place; otherwise (--meter into a pipe or file) it prints one line per
// update. Feeding it allocates nothing; drawing is one write(2) of a stack buffer.
#pragma once

#include <span>

namespace hush::cli {

// 10*log10 of the mean square (a full-scale square wave is 0 dBFS); -99 for silence.
float level_dbfs(double sum_squares, long long samples);

class LevelMeter {
 public:
  // `fd` < 0: nothing is drawn, only the totals are kept.
  LevelMeter(int fd, bool terminal, int update_frames);
  // Adds one frame of input and the output made from it; draws when an update is due.
  void add(std::span<const float> in, std::span<const float> out);
  // Ends the meter line on a terminal.
  void finish();
  // Levels over everything added so far.
  float input_dbfs() const { return level_dbfs(total_in_, total_samples_); }
  float output_dbfs() const { return level_dbfs(total_out_, total_samples_); }

 private:
  void draw();

  int fd_;
  bool terminal_;
  int update_frames_;
  int frames_ = 0;
  double window_in_ = 0.0, window_out_ = 0.0;
  long long window_samples_ = 0;
  double total_in_ = 0.0, total_out_ = 0.0;
  long long total_samples_ = 0;
  bool drew_ = false;
};

}  // namespace hush::cli
