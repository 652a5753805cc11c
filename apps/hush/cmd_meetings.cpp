// hush meetings: the private meeting library in $HUSH_HOME/library.db (src/store).
//   list | search QUERY | show ID | export ID --format txt|srt|vtt|json|md [-o FILE]
//   delete ID [--yes]
//   retention [--days N] | settings [--notes on|off] [--recording on|off]
//   add [AUDIO] [--title T] [--transcript meeting.json] [--notes notes.json]
// Every invocation first runs the retention sweep (privacy P6), so expired meetings are gone
// by the next time anyone looks. Bad IDs and unknown meetings exit 2 with one clear line.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>

#include "apps/hush/commands.h"
#include "apps/hush/library_save.h"
#include "apps/hush/meetings_view.h"
#include "apps/hush/text_files.h"
#include "audio/temp_file.h"
#include "crypto/hush_home.h"
#include "meeting/recording_file.h"
#include "meeting/transcript_export.h"
#include "store/meeting_library.h"
#include "util/error.h"

namespace hush::cli {
namespace {

namespace fs = std::filesystem;

struct MeetingsArgs {
  CLI::App *list = nullptr, *search = nullptr, *show = nullptr, *exporter = nullptr, *del = nullptr,
           *retention = nullptr, *settings = nullptr, *add = nullptr;
  std::string id, query, format, output, notes_switch, recording_switch;
  std::string audio, title, transcript_path, notes_path;
  int days = -1;
  bool yes = false;
};

store::MeetingId parse_id(const std::string& text) {
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || v <= 0)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "'" + text + "' is not a meeting ID (a positive number; see hush meetings list)");
  return v;
}

bool parse_switch(const std::string& text, const char* option) {
  if (text == "on") return true;
  if (text == "off") return false;
  throw Error(HUSH_ERR_INVALID_ARGUMENT, std::string(option) + " takes 'on' or 'off', not '" + text + "'");
}

int run_add(store::MeetingLibrary& lib, const std::string& home, const MeetingsArgs& a) {
  if (a.audio.empty() && a.transcript_path.empty())
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "hush meetings add needs an audio file, a --transcript, or both");
  // Read and check everything first: a bad file stores nothing.
  LibraryEntry e;
  e.audio_path = a.audio;
  e.title = a.title.empty() && a.audio.empty() ? fs::path(a.transcript_path).stem().string() : a.title;
  e.source = "import";
  if (!a.transcript_path.empty()) e.transcript = meeting::transcript_from_json(read_json_file(a.transcript_path, "transcript"));
  if (!a.notes_path.empty()) e.notes = meeting::notes_from_json(read_json_file(a.notes_path, "notes"));
  e.duration_s = e.transcript ? e.transcript->duration_s : 0.0;
  if (!a.audio.empty()) {
    const audio::AudioInfo info = meeting::probe_recording(a.audio);  // refuses non-audio
    if (info.frames > 0 && info.sample_rate_hz > 0) e.duration_s = static_cast<double>(info.frames) / info.sample_rate_hz;
  }
  const store::MeetingId id = save_to_library(lib, home, e);
  std::printf("%lld\n", static_cast<long long>(id));
  std::fprintf(stderr, "hush: added meeting %lld\n", static_cast<long long>(id));
  return 0;
}

bool confirm_delete(const store::MeetingInfo& m, bool yes) {
  if (yes) return true;
  if (!::isatty(STDIN_FILENO))
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "refusing to delete meeting " + std::to_string(m.id) +
                                               " without --yes (stdin is not a terminal to ask on)");
  std::fprintf(stderr, "Delete meeting %lld \"%s\" with its audio, transcript and notes? This cannot be undone. [y/N] ",
               static_cast<long long>(m.id), m.title.c_str());
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

std::string settings_text(const store::LibrarySettings& s) {
  return std::string("notes:     ") + (s.notes_enabled ? "on" : "off") + "\n" +
         "recording: " + (s.recording_enabled ? "on" : "off") + "\n" +
         "retention: " + (s.retention_days == 0 ? std::string("keep forever") : std::to_string(s.retention_days) + " days") + "\n";
}

