// Acoustic simulation for hush-bench call: shoebox-room impulse responses (image-source
// method), a small loudspeaker (soft clipping + bass roll-off), device delay, clock drift,
// microphone noise and level helpers. Everything is deterministic for a given seed.
//
// Written by hand because Debian packages no room-acoustics simulator (pyroomacoustics and
// gpuRIR are PyPI-only); this is the C++ twin of train/hushnn/rir.py (Allen & Berkley 1979,
// Sabine absorption, windowed-sinc placement of each image so early reflections are not
// quantised to whole samples).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace hush::bench::sim {

// splitmix64: tiny and fully specified, so the same seed gives the same scenes with any
// standard library (std::uniform_real_distribution's algorithm is implementation-defined).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  double uniform(double lo, double hi);  // [lo, hi)
  double gaussian();                     // N(0, 1), Box-Muller
 private:
  std::uint64_t state_;
};

using Point = std::array<double, 3>;  // metres

struct Room {
  Point size_m{};      // length, width, height
  double rt60_s = 0.4;
};

// Random room of the kind a laptop call happens in: floor 3..8 m each side, height
// 2.5..3.5 m, RT60 0.2..0.7 s.
Room random_room(Rng& rng);

// A random point inside `room` (at least 0.3 m from every wall).
Point random_point(Rng& rng, const Room& room);

// A random point inside `room` (0.3 m from the walls), `min_m`..`max_m` from `anchor`, in a
// mostly horizontal direction. Throws hush::Error when the room has no such point.
Point random_point_near(Rng& rng, const Room& room, const Point& anchor, double min_m, double max_m);

double distance_m(const Point& a, const Point& b);

// Image-source room impulse response from `source` to `mic`, `length_s` long, peak-normalised
// to 1. Throws hush::Error (HUSH_ERR_INVALID_ARGUMENT) for points outside the room or a bad
// rate/length.
std::vector<float> image_source_rir(const Room& room, const Point& source, const Point& mic, int rate_hz,
                                    double length_s);

// The RIR length used by the bench: 1.2 * RT60 + 50 ms (the tail is then ~70 dB down).
double rir_length_s(const Room& room);

// Linear convolution truncated to x.size() samples (FFT overlap-add).
std::vector<float> convolve(std::span<const float> x, std::span<const float> h);

// A laptop loudspeaker: soft clipping y = tanh(drive * x) / drive (drive 0 = linear), then a
// 2nd-order Butterworth high-pass at `highpass_hz` (a small driver radiates no bass).
std::vector<float> loudspeaker(std::span<const float> x, double drive, double highpass_hz, int rate_hz);

// How far y is from the best linear copy of x: 10 log10(|y - a x|^2 / |a x|^2), a = <x,y>/<x,x>.
// A distortion measure for the loudspeaker's nonlinearity (compare both before the high-pass).
double nonlinear_distortion_db(std::span<const float> x, std::span<const float> y);

// x delayed by `samples` (>= 0), same length (the tail is cut).
std::vector<float> delayed(std::span<const float> x, std::size_t samples);

// Clock drift between loudspeaker and microphone: y[n] = x(n * (1 + ppm * 1e-6)), read with a
// 32-tap Hann-windowed sinc. Same length as x; reads past the end give 0.
std::vector<float> drifted(std::span<const float> x, double ppm);

// Gaussian noise with a -3 dB/octave (pink) tilt like a microphone's self-noise plus room
// hiss, at `level_dbfs` RMS.
std::vector<float> mic_noise(std::size_t samples, double level_dbfs, Rng& rng);

// Power of one 10 ms frame (mean square) for each whole frame.
std::vector<double> frame_powers(std::span<const float> x, int rate_hz);

// Active speech level in dBFS: mean power of the 10 ms frames within 30 dB of the 99th
// percentile frame (a simplified ITU-T P.56: pauses do not pull the level down). -200 for
// silence.
double active_level_dbfs(std::span<const float> x, int rate_hz);

// x scaled (in place) by `gain`.
void scale(std::vector<float>& x, double gain);

}  // namespace hush::bench::sim
