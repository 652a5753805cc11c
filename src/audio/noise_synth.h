// Deterministic noise generators for the demo and the dev set: the recorded noise in
// ../shared/data is only 9 minutes, so both also mix in synthesized noise of common kinds.
#pragma once

#include <cstdint>
#include <vector>

namespace hush::audio {

// Each returns `samples` values at `sample_rate_hz` with RMS 1 (before any mixing gain).
std::vector<float> pink_noise(std::size_t samples, std::uint32_t seed);
std::vector<float> brown_noise(std::size_t samples, std::uint32_t seed);
// Mains hum: 50 Hz fundamental and decaying harmonics, slowly wandering amplitude.
std::vector<float> hum_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed);
// Fan/HVAC: low-passed noise with a blade-rate tone and slow amplitude modulation.
std::vector<float> fan_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed);
// Keyboard typing: short decaying clicks at irregular 60-200 ms intervals over a quiet bed.
std::vector<float> keyboard_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed);

// Scales `x` to unit RMS in place (no-op on silence).
void normalize_rms(std::vector<float>& x);
// Gain for `noise` so that clean + gain*noise has the given SNR (RMS over the whole signal).
float gain_for_snr(const std::vector<float>& clean, const std::vector<float>& noise, double snr_db);

}  // namespace hush::audio
