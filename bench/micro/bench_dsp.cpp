// Google Benchmark micro-benchmarks: the real FFT (kissfft) at the sizes the engines use,
// the streaming STFT round trip, and one denoiser frame at each supported rate.
#include <benchmark/benchmark.h>

#include <complex>
#include <random>
#include <vector>

#include "dsp/arena.h"
#include "dsp/fft.h"
#include "dsp/stft.h"
#include "hush.h"

namespace {

std::vector<float> noise(std::size_t n) {
  std::mt19937 rng(1);
  std::normal_distribution<float> d(0.0f, 0.1f);
  std::vector<float> x(n);
  for (auto& v : x) v = d(rng);
  return x;
}

void BM_RealFftForward(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  hush::dsp::RealFft fft(n);
  auto x = noise(std::size_t(n));
  std::vector<std::complex<float>> y(std::size_t(fft.bins()));
  for (auto _ : state) {
    fft.forward(x.data(), y.data());
    benchmark::DoNotOptimize(y.data());
  }
}
// 20 ms windows at 8/16/32/48 kHz, and 44.1 kHz's 882 padded to 900.
BENCHMARK(BM_RealFftForward)->Arg(160)->Arg(320)->Arg(640)->Arg(900)->Arg(960);

void BM_StftRoundTrip(benchmark::State& state) {
  const int hop = static_cast<int>(state.range(0));
  hush::dsp::Arena sizing;
  { hush::dsp::StreamingStft counted(sizing, hop, 2); }
  std::vector<unsigned char> memory(sizing.used() + 16);
  hush::dsp::Arena arena(memory.data(), memory.size());
  hush::dsp::StreamingStft stft(arena, hop, 2);
  auto x = noise(std::size_t(hop));
  std::vector<float> y(static_cast<std::size_t>(hop));
  std::vector<std::complex<float>> spec(std::size_t(stft.bins()));
  for (auto _ : state) {
    stft.analyze(x.data(), spec.data());
    stft.synthesize(spec.data(), y.data());
    benchmark::DoNotOptimize(y.data());
  }
}
BENCHMARK(BM_StftRoundTrip)->Arg(160)->Arg(480);

void BM_DenoiserFrame(benchmark::State& state) {
  hush_denoiser_config c = hush_denoiser_default_config();
  c.sample_rate_hz = static_cast<int>(state.range(0));
  hush_denoiser* d = nullptr;
  if (hush_denoiser_create(&c, &d) != HUSH_OK) {
    state.SkipWithError("create failed");
    return;
  }
  const int hop = hush_frame_size(c.sample_rate_hz);
  auto x = noise(std::size_t(hop) * 100);
  std::vector<float> y(static_cast<std::size_t>(hop));
  std::size_t f = 0;
  for (auto _ : state) {
    hush_denoiser_process(d, y.data(), x.data() + (f++ % 100) * std::size_t(hop));
    benchmark::DoNotOptimize(y.data());
  }
  hush_denoiser_destroy(d);
}
BENCHMARK(BM_DenoiserFrame)->Arg(8000)->Arg(16000)->Arg(32000)->Arg(44100)->Arg(48000);

}  // namespace
