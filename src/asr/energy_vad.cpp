#include "asr/energy_vad.h"

#include <algorithm>
#include <cmath>

namespace hush::asr {

EnergyVad::EnergyVad(const VadOptions& options)
    : options_(options),
      levels_db_(static_cast<std::size_t>(std::max(1.0, std::round(options.floor_window_s / kFrameSeconds)))) {}

void EnergyVad::reset() {
  next_ = filled_ = 0;
  floor_db_ = -100.0;
  run_ = 0;
}

bool EnergyVad::process(std::span<const float> frame) {
  double energy = 0.0;
  for (const float x : frame) energy += double(x) * double(x);
  const double mean_square = frame.empty() ? 0.0 : energy / double(frame.size());
  const double level_db = 10.0 * std::log10(mean_square + 1e-12);

  levels_db_[next_] = static_cast<float>(level_db);
  next_ = (next_ + 1) % levels_db_.size();
  filled_ = std::min(filled_ + 1, levels_db_.size());
  floor_db_ = *std::min_element(levels_db_.begin(), levels_db_.begin() + static_cast<std::ptrdiff_t>(filled_));
  // A stream that starts with speech has no noise sample yet: assume a quiet room until a full
  // window has been seen, so its first words are not taken for the floor.
  if (filled_ < levels_db_.size()) floor_db_ = std::min(floor_db_, options_.warmup_floor_dbfs);

  const bool loud = level_db > floor_db_ + options_.threshold_db && level_db > options_.min_speech_dbfs;
  run_ = loud ? run_ + 1 : 0;
  return run_ >= options_.onset_frames;
}

}  // namespace hush::asr
