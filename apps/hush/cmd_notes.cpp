// hush notes meeting.json: meeting notes (summary, action items, decisions, open questions,
// topics, chapters) from a transcript JSON, made on the device. With --summarizer-url (and only
// then) the summary is asked of an OpenAI-compatible endpoint instead (privacy P13).
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "apps/hush/commands.h"
#include "apps/hush/text_files.h"
#include "meeting/external_summarizer.h"
#include "meeting/notes_export.h"
#include "meeting/notes_maker.h"
#include "util/error.h"

namespace hush::cli {
namespace {

struct NotesArgs {
  std::string input, format = "md", output, template_path, summarizer_url, summarizer_model = "local";
  int summary_sentences = 0;
  double summarizer_timeout_s = 120.0;
};

meeting::Transcript read_transcript(const std::string& path) {
  const nlohmann::json json = read_json_file(path, "transcript");
  try {
    return meeting::transcript_from_json(json);
  } catch (const Error& e) {
    throw Error(e.code(), "'" + path + "': " + e.what());
  }
}

int run_notes(const NotesArgs& args) {
  if (!args.template_path.empty() && args.format != "md")
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "--template applies to --format md only");
  if (!args.summarizer_url.empty()) meeting::parse_http_url(args.summarizer_url);  // a bad URL fails fast
  // Read everything the user named before the work, so a bad template fails fast.
  const std::string template_text =
      args.template_path.empty() ? std::string() : read_text_file(args.template_path, "template");
  const meeting::Transcript transcript = read_transcript(args.input);

  meeting::NotesOptions options;
  options.summary_sentences = args.summary_sentences;
  meeting::Notes notes = meeting::make_notes(transcript, options);
  if (!args.summarizer_url.empty()) {
    meeting::ExternalSummarizerOptions ext;
    ext.url = args.summarizer_url;
    ext.model = args.summarizer_model;
    ext.timeout_ms = static_cast<int>(args.summarizer_timeout_s * 1000.0);
    std::fprintf(stderr, "hush: sending the transcript to the external summarizer at %s\n", ext.url.c_str());
    const std::string warning = meeting::apply_external_summary(notes, transcript, ext);
    if (!warning.empty()) std::fprintf(stderr, "hush: warning: %s\n", warning.c_str());
  }

  std::string text;
  if (args.format == "json") {
    text = meeting::to_json(notes).dump(2) + "\n";
  } else {
    try {
      text = meeting::notes_to_markdown(notes, transcript, template_text);
    } catch (const Error& e) {
      throw Error(e.code(), "'" + args.template_path + "': " + e.what());
    }
  }
  write_text_output(args.output, text);
  return 0;
}

}  // namespace

Command add_notes_command(CLI::App& app) {
  auto args = std::make_shared<NotesArgs>();
  CLI::App* cmd = app.add_subcommand(
      "notes", "Meeting notes (summary, action items, decisions, questions, topics, chapters) from a transcript JSON");
  cmd->add_option("transcript", args->input, "Transcript JSON (from `hush transcribe --format json`)")->required();
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"md", "json"}))->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write here instead of standard output");
  cmd->add_option("--template", args->template_path,
                  "Markdown template with {{title}} {{date}} {{summarizer}} {{summary}} {{action_items}} "
                  "{{decisions}} {{questions}} {{topics}} {{chapters}}");
  cmd->add_option("--summary-sentences", args->summary_sentences,
                  "Summary length in sentences (default: ~10% of the meeting, 3 to 15)")
      ->check(CLI::Range(1, 200));
  cmd->add_option("--summarizer-url", args->summarizer_url,
                  "OFF by default. An OpenAI-compatible chat-completions URL (plain http, e.g. a local llama.cpp "
                  "server: http://127.0.0.1:8080/v1/chat/completions). The transcript text is sent there.");
  cmd->add_option("--summarizer-model", args->summarizer_model, "Model name sent to the summarizer")
      ->capture_default_str();
  cmd->add_option("--summarizer-timeout-s", args->summarizer_timeout_s, "Timeout per summarizer request")
      ->check(CLI::Range(0.1, 3600.0))->capture_default_str();
  return [args] { return run_notes(*args); };
}

}  // namespace hush::cli
