// hush demo: the whole product in one command on a fresh machine. Synthesises speech,
// buries it in office noise, denoises it with the default (neural) engine and, for comparison,
// the spectral one, and shows what changed (quality, speed, pictures).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "apps/hush/commands.h"
#include "apps/hush/speech_synth.h"
#include "audio/audio_file.h"
#include "audio/noise_synth.h"
#include "audio/resample.h"
#include "enhance/offline_denoise.h"
#include "metrics/metrics.h"
#include "util/error.h"
#include "util/spectrogram_png.h"

namespace hush::cli {
namespace {

constexpr int kDemoRateHz = 16000;
constexpr const char* kDemoText =
    "Hi everyone, thanks for joining the call. Before we start, can everybody hear me? "
    "Great. Today we will review the budget for the next quarter, and Alice will send the "
    "updated draft by Friday. Let's keep the meeting short and focused.";

struct DemoArgs {
  std::string out_dir = "hush-demo";
  double snr_db = 5.0;
  float strength_db = 25.0f;
};

std::vector<float> office_noise(std::size_t n) {
  auto fan = audio::fan_noise(n, kDemoRateHz, 11);
  const auto keys = audio::keyboard_noise(n, kDemoRateHz, 12);
  const auto pink = audio::pink_noise(n, 13);
  for (std::size_t i = 0; i < n; ++i) fan[i] = fan[i] + 0.3f * keys[i] + 0.3f * pink[i];
  audio::normalize_rms(fan);
  return fan;
}

struct Scores {
  double stoi, estoi, si_sdr, seg_snr;
};

Scores score(const std::vector<float>& clean, const std::vector<float>& test) {
  return {metrics::stoi(clean, test, kDemoRateHz), metrics::stoi(clean, test, kDemoRateHz, true),
          metrics::si_sdr_db(clean, test), metrics::seg_snr_db(clean, test, kDemoRateHz)};
}

audio::AudioBuffer mono(std::vector<float> samples) {
  audio::AudioBuffer b;
  b.sample_rate_hz = kDemoRateHz;
  b.channels = 1;
  b.samples = std::move(samples);
  return b;
}

// One engine's pass over the noisy clip: its output, scores and CPU time.
struct EngineRun {
  std::string name;
  audio::AudioBuffer denoised;
  Scores scores{};
  double cpu_seconds = 0.0;
};

EngineRun run_engine(int engine, const std::vector<float>& clean, const std::vector<float>& noisy,
                     float strength_db) {
  enhance::OfflineOptions options;
  options.engine = engine;
  options.strength_db = strength_db;
  enhance::OfflineStats stats;
  EngineRun run;
  run.name = enhance::engine_name(engine);
  run.denoised = enhance::denoise_buffer(mono(noisy), options, &stats);
  run.scores = score(clean, run.denoised.samples);
  run.cpu_seconds = stats.processing_seconds;
  return run;
}

int run_demo(const DemoArgs& args) {
  std::filesystem::create_directories(args.out_dir);
  std::printf("hush demo: synthesising speech with espeak-ng ...\n");
  const audio::AudioBuffer spoken = synthesize_speech(kDemoText);
  std::vector<float> clean = audio::resample(spoken.samples, 1, spoken.sample_rate_hz, kDemoRateHz);
  for (auto& v : clean) v *= 0.5f;  // leave headroom for the noise

  const auto noise = office_noise(clean.size());
  const float gain = audio::gain_for_snr(clean, noise, args.snr_db);
  std::vector<float> noisy(clean.size());
  for (std::size_t i = 0; i < clean.size(); ++i) noisy[i] = clean[i] + gain * noise[i];

  // The default (neural) engine is the product; the spectral one runs on the same clip so the
  // user sees what the network buys over the statistical suppressor.
  const EngineRun neural = run_engine(HUSH_ENGINE_DEFAULT, clean, noisy, args.strength_db);
  const EngineRun spectral = run_engine(HUSH_ENGINE_SPECTRAL, clean, noisy, args.strength_db);

  const std::string dir = args.out_dir + "/";
  audio::write_audio(dir + "clean.wav", mono(clean));
  audio::write_audio(dir + "noisy.wav", mono(noisy));
  audio::write_audio(dir + "denoised.wav", neural.denoised);
  audio::write_audio(dir + "denoised-spectral.wav", spectral.denoised);
  util::write_spectrogram_png(dir + "spectrogram.png",
                              {{"noisy input", noisy, kDemoRateHz},
                               {"hush denoised (" + neural.name + " engine, default)", neural.denoised.samples, kDemoRateHz},
                               {"hush denoised (" + spectral.name + " engine)", spectral.denoised.samples, kDemoRateHz},
                               {"clean reference", clean, kDemoRateHz}});

  const Scores before = score(clean, noisy);
  const Scores& a = neural.scores;
  const Scores& b = spectral.scores;
  const double seconds = double(clean.size()) / kDemoRateHz;
  std::printf("\n%.1f s of speech + office noise (fan, keyboard, pink) at %.0f dB SNR, %d Hz\n\n",
              seconds, args.snr_db, kDemoRateHz);
  std::printf("  metric        %9s%9s%9s\n", "noisy", neural.name.c_str(), spectral.name.c_str());
  std::printf("  STOI          %9.3f%9.3f%9.3f\n", before.stoi, a.stoi, b.stoi);
  std::printf("  ESTOI         %9.3f%9.3f%9.3f\n", before.estoi, a.estoi, b.estoi);
  std::printf("  SI-SDR (dB)   %9.2f%9.2f%9.2f\n", before.si_sdr, a.si_sdr, b.si_sdr);
  std::printf("  seg. SNR (dB) %9.2f%9.2f%9.2f\n", before.seg_snr, a.seg_snr, b.seg_snr);
  std::printf("  RTF (CPU)     %9s%9.4f%9.4f\n", "-", neural.cpu_seconds / seconds, spectral.cpu_seconds / seconds);
  std::printf("\n  speed, engine CPU time for %.1f s of audio:\n", seconds);
  for (const EngineRun* run : {&neural, &spectral}) {
    std::printf("    %-8s %7.1f ms = real-time factor %.4f (%.0fx real time)\n", run->name.c_str(),
                run->cpu_seconds * 1e3, run->cpu_seconds / seconds, seconds / run->cpu_seconds);
  }
  std::printf("\n  wrote %sclean.wav, noisy.wav, denoised.wav (%s), denoised-spectral.wav, spectrogram.png\n",
              dir.c_str(), neural.name.c_str());
  return 0;
}

}  // namespace

Command add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand("demo", "Make a noisy sample, denoise it, print before/after");
  cmd->add_option("--out-dir", args->out_dir, "Where to write the WAVs and the PNG")->capture_default_str();
  cmd->add_option("--snr-db", args->snr_db, "SNR of the noisy sample")->capture_default_str();
  cmd->add_option("--strength-db", args->strength_db, "Maximum attenuation")
      ->check(CLI::Range(0.0f, 60.0f))->capture_default_str();
  return [args] { return run_demo(*args); };
}

}  // namespace hush::cli
