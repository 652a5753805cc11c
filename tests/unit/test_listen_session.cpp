// The Deepgram-style live protocol (server/listen_options.h, server/listen_session.h) without
// networking: query checking, then real speech (a LibriSpeech utterance from HUSH_DATA_DIR, as
// linear16 in 20 ms messages at 16, 8 and 48 kHz) through a ListenSession, checking the JSON
// messages a client would receive. Tests that need the speech skip when the data is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "audio/audio_file.h"
#include "audio/resample.h"
#include "server/listen_options.h"
#include "server/listen_session.h"
#include "util/error.h"

namespace {

using hush::server::ListenOptions;
using hush::server::ListenSession;
using hush::server::parse_listen_options;
using nlohmann::json;

const std::string kUtt = std::string(HUSH_DATA_DIR) + "/speech/librispeech-mini/6272/70171/6272-70171-0021.flac";
const std::string kRef = "it was byron and turning over the leaves till i came to don juan i read it through";

#define REQUIRE_DATA(path) \
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << (path) << " (set HUSH_DATA)"

// The message of the hush::Error that f throws ("" when it throws none).
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_INVALID_ARGUMENT);
    return e.what();
  }
  return "";
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// ---- query parameters ----------------------------------------------------------------------

TEST(ListenOptions, AcceptsTheUsualQuery) {
  const ListenOptions o = parse_listen_options({{"encoding", "linear16"}, {"sample_rate", "8000"}, {"channels", "2"},
                                                {"interim_results", "true"}, {"diarize", "true"}, {"punctuate", "true"},
                                                {"vad_events", "true"}, {"utterance_end_ms", "1000"},
                                                {"endpointing", "300"}, {"denoise", "true"}, {"language", "en-US"},
                                                {"model", "nova-2-general"}});
  EXPECT_EQ(o.sample_rate_hz, 8000);
  EXPECT_EQ(o.channels, 2);
  EXPECT_TRUE(o.interim_results && o.diarize && o.punctuate && o.vad_events && o.denoise && o.endpointing);
  EXPECT_EQ(o.utterance_end_ms, 1000);
  EXPECT_EQ(o.endpointing_ms, 300);
  EXPECT_EQ(o.language, "en-US");
  EXPECT_EQ(o.model, "nova-2-general");
  EXPECT_DOUBLE_EQ(hush::server::endpointing_pause_s(o), 0.3);

  const ListenOptions d = parse_listen_options({{"encoding", "linear16"}, {"sample_rate", "44100"}});
  EXPECT_EQ(d.channels, 1);
  EXPECT_FALSE(d.interim_results || d.diarize || d.vad_events || d.denoise || d.utterance_end_ms);
  EXPECT_DOUBLE_EQ(hush::server::endpointing_pause_s(d), hush::server::kDefaultEndpointingS);

  const ListenOptions off = parse_listen_options({{"encoding", "linear16"}, {"sample_rate", "16000"}, {"endpointing", "false"}});
  EXPECT_FALSE(off.endpointing);
  const ListenOptions tiny = parse_listen_options({{"encoding", "linear16"}, {"sample_rate", "16000"}, {"endpointing", "10"}});
  EXPECT_DOUBLE_EQ(hush::server::endpointing_pause_s(tiny), 0.3);  // raised to the floor

  EXPECT_EQ(o.denoise_engine, HUSH_ENGINE_DEFAULT);  // true: the default engine
  for (const auto& [value, engine] : {std::pair{"spectral", HUSH_ENGINE_SPECTRAL}, {"neural", HUSH_ENGINE_NEURAL}}) {
    const ListenOptions e = parse_listen_options({{"encoding", "linear16"}, {"sample_rate", "16000"}, {"denoise", value}});
    EXPECT_TRUE(e.denoise) << value;
    EXPECT_EQ(e.denoise_engine, engine) << value;
  }
}

