#include "meeting/notes_export.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>

#include "meeting/sentences.h"
#include "util/error.h"

namespace hush::meeting {

namespace {

constexpr const char* kNone = "_None._";

std::string who(const Transcript& t, int speaker) {
  const std::string label = t.speaker_label(speaker);
  return label.empty() ? "" : "**" + label + ":** ";
}

// `timed` is false for an external summary, whose lines are not quotes from a moment.
std::string lines_md(const std::vector<NoteLine>& lines, const Transcript& t, bool timed = true) {
  if (lines.empty()) return kNone;
  std::string out;
  for (const NoteLine& l : lines) {
    if (!out.empty()) out += '\n';
    out += "- ";
    if (timed) {
      out += '[';
      out += format_hms(l.time_s);
      out += "] ";
    }
    out += who(t, l.speaker);
    out += l.text;
  }
  return out;
}

std::string actions_md(const std::vector<ActionItem>& items) {
  if (items.empty()) return kNone;
  std::string out;
  for (const ActionItem& a : items) {
    if (!out.empty()) out += '\n';
    const char* dash = " \xe2\x80\x94 ";  // em dash
    out += "- [ ] ";
    out += a.text;
    out += dash;
    out += a.owner.empty() ? std::string("unassigned") : a.owner;
    out += dash;
    out += a.due.empty() ? std::string("no due date") : a.due;
    out += " (";
    out += format_hms(a.time_s);
    out += ')';
  }
  return out;
}

std::string topics_md(const std::vector<std::string>& topics) {
  if (topics.empty()) return kNone;
  std::string out;
  for (const std::string& t : topics) {
    out += out.empty() ? "- " : "\n- ";
    out += t;
  }
  return out;
}

std::string chapters_md(const std::vector<Chapter>& chapters) {
  if (chapters.empty()) return kNone;
  std::string out;
  for (const Chapter& c : chapters) {
    if (!out.empty()) out += '\n';
    out += "- [";
    out += format_hms(c.start_s);
    out += "\xe2\x80\x93";  // en dash
    out += format_hms(c.end_s);
    out += "] ";
    out += c.title;
  }
  return out;
}

std::string title_of(const Transcript& t) {
  if (t.source.empty()) return "Meeting notes";
  return "Meeting notes: " + std::filesystem::path(t.source).stem().string();
}

std::string date_today() {
  std::time_t now = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    const long long v = std::strtoll(epoch, &end, 10);
    if (end != epoch && *end == '\0' && v >= 0) now = static_cast<std::time_t>(v);
  }
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace

const std::string& default_notes_template() {
  static const std::string text =
      "# {{title}}\n"
      "\n"
      "_Summary by {{summarizer}}._\n"
      "\n"
      "## Summary\n\n{{summary}}\n"
      "\n"
      "## Action items\n\n{{action_items}}\n"
      "\n"
      "## Decisions\n\n{{decisions}}\n"
      "\n"
      "## Open questions\n\n{{questions}}\n"
      "\n"
      "## Key topics\n\n{{topics}}\n"
      "\n"
      "## Chapters\n\n{{chapters}}\n";
  return text;
}

std::string notes_to_markdown(const Notes& notes, const Transcript& t, const std::string& template_text) {
  const std::string& tpl = template_text.empty() ? default_notes_template() : template_text;
  const std::map<std::string, std::function<std::string()>> blocks = {
      {"title", [&] { return title_of(t); }},
      {"date", [] { return date_today(); }},
      {"summarizer", [&] { return notes.summarizer.empty() ? std::string("hush-extractive") : notes.summarizer; }},
      {"summary", [&] { return lines_md(notes.summary, t, notes.summarizer.rfind("external", 0) != 0); }},
      {"action_items", [&] { return actions_md(notes.action_items); }},
      {"decisions", [&] { return lines_md(notes.decisions, t); }},
      {"questions", [&] { return lines_md(notes.questions, t); }},
      {"topics", [&] { return topics_md(notes.topics); }},
      {"chapters", [&] { return chapters_md(notes.chapters); }},
  };
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = tpl.find("{{", pos);
    if (open == std::string::npos) {
      out.append(tpl, pos, std::string::npos);
      break;
    }
    out.append(tpl, pos, open - pos);
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(tpl.begin(), tpl.begin() + static_cast<long>(open), '\n'));
    const std::size_t close = tpl.find("}}", open + 2);
    if (close == std::string::npos)
      throw Error(HUSH_ERR_FORMAT, "template line " + std::to_string(line) + ": '{{' without a closing '}}'");
    std::string name = tpl.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    auto it = blocks.find(name);
    if (it == blocks.end()) {
      std::string known;
      for (const auto& [k, v] : blocks) known += (known.empty() ? "" : ", ") + ("{{" + k + "}}");
      throw Error(HUSH_ERR_FORMAT, "template line " + std::to_string(line) + ": unknown placeholder {{" + name +
                                       "}} (known: " + known + ")");
    }
    out += it->second();
    pos = close + 2;
  }
  return out;
}

}  // namespace hush::meeting
