// `hush`: the command-line front end of the Hush voice engine.
//
// Exit codes: 0 success, 1 internal error, 2 usage error, 3 file not found / not writable,
// 4 corrupt or unsupported audio.
#include <cstdio>
#include <exception>
#include <map>
#include <string>

#include "apps/build_commit.h"
#include "apps/hush/commands.h"
#include "hush.h"
#include "util/error.h"

namespace {

int exit_code_for(hush_error code) {
  switch (code) {
    case HUSH_ERR_IO: return 3;
    case HUSH_ERR_FORMAT:
    case HUSH_ERR_UNSUPPORTED_RATE: return 4;
    case HUSH_ERR_INVALID_ARGUMENT:
    case HUSH_ERR_UNKNOWN_ENGINE: return 2;
    default: return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hush: on-device noise cancellation and voice tools"};
  app.set_version_flag("--version", std::string("hush ") + hush_version() + " (" + hush_build_commit() + ")");
  app.require_subcommand(1);
  std::map<CLI::App*, hush::cli::Command> commands;
  auto add = [&](hush::cli::Command (*adder)(CLI::App&)) {
    const std::size_t before = app.get_subcommands({}).size();
    hush::cli::Command run = adder(app);
    commands[app.get_subcommands({})[before]] = std::move(run);
  };
  add(hush::cli::add_denoise_command);
  add(hush::cli::add_info_command);
  add(hush::cli::add_demo_command);
  add(hush::cli::add_record_command);
  add(hush::cli::add_transcribe_command);
  add(hush::cli::add_notes_command);
  add(hush::cli::add_meetings_command);
  add(hush::cli::add_speakers_command);
  add(hush::cli::add_call_command);
  add(hush::cli::add_live_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::fprintf(stderr, "hush: error: %s (see hush --help)\n", e.what());
    return 2;
  }
  try {
    for (auto& [sub, run] : commands) {
      if (sub->parsed()) return run();
    }
    return 2;
  } catch (const hush::Error& e) {
    std::fprintf(stderr, "hush: error: %s\n", e.what());
    return exit_code_for(e.code());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hush: error: %s\n", e.what());
    return 1;
  }
}
