// Diarization (src/meeting/diarize.h): separating real LibriSpeech speakers (skipped without
// HUSH_DATA), silence, forced speaker counts, assign_speakers, and held-out speaker embeddings.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "audio/audio_file.h"
#include "meeting/diarize.h"
#include "meeting/speaker_model.h"
#include "meeting/speaker_model_data.h"
#include "metrics/der.h"
#include "util/error.h"

namespace {

namespace fs = std::filesystem;
using namespace hush::meeting;

// Never trained on: the last 20 files of librispeech-speakers (train/speaker_lda.py HELD_OUT).
const std::vector<std::string> kHeldOut = {"8312-279790-0000", "8324-286681-0000", "8419-286667-0000",
                                           "8425-246962-0000", "8465-246940-0000", "8468-286673-0000",
                                           "8580-287363-0000", "8609-262281-0000", "8629-261139-0000",
                                           "8630-305212-0000", "87-121553-0000",   "8747-293952-0000"};

fs::path speakers_dir() { return fs::path(HUSH_DATA_DIR) / "speech" / "librispeech-speakers"; }

std::vector<float> load(const std::string& stem) {
  const auto a = hush::audio::read_audio((speakers_dir() / (stem + ".flac")).string());
  return a.channel(0);
}

std::vector<float> slice(const std::vector<float>& x, double from_s, double to_s) {
  const auto a = std::min(x.size(), static_cast<std::size_t>(from_s * 16000));
  const auto b = std::min(x.size(), static_cast<std::size_t>(to_s * 16000));
  return {x.begin() + static_cast<std::ptrdiff_t>(a), x.begin() + static_cast<std::ptrdiff_t>(b)};
}

TEST(diarize, SeparatesTwoRealSpeakers) {
  if (!fs::exists(speakers_dir())) GTEST_SKIP() << "no HUSH_DATA";
  const auto a = load(kHeldOut[0]), b = load(kHeldOut[10]);
  // A 8 s, B 8 s, A 6 s, B 6 s, with 0.5 s pauses.
  std::vector<float> mix;
  std::vector<hush::metrics::RttmSegment> ref;
  const auto add = [&](const std::vector<float>& part, const std::string& who) {
    const double start = double(mix.size()) / 16000;
    mix.insert(mix.end(), part.begin(), part.end());
    ref.push_back({start, double(mix.size()) / 16000, who});
    mix.insert(mix.end(), 8000, 0.0f);
  };
  add(slice(a, 0, 8), "A");
  add(slice(b, 0, 8), "B");
  add(slice(a, 8, 14), "A");
  add(slice(b, 8, 14), "B");
  const double total_s = double(mix.size()) / 16000;
  for (const int n : {2, 0}) {
    const auto turns = diarize(mix, {.num_speakers = n});
    std::vector<hush::metrics::RttmSegment> hyp;
    int speakers = 0;
    for (const auto& t : turns) {
      hyp.push_back({t.start_s, t.end_s, std::to_string(t.speaker)});
      speakers = std::max(speakers, t.speaker + 1);
      EXPECT_LT(t.start_s, t.end_s);
    }
    const double der = hush::metrics::score_der(ref, hyp, {{0.0, total_s}}).der();
    std::printf("num_speakers %d: DER %.3f, %d speakers\n", n, der, speakers);
    EXPECT_LT(der, n == 2 ? 0.15 : 0.25) << "num_speakers " << n << ", found " << speakers;
    if (n == 2) {
      EXPECT_EQ(speakers, 2);
    }
  }
}

TEST(diarize, SilenceGivesNoTurns) {
  EXPECT_TRUE(diarize(std::vector<float>(16000 * 5, 0.0f), {}).empty());
  EXPECT_TRUE(diarize(std::vector<float>{}, {}).empty());
  EXPECT_TRUE(diarize(std::vector<float>(100, 0.5f), {}).empty());
}

TEST(diarize, OneSpeakerRequestedGivesOneSpeaker) {
  if (!fs::exists(speakers_dir())) GTEST_SKIP() << "no HUSH_DATA";
  auto mix = slice(load(kHeldOut[1]), 0, 8);
  const auto b = slice(load(kHeldOut[2]), 0, 8);
  mix.insert(mix.end(), b.begin(), b.end());
  const auto turns = diarize(mix, {.num_speakers = 1});
  ASSERT_FALSE(turns.empty());
  for (const auto& t : turns) EXPECT_EQ(t.speaker, 0);
}

TEST(diarize, RejectsBadOptions) {
  EXPECT_THROW(diarize(std::vector<float>(16000, 0.0f), {.num_speakers = -1}), hush::Error);
  EXPECT_THROW(diarize(std::vector<float>(16000, 0.0f), {.max_speakers = 0}), hush::Error);
}

Transcript two_speaker_transcript() {
  Transcript t;
  t.speakers = {{0, "me"}};
  Segment s;
  s.start_s = 0.0;
  s.end_s = 4.0;
  s.channel = 1;
  const char* words[] = {"hello", "there", "yes", "indeed"};
  for (int i = 0; i < 4; ++i) s.words.push_back({words[i], i * 1.0, i * 1.0 + 0.8, 0.5f + 0.1f * float(i), kNoSpeaker});
  s.text = "hello there yes indeed";
  t.segments.push_back(s);
  Segment mine;
  mine.channel = 0;
  mine.speaker = 0;
  mine.text = "mine";
  mine.words.push_back({"mine", 5.0, 5.5, 1.0f, 0});
  mine.start_s = 5.0;
  mine.end_s = 5.5;
  t.segments.push_back(mine);
  return t;
}

TEST(diarize, AssignSpeakersSplitsAtSpeakerChange) {
  Transcript t = two_speaker_transcript();
  // Turn speaker 3 speaks 0..1.9, speaker 5 from 1.9 on: "hello" -> 3, the rest -> 5.
  assign_speakers(t, {{0.0, 1.9, 3}, {1.9, 4.0, 5}}, 1, "S");
  ASSERT_EQ(t.speakers.size(), 3u);
  EXPECT_EQ(t.speakers[1].id, 1);
  EXPECT_EQ(t.speakers[1].label, "S1");
  EXPECT_EQ(t.speakers[2].label, "S2");
  ASSERT_EQ(t.segments.size(), 3u);
  EXPECT_EQ(t.segments[0].text, "hello there");
  EXPECT_EQ(t.segments[0].speaker, 1);
  EXPECT_EQ(t.segments[1].text, "yes indeed");
  EXPECT_EQ(t.segments[1].speaker, 2);
  EXPECT_DOUBLE_EQ(t.segments[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(t.segments[0].end_s, 1.8);
  EXPECT_DOUBLE_EQ(t.segments[1].start_s, 2.0);
  EXPECT_DOUBLE_EQ(t.segments[1].end_s, 4.0);
  EXPECT_NEAR(t.segments[1].confidence, 0.75f, 1e-6);
  for (const auto& w : t.segments[1].words) EXPECT_EQ(w.speaker, 2);
  // The other channel is untouched and order is kept.
  EXPECT_EQ(t.segments[2].text, "mine");
  EXPECT_EQ(t.segments[2].speaker, 0);
  // "there" (1.0..1.8) overlaps speaker 3 only; a word in a gap takes the nearest turn.
  Transcript g = two_speaker_transcript();
  assign_speakers(g, {{0.0, 0.5, 0}, {3.5, 4.0, 1}}, 1, "S");
  EXPECT_EQ(g.segments[0].words[1].speaker, g.segments[0].speaker);
  EXPECT_EQ(g.segments[1].words.front().text, "yes");
  // No turns: nothing changes.
  Transcript u = two_speaker_transcript();
  assign_speakers(u, {}, 1, "S");
  EXPECT_EQ(u.speakers.size(), 1u);
  EXPECT_EQ(u.segments.size(), 2u);
}

TEST(diarize, HeldOutSpeakersAreMoreSimilarToThemselves) {
  if (!fs::exists(speakers_dir())) GTEST_SKIP() << "no HUSH_DATA";
  // Two halves of each held-out utterance: first half vs second half of the same speaker must
  // score above first half vs other speakers' second halves.
  std::vector<std::vector<float>> first, second;
  for (const auto& stem : kHeldOut) {
    const auto x = load(stem);
    const double half_s = double(x.size()) / 32000;
    first.push_back(speaker_embedding(slice(x, 0, half_s)));
    second.push_back(speaker_embedding(slice(x, half_s, 2 * half_s)));
  }
  int correct = 0, trials = 0;
  double same = 0, different = 0;
  for (std::size_t i = 0; i < first.size(); ++i)
    for (std::size_t j = 0; j < second.size(); ++j) {
      if (i == j) continue;
      const float s_same = speaker_similarity(first[i], second[i]);
      const float s_diff = speaker_similarity(first[i], second[j]);
      correct += s_same > s_diff;
      ++trials;
      same += s_same;
      different += s_diff;
    }
  EXPECT_GT(same / trials, different / trials + 0.2);
  EXPECT_GT(double(correct) / trials, 0.9) << correct << " of " << trials;
  EXPECT_THROW(speaker_similarity(first[0], std::vector<float>(3)), hush::Error);
  EXPECT_EQ(speaker_similarity(first[0], std::vector<float>(first[0].size(), 0.0f)), 0.0f);
}

TEST(diarize, SpeakerModelRejectsMalformedFiles) {
  const auto good = builtin_speaker_model_bytes();
  const std::vector<std::uint8_t> bytes(good.begin(), good.end());
  EXPECT_NO_THROW(SpeakerModel::from_bytes(bytes));
  const auto expect_format = [](const std::vector<std::uint8_t>& b) {
    try {
      SpeakerModel::from_bytes(b);
      FAIL() << "accepted a malformed model";
    } catch (const hush::Error& e) {
      EXPECT_EQ(e.code(), HUSH_ERR_FORMAT) << e.what();
    }
  };
  expect_format({});
  expect_format(std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + 100));  // truncated
  auto flipped = bytes;
  flipped[bytes.size() - 5] ^= 0x40;  // CRC mismatch
  expect_format(flipped);
  // The denoiser's model is a valid .hnn of the wrong architecture.
  std::ifstream in(std::string(HUSH_SOURCE_DIR) + "/models/hushnet-v3.hnn", std::ios::binary);
  const std::vector<std::uint8_t> other((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!other.empty()) expect_format(other);
  // Found by fuzz/fuzz_speaker_model: metadata whose architecture is not a string threw json's
  // type_error out of the parser. Same length, so only the CRC needs fixing.
  auto numeric = bytes;
  const std::string from = "\"speaker-lda\"", to = "12345678901  ";
  const auto at = std::search(numeric.begin(), numeric.end(), from.begin(), from.end());
  ASSERT_NE(at, numeric.end());
  std::copy(to.begin(), to.end(), at);
  const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), numeric.data() + 40,
                                                    static_cast<uInt>(numeric.size() - 40)));
  for (int i = 0; i < 4; ++i) numeric[32 + std::size_t(i)] = static_cast<std::uint8_t>(crc >> (8 * i));
  expect_format(numeric);
}

}  // namespace
