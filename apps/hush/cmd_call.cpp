// hush call --mic MIC [--far-end PLAYED] -o SENT [--incoming IN --incoming-out HEARD]: runs a
// recorded call through exactly the real-time two-way pipeline (hush_call_*), frame by frame,
// in the order a live app would: queue the played frame, then clean the captured one.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "apps/hush/call_setup.h"
#include "apps/hush/commands.h"
#include "apps/hush/input_options.h"
#include "audio/audio_file.h"
#include "audio/resample.h"
#include "enhance/model_loader.h"
#include "enhance/offline_denoise.h"
#include "hush.h"
#include "util/error.h"

namespace hush::cli {
namespace {

struct CallArgs {
  std::string mic, far_end, output, incoming, incoming_out;
  std::string aec = "default", engine = "default", model;
  int echo_delay_ms = 0;
  float strength_db = 25.0f, incoming_strength_db = 25.0f, background_voice_db = 0.0f;
  int voice_gate_ms = 0;
  bool no_agc = false, float_wav = false, quiet = false;
  InputOptions in;
};

int aec_from_name(const std::string& name) {
  if (name == "default") return HUSH_AEC_DEFAULT;
  if (name == "webrtc") return HUSH_AEC_WEBRTC;
  if (name == "speex") return HUSH_AEC_SPEEX;
  if (name == "off") return HUSH_AEC_OFF;
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "unknown echo canceller '" + name + "' (use webrtc, speex or off)");
}

const char* aec_name(int aec) {
  switch (aec) {
    case HUSH_AEC_WEBRTC: return "webrtc";
    case HUSH_AEC_SPEEX: return "speex";
    default: return "off";
  }
}

// Mono at `rate_hz` (the mic's rate when the pipeline supports it): channels are averaged.
std::vector<float> mono_at(const audio::AudioBuffer& buffer, int rate_hz) {
  std::vector<float> mono(buffer.frames(), 0.0f);
  for (std::size_t t = 0; t < mono.size(); ++t) {
    float sum = 0.0f;
    for (int c = 0; c < buffer.channels; ++c) sum += buffer.samples[t * buffer.channels + c];
    mono[t] = sum / static_cast<float>(buffer.channels);
  }
  return audio::resample(mono, 1, buffer.sample_rate_hz, rate_hz);
}


// Runs `frames` of one path with `step(out, in, index)` and drops the first `latency` samples
// (feeding silence at the end), so the file output lines up with the input.
template <typename Step>
std::vector<float> run_path(const std::vector<float>& input, int frame, int latency, Step step) {
  const std::size_t total = input.size() + static_cast<std::size_t>(latency);
  std::vector<float> in(frame), out(frame), result;
  result.reserve(input.size());
  for (std::size_t start = 0, index = 0; start < total; start += frame, ++index) {
    for (int i = 0; i < frame; ++i) in[i] = start + i < input.size() ? input[start + i] : 0.0f;
    step(out.data(), in.data(), index);
    for (int i = 0; i < frame; ++i) {
      const std::size_t t = start + i;
      if (t >= static_cast<std::size_t>(latency) && result.size() < input.size()) result.push_back(out[i]);
    }
  }
  return result;
}

void write_mono(const std::string& path, std::vector<float> samples, int rate_hz, bool float_wav) {
  audio::AudioBuffer buffer;
  buffer.sample_rate_hz = rate_hz;
  buffer.channels = 1;
  buffer.samples = std::move(samples);
  audio::write_audio(path, buffer, float_wav ? audio::WavSampleFormat::float32 : audio::WavSampleFormat::pcm16);
}

int run_call(const CallArgs& args) {
  if (!args.incoming.empty() && args.incoming_out.empty()) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "--incoming needs --incoming-out (where to write what you hear)");
  }
  const int engine = enhance::engine_from_name(args.engine);
  const enhance::ModelPtr model = enhance::load_model_for_engine(engine, args.model);
  const audio::AudioBuffer mic_file = read_input(args.mic, args.in);
  const int rate_hz = hush_frame_size(mic_file.sample_rate_hz) > 0 ? mic_file.sample_rate_hz : 48000;
  const std::vector<float> mic = mono_at(mic_file, rate_hz);
  std::vector<float> far_end;
  if (!args.far_end.empty()) far_end = mono_at(read_input(args.far_end, args.in), rate_hz);

  hush_call_config config = hush_call_default_config();
  config.sample_rate_hz = rate_hz;
  // Without a far-end recording there is no echo reference: the canceller would only idle.
  config.echo_canceller = args.far_end.empty() && args.aec == "default" ? HUSH_AEC_OFF : aec_from_name(args.aec);
  config.echo_delay_ms = args.echo_delay_ms;
  config.engine = engine;
  config.model = model.get();
  config.capture_strength_db = args.strength_db;
  config.render_strength_db = args.incoming_strength_db;
  config.background_voice_db = args.background_voice_db;
  config.voice_gate_grace_ms = args.voice_gate_ms;
  config.agc = args.no_agc ? 0 : 1;
  const CallPtr call = open_call(config);
  const int frame = hush_call_frame_size(call.get());

  const std::vector<float> sent = run_path(
      mic, frame, hush_call_capture_latency_samples(call.get()),
      [&](float* out, const float* in, std::size_t index) {
        const std::size_t start = index * frame;
        // The far end stops when its file ends: later frames find no reference (counted).
        if (start + frame <= far_end.size()) (void)hush_call_analyze_render(call.get(), far_end.data() + start);
        (void)hush_call_process_capture(call.get(), out, in);
      });
  write_mono(args.output, sent, rate_hz, args.float_wav);

  if (!args.incoming.empty()) {
    const audio::AudioBuffer incoming_file = read_input(args.incoming, args.in);
    // The render path runs at the call's rate; incoming audio at another rate is converted.
    const std::vector<float> incoming = mono_at(incoming_file, rate_hz);
    const std::vector<float> heard = run_path(
        incoming, frame, hush_call_render_latency_samples(call.get()),
        [&](float* out, const float* in, std::size_t) { (void)hush_call_process_render(call.get(), out, in); });
    write_mono(args.incoming_out, heard, rate_hz, args.float_wav);
  }

  if (!args.quiet) {
    hush_call_stats stats{};
    stats.struct_size = sizeof stats;
    (void)hush_call_get_stats(call.get(), &stats);
    std::fprintf(stderr, "hush: call %.1f s at %d Hz, echo canceller %s", mic.size() / double(rate_hz), rate_hz,
                 aec_name(stats.echo_canceller));
    if (stats.echo_canceller != HUSH_AEC_OFF) {
      std::fprintf(stderr, ", ERLE %.1f dB, reference missing in %lld of %lld frames",
                   stats.echo_return_loss_enhancement_db, stats.reference_missing, stats.capture_frames);
    }
    std::fprintf(stderr, " -> %s\n", args.output.c_str());
  }
  return 0;
}

}  // namespace

