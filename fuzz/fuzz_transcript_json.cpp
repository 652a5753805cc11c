// Feeds arbitrary text to nlohmann::json::parse and whatever parses to the transcript and notes
// readers (what `hush notes` and the library read back). Anything may be rejected: by the JSON
// parser with its documented parse_error, by the readers with hush::Error. What a reader
// accepts must survive the round trip: to_json -> from_json -> to_json gives the same JSON,
// also through its text form (dump -> parse), and it renders as Markdown without trouble.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>

#include "meeting/notes.h"
#include "meeting/notes_export.h"
#include "meeting/transcript.h"
#include "util/error.h"

namespace {

using hush::meeting::Notes;
using hush::meeting::Transcript;

[[noreturn]] void broken(const char* what, const nlohmann::json& a, const nlohmann::json& b) {
  std::fprintf(stderr, "%s\n first:  %s\n second: %s\n", what, a.dump().c_str(), b.dump().c_str());
  __builtin_trap();
}

void check_transcript(const nlohmann::json& json) {
  Transcript t;
  try {
    t = hush::meeting::transcript_from_json(json);
  } catch (const hush::Error&) {
    return;  // rejected: fine
  }
  // From here on nothing may throw: what the reader accepted and the writer wrote must read back.
  const nlohmann::json once = hush::meeting::to_json(t);
  const nlohmann::json twice = hush::meeting::to_json(hush::meeting::transcript_from_json(once));
  if (twice != once) broken("transcript: to_json/from_json round trip differs", once, twice);
  const nlohmann::json from_text =
      hush::meeting::to_json(hush::meeting::transcript_from_json(nlohmann::json::parse(once.dump())));
  if (from_text != once) broken("transcript: round trip through the JSON text differs", once, from_text);
  (void)t.text();
  (void)hush::meeting::notes_to_markdown(Notes{}, t);
}

void check_notes(const nlohmann::json& json) {
  Notes n;
  try {
    n = hush::meeting::notes_from_json(json);
  } catch (const hush::Error&) {
    return;
  }
  const nlohmann::json once = hush::meeting::to_json(n);
  const nlohmann::json twice = hush::meeting::to_json(hush::meeting::notes_from_json(once));
  if (twice != once) broken("notes: to_json/from_json round trip differs", once, twice);
  const nlohmann::json from_text =
      hush::meeting::to_json(hush::meeting::notes_from_json(nlohmann::json::parse(once.dump())));
  if (from_text != once) broken("notes: round trip through the JSON text differs", once, from_text);
  (void)hush::meeting::notes_to_markdown(n, Transcript{});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error&) {
    return 0;  // what json::parse documents for bad text
  } catch (const nlohmann::json::out_of_range& e) {
    // out_of_range.406 "number overflow parsing '1e400'": documented with nlohmann's exceptions
    // rather than with parse(). Callers must catch it too (or catch json::exception).
    if (e.id != 406) throw;
    return 0;
  }
  check_transcript(json);
  check_notes(json);
  return 0;
}
