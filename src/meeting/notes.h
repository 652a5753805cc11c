// Meeting notes: what `hush notes` writes and the library stores. Made on the device from a
// Transcript (see notes_maker.h); every item points back to the time it was said, so a reader
// can jump to it.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "meeting/transcript.h"

namespace hush::meeting {

struct NoteLine {
  std::string text;
  double time_s = 0.0;        // where in the meeting it was said
  int speaker = kNoSpeaker;   // who said it (Transcript::speakers id)
};

struct ActionItem {
  std::string text;   // the task, e.g. "send the draft"
  std::string owner;  // "Alice", a speaker label, or "" when not stated
  std::string due;    // as stated ("by Friday", "next week") or ""
  double time_s = 0.0;
  int speaker = kNoSpeaker;
};

struct Chapter {
  std::string title;
  double start_s = 0.0;
  double end_s = 0.0;
};

struct Notes {
  std::vector<NoteLine> summary;  // extractive: sentences from the meeting, in meeting order
  std::vector<ActionItem> action_items;
  std::vector<NoteLine> decisions;
  std::vector<NoteLine> questions;  // open questions
  std::vector<std::string> topics;  // key topics (words/phrases)
  std::vector<Chapter> chapters;
  std::string summarizer;  // e.g. "hush-extractive" or "external: <endpoint>"
};

// {"summarizer","summary":[{"text","time_s","speaker"}],"action_items":[{"text","owner","due",
//  "time_s","speaker"}],"decisions":[...],"questions":[...],"topics":[...],
//  "chapters":[{"title","start_s","end_s"}]}
nlohmann::json to_json(const Notes& notes);
// Throws hush::Error(HUSH_ERR_FORMAT) on a wrong type.
Notes notes_from_json(const nlohmann::json& json);

}  // namespace hush::meeting
