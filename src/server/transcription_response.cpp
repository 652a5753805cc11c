#include "server/transcription_response.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "meeting/transcript_export.h"
#include "util/error.h"

namespace hush::server {
namespace {

using nlohmann::json;

double ms_round(double seconds) { return std::isfinite(seconds) ? std::round(seconds * 1000.0) / 1000.0 : 0.0; }
double round4(double x) { return std::isfinite(x) ? std::round(x * 10000.0) / 10000.0 : 0.0; }

// Whisper's convention: one running text, segments joined by single spaces.
std::string joined_text(const meeting::Transcript& t) {
  std::string text;
  for (const meeting::Segment& s : t.segments) {
    if (s.text.empty()) continue;
    if (!text.empty()) text += ' ';
    text += s.text;
  }
  return text;
}

// OpenAI reports the language by its English name.
std::string language_name(const std::string& code) {
  if (code == "en" || code.starts_with("en-")) return "english";
  return code;
}

double avg_logprob(const meeting::Segment& s) {
  if (s.words.empty()) return std::log(std::max(0.0001, double(s.confidence)));
  double sum = 0.0;
  for (const meeting::Word& w : s.words) sum += std::log(std::max(0.0001, double(w.confidence)));
  return sum / double(s.words.size());
}

// Whisper's repetition check: UTF-8 bytes over their zlib-compressed size.
double compression_ratio(const std::string& text) {
  if (text.empty()) return 0.0;
  uLongf size = compressBound(static_cast<uLong>(text.size()));
  std::vector<Bytef> out(size);
  if (compress(out.data(), &size, reinterpret_cast<const Bytef*>(text.data()), static_cast<uLong>(text.size())) != Z_OK ||
      size == 0)
    return 0.0;
  return double(text.size()) / double(size);
}

std::string verbose_json(const meeting::Transcript& t, double duration_s, const TranscriptionRequest& request) {
  json body = {{"task", "transcribe"},
               {"language", language_name(request.language)},
               {"duration", ms_round(duration_s)},
               {"text", joined_text(t)}};
  if (request.segment_timestamps) {
    json segments = json::array();
    int id = 0;
    for (const meeting::Segment& s : t.segments) {
      json segment = {{"id", id++},
                      {"seek", std::llround(std::max(0.0, s.start_s) * 100.0)},
                      {"start", ms_round(s.start_s)},
                      {"end", ms_round(s.end_s)},
                      {"text", s.text},
                      {"tokens", json::array()},
                      {"temperature", 0.0},
                      {"avg_logprob", round4(avg_logprob(s))},
                      {"compression_ratio", round4(compression_ratio(s.text))},
                      {"no_speech_prob", 0.0}};
      if (const std::string label = t.speaker_label(s.speaker); !label.empty()) segment["speaker"] = label;
      segments.push_back(std::move(segment));
    }
    body["segments"] = std::move(segments);
  }
  if (request.word_timestamps) {
    json words = json::array();
    for (const meeting::Segment& s : t.segments)
      for (const meeting::Word& w : s.words)
        words.push_back({{"word", w.text}, {"start", ms_round(w.start_s)}, {"end", ms_round(w.end_s)}});
    body["words"] = std::move(words);
  }
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

TranscriptionFormat transcription_format_from_name(std::string_view name) {
  if (name == "json") return TranscriptionFormat::json;
  if (name == "text") return TranscriptionFormat::text;
  if (name == "srt") return TranscriptionFormat::srt;
  if (name == "verbose_json") return TranscriptionFormat::verbose_json;
  if (name == "vtt") return TranscriptionFormat::vtt;
  throw Error(HUSH_ERR_INVALID_ARGUMENT,
              "response_format '" + std::string(name.substr(0, 64)) + "' is not supported; use one of: " + kTranscriptionFormats);
}

HttpResponse transcription_response(const meeting::Transcript& transcript, double duration_s,
                                    const TranscriptionRequest& request) {
  HttpResponse response;  // built field by field: 200 and the content type of each format
  switch (request.format) {
    case TranscriptionFormat::json:
      response.body = json{{"text", joined_text(transcript)}}.dump(-1, ' ', false, json::error_handler_t::replace);
      break;
    case TranscriptionFormat::text:
      response.content_type = "text/plain; charset=utf-8";
      response.body = joined_text(transcript) + "\n";
      break;
    case TranscriptionFormat::srt:
      response.content_type = "text/plain; charset=utf-8";  // SubRip has no registered media type
      response.body = meeting::export_transcript(transcript, meeting::ExportFormat::srt);
      break;
    case TranscriptionFormat::vtt:
      response.content_type = "text/vtt; charset=utf-8";
      response.body = meeting::export_transcript(transcript, meeting::ExportFormat::vtt);
      break;
    case TranscriptionFormat::verbose_json:
      response.body = verbose_json(transcript, duration_s, request);
      break;
  }
  return response;
}

}  // namespace hush::server