TEST(ListenOptions, RefusesWhatItCannotDoWithAClearMessage) {
  using Q = std::map<std::string, std::string>;
  const auto err = [](Q q) { return error_of([&] { parse_listen_options(q); }); };
  const Q base = {{"encoding", "linear16"}, {"sample_rate", "16000"}};
  const auto with = [&](const std::string& k, const std::string& v) {
    Q q = base;
    q[k] = v;
    return q;
  };
  EXPECT_TRUE(contains(err({{"sample_rate", "16000"}}), "encoding is required"));
  EXPECT_TRUE(contains(err(with("encoding", "opus")), "only linear16"));
  EXPECT_TRUE(contains(err({{"encoding", "linear16"}}), "sample_rate is required"));
  EXPECT_TRUE(contains(err(with("sample_rate", "11025")), "8000, 16000"));
  EXPECT_TRUE(contains(err(with("sample_rate", "16k")), "sample_rate=16k"));
  EXPECT_TRUE(contains(err(with("denoise", "yes")), "true (the default engine), neural, spectral or false"));
  EXPECT_TRUE(contains(err(with("channels", "3")), "channels=3"));
  EXPECT_TRUE(contains(err(with("multichannel", "true")), "multichannel=true is not supported"));
  EXPECT_TRUE(contains(err(with("interim_results", "True")), "use true or false"));
  EXPECT_TRUE(contains(err(with("diarize", "1")), "use true or false"));
  EXPECT_TRUE(contains(err(with("utterance_end_ms", "500")), "1000 to 60000"));
  EXPECT_TRUE(contains(err(with("endpointing", "-5")), "or false"));
  EXPECT_TRUE(contains(err(with("language", "de")), "English only"));
  EXPECT_TRUE(contains(err(with("model", "whisper-large")), "hush-pocketsphinx"));
  EXPECT_TRUE(contains(err(with("finals", "slow")), "use fast or accurate"));
  const std::string unknown = err(with("callback", "http://x"));
  EXPECT_TRUE(contains(unknown, "unknown query parameter 'callback'")) << unknown;
  EXPECT_TRUE(contains(unknown, "encoding, sample_rate")) << unknown;  // lists what is accepted
}

// ---- the session ---------------------------------------------------------------------------

ListenOptions options(int rate_hz) {
  ListenOptions o;
  o.sample_rate_hz = rate_hz;
  return o;
}

// Speech at `rate_hz` as 16-bit samples: 0.5 s of quiet noise, the utterance, 1.5 s of quiet
// noise (so the utterance ends by a pause, not by CloseStream).
std::vector<std::int16_t> speech_pcm(int rate_hz) {
  const hush::audio::AudioBuffer a = hush::audio::read_audio(kUtt);
  std::vector<float> x = a.channel(0);
  if (rate_hz != a.sample_rate_hz) x = hush::audio::resample(x, 1, a.sample_rate_hz, rate_hz);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> dither(-3, 3);
  std::vector<std::int16_t> pcm;
  const auto quiet = [&](double seconds) {
    for (long i = 0; i < std::lround(seconds * rate_hz); ++i) pcm.push_back(static_cast<std::int16_t>(dither(rng)));
  };
  quiet(0.5);
  for (const float v : x) pcm.push_back(static_cast<std::int16_t>(std::clamp(v * 32767.0f, -32768.0f, 32767.0f)));
  quiet(1.5);
  return pcm;
}

std::vector<std::byte> le_bytes(const std::vector<std::int16_t>& pcm) {
  std::vector<std::byte> bytes(pcm.size() * 2);
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const auto u = static_cast<std::uint16_t>(pcm[i]);
    bytes[2 * i] = static_cast<std::byte>(u & 0xff);
    bytes[2 * i + 1] = static_cast<std::byte>(u >> 8);
  }
  return bytes;
}

struct Client {
  std::vector<json> messages;
  ListenSession::Emit emit() {
    return [this](std::string text) {
      json m = json::parse(text, nullptr, false);
      ASSERT_FALSE(m.is_discarded()) << text;
      messages.push_back(std::move(m));
    };
  }
  std::vector<json> of_type(const std::string& type) const {
    std::vector<json> out;
    for (const json& m : messages)
      if (m["type"] == type) out.push_back(m);
    return out;
  }
  std::vector<json> finals() const {
    std::vector<json> out;
    for (const json& m : of_type("Results"))
      if (m["is_final"].get<bool>()) out.push_back(m);
    return out;
  }
  std::string final_text() const {
    std::string text;
    for (const json& m : finals()) {
      const std::string t = m["channel"]["alternatives"][0]["transcript"];
      if (!t.empty()) text += (text.empty() ? "" : " ") + t;
    }
    return text;
  }
};

// Sends the bytes in messages of `sizes` bytes (cycled).
void send(ListenSession& s, const std::vector<std::byte>& bytes, const std::vector<std::size_t>& sizes) {
  std::size_t pos = 0, k = 0;
  while (pos < bytes.size()) {
    const std::size_t n = std::min(sizes[k++ % sizes.size()], bytes.size() - pos);
    s.on_binary(std::span<const std::byte>(bytes).subspan(pos, n));
    pos += n;
  }
}

