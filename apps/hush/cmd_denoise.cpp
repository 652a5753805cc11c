// hush denoise IN OUT: file noise suppression with the streaming engine.
#include <cstdio>
#include <memory>
#include <string>

#include "apps/hush/commands.h"
#include "apps/hush/input_options.h"
#include "audio/audio_file.h"
#include "enhance/model_loader.h"
#include "enhance/offline_denoise.h"
#include "util/progress.h"
#include "util/spectrogram_png.h"

namespace hush::cli {
namespace {

struct DenoiseArgs {
  std::string input, output, engine = "default", model, spectrogram;
  float strength_db = 25.0f;
  bool quiet = false, float_wav = false;
  InputOptions in;
};

int run_denoise(const DenoiseArgs& args) {
  const int engine = enhance::engine_from_name(args.engine);
  // Before reading the input: a bad model fails fast.
  const enhance::ModelPtr model = enhance::load_model_for_engine(engine, args.model);
  const audio::AudioBuffer input = read_input(args.input, args.in);

  std::unique_ptr<util::ProgressBar> bar;
  if (!args.quiet && util::ProgressBar::worth_showing(input.duration_s())) {
    bar = std::make_unique<util::ProgressBar>("denoising", 1.0);
  }
  enhance::OfflineOptions options;
  options.engine = engine;
  options.strength_db = args.strength_db;
  options.model = model.get();
  if (bar) options.on_progress = [&](double f) { bar->update(f); };
  enhance::OfflineStats stats;
  const audio::AudioBuffer output = enhance::denoise_buffer(input, options, &stats);
  if (bar) bar->finish();

  audio::write_audio(args.output, output,
                     args.float_wav ? audio::WavSampleFormat::float32 : audio::WavSampleFormat::pcm16);
  if (!args.spectrogram.empty()) {
    const auto before = input.channel(0), after = output.channel(0);
    const std::string label = "denoised (" + enhance::engine_name(engine) + " engine)";
    util::write_spectrogram_png(args.spectrogram, {{"input", before, input.sample_rate_hz},
                                                   {label, after, output.sample_rate_hz}});
  }
  if (!args.quiet) {
    const double speed = stats.processing_seconds > 0 ? input.duration_s() / stats.processing_seconds : 0.0;
    std::fprintf(stderr, "hush: denoised %.1f s (%d Hz, %d ch) -> %s in %.2f s of engine time (%.0fx real time)\n",
                 input.duration_s(), input.sample_rate_hz, input.channels, args.output.c_str(),
                 stats.processing_seconds, speed);
  }
  return 0;
}

}  // namespace

Command add_denoise_command(CLI::App& app) {
  auto args = std::make_shared<DenoiseArgs>();
  CLI::App* cmd = app.add_subcommand("denoise", "Remove background noise from an audio file");
  cmd->add_option("input", args->input, "Input audio (WAV, FLAC, Ogg Vorbis/Opus, raw PCM)")->required();
  cmd->add_option("output", args->output, "Output file (.wav or .flac)")->required();
  cmd->add_option("--engine", args->engine,
                  std::string("Noise engine: ") + enhance::kEngineNamesHelp + " (default = neural)")
      ->capture_default_str();
  cmd->add_option("--model", args->model, "Neural model file (.hnn) instead of the built-in one");
  cmd->add_option("--strength-db", args->strength_db, "Maximum noise attenuation in dB (0-60)")
      ->check(CLI::Range(0.0f, 60.0f))->capture_default_str();
  cmd->add_option("--spectrogram", args->spectrogram, "Also write a before/after spectrogram PNG");
  cmd->add_flag("--float", args->float_wav, "Write 32-bit float WAV instead of 16-bit");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress bar or summary");
  add_input_options(*cmd, args->in);
  return [args] { return run_denoise(*args); };
}

}  // namespace hush::cli
