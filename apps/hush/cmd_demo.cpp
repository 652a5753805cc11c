// hush demo: the whole product in one command on a fresh machine. Synthesises speech,
// buries it in office noise, denoises it, and shows what changed (quality, speed, pictures).
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

  enhance::OfflineOptions options;
  options.engine = HUSH_ENGINE_SPECTRAL;
  options.strength_db = args.strength_db;
  enhance::OfflineStats stats;
  const audio::AudioBuffer denoised = enhance::denoise_buffer(mono(noisy), options, &stats);

  const std::string dir = args.out_dir + "/";
  audio::write_audio(dir + "clean.wav", mono(clean));
  audio::write_audio(dir + "noisy.wav", mono(noisy));
  audio::write_audio(dir + "denoised.wav", denoised);
  util::write_spectrogram_png(dir + "spectrogram.png",
                              {{"noisy input", noisy, kDemoRateHz},
                               {"hush denoised (spectral engine)", denoised.samples, kDemoRateHz},
                               {"clean reference", clean, kDemoRateHz}});

  const Scores before = score(clean, noisy), after = score(clean, denoised.samples);
  const double seconds = double(clean.size()) / kDemoRateHz;
  std::printf("\n%.1f s of speech + office noise (fan, keyboard, pink) at %.0f dB SNR, %d Hz\n\n",
              seconds, args.snr_db, kDemoRateHz);
  std::printf("  metric          noisy   denoised\n");
  std::printf("  STOI           %6.3f   %6.3f\n", before.stoi, after.stoi);
  std::printf("  ESTOI          %6.3f   %6.3f\n", before.estoi, after.estoi);
  std::printf("  SI-SDR (dB)    %6.2f   %6.2f\n", before.si_sdr, after.si_sdr);
  std::printf("  seg. SNR (dB)  %6.2f   %6.2f\n", before.seg_snr, after.seg_snr);
  std::printf("\n  speed: %.1f ms of engine CPU time for %.1f s of audio = real-time factor %.4f (%.0fx real time)\n",
              stats.processing_seconds * 1e3, seconds, stats.processing_seconds / seconds,
              seconds / stats.processing_seconds);
  std::printf("\n  wrote %sclean.wav, noisy.wav, denoised.wav, spectrogram.png\n", dir.c_str());
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
