// parse_transcription_form (declared in transcription_response.h): the form's text fields.
#include <array>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "server/api_json.h"
#include "server/transcription_response.h"
#include "util/error.h"

namespace hush::server {
namespace {

constexpr std::array<std::string_view, 8> kFields = {"file",        "model",  "language",
                                                     "response_format", "temperature", "prompt",
                                                     "stream",      "timestamp_granularities[]"};

[[noreturn]] void fail(const std::string& message) { throw Error(HUSH_ERR_INVALID_ARGUMENT, message); }

// Error messages quote what the client sent, but never much of it.
// (Built with append: "literal" + std::string chains make GCC 12 at -O3 warn -Wrestrict falsely.)
std::string quote_excerpt(std::string_view value) {
  constexpr std::size_t kMax = 64;
  std::string out = "'";
  out.append(value.substr(0, kMax));
  out.append(value.size() > kMax ? "...'" : "'");
  return out;
}

std::string accepted_fields() {
  std::string out;
  for (const std::string_view f : kFields) {
    if (!out.empty()) out.append(", ");
    out.append(f);
  }
  return out;
}

void set_model(TranscriptionRequest& r, const std::string& model) {
  if (model == "whisper-1" || model == "hush" || model == "hush-pocketsphinx") {
    r.model = model;
    r.recognizer = "pocketsphinx";
    return;
  }
  fail("model " + quote_excerpt(model) + " is not available; use hush-pocketsphinx (or whisper-1, which runs the same "
       "on-device PocketSphinx en-us engine)");
}

double parse_temperature(const std::string& value) {
  char* end = nullptr;
  const double t = value.empty() ? NAN : std::strtod(value.c_str(), &end);
  if (!std::isfinite(t) || end != value.c_str() + value.size() || t < 0.0 || t > 1.0)
    fail("temperature " + quote_excerpt(value) + " is not a number from 0 to 1");
  return t;
}

// One field value: "word", "segment", or several joined by commas.
void add_granularities(const std::string& value, bool& words, bool& segments) {
  std::size_t begin = 0;
  while (begin <= value.size()) {
    std::size_t end = value.find(',', begin);
    if (end == std::string::npos) end = value.size();
    const std::string item = value.substr(begin, end - begin);
    if (item == "word") words = true;
    else if (item == "segment") segments = true;
    else fail("timestamp_granularities[] " + quote_excerpt(item) + " is not supported; use word and/or segment");
    begin = end + 1;
  }
}

}  // namespace

TranscriptionRequest parse_transcription_form(const FormFields& fields) {
  TranscriptionRequest r;
  bool have_model = false, granularities = false, words = false, segments = false;
  for (const auto& [name, value] : fields) {
    if (name == "file") continue;
    // Values are echoed in errors and responses (language): they must be UTF-8 text.
    require_text(value, "the form field " + quote_excerpt(name));
    if (name == "prompt") continue;  // unused  // the handler reads the file; prompt is unused
    if (name == "model") {
      set_model(r, value);
      have_model = true;
    } else if (name == "language") {
      if (!value.empty() && value != "en" && !(value.size() >= 4 && value.starts_with("en-")))
        fail("language " + quote_excerpt(value) + " is not supported: the installed model is English only (use en)");
      if (!value.empty()) r.language = value;
    } else if (name == "response_format") {
      r.format = transcription_format_from_name(value);
    } else if (name == "temperature") {
      r.temperature = parse_temperature(value);
    } else if (name == "stream") {
      if (value != "false")
        fail("stream " + quote_excerpt(value) + " is not supported here; use the live endpoint /v1/listen for streaming");
    } else if (name == "timestamp_granularities[]" || name == "timestamp_granularities") {
      granularities = true;
      add_granularities(value, words, segments);
    } else {
      fail("unknown field " + quote_excerpt(name) + "; accepted: " + accepted_fields());
    }
  }
  if (!have_model) fail("model is required; use hush-pocketsphinx (or whisper-1)");
  if (granularities) {
    if (r.format != TranscriptionFormat::verbose_json)
      fail("timestamp_granularities[] needs response_format=verbose_json");
    r.word_timestamps = words;
    r.segment_timestamps = segments;
  }
  return r;
}

TranscriptionRequest parse_transcription_form(const std::map<std::string, std::string>& fields) {
  return parse_transcription_form(FormFields(fields.begin(), fields.end()));
}

}  // namespace hush::server
