#include "apps/hush/live_meter.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace hush::cli {
namespace {

constexpr int kBarWidth = 24;
constexpr float kFloorDbfs = -60.0f;  // an empty bar

// Appends "[#####-----] -23.4 dBFS" to `at` (room for it is checked by the caller's size).
int format_bar(char* at, std::size_t room, const char* label, float dbfs) {
  const float fill = std::clamp((dbfs - kFloorDbfs) / -kFloorDbfs, 0.0f, 1.0f);
  const int bars = static_cast<int>(std::lround(fill * kBarWidth));
  char bar[kBarWidth + 1];
  for (int i = 0; i < kBarWidth; ++i) bar[i] = i < bars ? '#' : '-';
  bar[kBarWidth] = '\0';
  return std::snprintf(at, room, "%s [%s] %6.1f dBFS", label, bar, double(dbfs));
}

double sum_squares(std::span<const float> x) {
  double sum = 0.0;
  for (const float v : x) sum += double(v) * double(v);
  return sum;
}

}  // namespace

float level_dbfs(double sum_squares, long long samples) {
  if (samples <= 0 || sum_squares <= 0.0) return -99.0f;
  return std::max(-99.0f, static_cast<float>(10.0 * std::log10(sum_squares / double(samples))));
}

LevelMeter::LevelMeter(int fd, bool terminal, int update_frames)
    : fd_(fd), terminal_(terminal), update_frames_(std::max(1, update_frames)) {}

void LevelMeter::add(std::span<const float> in, std::span<const float> out) {
  const double in_sq = sum_squares(in), out_sq = sum_squares(out);
  window_in_ += in_sq;
  window_out_ += out_sq;
  window_samples_ += static_cast<long long>(in.size());
  total_in_ += in_sq;
  total_out_ += out_sq;
  total_samples_ += static_cast<long long>(in.size());
  if (++frames_ < update_frames_) return;
  if (fd_ >= 0) draw();
  frames_ = 0;
  window_in_ = window_out_ = 0.0;
  window_samples_ = 0;
}

void LevelMeter::draw() {
  char line[160];
  int n = 0;
  if (terminal_) line[n++] = '\r';
  n += format_bar(line + n, sizeof line - std::size_t(n), "in ", level_dbfs(window_in_, window_samples_));
  n += std::snprintf(line + n, sizeof line - std::size_t(n), "   ");
  n += format_bar(line + n, sizeof line - std::size_t(n), "out", level_dbfs(window_out_, window_samples_));
  n = std::min(n, int(sizeof line) - 2);
  line[n++] = terminal_ ? ' ' : '\n';
  // A meter line that cannot be written (a closed pipe) is not worth stopping the audio for.
  (void)!::write(fd_, line, std::size_t(n));
  drew_ = true;
}

void LevelMeter::finish() {
  if (fd_ >= 0 && terminal_ && drew_) (void)!::write(fd_, "\n", 1);
}

}  // namespace hush::cli
