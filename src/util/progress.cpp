#include "util/progress.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

namespace hush::util {
namespace {

constexpr int kBarWidth = 24;
constexpr double kMinRedrawSeconds = 0.1;

double steady_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// "3.1 s" below a minute, "4 min 05 s" above: tenths stop being useful once it is minutes.
std::string format_seconds(double s) {
  char buf[48];
  if (s < 60.0) {
    std::snprintf(buf, sizeof buf, "%.1f s", s);
  } else {
    const long total = std::lround(s);
    std::snprintf(buf, sizeof buf, "%ld min %02ld s", total / 60, total % 60);
  }
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(std::string label, double total_units, ProgressOptions options)
    : label_(std::move(label)),
      total_(total_units),
      out_(options.out),
      now_(options.now_seconds ? std::move(options.now_seconds) : steady_seconds) {
  const bool tty = options.is_tty ? *options.is_tty : (out_ && isatty(fileno(out_)) == 1);
  active_ = options.enabled && out_ != nullptr && tty;
  start_ = now_();
}

ProgressBar::ProgressBar(std::string label, double total_units, bool enabled)
    : ProgressBar(std::move(label), total_units, [enabled] {
        ProgressOptions o;
        o.enabled = enabled;
        return o;
      }()) {}

ProgressBar::~ProgressBar() {
  if (active_ && !finished_ && last_draw_ >= 0.0) {
    std::fputc('\n', out_);
    std::fflush(out_);
  }
}

void ProgressBar::update(double done) {
  if (!active_ || finished_) return;
  const double now = now_();
  if (last_draw_ >= 0.0 && now - last_draw_ < kMinRedrawSeconds) return;
  last_draw_ = now;
  // A zero or nonsensical total has no meaningful fraction; show an empty bar rather than NaN%.
  double fraction = 0.0;
  if (total_ > 0.0 && std::isfinite(total_) && std::isfinite(done)) {
    fraction = std::clamp(done / total_, 0.0, 1.0);
  }
  draw(fraction, now - start_, false);
}

void ProgressBar::finish() {
  if (finished_) return;
  if (active_) draw(1.0, now_() - start_, true);
  finished_ = true;
}

void ProgressBar::draw(double fraction, double elapsed, bool final_line) {
  const int filled = static_cast<int>(std::floor(fraction * kBarWidth));
  std::string line = label_ + " [";
  line.append(static_cast<size_t>(filled), '#');
  line.append(static_cast<size_t>(kBarWidth - filled), '.');
  char pct[16];
  std::snprintf(pct, sizeof pct, "] %3d%%", static_cast<int>(std::floor(fraction * 100.0)));
  line += pct;
  if (final_line) {
    line += "  done in " + format_seconds(elapsed);
  } else if (fraction > 0.0 && elapsed > 0.0) {
    // Linear extrapolation: processing time per unit of audio is roughly constant.
    line += "  " + format_seconds(elapsed * (1.0 - fraction) / fraction) + " left";
  }
  const size_t len = line.size();
  if (len < last_len_) line.append(last_len_ - len, ' ');
  last_len_ = len;
  std::fputc('\r', out_);
  std::fputs(line.c_str(), out_);
  if (final_line) std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace hush::util