int run_meetings(const MeetingsArgs& a) {
  const std::string home = hush_home_dir();
  auto lib = store::open_meeting_library(home);
  const int days = lib->settings().retention_days;
  if (const auto swept = lib->sweep(store::system_clock_now_s()); !swept.empty())
    std::fprintf(stderr, "hush: retention: deleted %zu meeting(s) older than %d days\n", swept.size(), days);

  if (a.list->parsed()) {
    std::fputs(list_text(lib->list()).c_str(), stdout);
  } else if (a.search->parsed()) {
    const bool tty = ::isatty(STDOUT_FILENO);
    store::SearchOptions opt;
    opt.highlight_open = tty ? "\033[1m" : "[";
    opt.highlight_close = tty ? "\033[0m" : "]";
    const auto results = lib->search(a.query, opt);
    if (results.empty()) std::fprintf(stderr, "hush: no meeting matches '%s'\n", a.query.c_str());
    std::fputs(search_text(results).c_str(), stdout);
  } else if (a.show->parsed()) {
    std::fputs(show_text(lib->get(parse_id(a.id))).c_str(), stdout);
  } else if (a.exporter->parsed()) {
    const store::Meeting m = lib->get(parse_id(a.id));
    write_text_output(a.output, export_text(m, a.format));
    if (!a.output.empty() && a.output != "-") std::fprintf(stderr, "hush: wrote %s\n", a.output.c_str());
  } else if (a.del->parsed()) {
    const store::MeetingId id = parse_id(a.id);
    const store::MeetingInfo m = lib->get(id).info;
    if (!confirm_delete(m, a.yes)) {
      std::fprintf(stderr, "hush: nothing deleted\n");
      return 1;
    }
    lib->delete_meeting(id);
    std::fprintf(stderr, "hush: deleted meeting %lld (%s) with its audio, transcript, notes and search entries\n",
                 static_cast<long long>(id), m.title.c_str());
  } else if (a.retention->parsed()) {
    if (a.days >= 0) {
      lib->set_retention_days(a.days);
      const auto swept = lib->sweep(store::system_clock_now_s());
      if (!swept.empty()) std::fprintf(stderr, "hush: retention: deleted %zu meeting(s) older than %d days\n", swept.size(), a.days);
    }
    const int now_days = lib->settings().retention_days;
    std::printf("retention: %s\n", now_days == 0 ? "keep forever" : (std::to_string(now_days) + " days").c_str());
  } else if (a.settings->parsed()) {
    if (!a.notes_switch.empty()) lib->set_notes_enabled(parse_switch(a.notes_switch, "--notes"));
    if (!a.recording_switch.empty()) lib->set_recording_enabled(parse_switch(a.recording_switch, "--recording"));
    std::fputs(settings_text(lib->settings()).c_str(), stdout);
  } else if (a.add->parsed()) {
    return run_add(*lib, home, a);
  }
  return 0;
}

}  // namespace

Command add_meetings_command(CLI::App& app) {
  auto a = std::make_shared<MeetingsArgs>();
  CLI::App* cmd = app.add_subcommand("meetings", "The private meeting library: list, search, show, export, delete");
  cmd->require_subcommand(1);

  a->list = cmd->add_subcommand("list", "List meetings, newest first (T transcript, N notes, A audio, H hold)");
  a->search = cmd->add_subcommand("search", "Search transcripts and notes: words, \"phrases\", prefix*");
  a->search->add_option("query", a->query, "What to look for")->required();
  a->show = cmd->add_subcommand("show", "Show a meeting: details, speakers, notes and transcript");
  a->show->add_option("id", a->id, "Meeting ID (see hush meetings list)")->required();

  a->exporter = cmd->add_subcommand("export", "Export a meeting");
  a->exporter->add_option("id", a->id, "Meeting ID")->required();
  a->exporter->add_option("--format", a->format, std::string("Format: ") + meeting::kExportFormatsHelp)->required();
  a->exporter->add_option("-o,--output", a->output, "Output file (default: stdout)");

  a->del = cmd->add_subcommand("delete", "Delete a meeting with its audio, transcript, notes and search entries");
  a->del->add_option("id", a->id, "Meeting ID")->required();
  a->del->add_flag("-y,--yes", a->yes, "Do not ask (required when stdin is not a terminal)");

  a->retention = cmd->add_subcommand("retention", "Show or set how long meetings are kept");
  a->retention->add_option("--days", a->days, "Delete meetings older than N days (0 = keep forever)")
      ->check(CLI::Range(0, 36500));

  a->settings = cmd->add_subcommand("settings", "Show or change the library's privacy settings");
  a->settings->add_option("--notes", a->notes_switch, "on|off: store transcripts and notes at all (off: none stored)");
  a->settings->add_option("--recording", a->recording_switch, "on|off: keep meeting audio in the library");

  a->add = cmd->add_subcommand("add", "Put an existing recording and/or transcript into the library");
  a->add->add_option("audio", a->audio, "Recording (WAV, FLAC, Ogg; encrypted .ogg.enc too); copied into the library");
  a->add->add_option("--title", a->title, "Title (default: the file name)");
  a->add->add_option("--transcript", a->transcript_path, "Transcript JSON (hush transcribe --format json)");
  a->add->add_option("--notes", a->notes_path, "Notes JSON (hush notes --format json)");
  return [a] { return run_meetings(*a); };
}

}  // namespace hush::cli
