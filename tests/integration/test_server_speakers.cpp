// A recording's transcript says who spoke when: hushd's job diarizes after transcribing, so
// the API (and the web UI's speaker timeline) gets speakers "Speaker 1", "Speaker 2", ... on
// segments and words. Voices are clustered, never named (naming needs consent: P10).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "../policy/server_fixture.h"
#include "audio/audio_file.h"

namespace hush::test {
namespace {

namespace fs = std::filesystem;

// Two held-out LibriSpeech speakers taking turns: A 8 s, B 8 s, A 6 s, B 6 s (as test_diarize).
std::string two_speaker_wav(const fs::path& scratch) {
  const fs::path dir = fs::path(HUSH_DATA_DIR) / "speech" / "librispeech-speakers";
  const auto a = audio::read_audio((dir / "8312-279790-0000.flac").string());
  const auto b = audio::read_audio((dir / "87-121553-0000.flac").string());
  audio::AudioBuffer mix{16000, 1, {}};
  const auto add = [&](const audio::AudioBuffer& x, double from_s, double to_s) {
    const auto begin = std::min(x.samples.size(), static_cast<std::size_t>(from_s * 16000));
    const auto end = std::min(x.samples.size(), static_cast<std::size_t>(to_s * 16000));
    mix.samples.insert(mix.samples.end(), x.samples.begin() + static_cast<long>(begin),
                       x.samples.begin() + static_cast<long>(end));
    mix.samples.insert(mix.samples.end(), 8000, 0.0f);
  };
  add(a, 0, 8);
  add(b, 0, 8);
  add(a, 8, 14);
  add(b, 8, 14);
  const fs::path path = scratch / "two.wav";
  audio::write_audio(path.string(), mix);
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ServerSpeakers : public HushdFixture {};

TEST_P(ServerSpeakers, ARecordingsTranscriptNamesNoOneButTellsSpeakersApart) {
  if (!fs::exists(fs::path(HUSH_DATA_DIR) / "speech" / "librispeech-speakers")) GTEST_SKIP() << "no HUSH_DATA";
  set_settings(R"({"recording_enabled":true})");
  const Reply created = call("POST", "/v1/recordings", admin_key_,
                             multipart({{"title", "turns"}, {"consent", "true"}}, two_speaker_wav(data_.path())),
                             kMultipartType);
  ASSERT_EQ(created.status, 201) << created.body;
  run_jobs();
  const Reply got = call("GET", "/v1/recordings/" + created.json()["id"].get<std::string>(), admin_key_);
  ASSERT_EQ(got.status, 200) << got.body;
  const auto transcript = got.json()["transcript"];
  ASSERT_TRUE(transcript.is_object()) << got.body.substr(0, 400);
  std::set<int> ids;
  for (const auto& s : transcript["speakers"]) {
    EXPECT_EQ(s["label"].get<std::string>().rfind("Speaker ", 0), 0u) << s;
    ids.insert(s["id"].get<int>());
  }
  EXPECT_GE(ids.size(), 2u) << transcript["speakers"];
  std::set<int> used;
  for (const auto& seg : transcript["segments"]) {
    ASSERT_TRUE(seg.contains("speaker")) << seg;
    used.insert(seg["speaker"].get<int>());
  }
  EXPECT_GE(used.size(), 2u);
  for (const int id : used) EXPECT_TRUE(ids.count(id)) << id;
}

HUSHD_BACKENDS(ServerSpeakers);

}  // namespace
}  // namespace hush::test
