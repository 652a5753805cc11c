// The processing loop: read 10 ms from the source (blocking, paced by the input device),
// clean it, queue it on the sink, update the meter. Everything is allocated before the loop;
// inside it only libpulse works with memory. The input device's clock paces the loop; if the
// output device runs slower, its queue fills and the write blocks until it drains.
#include "apps/hush/live_processor.h"

#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "apps/hush/call_setup.h"
#include "apps/hush/live_meter.h"
#include "audio/capture.h"
#include "audio/playback.h"
#include "audio/pulse_devices.h"
#include "enhance/model_loader.h"
#include "enhance/offline_denoise.h"
#include "hush.h"
#include "meeting/recorder.h"
#include "util/error.h"

namespace hush::cli {
namespace {

static_assert(audio::kCaptureRateHz == audio::kPlaybackRateHz, "one rate end to end");
constexpr int kRateHz = audio::kCaptureRateHz;
constexpr int kMeterUpdateFrames = 10;  // 10 redraws per second

std::string device_name(const std::string& name) { return name == "default" ? std::string() : name; }

// A named device must exist: refused here, with the real names, rather than left waiting for
// a route (pipewire-pulse) or sent to the default device by a session manager. Special names
// (@DEFAULT_SOURCE@, @DEFAULT_MONITOR@, ...) are the server's to resolve.
void require_device(const std::string& name, audio::PulseDeviceKind kind, const char* role) {
  if (name.empty() || name.front() == '@') return;
  const std::vector<std::string> names = audio::list_pulse_devices(kind);
  for (const std::string& n : names) {
    if (n == name) return;
  }
  const char* what = kind == audio::PulseDeviceKind::source ? "source" : "sink";
  std::string known;
  for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
  throw Error(HUSH_ERR_IO, std::string("cannot open ") + role + " (" + name + "): no such " + what + " (the " + what +
                               "s are: " + (known.empty() ? "none" : known) + ")");
}

// Ignores SIGPIPE while it lives: a meter piped into a closed reader must not kill the audio.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &old_);
  }
  ~IgnoreSigpipe() { sigaction(SIGPIPE, &old_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction old_ {};
};

}  // namespace

int run_live_processor(const LiveProcessorOptions& options) {
  if (!(options.duration_s >= 0.0) || !std::isfinite(options.duration_s)) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "--duration must be >= 0 seconds");
  }
  const int engine = enhance::engine_from_name(options.engine);
  const enhance::ModelPtr model = enhance::load_model_for_engine(engine, options.model);

  hush_call_config config = hush_call_default_config();
  config.sample_rate_hz = kRateHz;
  config.echo_canceller = HUSH_AEC_OFF;  // no far-end reference between two arbitrary devices
  config.engine = engine;
  config.model = model.get();
  config.capture_strength_db = options.strength_db;
  config.render_strength_db = options.strength_db;
  config.background_voice_db = options.background_voices_db;
  config.voice_gate_grace_ms = options.voice_gate_ms;
  config.agc = options.agc ? 1 : 0;
  const CallPtr call = open_call(config);
  const int frame = hush_call_frame_size(call.get());
  if (frame <= 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "the call pipeline reported no frame size");

  const char* in_role = options.speaker_path ? "incoming audio" : "microphone";
  const char* out_role = options.speaker_path ? "cleaned incoming audio" : "cleaned microphone";
  require_device(device_name(options.input), audio::PulseDeviceKind::source, in_role);
  require_device(device_name(options.output), audio::PulseDeviceKind::sink, out_role);
  const std::unique_ptr<audio::CaptureSource> source = audio::open_pulse_source(device_name(options.input), in_role);
  const std::unique_ptr<audio::PlaybackSink> sink =
      audio::open_pulse_sink(device_name(options.output), out_role, options.buffer_ms);

  const bool stdout_tty = ::isatty(STDOUT_FILENO) == 1;
  LevelMeter meter(stdout_tty || options.meter ? STDOUT_FILENO : -1, stdout_tty, kMeterUpdateFrames);
  const long long frame_limit =
      options.duration_s > 0.0 ? static_cast<long long>(std::llround(options.duration_s * kRateHz / frame)) : -1;
  const int latency = options.speaker_path ? hush_call_render_latency_samples(call.get())
                                           : hush_call_capture_latency_samples(call.get());
  if (!options.quiet) {
    std::fprintf(stderr, "hush live: %s -> %s, %d ms algorithmic + %d ms output buffer (Ctrl-C stops)\n",
                 source->name().c_str(), sink->name().c_str(), latency * 1000 / kRateHz, options.buffer_ms);
  }

  std::vector<float> in(static_cast<std::size_t>(frame)), out(static_cast<std::size_t>(frame));
  const meeting::StopOnSignals signals;
  const IgnoreSigpipe no_sigpipe;
  long long frames = 0;
  while (!meeting::StopOnSignals::requested() && (frame_limit < 0 || frames < frame_limit)) {
    if (source->read(in) < in.size()) break;  // the source ended
    const float result = options.speaker_path ? float(hush_call_process_render(call.get(), out.data(), in.data()))
                                              : hush_call_process_capture(call.get(), out.data(), in.data());
    if (result < 0.0f) {
      const int err = static_cast<int>(result);
      throw Error(static_cast<hush_error>(err), std::string("processing failed: ") + hush_strerror(err));
    }
    sink->write(out);
    meter.add(in, out);
    ++frames;
  }
  meter.finish();
  sink->drain();
  if (!options.quiet) {
    std::fprintf(stderr, "hush live: processed %.2f s; level in %.1f dBFS, out %.1f dBFS\n",
                 double(frames) * frame / kRateHz, double(meter.input_dbfs()), double(meter.output_dbfs()));
  }
  return 0;
}

}  // namespace hush::cli
