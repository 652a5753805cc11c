// hush live                                  status, and how to turn it on
// hush live --install [--plugin PATH] [--strength-db DB] [--background-voices DB]
//           [--voice-gate MS] [--speaker-strength-db DB] [--no-restart]
// hush live --remove [--no-restart]
// hush live --check                          exit 0 if both Hush devices exist in PipeWire, else 1
// hush live --print-config [--plugin PATH]   the drop-in --install would write, on stdout
// hush live --input DEV --output DEV [--speaker] [--duration S] [--meter] [--strength-db DB] ...
//
// Noise cancellation for every app. With PipeWire, --install writes a filter-chain drop-in
// (plugins/pipewire/hush-noise-cancel.conf.in, filled in) that runs the Hush LADSPA plugin
// inside PipeWire and adds a "Hush noise-cancelled microphone" source and a "Hush cleaned
// speaker" sink; it then restarts the user's PipeWire (systemd user service) or says how.
// Without filter-chain, --input/--output run the call pipeline between two sound-server
// devices (PulseAudio API, which pipewire-pulse serves too) with a level meter.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

#include "apps/hush/commands.h"
#include "apps/hush/live_pipewire.h"
#include "apps/hush/live_processor.h"
#include "apps/hush/live_subprocess.h"
#include "enhance/offline_denoise.h"
#include "util/error.h"

namespace hush::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRestartCommand = "systemctl --user restart pipewire.service";
constexpr int kSystemctlTimeoutMs = 20000;
constexpr int kDevicesWaitMs = 5000;  // how long a restarted PipeWire gets to create the devices

struct LiveArgs {
  bool install = false, remove = false, check = false, print_config = false;
  std::string plugin;
  bool no_restart = false;
  FilterSettings filter;
  LiveProcessorOptions processor;
  bool processor_flags = false;  // set after parsing: a processing-only option was given
};

void write_file_atomically(const std::string& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) throw Error(HUSH_ERR_IO, "cannot create " + fs::path(path).parent_path().string() + ": " + ec.message());
  const std::string temp = path + ".tmp";
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      fs::remove(temp, ec);
      throw Error(HUSH_ERR_IO, "cannot write " + temp);
    }
  }
  fs::rename(temp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw Error(HUSH_ERR_IO, "cannot write " + path + ": " + ec.message());
  }
}

bool both_devices(const FilterStatus& s) { return s.pipewire_reachable && s.mic_source && s.speaker_sink; }

// One sentence on what PipeWire shows, for --check and the status screen.
std::string describe(const FilterStatus& s) {
  if (!s.pipewire_reachable) return s.problem;
  if (s.mic_source && s.speaker_sink) {
    return std::string("PipeWire has \"") + kMicSourceDescription + "\" (" + kMicSourceNode + ") and \"" +
           kSpeakerSinkDescription + "\" (" + kSpeakerSinkNode + ")";
  }
  if (s.mic_source || s.speaker_sink) {
    return std::string("PipeWire has only ") + (s.mic_source ? kMicSourceNode : kSpeakerSinkNode) + ", not " +
           (s.mic_source ? kSpeakerSinkNode : kMicSourceNode);
  }
  return "PipeWire runs, but without the Hush devices";
}

// Restarts the user's PipeWire when systemd runs it; returns false (having said nothing) when
// it does not, so the caller prints the manual step.
bool restart_pipewire() {
  const ProcessResult active = run_process({"systemctl", "--user", "is-active", "--quiet", "pipewire.service"}, kSystemctlTimeoutMs);
  if (!active.started || active.exit_code != 0) return false;
  std::fprintf(stderr, "Restarting PipeWire (%s); sound in running apps pauses for a moment.\n", kRestartCommand);
  const ProcessResult restart = run_process({"systemctl", "--user", "restart", "pipewire.service"}, kSystemctlTimeoutMs);
  if (restart.exit_code != 0) {
    throw Error(HUSH_ERR_IO, std::string("`") + kRestartCommand + "` failed: " +
                                 (restart.timed_out ? "timed out" : first_line(restart.err)));
  }
  return true;
}