// The fraction of the reference's words that the hypothesis contains.
double recall(const std::string& hypothesis) {
  std::set<std::string> said;
  std::istringstream h(hypothesis);
  for (std::string w; h >> w;) said.insert(w);
  std::istringstream r(kRef);
  int found = 0, total = 0;
  for (std::string w; r >> w; ++total) found += said.count(w) ? 1 : 0;
  return double(found) / total;
}

// Word times increase, lie in the audio and inside each final's span; spans tile the stream.
void expect_sane_times(const Client& c, double audio_s, bool with_speaker) {
  double last_end = 0.0, span_end = 0.0;
  for (const json& m : c.finals()) {
    const double start = m["start"], duration = m["duration"];
    EXPECT_NEAR(start, span_end, 0.011);
    span_end = start + duration;
    for (const json& w : m["channel"]["alternatives"][0]["words"]) {
      const double ws = w["start"], we = w["end"];
      EXPECT_GE(ws, last_end - 1e-9) << w;
      EXPECT_GE(we, ws) << w;
      EXPECT_LE(we, audio_s + 1e-3) << w;
      EXPECT_GE(ws, start - 1e-3) << w;
      EXPECT_LE(we, span_end + 1e-3) << w;
      EXPECT_EQ(w["word"], w["punctuated_word"]);
      EXPECT_EQ(w.contains("speaker"), with_speaker) << w;
      if (with_speaker) {
        EXPECT_EQ(w["speaker"], 0);
      }
      last_end = we;
    }
  }
  EXPECT_LE(span_end, audio_s + 1e-3);
}

TEST(ListenSession, InterimThenFinalWithEventsAt16k) {
  REQUIRE_DATA(kUtt);
  ListenOptions o = options(16000);
  o.interim_results = true;
  o.vad_events = true;
  o.diarize = true;
  o.utterance_end_ms = 1000;
  Client c;
  ListenSession s(o, c.emit(), {}, "req-1");
  const std::vector<std::int16_t> pcm = speech_pcm(16000);
  const double audio_s = double(pcm.size()) / 16000.0;
  send(s, le_bytes(pcm), {640});  // 20 ms
  EXPECT_FALSE(s.closed());
  ASSERT_FALSE(c.finals().empty());  // the trailing pause ended the utterance before CloseStream
  EXPECT_TRUE(c.finals().front()["speech_final"].get<bool>());
  EXPECT_FALSE(c.finals().front()["from_finalize"].get<bool>());

  // SpeechStarted first, then interim Results, then the final one, then UtteranceEnd.
  ASSERT_GE(c.messages.size(), 4u);
  EXPECT_EQ(c.messages.front()["type"], "SpeechStarted");
  const double first_word_s = c.finals().front()["channel"]["alternatives"][0]["words"][0]["start"];
  EXPECT_NEAR(c.messages.front()["timestamp"].get<double>(), first_word_s, 0.2);
  EXPECT_EQ(c.messages.front()["channel"], json::array({0, 1}));
  const auto first_final = std::find_if(c.messages.begin(), c.messages.end(), [](const json& m) {
    return m["type"] == "Results" && m["is_final"].get<bool>();
  });
  int interims = 0;
  for (auto it = c.messages.begin(); it != first_final; ++it) {
    if ((*it)["type"] != "Results") continue;
    ++interims;
    EXPECT_FALSE((*it)["channel"]["alternatives"][0]["transcript"].get<std::string>().empty());
  }
  EXPECT_GE(interims, 2);
  const std::vector<json> ends = c.of_type("UtteranceEnd");
  ASSERT_EQ(ends.size(), 1u);
  const json last_words = c.finals().back()["channel"]["alternatives"][0]["words"];
  EXPECT_NEAR(ends[0]["last_word_end"].get<double>(), last_words.back()["end"].get<double>(), 1e-6);

  const json f = c.finals().front();
  EXPECT_EQ(f["metadata"]["request_id"], "req-1");
  EXPECT_EQ(f["channel_index"], json::array({0, 1}));
  EXPECT_GT(f["channel"]["alternatives"][0]["confidence"].get<double>(), 0.0);
  EXPECT_GE(recall(c.final_text()), 0.5) << c.final_text();
  expect_sane_times(c, audio_s, true);

  // CloseStream: Metadata last, then nothing more is taken.
  s.on_text(R"({"type":"CloseStream"})");
  EXPECT_TRUE(s.closed());
  ASSERT_EQ(c.messages.back()["type"], "Metadata");
  EXPECT_EQ(c.messages.back()["request_id"], "req-1");
  EXPECT_EQ(c.messages.back()["channels"], 1);
  EXPECT_NEAR(c.messages.back()["duration"].get<double>(), audio_s, 1e-3);
  const std::size_t count = c.messages.size();
  send(s, le_bytes(pcm), {640});
  s.on_text(R"({"type":"KeepAlive"})");
  s.finish();
  EXPECT_EQ(c.messages.size(), count);
}

