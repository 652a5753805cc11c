// Spectrogram pictures for listening reports: panels (e.g. "noisy" above "denoised") stacked in one
// PNG so a reviewer sees at a glance what the denoiser removed.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace hush::util {

struct SpectrogramPanel {
  std::string title;
  std::span<const float> samples;  // mono, full scale +-1; not owned, must outlive the call
  int sample_rate_hz = 16000;
};

// Each panel: a title strip, then 256 px of log magnitude (-100..-20 dBFS, magma colours) over a
// linear 0..Nyquist axis, at most 1000 px wide (long inputs average several frames per column).
// Panels share the time scale: a shorter one is drawn narrower. The file appears atomically
// (temp file + rename). Throws hush::Error: HUSH_ERR_INVALID_ARGUMENT for no panels or a bad rate,
// HUSH_ERR_IO when the file cannot be written (and then leaves nothing behind).
void write_spectrogram_png(const std::string& path, const std::vector<SpectrogramPanel>& panels);

}  // namespace hush::util
