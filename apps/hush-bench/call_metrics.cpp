#include "call_metrics.h"  // relative: tests/unit/test_call_metrics.cpp compiles this file too

#include <algorithm>
#include <cmath>
#include <limits>

#include "room_sim.h"
#include "metrics/metrics.h"

namespace hush::bench {
namespace {

constexpr double kActiveBelowLoudDb = 25.0;   // echo frames this far below the loud ones still count
constexpr double kActiveAboveNoiseDb = 20.0;  // ... if they stand this far above the mic noise
constexpr std::size_t kBlockFrames = 50;      // 0.5 s
constexpr std::size_t kMinActivePerBlock = 10;
constexpr std::size_t kDipWindowFrames = 200; // 2 s after an echo-path change
constexpr double kDominanceDb = 20.0;         // "alone" in background_scores
constexpr double kTiny = 1e-20;               // keeps log10 finite for digital silence

double db(double ratio) { return 10.0 * std::log10(std::max(ratio, kTiny)); }

double nan() { return std::numeric_limits<double>::quiet_NaN(); }

// A metric that throws for too-short or silent input becomes NaN (reported as missing).
template <typename F>
double guarded(F&& f) {
  try {
    return f();
  } catch (const std::exception&) {
    return nan();
  }
}

}  // namespace

double median(std::vector<double> v) {
  std::erase_if(v, [](double x) { return std::isnan(x); });
  if (v.empty()) return nan();
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

std::vector<bool> echo_active_frames(std::span<const double> echo_power, double noise_power) {
  std::vector<double> loud;
  for (double p : echo_power)
    if (p > 0) loud.push_back(p);
  std::vector<bool> active(echo_power.size(), false);
  if (loud.empty()) return active;
  std::sort(loud.begin(), loud.end());
  const double p95 = loud[loud.size() * 95 / 100];
  const double threshold = std::max(p95 * std::pow(10.0, -kActiveBelowLoudDb / 10.0),
                                    noise_power * std::pow(10.0, kActiveAboveNoiseDb / 10.0));
  for (std::size_t f = 0; f < echo_power.size(); ++f) active[f] = echo_power[f] >= threshold;
  return active;
}

PhaseErle phase_erle(std::span<const double> mic_power, std::span<const double> out_power,
                     std::span<const double> echo_power, const std::vector<bool>& active, double noise_power,
                     std::size_t first, std::size_t last) {
  last = std::min({last, mic_power.size(), out_power.size(), echo_power.size(), active.size()});
  PhaseErle r;
  if (first >= last) return r;
  std::vector<double> late, ceiling;
  const std::size_t half = first + (last - first) / 2;
  for (std::size_t f = first; f < last; ++f) {
    if (!active[f]) continue;
    ++r.active_frames;
    if (f < half) continue;
    late.push_back(db(mic_power[f] / std::max(out_power[f], kTiny)));
    ceiling.push_back(db((echo_power[f] + noise_power) / std::max(noise_power, kTiny)));
  }
  r.median_db = median(late);
  r.ceiling_db = median(ceiling);

  struct Block {
    std::size_t start;
    double erle_db;
  };
  std::vector<Block> blocks;
  for (std::size_t b = first; b + kBlockFrames <= last; b += kBlockFrames) {
    double pm = 0, po = 0;
    std::size_t n = 0;
    for (std::size_t f = b; f < b + kBlockFrames; ++f)
      if (active[f]) pm += mic_power[f], po += out_power[f], ++n;
    if (n >= kMinActivePerBlock) blocks.push_back({b, db(pm / std::max(po, kTiny))});
  }
  r.min_block_db = nan();
  for (const Block& b : blocks)
    if (b.start < first + kDipWindowFrames) r.min_block_db = std::isnan(r.min_block_db) ? b.erle_db : std::min(r.min_block_db, b.erle_db);
  // Walk back from the end while blocks stay converged.
  std::size_t k = blocks.size();
  while (k > 0 && blocks[k - 1].erle_db >= kConvergedErleDb) --k;
  r.convergence_s = (k < blocks.size()) ? double(blocks[k].start - first) / 100.0 : -1.0;
  return r;
}

NearEndScores near_end_scores(std::span<const float> near, std::span<const float> mic, std::span<const float> out,
                              int rate_hz) {
  NearEndScores s;
  s.stoi_mic = guarded([&] { return metrics::stoi(near, mic, rate_hz); });
  s.stoi_out = guarded([&] { return metrics::stoi(near, out, rate_hz); });
  s.si_sdr_mic_db = guarded([&] { return metrics::si_sdr_db(near, mic); });
  s.si_sdr_out_db = guarded([&] { return metrics::si_sdr_db(near, out); });
  return s;
}

BackgroundScores background_scores(std::span<const float> main, std::span<const float> background,
                                   std::span<const float> mix, std::span<const float> out, int rate_hz) {
  BackgroundScores s;
  s.si_sdr_mix_db = guarded([&] { return metrics::si_sdr_db(main, mix); });
  s.si_sdr_out_db = guarded([&] { return metrics::si_sdr_db(main, out); });
  s.stoi_mix = guarded([&] { return metrics::stoi(main, mix, rate_hz); });
  s.stoi_out = guarded([&] { return metrics::stoi(main, out, rate_hz); });
  const auto pm = sim::frame_powers(main, rate_hz), pb = sim::frame_powers(background, rate_hz);
  const auto px = sim::frame_powers(mix, rate_hz), po = sim::frame_powers(out, rate_hz);
  const double dominance = std::pow(10.0, kDominanceDb / 10.0);
  double bg_in = 0, bg_out = 0, main_in = 0, main_out = 0;
  for (std::size_t f = 0; f < std::min({pm.size(), pb.size(), px.size(), po.size()}); ++f) {
    if (pb[f] > 0 && pm[f] * dominance <= pb[f]) bg_in += px[f], bg_out += po[f], ++s.background_frames;
    if (pm[f] > 0 && pb[f] * dominance <= pm[f]) main_in += px[f], main_out += po[f], ++s.main_frames;
  }
  s.background_attenuation_db = s.background_frames ? db(bg_in / std::max(bg_out, kTiny)) : nan();
  s.main_level_change_db = s.main_frames ? db(main_out / std::max(main_in, kTiny)) : nan();
  return s;
}

Lag find_lag(std::span<const float> in, std::span<const float> out, int max_lag) {
  Lag best{0, -2.0};
  const std::size_t n = std::min(in.size(), out.size());
  for (int lag = 0; lag <= max_lag && std::size_t(lag) < n; ++lag) {
    double xy = 0, xx = 0, yy = 0;
    for (std::size_t i = 0; i + std::size_t(lag) < n; ++i) {
      const double x = in[i], y = out[i + std::size_t(lag)];
      xy += x * y, xx += x * x, yy += y * y;
    }
    const double c = (xx > 0 && yy > 0) ? xy / std::sqrt(xx * yy) : 0.0;
    if (c > best.correlation) best = {lag, c};
  }
  return best;
}

}  // namespace hush::bench