TEST(ListenSession, OtherRatesGiveTheSameWords) {
  REQUIRE_DATA(kUtt);
  for (const int rate : {8000, 48000}) {
    SCOPED_TRACE(rate);
    Client c;
    ListenSession s(options(rate), c.emit());
    const std::vector<std::int16_t> pcm = speech_pcm(rate);
    send(s, le_bytes(pcm), {std::size_t(rate / 50) * 2});
    s.finish();
    EXPECT_TRUE(s.closed());
    EXPECT_TRUE(c.of_type("SpeechStarted").empty());  // not asked for
    EXPECT_TRUE(c.of_type("UtteranceEnd").empty());
    for (const json& m : c.of_type("Results")) EXPECT_TRUE(m["is_final"].get<bool>());  // no interims asked
    EXPECT_GE(recall(c.final_text()), 0.5) << c.final_text();
    expect_sane_times(c, double(pcm.size()) / rate, false);
    EXPECT_EQ(c.messages.back()["type"], "Metadata");
  }
}

// finals=accurate decodes each utterance once more, whole: the words a file upload gets. The
// default (fast) takes the words decoded while the audio arrived. Both hear the utterance.
TEST(ListenSession, FastAndAccurateFinalsBothHearTheUtterance) {
  REQUIRE_DATA(kUtt);
  const std::vector<std::int16_t> pcm = speech_pcm(16000);
  std::string texts[2];
  for (const bool accurate : {false, true}) {
    SCOPED_TRACE(accurate ? "accurate" : "fast");
    ListenOptions o = parse_listen_options(
        {{"encoding", "linear16"}, {"sample_rate", "16000"}, {"finals", accurate ? "accurate" : "fast"}});
    EXPECT_EQ(o.accurate_finals, accurate);
    Client c;
    ListenSession s(o, c.emit());
    send(s, le_bytes(pcm), {640});
    s.finish();
    EXPECT_GE(recall(c.final_text()), 0.6) << c.final_text();
    expect_sane_times(c, double(pcm.size()) / 16000, false);
    texts[accurate ? 1 : 0] = c.final_text();
  }
  std::printf("fast:     %s\naccurate: %s\n", texts[0].c_str(), texts[1].c_str());
}

TEST(ListenSession, EachDenoiserEngineKeepsTheWords) {
  REQUIRE_DATA(kUtt);
  const std::vector<std::int16_t> pcm = speech_pcm(16000);
  for (const char* engine : {"spectral", "neural"}) {
    SCOPED_TRACE(engine);
    Client c;
    ListenSession s(parse_listen_options({{"encoding", "linear16"}, {"sample_rate", "16000"}, {"denoise", engine}}),
                    c.emit());
    send(s, le_bytes(pcm), {640});
    s.finish();
    // Without a denoiser this utterance scores 0.61 (FastAndAccurateFinals...); the neural one
    // changes one word of it ("came" -> "him"), so the bar is a little lower.
    EXPECT_GE(recall(c.final_text()), 0.5) << c.final_text();
  }
}

TEST(ListenSession, OddByteSplitsAndStereoChangeNothing) {
  REQUIRE_DATA(kUtt);
  const std::vector<std::int16_t> pcm = speech_pcm(16000);
  Client even;
  {
    ListenSession s(options(16000), even.emit());
    send(s, le_bytes(pcm), {640});
    s.finish();
  }
  Client odd;
  std::size_t kept = 0;
  {
    ListenSession s(options(16000), odd.emit(), [&](std::span<const std::int16_t> x) { kept += x.size(); });
    send(s, le_bytes(pcm), {641, 1, 333, 7, 1280, 3});
    s.finish();
  }
  EXPECT_EQ(kept, pcm.size());  // keep_audio saw every sample, once
  ASSERT_FALSE(even.final_text().empty());
  EXPECT_EQ(odd.final_text(), even.final_text());

  // The same speech on both channels, split mid-frame: mixed down, the same words.
  std::vector<std::int16_t> stereo;
  for (const std::int16_t v : pcm) stereo.insert(stereo.end(), {v, v});
  ListenOptions o = options(16000);
  o.channels = 2;
  Client mixed;
  ListenSession s(o, mixed.emit());
  send(s, le_bytes(stereo), {1279, 5, 2});
  s.finish();
  EXPECT_EQ(mixed.final_text(), even.final_text());
  EXPECT_EQ(mixed.messages.back()["channels"], 2);
}

