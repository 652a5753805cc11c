// Feeds arbitrary text as a user's notes template to notes_to_markdown, with small fixed notes.
// A bad template may be rejected with hush::Error; nothing may crash. Text outside placeholders
// must come out unchanged, so a template without "{{" renders as itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "meeting/notes.h"
#include "meeting/notes_export.h"
#include "meeting/transcript.h"
#include "util/error.h"

namespace {

using namespace hush::meeting;

Transcript fixed_transcript() {
  Transcript t;
  t.source = "/tmp/standup.opus";
  t.duration_s = 3725.0;
  t.speakers = {{0, "me"}, {1, "S1"}};
  t.segments = {{0.0, 2.0, "we ship on friday", {}, 0, 0, 0.9f}, {2.0, 4.0, "who owns the draft?", {}, 1, 1, 0.8f}};
  return t;
}

Notes fixed_notes() {
  Notes n;
  n.summarizer = "hush-extractive";
  n.summary = {{"We ship on Friday.", 0.0, 0}, {"Budget {{ is }} fine.", 3723.5, 1}};
  n.action_items = {{"send the draft", "Alice", "by Friday", 61.0, 1}, {"book a room", "", "", 0.0, kNoSpeaker}};
  n.decisions = {{"Ship on Friday.", 1.0, 7}};  // a speaker not in the transcript
  n.topics = {"release", "budget"};
  n.chapters = {{"Intro", 0.0, 60.0}, {"Budget", 60.0, 3725.0}};
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);  // {{date}} the same on every run
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Transcript transcript = fixed_transcript();
  static const Notes notes = fixed_notes();
  const std::string tpl(reinterpret_cast<const char*>(data), size);
  std::string out;
  try {
    out = notes_to_markdown(notes, transcript, tpl);
  } catch (const hush::Error&) {
    return 0;
  }
  // An empty template means the default layout; any other without placeholders is literal text.
  if (!tpl.empty() && tpl.find("{{") == std::string::npos && out != tpl) __builtin_trap();
  return 0;
}
