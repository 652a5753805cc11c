// The OpenAI-style /v1/audio/transcriptions logic (server/transcription_response.h): form
// checking and each response_format, golden-checked on a small hand-made Transcript.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "server/transcription_response.h"
#include "util/error.h"

namespace {

using hush::meeting::Segment;
using hush::meeting::Transcript;
using hush::meeting::Word;
using hush::server::FormFields;
using hush::server::parse_transcription_form;
using hush::server::TranscriptionFormat;
using hush::server::TranscriptionRequest;
using nlohmann::json;

Transcript two_segments() {
  Transcript t;
  Segment a;
  a.start_s = 0.5;
  a.end_s = 1.25;
  a.text = "hello world";
  a.words = {Word{"hello", 0.5, 0.8, 0.9f}, Word{"world", 0.9, 1.25, 0.8f}};
  a.confidence = 0.85f;
  Segment b;
  b.start_s = 2.0;
  b.end_s = 2.5;
  b.text = "good bye";
  b.words = {Word{"good", 2.0, 2.2, 1.0f}, Word{"bye", 2.25, 2.5, 0.5f}};
  b.confidence = 0.75f;
  t.segments = {a, b};
  t.duration_s = 3.0;
  return t;
}

TranscriptionRequest request(TranscriptionFormat format) {
  TranscriptionRequest r;
  r.model = "whisper-1";
  r.format = format;
  return r;
}

std::string error_of(const FormFields& fields) {
  try {
    parse_transcription_form(fields);
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_INVALID_ARGUMENT);
    return e.what();
  }
  return "";
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

TEST(TranscriptionResponse, JsonAndText) {
  const auto j = hush::server::transcription_response(two_segments(), 3.0, request(TranscriptionFormat::json));
  EXPECT_EQ(j.status, 200);
  EXPECT_EQ(j.content_type, "application/json");
  EXPECT_EQ(j.body, R"({"text":"hello world good bye"})");

  const auto t = hush::server::transcription_response(two_segments(), 3.0, request(TranscriptionFormat::text));
  EXPECT_EQ(t.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(t.body, "hello world good bye\n");
}

TEST(TranscriptionResponse, SubtitlesGolden) {
  const auto srt = hush::server::transcription_response(two_segments(), 3.0, request(TranscriptionFormat::srt));
  EXPECT_EQ(srt.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(srt.body,
            "1\n00:00:00,500 --> 00:00:01,250\nhello world\n\n"
            "2\n00:00:02,000 --> 00:00:02,500\ngood bye\n\n");
  const auto vtt = hush::server::transcription_response(two_segments(), 3.0, request(TranscriptionFormat::vtt));
  EXPECT_EQ(vtt.content_type, "text/vtt; charset=utf-8");
  EXPECT_EQ(vtt.body,
            "WEBVTT\n\n"
            "00:00:00.500 --> 00:00:01.250\nhello world\n\n"
            "00:00:02.000 --> 00:00:02.500\ngood bye\n\n");

  // A two-channel recording's speakers stay visible.
  Transcript labelled = two_segments();
  labelled.speakers = {{0, "me"}};
  labelled.segments[0].speaker = 0;
  EXPECT_TRUE(contains(hush::server::transcription_response(labelled, 3.0, request(TranscriptionFormat::srt)).body,
                       "\nme: hello world\n"));
  EXPECT_TRUE(contains(hush::server::transcription_response(labelled, 3.0, request(TranscriptionFormat::vtt)).body,
                       "\n<v me>hello world\n"));
  const json v = json::parse(
      hush::server::transcription_response(labelled, 3.0, request(TranscriptionFormat::verbose_json)).body);
  EXPECT_EQ(v["segments"][0]["speaker"], "me");
  EXPECT_FALSE(v["segments"][1].contains("speaker"));

  // No speech: valid, empty files.
  EXPECT_EQ(hush::server::transcription_response(Transcript{}, 1.0, request(TranscriptionFormat::srt)).body, "");
  EXPECT_EQ(hush::server::transcription_response(Transcript{}, 1.0, request(TranscriptionFormat::vtt)).body, "WEBVTT\n\n");
  EXPECT_EQ(hush::server::transcription_response(Transcript{}, 1.0, request(TranscriptionFormat::json)).body,
            R"({"text":""})");
}

TEST(TranscriptionResponse, VerboseJsonGolden) {
  TranscriptionRequest r = request(TranscriptionFormat::verbose_json);
  const auto response = hush::server::transcription_response(two_segments(), 3.0, r);
  EXPECT_EQ(response.content_type, "application/json");
  const json v = json::parse(response.body);
  EXPECT_EQ(v["task"], "transcribe");
  EXPECT_EQ(v["language"], "english");
  EXPECT_EQ(v["duration"], 3.0);
  EXPECT_EQ(v["text"], "hello world good bye");
  EXPECT_FALSE(v.contains("words"));  // segments only by default
  ASSERT_EQ(v["segments"].size(), 2u);
  const json& s0 = v["segments"][0];
  EXPECT_EQ(s0["id"], 0);
  EXPECT_EQ(s0["seek"], 50);
  EXPECT_EQ(s0["start"], 0.5);
  EXPECT_EQ(s0["end"], 1.25);
  EXPECT_EQ(s0["text"], "hello world");
  EXPECT_EQ(s0["tokens"], json::array());
  EXPECT_EQ(s0["temperature"], 0.0);
  EXPECT_NEAR(s0["avg_logprob"].get<double>(), (std::log(0.9) + std::log(0.8)) / 2, 1e-4);
  EXPECT_GT(s0["compression_ratio"].get<double>(), 0.0);
  EXPECT_EQ(s0["no_speech_prob"], 0.0);
  EXPECT_EQ(v["segments"][1]["id"], 1);
  EXPECT_NEAR(v["segments"][1]["avg_logprob"].get<double>(), std::log(0.5) / 2, 1e-4);

  r.word_timestamps = true;
  const json both = json::parse(hush::server::transcription_response(two_segments(), 3.0, r).body);
  EXPECT_EQ(both["segments"].size(), 2u);
  EXPECT_EQ(both["words"], json::parse(R"([{"word":"hello","start":0.5,"end":0.8},{"word":"world","start":0.9,"end":1.25},
                                          {"word":"good","start":2.0,"end":2.2},{"word":"bye","start":2.25,"end":2.5}])"));
  r.segment_timestamps = false;
  const json words_only = json::parse(hush::server::transcription_response(two_segments(), 3.0, r).body);
  EXPECT_FALSE(words_only.contains("segments"));
  EXPECT_EQ(words_only["words"].size(), 4u);
}

TEST(TranscriptionForm, AcceptsWhatOpenAIClientsSend) {
  const TranscriptionRequest d = parse_transcription_form(FormFields{{"model", "whisper-1"}, {"file", "<bytes>"}});
  EXPECT_EQ(d.recognizer, "pocketsphinx");
  EXPECT_EQ(d.format, TranscriptionFormat::json);
  EXPECT_EQ(d.language, "en");
  EXPECT_TRUE(d.segment_timestamps);
  EXPECT_FALSE(d.word_timestamps);

  const TranscriptionRequest v = parse_transcription_form(
      FormFields{{"model", "hush-pocketsphinx"}, {"language", "en"}, {"response_format", "verbose_json"},
                 {"temperature", "0.2"}, {"prompt", "a meeting"}, {"stream", "false"},
                 {"timestamp_granularities[]", "word"}, {"timestamp_granularities[]", "segment"}});
  EXPECT_EQ(v.format, TranscriptionFormat::verbose_json);
  EXPECT_DOUBLE_EQ(v.temperature, 0.2);
  EXPECT_TRUE(v.word_timestamps && v.segment_timestamps);

  const TranscriptionRequest w = parse_transcription_form(
      FormFields{{"model", "whisper-1"}, {"response_format", "verbose_json"}, {"timestamp_granularities[]", "word"}});
  EXPECT_TRUE(w.word_timestamps);
  EXPECT_FALSE(w.segment_timestamps);

  // The map form (one value per field): several granularities joined by commas.
  const TranscriptionRequest m = parse_transcription_form(std::map<std::string, std::string>{
      {"model", "hush"}, {"response_format", "verbose_json"}, {"timestamp_granularities[]", "word,segment"}});
  EXPECT_TRUE(m.word_timestamps && m.segment_timestamps);
  for (const char* f : {"json", "text", "srt", "verbose_json", "vtt"})
    EXPECT_NO_THROW(parse_transcription_form(FormFields{{"model", "whisper-1"}, {"response_format", f}})) << f;
}

TEST(TranscriptionForm, RefusesWithClearMessages) {
  EXPECT_TRUE(contains(error_of({}), "model is required"));
  EXPECT_TRUE(contains(error_of({{"model", "gpt-4o-transcribe"}}), "hush-pocketsphinx"));
  EXPECT_TRUE(contains(error_of({{"model", "whisper-1"}, {"language", "fr"}}), "English only"));
  const std::string format = error_of({{"model", "whisper-1"}, {"response_format", "xml"}});
  EXPECT_TRUE(contains(format, "'xml'")) << format;
  EXPECT_TRUE(contains(format, "json, text, srt, verbose_json, vtt")) << format;
  EXPECT_TRUE(contains(error_of({{"model", "whisper-1"}, {"temperature", "warm"}}), "from 0 to 1"));
  EXPECT_TRUE(contains(error_of({{"model", "whisper-1"}, {"temperature", "1.5"}}), "from 0 to 1"));
  EXPECT_TRUE(contains(error_of({{"model", "whisper-1"}, {"temperature", "nan"}}), "from 0 to 1"));
  EXPECT_TRUE(contains(error_of({{"model", "whisper-1"}, {"timestamp_granularities[]", "word"}}),
                       "needs response_format=verbose_json"));
  EXPECT_TRUE(contains(error_of({{"model", "whisper-1"}, {"response_format", "verbose_json"},
                                 {"timestamp_granularities[]", "char"}}),
                       "word and/or segment"));
  EXPECT_TRUE(contains(error_of({{"model", "whisper-1"}, {"stream", "true"}}), "/v1/listen"));
  const std::string unknown = error_of({{"model", "whisper-1"}, {"best_of", "5"}});
  EXPECT_TRUE(contains(unknown, "unknown field 'best_of'")) << unknown;
  EXPECT_TRUE(contains(unknown, "response_format")) << unknown;
}

}  // namespace
