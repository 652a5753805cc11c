#include "meeting/transcript_export.h"

#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string_view>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace hush::meeting {
namespace {

// Appends the pieces. (Written this way rather than with "literal" + std::string chains, which
// make GCC 12 at -O3 emit a false -Wrestrict warning.)
void append(std::string& out, std::initializer_list<std::string_view> pieces) {
  for (const std::string_view p : pieces) out.append(p);
}

long long total_millis(double seconds) {
  if (!std::isfinite(seconds) || seconds <= 0.0) return 0;
  return std::llround(seconds * 1000.0);
}

// "me: " or "" when the segment has no (labelled) speaker.
std::string speaker_prefix(const Transcript& t, const Segment& s) {
  const std::string label = t.speaker_label(s.speaker);
  return label.empty() ? std::string() : label + ": ";
}

// WebVTT cue text is HTML-like: &, < and > must be escaped (in the voice name too).
std::string vtt_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n': out += ' '; break;  // a blank line would end the cue
      default: out += c;
    }
  }
  return out;
}

// SubRip and text lines: a newline inside a segment would break the layout.
std::string one_line(const std::string& text) {
  std::string out = text;
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

// Markdown: characters that would start emphasis, links, code, HTML or headings are escaped.
std::string md_escape(const std::string& text) {
  std::string out;
  for (const char c : one_line(text)) {
    if (c == '\\' || c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '<' || c == '>' || c == '#' ||
        c == '|')
      out += '\\';
    out += c;
  }
  return out;
}

std::string file_name(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string to_txt(const Transcript& t) {
  std::string out;
  for (const Segment& s : t.segments) append(out, {"[", format_clock(s.start_s), "] ", speaker_prefix(t, s), one_line(s.text), "\n"});
  return out;
}

std::string to_srt(const Transcript& t) {
  std::string out;
  int index = 0;
  for (const Segment& s : t.segments) {
    append(out, {std::to_string(++index), "\n", format_timestamp_ms(s.start_s, ','), " --> ",
                 format_timestamp_ms(s.end_s, ','), "\n", speaker_prefix(t, s), one_line(s.text), "\n\n"});
  }
  return out;
}

std::string to_vtt(const Transcript& t) {
  std::string out = "WEBVTT\n\n";
  for (const Segment& s : t.segments) {
    append(out, {format_timestamp_ms(s.start_s, '.'), " --> ", format_timestamp_ms(s.end_s, '.'), "\n"});
    const std::string label = t.speaker_label(s.speaker);
    if (!label.empty()) append(out, {"<v ", vtt_escape(label), ">"});
    append(out, {vtt_escape(s.text), "\n\n"});
  }
  return out;
}

std::string to_md(const Transcript& t, const ExportOptions& options) {
  std::string title = options.title;
  if (title.empty()) {
    title = "Transcript";
    if (!t.source.empty()) append(title, {": ", file_name(t.source)});
  }
  std::string out;
  append(out, {"# ", md_escape(title), "\n\n"});
  if (!t.speakers.empty()) {
    out += "- Speakers: ";
    for (std::size_t i = 0; i < t.speakers.size(); ++i) append(out, {i ? ", " : "", md_escape(t.speakers[i].label)});
    out += "\n";
  }
  append(out, {"- Duration: ", format_clock(t.duration_s), "\n"});
  if (!t.asr_engine.empty()) append(out, {"- Transcribed with: ", md_escape(t.asr_engine), "\n"});
  out += "\n";
  if (t.segments.empty()) out += "_No speech was recognised._\n";
  for (const Segment& s : t.segments) {
    const std::string label = t.speaker_label(s.speaker);
    append(out, {"**[", format_clock(s.start_s), "]"});
    if (!label.empty()) append(out, {" ", md_escape(label), ":"});
    append(out, {"** ", md_escape(s.text), "\n\n"});
  }
  if (!t.segments.empty()) out.pop_back();  // one newline at the end, not a blank line
  return out;
}

}  // namespace

ExportFormat export_format_from_name(const std::string& name) {
  if (name == "txt" || name == "text") return ExportFormat::txt;
  if (name == "srt") return ExportFormat::srt;
  if (name == "vtt") return ExportFormat::vtt;
  if (name == "json") return ExportFormat::json;
  if (name == "md" || name == "markdown") return ExportFormat::md;
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "unknown transcript format '" + name + "' (use " + kExportFormatsHelp + ")");
}

std::string export_format_extension(ExportFormat format) {
  switch (format) {
    case ExportFormat::txt: return "txt";
    case ExportFormat::srt: return "srt";
    case ExportFormat::vtt: return "vtt";
    case ExportFormat::json: return "json";
    case ExportFormat::md: return "md";
  }
  return "txt";
}

std::string format_clock(double seconds) {
  // Whole seconds, cut (not rounded) as clocks and players show them: 59.9 s is 00:00:59.
  const long long total = total_millis(seconds) / 1000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
  return buf;
}

std::string format_timestamp_ms(double seconds, char millis_separator) {
  const long long ms = total_millis(seconds);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld%c%03lld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
                millis_separator, ms % 1000);
  return buf;
}

std::string export_transcript(const Transcript& transcript, ExportFormat format, const ExportOptions& options) {
  switch (format) {
    case ExportFormat::txt: return to_txt(transcript);
    case ExportFormat::srt: return to_srt(transcript);
    case ExportFormat::vtt: return to_vtt(transcript);
    // Invalid UTF-8 (say, in a hand-corrected text) becomes U+FFFD instead of failing the export.
    case ExportFormat::json:
      return to_json(transcript).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    case ExportFormat::md: return to_md(transcript, options);
  }
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "unknown transcript format");
}

}  // namespace hush::meeting
