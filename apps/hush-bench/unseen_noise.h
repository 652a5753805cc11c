// Noise kinds that neither the denoiser's training (train/hushnn/noises.py, the first 70 % of
// ../shared/data/noise) nor the dev set contains, for the independent evaluation
// (independent_set.h). Synthesized, deterministic, at any rate, unit RMS.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hush::bench {

// An emergency-vehicle wail: a 650-1450 Hz sweep with two harmonics over a faint pink bed.
std::vector<float> siren_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed);
// A phone ringing (440 + 480 Hz, 1 s on, 1 s off) and an alarm clock's 3 kHz beeps.
std::vector<float> ringing_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed);
// A vacuum cleaner: broadband noise with a 1.5 kHz resonance and a drifting motor whine.
std::vector<float> vacuum_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed);
// Street traffic: low rumble with cars passing every 2-5 s (tyre hiss, Doppler-shifted engine).
std::vector<float> traffic_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed);
// A pulsed blender: a 150-250 Hz motor with twenty harmonics, switched on and off.
std::vector<float> blender_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed);
// Hammering: groups of resonant knocks (150-900 Hz, 30-80 ms decay) with a click on each.
std::vector<float> hammering_noise(std::size_t samples, int sample_rate_hz, std::uint32_t seed);

// The names above without "_noise", in the order independent_set.cpp cycles through them.
const std::vector<std::string>& unseen_noise_names();
// By name; throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) for a name not in unseen_noise_names().
std::vector<float> unseen_noise(const std::string& name, std::size_t samples, int sample_rate_hz,
                                std::uint32_t seed);

}  // namespace hush::bench
