// The `hush` CLI's subcommands. Each registers its options on the CLI11 app and returns the
// callback that runs it; errors are thrown as hush::Error and turned into one line by main.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace hush::cli {

using Command = std::function<int()>;

Command add_denoise_command(CLI::App& app);
Command add_info_command(CLI::App& app);
Command add_demo_command(CLI::App& app);
Command add_record_command(CLI::App& app);       // cmd_record.cpp
Command add_transcribe_command(CLI::App& app);   // cmd_transcribe.cpp
Command add_notes_command(CLI::App& app);        // cmd_notes.cpp
Command add_meetings_command(CLI::App& app);     // cmd_meetings.cpp
Command add_speakers_command(CLI::App& app);     // cmd_speakers.cpp
Command add_call_command(CLI::App& app);         // cmd_call.cpp
Command add_live_command(CLI::App& app);         // cmd_live.cpp

}  // namespace hush::cli
