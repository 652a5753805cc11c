// hush record [--mic DEV] [--system] [-o meeting.ogg] [--encrypt] [--duration S] [--title T]
//             [--from-file mic.wav[,system.wav]]
//
// Records the microphone (channel 0) and, with --system, what the computer plays (the default
// sink's monitor, channel 1) as Ogg Opus, until Ctrl-C / SIGTERM, --duration, or (with
// --from-file) the files end. Killing it (even SIGKILL) leaves a file that plays up to < 1 s
// before the kill. --encrypt writes a Hush encrypted file (libsodium secretstream) with the
// "recordings" key of $HUSH_HOME/keyring (created on first use); read it back with
// `hush info`, `hush transcribe`, ... Without -o it goes to $HUSH_HOME/recordings/<date-time>.ogg
// (.ogg.enc when encrypted). --from-file plays WAV/FLAC/... files at real-time pace instead of
// devices: it is test input, for reproducible recordings without a sound server.
// Without -o the recording also becomes a meeting in the library (hush meetings list), unless
// --no-library; a recorder killed before it finishes leaves the file in recordings/, and
// `hush meetings add FILE` puts it in the library.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "apps/hush/commands.h"
#include "apps/hush/library_save.h"
#include "audio/capture.h"
#include "crypto/hush_home.h"
#include "meeting/recorder.h"
#include "store/meeting_library.h"
#include "util/error.h"

namespace hush::cli {
namespace {

struct RecordArgs {
  std::string mic;
  bool system = false;
  std::string output;
  bool encrypt = false;
  double duration_s = 0.0;
  std::string title;
  std::string from_file;
  bool no_library = false;
};

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
  return parts;
}

// "mic [##########----------]  -23 dB"
std::string meter(const char* label, float dbfs) {
  constexpr int kWidth = 20;
  const double fill = std::clamp((double(dbfs) + 60.0) / 60.0, 0.0, 1.0);  // -60..0 dBFS
  const int bars = static_cast<int>(std::lround(fill * kWidth));
  char text[96];
  std::snprintf(text, sizeof text, "%s [%s%s] %4.0f dB", label, std::string(std::size_t(bars), '#').c_str(),
                std::string(std::size_t(kWidth - bars), '-').c_str(), double(std::max(dbfs, -99.0f)));
  return text;
}

void print_levels(const meeting::RecorderLevels& levels) {
  const int seconds = static_cast<int>(levels.elapsed_s);
  std::string line = meter("mic", levels.peak_dbfs[0]);
  if (levels.channels > 1) line += "   " + meter("system", levels.peak_dbfs[1]);
  std::fprintf(stderr, "\r  %s   %02d:%02d:%02d ", line.c_str(), seconds / 3600, seconds / 60 % 60, seconds % 60);
  std::fflush(stderr);
}

int run_record(const RecordArgs& args) {
  if (args.duration_s < 0.0 || !std::isfinite(args.duration_s)) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "--duration must be >= 0 seconds");
  }
  std::vector<std::unique_ptr<audio::CaptureSource>> sources;
  if (!args.from_file.empty()) {
    if (!args.mic.empty() || args.system) {
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "--from-file replaces --mic and --system; give one or the other");
    }
    const std::vector<std::string> files = split_commas(args.from_file);
    if (files.empty() || files.size() > 2) {
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "--from-file takes MIC.wav or MIC.wav,SYSTEM.wav");
    }
    for (const std::string& file : files) sources.push_back(audio::open_file_source(file));
  } else {
    sources.push_back(audio::open_pulse_source(args.mic, "microphone"));
    if (args.system) sources.push_back(audio::open_pulse_source(audio::kDefaultMonitor, "system audio"));
  }

  // Recordings in the library's own folder are meetings in the library (unless asked not to);
  // the library's "recording off" switch then forbids recording there at all.
  const bool into_library = args.output.empty() && !args.no_library;
  std::unique_ptr<store::MeetingLibrary> library;
  if (into_library) {
    library = store::open_meeting_library(hush_home_dir());
    if (!library->settings().recording_enabled)
      throw Error(HUSH_ERR_INVALID_ARGUMENT,
                  "recording is off in the meeting library (hush meetings settings --recording on), so nothing was recorded");
  }
  meeting::RecorderConfig config;
  config.output_path = args.output.empty() ? meeting::default_recording_path(args.encrypt) : args.output;
  config.encrypt = args.encrypt;
  config.max_duration_s = args.duration_s;
  config.title = args.title;
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  if (tty) config.on_levels = print_levels;
  config.should_stop = [] { return meeting::StopOnSignals::requested(); };

  std::fprintf(stderr, "Recording. Make sure everyone on the call agrees to be recorded.\n");
  std::fprintf(stderr, "Writing %s%s (Ctrl-C stops)\n", config.output_path.c_str(), args.encrypt ? " (encrypted)" : "");
  meeting::StopOnSignals signals;
  const meeting::RecordingResult result = meeting::record(std::move(sources), config);
  if (tty) std::fprintf(stderr, "\n");
  std::fprintf(stderr, "Saved %.1f s, %d channel%s%s.\n", result.duration_s, result.channels,
               result.channels > 1 ? "s" : "", result.encrypted ? ", encrypted" : "");
  if (library) {
    LibraryEntry e;
    e.audio_path = result.path;
    e.title = args.title;
    e.source = "hush record";
    e.duration_s = result.duration_s;
    const store::MeetingId id = save_to_library(*library, hush_home_dir(), e);
    std::fprintf(stderr, "Added to the meeting library as meeting %lld (hush transcribe %s --save adds its transcript).\n",
                 static_cast<long long>(id), result.path.c_str());
  }
  std::printf("%s\n", result.path.c_str());
  return 0;
}

}  // namespace

Command add_record_command(CLI::App& app) {
  auto args = std::make_shared<RecordArgs>();
  CLI::App* cmd = app.add_subcommand("record", "Record the microphone (and system audio) to Ogg Opus, crash-safe");
  cmd->add_option("--mic", args->mic, "Microphone: a PulseAudio/PipeWire source name (default: the default source)");
  cmd->add_flag("--system", args->system, "Also record what the computer plays (the default output's monitor) as channel 2");
  cmd->add_option("-o,--output", args->output, "Output file (default: $HUSH_HOME/recordings/<date-time>.ogg)");
  cmd->add_flag("--encrypt", args->encrypt, "Encrypt at rest with the keyring's 'recordings' key");
  cmd->add_option("--duration", args->duration_s, "Stop after this many seconds (default: until Ctrl-C)");
  cmd->add_option("--title", args->title, "Title stored in the file and the library");
  cmd->add_flag("--no-library", args->no_library,
                "Without -o: do not add the recording to the meeting library (it still goes to $HUSH_HOME/recordings)");
  cmd->add_option("--from-file", args->from_file,
                  "Test input: play MIC.wav[,SYSTEM.wav] at real-time pace instead of devices");
  return [args] { return run_record(*args); };
}

}  // namespace hush::cli