// After a restart: waits for the devices to appear (or go away).
FilterStatus wait_for_devices(bool present) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kDevicesWaitMs);
  for (;;) {
    FilterStatus status = query_filter_status();
    const bool any = status.mic_source || status.speaker_sink;
    if ((present && both_devices(status)) || (!present && status.pipewire_reachable && !any) ||
        std::chrono::steady_clock::now() > deadline) {
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

int run_install(const LiveArgs& args) {
  const std::string plugin = find_ladspa_plugin(args.plugin);
  check_ladspa_plugin(plugin);
  const std::string path = filter_dropin_path();
  write_file_atomically(path, render_filter_config(plugin, args.filter));
  std::printf("Installed %s\n  (plugin %s)\n", path.c_str(), plugin.c_str());
  if (args.no_restart || !restart_pipewire()) {
    std::printf("PipeWire reads it when it starts. Restart it now with:\n  %s\n"
                "(or log out and back in), then run `hush live --check`.\n", kRestartCommand);
    return 0;
  }
  const FilterStatus status = wait_for_devices(true);
  if (!both_devices(status)) {
    std::printf("PipeWire restarted but the Hush devices did not appear: %s.\n"
                "See why with: journalctl --user -u pipewire.service | grep -i filter-chain\n", describe(status).c_str());
    return 1;
  }
  std::printf("Active: %s.\nChoose \"%s\" as the microphone (and \"%s\" as the speaker) in your call app.\n",
              describe(status).c_str(), kMicSourceDescription, kSpeakerSinkDescription);
  return 0;
}

int run_remove(const LiveArgs& args) {
  const std::string path = filter_dropin_path();
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    std::printf("Nothing to remove: %s does not exist.\n", path.c_str());
    return 0;
  }
  if (!fs::remove(path, ec) || ec) throw Error(HUSH_ERR_IO, "cannot remove " + path + ": " + ec.message());
  std::printf("Removed %s\n", path.c_str());
  if (args.no_restart || !restart_pipewire()) {
    std::printf("The Hush devices go away when PipeWire restarts:\n  %s\n", kRestartCommand);
    return 0;
  }
  const FilterStatus status = wait_for_devices(false);
  std::printf("%s.\n", status.mic_source || status.speaker_sink ? "The Hush devices are still there" : "The Hush devices are gone");
  return 0;
}

int run_check() {
  const FilterStatus status = query_filter_status();
  if (both_devices(status)) {
    std::printf("Hush live is active: %s.\n", describe(status).c_str());
    return 0;
  }
  std::error_code ec;
  const std::string path = filter_dropin_path();
  const bool installed = fs::exists(path, ec);
  std::printf("Hush live is not active: %s.\n", describe(status).c_str());
  if (!installed) {
    std::printf("Not installed (%s is missing): run `hush live --install`.\n", path.c_str());
  } else if (status.pipewire_reachable) {
    std::printf("Installed at %s: restart PipeWire (%s); if the devices still do not appear, see "
                "journalctl --user -u pipewire.service.\n", path.c_str(), kRestartCommand);
  }
  return 1;
}

int run_status() {
  const std::string path = filter_dropin_path();
  std::error_code ec;
  const bool installed = fs::exists(path, ec);
  const FilterStatus status = query_filter_status();
  std::printf("Hush live: noise cancellation for every app\n");
  std::printf("  PipeWire filter-chain drop-in: %s\n", installed ? path.c_str() : "not installed");
  std::printf("  devices: %s\n\n", both_devices(status) ? "active" : describe(status).c_str());
  std::printf("With PipeWire:   hush live --install   then choose \"%s\"\n"
              "                 as the microphone and \"%s\" as the speaker in your call app\n"
              "                 (hush live --check, hush live --remove)\n",
              kMicSourceDescription, kSpeakerSinkDescription);
  std::printf("Without it:      hush live --input MIC --output SINK   (device names: pactl list short sources / sinks)\n");
  return 0;
}

int run_live(LiveArgs& args) {
  const int actions = int(args.install) + int(args.remove) + int(args.check) + int(args.print_config);
  const bool processing = !args.processor.input.empty() || !args.processor.output.empty();
  if (actions > 1) throw Error(HUSH_ERR_INVALID_ARGUMENT, "give one of --install, --remove, --check, --print-config");
  if (actions == 1 && processing) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT,
                "--input/--output run the processor; they do not go with --install, --remove, --check or --print-config");
  }
  if (!processing && args.processor_flags) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT,
                "--duration, --meter, --speaker and --buffer-ms need --input and/or --output (the processor)");
  }
  if (args.install) return run_install(args);
  if (args.remove) return run_remove(args);
  if (args.check) return run_check();
  if (args.print_config) {
    std::fputs(render_filter_config(find_ladspa_plugin(args.plugin), args.filter).c_str(), stdout);
    return 0;
  }
  if (processing) {
    args.processor.strength_db = args.filter.mic_strength_db;
    args.processor.background_voices_db = args.filter.background_voices_db;
    args.processor.voice_gate_ms = args.filter.voice_gate_ms;
    return run_live_processor(args.processor);
  }
  return run_status();
}

}  // namespace

