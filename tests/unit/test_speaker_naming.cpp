// Naming diarized speakers after enrolled voice profiles (meeting/speaker_naming.h), on real
// LibriSpeech speakers from HUSH_DATA (skipped without it): a two-speaker conversation where one
// speaker enrolled from a different utterance, no profiles, an impostor profile, two speakers
// wanting one profile, too little speech, and bad profiles.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "audio/audio_file.h"
#include "meeting/diarize.h"
#include "meeting/speaker_naming.h"
#include "util/error.h"

namespace hush::meeting {
namespace {

namespace fs = std::filesystem;

fs::path mini_dir() { return fs::path(HUSH_DATA_DIR) / "speech" / "librispeech-mini"; }

std::vector<float> load(const std::string& stem) {  // "6272-70171-0000"
  const std::string spk = stem.substr(0, stem.find('-'));
  const std::string chapter = stem.substr(spk.size() + 1, stem.rfind('-') - spk.size() - 1);
  return audio::read_audio((mini_dir() / spk / chapter / (stem + ".flac")).string()).channel(0);
}

std::vector<float> concat(const std::vector<float>& a, const std::vector<float>& b) {
  std::vector<float> out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// Alternating turns of up to 4 s from a and b, 0.3 s apart; one wordless segment per turn,
// speakers left unset, so diarize() + assign_speakers() decide who is who.
struct Conversation {
  std::vector<float> audio;
  Transcript transcript;
  std::vector<int> true_speaker;  // per segment: 0 = a, 1 = b
};

Conversation converse(const std::vector<float>& a, const std::vector<float>& b) {
  constexpr std::size_t kTurn = 4 * 16000, kGap = 16000 * 3 / 10;
  Conversation c;
  std::size_t pos[2] = {0, 0};
  const std::vector<float>* src[2] = {&a, &b};
  for (int k = 0; pos[0] < a.size() || pos[1] < b.size(); k ^= 1) {
    const std::size_t n = std::min(kTurn, src[k]->size() - pos[k]);
    if (n == 0) continue;
    Segment s;
    s.start_s = double(c.audio.size()) / 16000.0;
    c.audio.insert(c.audio.end(), src[k]->begin() + static_cast<std::ptrdiff_t>(pos[k]),
                   src[k]->begin() + static_cast<std::ptrdiff_t>(pos[k] + n));
    s.end_s = double(c.audio.size()) / 16000.0;
    s.text = "turn";
    c.transcript.segments.push_back(s);
    c.true_speaker.push_back(k);
    c.audio.insert(c.audio.end(), kGap, 0.0f);
    pos[k] += n;
  }
  DiarizeOptions o;
  o.num_speakers = 2;
  assign_speakers(c.transcript, diarize(c.audio, o), 0, "S");
  return c;
}

// The transcript speaker most of `who`'s turns went to.
int diarized_id_of(const Conversation& c, int who) {
  std::vector<int> ids;
  for (std::size_t i = 0; i < c.true_speaker.size(); ++i)
    if (c.true_speaker[i] == who) ids.push_back(c.transcript.segments[i].speaker);
  int best = ids.front(), best_count = 0;
  for (const int id : ids) {
    const auto count = static_cast<int>(std::count(ids.begin(), ids.end(), id));
    if (count > best_count) best = id, best_count = count;
  }
  return best;
}

std::string label_of(const Transcript& t, int id) { return t.speaker_label(id); }

class SpeakerNamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(mini_dir() / "6272")) GTEST_SKIP() << "no LibriSpeech at " << mini_dir() << " (set HUSH_DATA)";
    // Alice (6272) enrols from one utterance; the meeting has two others of hers and two of 7367.
    alice_profile = {"alice", speaker_embedding(load("6272-70171-0000"))};
    conversation = converse(concat(load("6272-70171-0001"), load("6272-70171-0002")),
                            concat(load("7367-86737-0002"), load("7367-86737-0003")));
    alice_id = diarized_id_of(conversation, 0);
    other_id = diarized_id_of(conversation, 1);
    ASSERT_NE(alice_id, other_id) << "diarization did not separate the two speakers";
  }
  NamedEmbedding alice_profile;
  Conversation conversation;
  int alice_id = 0, other_id = 0;
};

TEST_F(SpeakerNamingTest, EnrolledSpeakerIsNamedAndTheOtherIsNot) {
  Transcript t = conversation.transcript;
  const std::vector<NamedEmbedding> profiles = {alice_profile};
  const auto namings = name_speakers(t, conversation.audio, 0, profiles);
  ASSERT_EQ(namings.size(), 1u);
  EXPECT_EQ(namings[0].speaker, alice_id);
  EXPECT_EQ(namings[0].name, "alice");
  EXPECT_EQ(namings[0].old_label, label_of(conversation.transcript, alice_id));
  EXPECT_GE(namings[0].similarity, kSpeakerNamingThreshold);
  EXPECT_EQ(label_of(t, alice_id), "alice");
  EXPECT_EQ(label_of(t, other_id), label_of(conversation.transcript, other_id));
  // Only labels change: the words, times and speaker ids stay.
  ASSERT_EQ(t.segments.size(), conversation.transcript.segments.size());
  for (std::size_t i = 0; i < t.segments.size(); ++i) EXPECT_EQ(t.segments[i].speaker, conversation.transcript.segments[i].speaker);
}

