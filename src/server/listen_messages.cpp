#include "server/listen_messages.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>

namespace hush::server {
namespace {

using nlohmann::json;

// Milliseconds are as precise as the recognizer's 10 ms frames allow; rounding also keeps
// 0.30000000000000004 out of the messages.
double ms_round(double seconds) { return std::isfinite(seconds) ? std::round(seconds * 1000.0) / 1000.0 : 0.0; }
double conf_round(double confidence) { return std::isfinite(confidence) ? std::round(confidence * 10000.0) / 10000.0 : 0.0; }

// Invalid UTF-8 (from a client's text echoed in an error) becomes U+FFFD instead of throwing.
std::string dump(const json& message) { return message.dump(-1, ' ', false, json::error_handler_t::replace); }

const json kChannel = json::array({0, 1});  // Deepgram: [this channel, number of channels]

}  // namespace

std::string results_message(const ResultsMessage& r, std::string_view request_id, std::string_view model) {
  json words = json::array();
  for (const meeting::Word& w : r.words) {
    json word = {{"word", w.text},
                 {"start", ms_round(w.start_s)},
                 {"end", ms_round(w.end_s)},
                 {"confidence", conf_round(w.confidence)},
                 {"punctuated_word", w.text}};
    if (r.with_speaker) word["speaker"] = w.speaker < 0 ? 0 : w.speaker;
    words.push_back(std::move(word));
  }
  const json message = {
      {"type", "Results"},
      {"channel_index", kChannel},
      {"duration", ms_round(r.duration_s)},
      {"start", ms_round(r.start_s)},
      {"is_final", r.is_final},
      {"speech_final", r.speech_final},
      {"from_finalize", r.from_finalize},
      {"channel",
       {{"alternatives",
         json::array({{{"transcript", r.transcript}, {"confidence", conf_round(r.confidence)}, {"words", std::move(words)}}})}}},
      {"metadata", {{"request_id", request_id}, {"model_info", {{"name", model}}}}}};
  return dump(message);
}

std::string speech_started_message(double timestamp_s) {
  return dump({{"type", "SpeechStarted"}, {"channel", kChannel}, {"timestamp", ms_round(timestamp_s)}});
}

std::string utterance_end_message(double last_word_end_s) {
  return dump({{"type", "UtteranceEnd"}, {"channel", kChannel}, {"last_word_end", ms_round(last_word_end_s)}});
}

std::string metadata_message(std::string_view request_id, double duration_s, int channels, std::string_view model) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const long long millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char created[64];
  std::snprintf(created, sizeof created, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return dump({{"type", "Metadata"},
               {"transaction_key", "deprecated"},
               {"request_id", request_id},
               {"created", created},
               {"duration", ms_round(duration_s)},
               {"channels", channels},
               {"models", json::array({model})},
               {"model_info", {{model, {{"name", model}}}}}});
}

std::string error_message(std::string_view description, std::string_view variant) {
  return dump({{"type", "Error"}, {"description", description}, {"message", description}, {"variant", variant}});
}

std::string new_request_id() {
  std::random_device random;
  unsigned char b[16];
  for (int i = 0; i < 16; i += 4) {
    const unsigned v = random();
    for (int k = 0; k < 4; ++k) b[i + k] = static_cast<unsigned char>(v >> (8 * k));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

}  // namespace hush::server
