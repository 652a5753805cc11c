// A one-line terminal progress bar for long CLI runs:
//   label [############............]  42%  3.1 s left
// It draws only to a terminal, so logs and pipes never get '\r' garbage, and it redraws at most
// ~10 times a second so a tight processing loop can call update() on every block for free.
// Not thread-safe: call it from the thread that drives the work.
#pragma once

#include <cstdio>
#include <functional>
#include <optional>
#include <string>

namespace hush::util {

struct ProgressOptions {
  bool enabled = true;                  // false: never draw (e.g. --quiet)
  std::FILE* out = stderr;              // where to draw
  std::optional<bool> is_tty;           // unset: isatty(fileno(out)); tests force true
  std::function<double()> now_seconds;  // monotonic clock; unset: std::chrono::steady_clock
};

class ProgressBar {
 public:
  ProgressBar(std::string label, double total_units, ProgressOptions options = {});
  ProgressBar(std::string label, double total_units, bool enabled);
  // Ends a bar left unfinished (e.g. by an exception) with a newline, without claiming 100%.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(double done);  // done in the same units as total_units; clamped to [0, total]
  void finish();             // draws 100% and the elapsed time, then a newline; idempotent

  // Short inputs finish before a bar is worth reading, so callers show one only above 5 s of audio.
  static bool worth_showing(double audio_seconds) { return audio_seconds > 5.0; }

  bool active() const { return active_; }

 private:
  void draw(double fraction, double elapsed, bool final_line);

  std::string label_;
  double total_;
  std::FILE* out_;
  std::function<double()> now_;
  bool active_;
  double start_;
  double last_draw_ = -1.0;  // < 0: nothing drawn yet
  size_t last_len_ = 0;      // to blank out the tail of a longer previous line
  bool finished_ = false;
};

}  // namespace hush::util
