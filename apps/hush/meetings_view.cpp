#include "apps/hush/meetings_view.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "meeting/notes_export.h"
#include "meeting/transcript_export.h"
#include "util/error.h"

namespace hush::cli {
namespace {

std::string printf_string(const char* fmt, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

std::string flags_of(const store::MeetingInfo& m) {
  std::string f;
  f += m.has_transcript ? 'T' : '-';
  f += m.has_notes ? 'N' : '-';
  f += m.audio_path.empty() ? '-' : 'A';
  f += m.on_hold ? 'H' : '-';
  return f;
}

void append_who(std::string& out, const std::string& who) {
  if (who.empty()) return;
  out += who;
  out += ": ";
}

void append_lines(std::string& out, const char* heading, const std::vector<meeting::NoteLine>& lines,
                  const meeting::Transcript& t) {
  if (lines.empty()) return;
  out += heading;
  out += ":\n";
  for (const meeting::NoteLine& l : lines) {
    const std::string who = t.speaker_label(l.speaker);
    out += "  - [";
    out += format_duration(l.time_s);
    out += "] ";
    append_who(out, who);
    out += l.text;
    out += '\n';
  }
}

}  // namespace

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  const auto total = static_cast<long long>(std::llround(seconds));
  const long long h = total / 3600, m = (total / 60) % 60, s = total % 60;
  return h > 0 ? printf_string("%lld:%02lld:%02lld", h, m, s) : printf_string("%lld:%02lld", m, s);
}

std::string format_date(std::int64_t unix_s) {
  const auto t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  if (!localtime_r(&t, &tm)) return std::to_string(unix_s);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

std::string list_text(const std::vector<store::MeetingInfo>& meetings) {
  if (meetings.empty()) return "No meetings in the library yet (add one with hush meetings add).\n";
  // T = transcript, N = notes, A = audio, H = on legal hold.
  std::string out = printf_string("%6s  %-16s  %9s  %-4s  %s\n", "ID", "DATE", "DURATION", "TNAH", "TITLE");
  for (const store::MeetingInfo& m : meetings) {
    out += printf_string("%6lld  %-16s  %9s  %-4s  ", static_cast<long long>(m.id), format_date(m.created_at_s).c_str(),
                         format_duration(m.duration_s).c_str(), flags_of(m).c_str());
    out += m.title + "\n";
  }
  return out;
}

std::string search_text(const std::vector<store::SearchResult>& results) {
  std::string out;
  for (const store::SearchResult& r : results) {
    out += printf_string("%lld  %s  ", static_cast<long long>(r.meeting.id), format_date(r.meeting.created_at_s).c_str());
    out += r.meeting.title + "\n";
    for (const store::SearchHit& h : r.hits) {
      out += "    [";
      out += format_duration(h.start_s);
      out += h.kind == "notes" ? "] (notes) " : "] ";
      out += h.snippet;
      out += '\n';
    }
  }
  return out;
}

std::string show_text(const store::Meeting& meeting) {
  const store::MeetingInfo& m = meeting.info;
  std::string out = m.title + "\n";
  out += "ID:        " + std::to_string(m.id) + "\n";
  out += "Date:      " + format_date(m.created_at_s) + "\n";
  out += "Duration:  " + format_duration(m.duration_s) + "\n";
  if (!m.audio_path.empty()) out += "Audio:     " + m.audio_path + "\n";
  if (!m.source.empty()) out += "Source:    " + m.source + "\n";
  if (m.on_hold) out += "On hold:   yes (retention does not delete it)\n";
  const meeting::Transcript empty;
  const meeting::Transcript& t = meeting.transcript ? *meeting.transcript : empty;
  if (!t.speakers.empty()) {
    out += "Speakers:  ";
    for (std::size_t i = 0; i < t.speakers.size(); ++i) {
      if (i > 0) out += ", ";
      out += t.speakers[i].label;
    }
    out += "\n";
  }
  out += "\n";
  if (meeting.notes) {
    const meeting::Notes& n = *meeting.notes;
    out += "== Notes ==\n";
    append_lines(out, "Summary", n.summary, t);
    if (!n.action_items.empty()) {
      out += "Action items:\n";
      for (const meeting::ActionItem& a : n.action_items) {
        out += "  - [";
        out += format_duration(a.time_s);
        out += "] ";
        out += a.text;
        if (!a.owner.empty()) out += " (owner: " + a.owner + ")";
        if (!a.due.empty()) out += " (due: " + a.due + ")";
        out += "\n";
      }
    }
    append_lines(out, "Decisions", n.decisions, t);
    append_lines(out, "Open questions", n.questions, t);
    out += "\n";
  } else {
    out += "(no notes)\n\n";
  }
  if (meeting.transcript) {
    out += "== Transcript ==\n";
    for (const meeting::Segment& s : t.segments) {
      const std::string who = t.speaker_label(s.speaker);
      out += '[';
      out += format_duration(s.start_s);
      out += "] ";
      append_who(out, who);
      out += s.text;
      out += '\n';
    }
  } else {
    out += "(no transcript)\n";
  }
  return out;
}

std::string export_text(const store::Meeting& meeting, const std::string& format_name) {
  const meeting::ExportFormat format = meeting::export_format_from_name(format_name);
  const store::MeetingInfo& m = meeting.info;
  const std::string id = std::to_string(m.id);
  const meeting::Transcript t = meeting.transcript.value_or(meeting::Transcript{});
  meeting::ExportOptions options;
  options.title = m.title;
  switch (format) {
    case meeting::ExportFormat::json: {
      // The transcript's own JSON shape at the top level, so `hush notes` and `hush meetings
      // add --transcript` read an export back; the meeting and its notes ride along.
      nlohmann::json j = meeting::to_json(t);
      j["meeting"] = {{"id", m.id}, {"title", m.title}, {"created_at", m.created_at_s},
                      {"duration_s", m.duration_s}, {"source", m.source}};
      j["notes"] = meeting.notes ? meeting::to_json(*meeting.notes) : nlohmann::json(nullptr);
      return j.dump(2) + "\n";
    }
    case meeting::ExportFormat::md: {
      if (!meeting.notes && !meeting.transcript)
        throw Error(HUSH_ERR_INVALID_ARGUMENT, "meeting " + id + " has no transcript or notes to export");
      std::string out;
      if (meeting.notes) out = meeting::notes_to_markdown(*meeting.notes, t);
      if (meeting.notes && meeting.transcript) out += "\n";
      if (meeting.transcript) out += meeting::export_transcript(t, format, options);
      return out;
    }
    default:
      if (!meeting.transcript)
        throw Error(HUSH_ERR_INVALID_ARGUMENT, "meeting " + id + " has no transcript to export as " + format_name +
                                                   " (try --format json)");
      return meeting::export_transcript(t, format, options);
  }
}

}  // namespace hush::cli