Command add_call_command(CLI::App& app) {
  auto args = std::make_shared<CallArgs>();
  CLI::App* cmd = app.add_subcommand("call", "Clean a recorded call with the real-time two-way pipeline "
                                             "(echo cancellation, noise, background voices, gain)");
  cmd->add_option("--mic", args->mic, "What the microphone captured")->required();
  cmd->add_option("--far-end", args->far_end, "What the loudspeaker played (the echo reference)");
  cmd->add_option("-o,--output", args->output, "Where to write what is sent (.wav or .flac)")->required();
  cmd->add_option("--incoming", args->incoming, "Incoming call audio to clean (render path)");
  cmd->add_option("--incoming-out", args->incoming_out, "Where to write the cleaned incoming audio");
  cmd->add_option("--aec", args->aec, "Echo canceller: webrtc, speex or off (default: webrtc with --far-end)")
      ->capture_default_str();
  cmd->add_option("--echo-delay-ms", args->echo_delay_ms, "Known delay from played to captured echo (0 = unknown)")
      ->check(CLI::Range(0, HUSH_CALL_MAX_ECHO_DELAY_MS));
  cmd->add_option("--engine", args->engine, std::string("Noise engine: ") + enhance::kEngineNamesHelp)
      ->capture_default_str();
  cmd->add_option("--model", args->model, "Neural model file (.hnn) instead of the built-in one");
  cmd->add_option("--strength-db", args->strength_db, "Noise attenuation on the microphone in dB (0-60)")
      ->check(CLI::Range(0.0f, 60.0f))->capture_default_str();
  cmd->add_option("--incoming-strength-db", args->incoming_strength_db, "Noise attenuation on incoming audio (0-60)")
      ->check(CLI::Range(0.0f, 60.0f))->capture_default_str();
  cmd->add_option("--background-voices", args->background_voice_db,
                  "Attenuate other people talking near the microphone by up to this many dB (0-40, 0 = off)")
      ->check(CLI::Range(0.0f, 40.0f))->capture_default_str();
  cmd->add_option("--voice-gate", args->voice_gate_ms, "Mute after this many ms without your speech (0 = off)")
      ->check(CLI::Range(0, 5000));
  cmd->add_flag("--no-agc", args->no_agc, "Keep the microphone's level (no automatic gain control)");
  cmd->add_flag("--float", args->float_wav, "Write 32-bit float WAV instead of 16-bit");
  cmd->add_flag("-q,--quiet", args->quiet, "No summary line");
  add_input_options(*cmd, args->in);
  return [args] { return run_call(*args); };
}

}  // namespace hush::cli