TEST_F(SpeakerNamingTest, NoProfilesLeaveLabelsUnchanged) {
  Transcript t = conversation.transcript;
  EXPECT_TRUE(name_speakers(t, conversation.audio, 0, {}).empty());
  ASSERT_EQ(t.speakers.size(), conversation.transcript.speakers.size());
  for (std::size_t i = 0; i < t.speakers.size(); ++i) EXPECT_EQ(t.speakers[i].label, conversation.transcript.speakers[i].label);
}

TEST_F(SpeakerNamingTest, ImpostorProfileNamesNobody) {
  Transcript t = conversation.transcript;
  const std::vector<NamedEmbedding> impostors = {{"mallory", speaker_embedding(load("1088-134315-0000"))},
                                                 {"trent", speaker_embedding(load("3242-8112-0000"))}};
  EXPECT_TRUE(name_speakers(t, conversation.audio, 0, impostors).empty());
  EXPECT_EQ(label_of(t, alice_id), label_of(conversation.transcript, alice_id));
  EXPECT_EQ(label_of(t, other_id), label_of(conversation.transcript, other_id));
  // With the true profile among them, only Alice is named, and by her own name.
  const std::vector<NamedEmbedding> all = {impostors[0], alice_profile, impostors[1]};
  const auto namings = name_speakers(t, conversation.audio, 0, all);
  ASSERT_EQ(namings.size(), 1u);
  EXPECT_EQ(label_of(t, alice_id), "alice");
}

TEST_F(SpeakerNamingTest, OneProfileNamesOnlyTheClosestSpeaker) {
  // A threshold every speaker passes: both want "alice"; only the more similar one gets her.
  Transcript t = conversation.transcript;
  const std::vector<NamedEmbedding> profiles = {alice_profile};
  SpeakerNamingOptions permissive;
  permissive.threshold = -0.99f;
  const auto namings = name_speakers(t, conversation.audio, 0, profiles, permissive);
  ASSERT_EQ(namings.size(), 1u);
  EXPECT_EQ(namings[0].speaker, alice_id);
  const float other = speaker_similarity(speaker_embedding(speaker_speech(t, conversation.audio, 0, other_id)),
                                         alice_profile.embedding);
  EXPECT_GT(namings[0].similarity, other);
  EXPECT_EQ(label_of(t, other_id), label_of(conversation.transcript, other_id));

  // Two profiles of the same voice: one speaker, so one naming (its best), the other profile unused.
  Transcript t2 = conversation.transcript;
  const std::vector<NamedEmbedding> twins = {alice_profile, {"alice-again", speaker_embedding(load("6272-70171-0003"))}};
  const auto twin_namings = name_speakers(t2, conversation.audio, 0, twins, permissive);
  ASSERT_EQ(twin_namings.size(), 1u) << "the other speaker's best match is also an Alice profile, held by Alice";
  EXPECT_EQ(twin_namings[0].speaker, alice_id);
}

TEST_F(SpeakerNamingTest, TooLittleSpeechIsNotNamed) {
  // Alice speaks only 2 s: even her own profile, with any threshold, does not name her.
  const std::vector<float> alice = load("6272-70171-0001");
  const std::vector<float> short_alice(alice.begin(), alice.begin() + 2 * 16000);
  Transcript t;
  t.speakers = {{0, "S1"}};
  t.segments.push_back({0.0, 2.0, "short", {}, 0, 0, 1.0f});
  SpeakerNamingOptions permissive;
  permissive.threshold = -0.99f;
  const std::vector<NamedEmbedding> own = {{"alice", speaker_embedding(short_alice)}};
  EXPECT_TRUE(name_speakers(t, short_alice, 0, own, permissive).empty());
  EXPECT_EQ(t.speakers[0].label, "S1");
  // Other channels are never named.
  Transcript me = t;
  me.segments[0].channel = 1;
  const std::vector<float> long_alice = concat(alice, alice);
  me.segments[0].end_s = double(long_alice.size()) / 16000.0;
  EXPECT_TRUE(name_speakers(me, long_alice, 0, own, permissive).empty());
}

TEST(SpeakerNaming, RejectsBadProfilesAndThresholds) {
  Transcript t;
  t.speakers = {{0, "S1"}};
  t.segments.push_back({0.0, 1.0, "x", {}, 0, 0, 1.0f});
  const std::vector<float> audio(16000, 0.0f);
  const std::vector<float> good = speaker_embedding(std::vector<float>(16000, 0.0f));
  const std::vector<NamedEmbedding> wrong_size = {{"alice", std::vector<float>(good.size() + 1, 0.1f)}};
  const std::vector<NamedEmbedding> no_name = {{"", std::vector<float>(good.size(), 0.1f)}};
  EXPECT_THROW(name_speakers(t, audio, 0, wrong_size), Error);
  EXPECT_THROW(name_speakers(t, audio, 0, no_name), Error);
  const std::vector<NamedEmbedding> ok = {{"alice", std::vector<float>(good.size(), 0.1f)}};
  SpeakerNamingOptions bad;
  bad.threshold = 1.5f;
  EXPECT_THROW(name_speakers(t, audio, 0, ok, bad), Error);
  EXPECT_EQ(t.speakers[0].label, "S1");
  // Silence has no speech to enrol.
  EXPECT_EQ(speech_seconds(std::vector<float>(5 * 16000, 0.0f)), 0.0);
  EXPECT_EQ(speech_seconds({}), 0.0);
}

}  // namespace
}  // namespace hush::meeting
