// hush info FILE: what an audio file holds, how loud it is, and how noisy it seems.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "apps/hush/commands.h"
#include "apps/hush/input_options.h"
#include "audio/audio_file.h"
#include "meeting/recording_file.h"
#include "metrics/levels.h"

namespace hush::cli {
namespace {

struct InfoArgs {
  std::string input;
  bool json = false;
  InputOptions in;
};

std::vector<float> mono_mix(const audio::AudioBuffer& a) {
  std::vector<float> mono(a.frames(), 0.0f);
  for (std::size_t f = 0; f < a.frames(); ++f) {
    for (int c = 0; c < a.channels; ++c) mono[f] += a.samples[f * a.channels + c];
    mono[f] /= float(a.channels);
  }
  return mono;
}

int run_info(const InfoArgs& args) {
  const bool raw = args.in.raw_rate_hz > 0;
  audio::AudioInfo info;
  if (!raw) info = meeting::probe_recording(args.input);  // decrypts `hush record --encrypt` files
  const audio::AudioBuffer a = meeting::is_encrypted_recording(args.input) ? meeting::read_recording(args.input)
                                                                           : read_input(args.input, args.in);
  if (raw) info = {"raw", args.in.raw_format, a.sample_rate_hz, a.channels, std::int64_t(a.frames())};
  const metrics::LevelStats s = metrics::analyze_levels(mono_mix(a), a.sample_rate_hz);
  if (args.json) {
    const nlohmann::json j = {{"file", args.input}, {"container", info.container},
                              {"codec", info.codec}, {"sample_rate_hz", a.sample_rate_hz},
                              {"channels", a.channels}, {"frames", a.frames()},
                              {"duration_s", a.duration_s()}, {"peak_dbfs", s.peak_dbfs},
                              {"rms_dbfs", s.rms_dbfs}, {"noise_floor_dbfs", s.noise_floor_dbfs},
                              {"estimated_snr_db", s.estimated_snr_db}};
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  std::printf("file:           %s\n", args.input.c_str());
  std::printf("format:         %s, %s\n", info.container.c_str(), info.codec.c_str());
  std::printf("sample rate:    %d Hz\n", a.sample_rate_hz);
  std::printf("channels:       %d\n", a.channels);
  std::printf("duration:       %.3f s (%lld samples per channel)\n", a.duration_s(),
              static_cast<long long>(a.frames()));
  std::printf("peak level:     %.1f dBFS\n", s.peak_dbfs);
  std::printf("RMS level:      %.1f dBFS\n", s.rms_dbfs);
  std::printf("noise floor:    %.1f dBFS\n", s.noise_floor_dbfs);
  std::printf("estimated SNR:  %.1f dB\n", s.estimated_snr_db);
  return 0;
}

}  // namespace

Command add_info_command(CLI::App& app) {
  auto args = std::make_shared<InfoArgs>();
  CLI::App* cmd = app.add_subcommand("info", "Show format, duration, levels and estimated SNR of a file");
  cmd->add_option("input", args->input, "Audio file")->required();
  cmd->add_flag("--json", args->json, "Print one JSON object");
  add_input_options(*cmd, args->in);
  return [args] { return run_info(*args); };
}

}  // namespace hush::cli
