#include "meeting/transcript.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "util/error.h"

namespace hush::meeting {

std::string Transcript::text() const {
  std::string out;
  for (const Segment& s : segments) {
    out += s.text;
    out += '\n';
  }
  return out;
}

std::string Transcript::speaker_label(int speaker) const {
  for (const Speaker& s : speakers)
    if (s.id == speaker) return s.label;
  return {};
}

nlohmann::json to_json(const Transcript& t) {
  nlohmann::json speakers = nlohmann::json::array();
  for (const Speaker& s : t.speakers) speakers.push_back({{"id", s.id}, {"label", s.label}});
  nlohmann::json segments = nlohmann::json::array();
  for (const Segment& seg : t.segments) {
    nlohmann::json words = nlohmann::json::array();
    for (const Word& w : seg.words)
      words.push_back({{"text", w.text}, {"start_s", w.start_s}, {"end_s", w.end_s},
                       {"confidence", w.confidence}, {"speaker", w.speaker}});
    segments.push_back({{"start_s", seg.start_s}, {"end_s", seg.end_s}, {"text", seg.text},
                        {"speaker", seg.speaker}, {"channel", seg.channel},
                        {"confidence", seg.confidence}, {"words", std::move(words)}});
  }
  return {{"source", t.source},         {"asr_engine", t.asr_engine},
          {"language", t.language},     {"duration_s", t.duration_s},
          {"speakers", std::move(speakers)}, {"segments", std::move(segments)}};
}

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw Error(HUSH_ERR_FORMAT, "transcript JSON: " + where + ": " + what);
}

// Whether a JSON number fits T. nlohmann's get<int>()/get<float>() cast without a range check:
// 1e12 as an int is undefined behaviour, 1e39 as a float becomes infinity (which to_json cannot
// write back) (found by fuzz/fuzz_transcript_json). Non-numbers are left to get<T>().
template <typename T>
bool fits(const nlohmann::json& v) {
  if (!v.is_number()) return true;
  if constexpr (std::is_integral_v<T>) {
    using limits = std::numeric_limits<T>;
    if (v.is_number_unsigned()) return v.get<std::uint64_t>() <= static_cast<std::uint64_t>(limits::max());
    if (v.is_number_integer()) return v.get<std::int64_t>() >= limits::min() && v.get<std::int64_t>() <= limits::max();
    const double d = v.get<double>();
    return d == std::trunc(d) && d >= double(limits::min()) && d <= double(limits::max());
  } else {
    const double d = v.get<double>();
    return std::isfinite(d) && std::fabs(d) <= double(std::numeric_limits<T>::max());
  }
}

template <typename T>
T field(const nlohmann::json& obj, const char* key, T fallback, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  if constexpr (std::is_arithmetic_v<T>) {
    if (!fits<T>(*it)) bad(where + "." + key, "number out of range");
  }
  try {
    return it->template get<T>();
  } catch (const nlohmann::json::exception&) {
    bad(where + "." + key, "wrong type");
  }
}

double time_field(const nlohmann::json& obj, const char* key, const std::string& where) {
  const double t = field<double>(obj, key, 0.0, where);
  if (!std::isfinite(t) || t < 0) bad(where + "." + key, "time must be a finite number >= 0");
  return t;
}

void check_span(double start_s, double end_s, const std::string& where) {
  if (end_s < start_s) bad(where, "end_s is before start_s");
}

}  // namespace

Transcript transcript_from_json(const nlohmann::json& json) {
  if (!json.is_object()) bad("top level", "expected an object");
  Transcript t;
  t.source = field<std::string>(json, "source", "", "top level");
  t.asr_engine = field<std::string>(json, "asr_engine", "", "top level");
  t.language = field<std::string>(json, "language", "en", "top level");
  t.duration_s = time_field(json, "duration_s", "top level");

  auto speaker_known = [&t](int id) {
    if (id == kNoSpeaker) return true;
    for (const Speaker& s : t.speakers)
      if (s.id == id) return true;
    return false;
  };
  if (auto it = json.find("speakers"); it != json.end()) {
    if (!it->is_array()) bad("speakers", "expected an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string where = "speakers[" + std::to_string(i) + "]";
      const auto& s = (*it)[i];
      if (!s.is_object()) bad(where, "expected an object");
      t.speakers.push_back({field<int>(s, "id", int(i), where), field<std::string>(s, "label", "", where)});
    }
  }
  if (auto it = json.find("segments"); it != json.end()) {
    if (!it->is_array()) bad("segments", "expected an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string where = "segments[" + std::to_string(i) + "]";
      const auto& s = (*it)[i];
      if (!s.is_object()) bad(where, "expected an object");
      Segment seg;
      seg.start_s = time_field(s, "start_s", where);
      seg.end_s = time_field(s, "end_s", where);
      check_span(seg.start_s, seg.end_s, where);
      seg.text = field<std::string>(s, "text", "", where);
      seg.speaker = field<int>(s, "speaker", kNoSpeaker, where);
      if (!speaker_known(seg.speaker)) bad(where + ".speaker", "not in speakers");
      seg.channel = field<int>(s, "channel", 0, where);
      seg.confidence = field<float>(s, "confidence", 1.0f, where);
      if (auto w = s.find("words"); w != s.end() && !w->is_null()) {
        if (!w->is_array()) bad(where + ".words", "expected an array");
        for (std::size_t j = 0; j < w->size(); ++j) {
          const std::string wwhere = where + ".words[" + std::to_string(j) + "]";
          const auto& wj = (*w)[j];
          if (!wj.is_object()) bad(wwhere, "expected an object");
          Word word;
          word.text = field<std::string>(wj, "text", "", wwhere);
          word.start_s = time_field(wj, "start_s", wwhere);
          word.end_s = time_field(wj, "end_s", wwhere);
          check_span(word.start_s, word.end_s, wwhere);
          word.confidence = field<float>(wj, "confidence", 1.0f, wwhere);
          word.speaker = field<int>(wj, "speaker", seg.speaker, wwhere);
          if (!speaker_known(word.speaker)) bad(wwhere + ".speaker", "not in speakers");
          seg.words.push_back(std::move(word));
        }
      }
      if (seg.text.empty())
        for (const Word& word : seg.words) seg.text += (seg.text.empty() ? "" : " ") + word.text;
      t.segments.push_back(std::move(seg));
    }
  }
  return t;
}

}  // namespace hush::meeting
