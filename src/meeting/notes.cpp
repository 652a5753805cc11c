#include "meeting/notes.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace hush::meeting {

namespace {

nlohmann::json lines_json(const std::vector<NoteLine>& lines) {
  nlohmann::json out = nlohmann::json::array();
  for (const NoteLine& l : lines)
    out.push_back({{"text", l.text}, {"time_s", l.time_s}, {"speaker", l.speaker}});
  return out;
}

const nlohmann::json& array_at(const nlohmann::json& json, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return empty;
  if (!it->is_array()) throw Error(HUSH_ERR_FORMAT, std::string("notes JSON: ") + key + ": expected an array");
  return *it;
}

// The "speaker" of an item. nlohmann's get<int>() casts any number unchecked, and 1e12 as an int
// is undefined behaviour (found by fuzz/fuzz_transcript_json), so the range is checked first.
int speaker_of(const nlohmann::json& item) {
  const auto it = item.find("speaker");
  if (it != item.end() && it->is_number()) {
    const double d = it->get<double>();
    if (d != std::trunc(d) || d < std::numeric_limits<int>::min() || d > std::numeric_limits<int>::max())
      throw Error(HUSH_ERR_FORMAT, "notes JSON: speaker " + it->dump() + " is not an int");
  }
  return item.value("speaker", kNoSpeaker);  // throws json's type_error for a wrong type
}

std::vector<NoteLine> lines_from(const nlohmann::json& json, const char* key) {
  std::vector<NoteLine> out;
  for (const auto& l : array_at(json, key))
    out.push_back({l.value("text", ""), l.value("time_s", 0.0), speaker_of(l)});
  return out;
}

}  // namespace

nlohmann::json to_json(const Notes& n) {
  nlohmann::json actions = nlohmann::json::array();
  for (const ActionItem& a : n.action_items)
    actions.push_back({{"text", a.text}, {"owner", a.owner}, {"due", a.due},
                       {"time_s", a.time_s}, {"speaker", a.speaker}});
  nlohmann::json chapters = nlohmann::json::array();
  for (const Chapter& c : n.chapters)
    chapters.push_back({{"title", c.title}, {"start_s", c.start_s}, {"end_s", c.end_s}});
  return {{"summarizer", n.summarizer},       {"summary", lines_json(n.summary)},
          {"action_items", std::move(actions)}, {"decisions", lines_json(n.decisions)},
          {"questions", lines_json(n.questions)}, {"topics", n.topics},
          {"chapters", std::move(chapters)}};
}

Notes notes_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw Error(HUSH_ERR_FORMAT, "notes JSON: expected an object");
  try {
    Notes n;
    n.summarizer = json.value("summarizer", "");
    n.summary = lines_from(json, "summary");
    n.decisions = lines_from(json, "decisions");
    n.questions = lines_from(json, "questions");
    for (const auto& a : array_at(json, "action_items"))
      n.action_items.push_back({a.value("text", ""), a.value("owner", ""), a.value("due", ""),
                                a.value("time_s", 0.0), speaker_of(a)});
    for (const auto& t : array_at(json, "topics")) n.topics.push_back(t.get<std::string>());
    for (const auto& c : array_at(json, "chapters"))
      n.chapters.push_back({c.value("title", ""), c.value("start_s", 0.0), c.value("end_s", 0.0)});
    return n;
  } catch (const nlohmann::json::exception& e) {
    throw Error(HUSH_ERR_FORMAT, std::string("notes JSON: wrong type: ") + e.what());
  }
}

}  // namespace hush::meeting