TEST(ListenSession, FinalizeFlushesAndTheStreamGoesOn) {
  REQUIRE_DATA(kUtt);
  const std::vector<std::int16_t> pcm = speech_pcm(16000);
  const std::vector<std::byte> bytes = le_bytes(pcm);
  const std::size_t cut = 2 * 16000 * 3;  // 3 s in: mid-sentence
  Client c;
  ListenSession s(options(16000), c.emit());
  send(s, std::vector<std::byte>(bytes.begin(), bytes.begin() + cut), {640});
  EXPECT_TRUE(c.finals().empty());  // nobody paused yet
  s.on_text(R"({"type":"Finalize"})");
  ASSERT_EQ(c.finals().size(), 1u);
  const json first = c.finals()[0];
  EXPECT_TRUE(first["from_finalize"].get<bool>());
  EXPECT_FALSE(first["speech_final"].get<bool>());
  EXPECT_FALSE(first["channel"]["alternatives"][0]["transcript"].get<std::string>().empty());
  EXPECT_FALSE(s.closed());

  send(s, std::vector<std::byte>(bytes.begin() + cut, bytes.end()), {640});
  s.on_text(R"({"type":"CloseStream"})");
  ASSERT_GE(c.finals().size(), 2u);
  const json second_words = c.finals()[1]["channel"]["alternatives"][0]["words"];
  ASSERT_FALSE(second_words.empty());
  EXPECT_GE(second_words.front()["start"].get<double>(), 3.0 - 1e-3);  // times continue after Finalize
  EXPECT_GE(recall(c.final_text()), 0.4) << c.final_text();
  expect_sane_times(c, double(pcm.size()) / 16000.0, false);
  EXPECT_NEAR(c.messages.back()["duration"].get<double>(), double(pcm.size()) / 16000.0, 1e-3);
}

TEST(ListenSession, ControlMessages) {
  Client c;
  ListenSession s(options(16000), c.emit());
  EXPECT_EQ(s.request_id().size(), 36u);  // a UUID
  ListenOptions bad = options(16000);
  bad.channels = 0;
  EXPECT_THROW(ListenSession(bad, c.emit()), hush::Error);
  s.on_text(R"({"type":"KeepAlive"})");
  EXPECT_TRUE(c.messages.empty());

  s.on_text("{not json");
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0]["type"], "Error");
  EXPECT_TRUE(contains(c.messages[0]["description"], "KeepAlive"));
  s.on_text(R"({"type":"Configure"})");
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_TRUE(contains(c.messages[1]["description"], "unknown message type 'Configure'"));
  s.on_text("[1,2]");
  s.on_text(std::string("{\"type\":\"\xff\xfe\"}"));  // invalid UTF-8 is answered, not thrown
  EXPECT_EQ(c.messages.size(), 4u);
  EXPECT_FALSE(s.closed());

  // Finalize with nothing buffered still answers, so a waiting client is not left hanging.
  std::vector<std::byte> quiet(2 * 1600);  // 100 ms of zeros
  s.on_binary(quiet);
  s.on_text(R"({"type":"Finalize"})");
  ASSERT_EQ(c.finals().size(), 1u);
  EXPECT_TRUE(c.finals()[0]["from_finalize"].get<bool>());
  EXPECT_EQ(c.finals()[0]["channel"]["alternatives"][0]["transcript"], "");
  EXPECT_NEAR(c.finals()[0]["duration"].get<double>(), 0.1, 1e-6);

  // An empty binary message is Deepgram's older CloseStream.
  s.on_binary({});
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(c.messages.back()["type"], "Metadata");
  EXPECT_NEAR(c.messages.back()["duration"].get<double>(), 0.1, 1e-6);
}

TEST(ListenSession, LongSilenceStaysQuietAndBounded) {
  ListenOptions o = options(48000);
  o.vad_events = true;
  o.utterance_end_ms = 1000;
  o.interim_results = true;
  Client c;
  ListenSession s(o, c.emit());
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> dither(-2, 2);
  std::vector<std::int16_t> chunk(960);
  for (int i = 0; i < 50 * 60; ++i) {  // one minute in 20 ms messages
    for (auto& v : chunk) v = static_cast<std::int16_t>(dither(rng));
    s.on_binary(std::as_bytes(std::span<const std::int16_t>(chunk)));
  }
  s.finish();
  ASSERT_EQ(c.messages.size(), 1u);  // Metadata only
  EXPECT_NEAR(c.messages[0]["duration"].get<double>(), 60.0, 1e-6);
}

}  // namespace