Command add_live_command(CLI::App& app) {
  auto args = std::make_shared<LiveArgs>();
  CLI::App* cmd = app.add_subcommand("live", "Noise cancellation for every app: PipeWire virtual devices "
                                             "(--install) or a live processor (--input/--output)");
  cmd->add_flag("--install", args->install, "Add the Hush microphone and speaker to PipeWire (filter-chain drop-in) and restart it");
  cmd->add_flag("--remove", args->remove, "Remove the drop-in again (and restart PipeWire)");
  cmd->add_flag("--check", args->check, "Exit 0 if PipeWire has the Hush devices, else 1");
  cmd->add_flag("--print-config", args->print_config, "Print the drop-in --install would write");
  cmd->add_option("--plugin", args->plugin, "The LADSPA plugin hush_ladspa.so (default: $HUSH_LADSPA_PATH, next to hush, LADSPA folders)");
  cmd->add_flag("--no-restart", args->no_restart, "Do not restart PipeWire; print the command instead");
  cmd->add_option("--strength-db", args->filter.mic_strength_db,
                  "Noise attenuation in dB (0-60): the Hush microphone, or what the processor cleans")
      ->check(CLI::Range(0.0f, 60.0f))->capture_default_str();
  cmd->add_option("--background-voices", args->filter.background_voices_db,
                  "Attenuation of other people talking near the microphone in dB (0-40, 0 = off)")
      ->check(CLI::Range(0.0f, 40.0f))->capture_default_str();
  cmd->add_option("--voice-gate", args->filter.voice_gate_ms, "Mute after this many ms without your speech (0 = off)")
      ->check(CLI::Range(0, 5000));
  cmd->add_option("--speaker-strength-db", args->filter.speaker_strength_db,
                  "Noise attenuation on what you hear (the Hush speaker) in dB (0-60)")
      ->check(CLI::Range(0.0f, 60.0f))->capture_default_str();
  cmd->add_option("--input", args->processor.input, "Processor: source to read (a PulseAudio/PipeWire source name, or default)");
  cmd->add_option("--output", args->processor.output, "Processor: sink to play to (a sink name, or default)");
  CLI::Option* speaker = cmd->add_flag("--speaker", args->processor.speaker_path,
                                       "Processor: clean incoming call audio (the render path) instead of a microphone");
  CLI::Option* duration = cmd->add_option("--duration", args->processor.duration_s, "Processor: stop after this many seconds");
  CLI::Option* meter = cmd->add_flag("--meter", args->processor.meter, "Processor: draw the level meter even when stdout is not a terminal");
  CLI::Option* buffer = cmd->add_option("--buffer-ms", args->processor.buffer_ms, "Processor: output queue in ms (latency vs dropouts)")
                            ->check(CLI::Range(10, 2000))->capture_default_str();
  cmd->add_flag("-q,--quiet", args->processor.quiet, "Processor: no start and summary lines");
  cmd->add_option("--engine", args->processor.engine, std::string("Processor: noise engine: ") + enhance::kEngineNamesHelp)
      ->capture_default_str();
  cmd->add_option("--model", args->processor.model, "Processor: neural model file (.hnn) instead of the built-in one");
  cmd->add_flag("--no-agc", [args](std::int64_t) { args->processor.agc = false; },
                "Processor: keep the microphone's level (no automatic gain control)");
  return [args, speaker, duration, meter, buffer] {
    args->processor_flags = speaker->count() + duration->count() + meter->count() + buffer->count() > 0;
    return run_live(*args);
  };
}

}  // namespace hush::cli
