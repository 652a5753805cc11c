// Privacy P10: speaker identification needs opt-in consent. A voice profile (speaker embedding)
// is stored only with consent, and withdrawing consent deletes it: the embedding's exact float32
// byte pattern is in no file under HUSH_HOME afterwards (the same scan finds it while enrolled,
// so it cannot pass by looking in the wrong place).
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "policy_support.h"
#include "store/meeting_library.h"
#include "util/error.h"

namespace hush::store {
namespace {

// A 192-dimensional embedding of random floats: its bytes occur nowhere else.
std::vector<float> random_embedding() {
  std::random_device rd;
  std::mt19937 rng(rd());
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> e(192);
  for (float& v : e) v = normal(rng);
  return e;
}

std::string bytes_of(const std::vector<float>& e) {
  std::string out(e.size() * sizeof(float), '\0');
  std::memcpy(out.data(), e.data(), out.size());
  return out;
}

// The whole embedding, and a 32-byte slice from its middle (a page boundary could split the
// whole; any surviving slice is still a voice print).
std::vector<std::string> needles(const std::vector<float>& e) {
  const std::string all = bytes_of(e);
  return {all, all.substr(all.size() / 2, 32)};
}

TEST(P10SpeakerConsent, NoEmbeddingIsStoredWithoutConsent) {
  test::ScratchDir home;
  const std::vector<float> e = random_embedding();
  {
    auto lib = open_meeting_library(home.path());
    EXPECT_THROW(lib->enroll_speaker("alice", e, /*consent=*/false), Error);
    EXPECT_TRUE(lib->speakers().empty());
    EXPECT_FALSE(lib->speaker_embedding("alice").has_value());
    for (const std::string& n : needles(e)) EXPECT_TRUE(test::files_containing(home.path(), n).empty());
  }
  for (const std::string& n : needles(e)) EXPECT_TRUE(test::files_containing(home.path(), n).empty());
}

TEST(P10SpeakerConsent, WithdrawalDeletesTheEmbeddingFromEveryFile) {
  test::ScratchDir home;
  const std::vector<float> alice = random_embedding();
  const std::vector<float> bob = random_embedding();
  auto lib = open_meeting_library(home.path());
  lib->enroll_speaker("alice", alice, true);
  lib->enroll_speaker("bob", bob, true);
  for (const std::string& n : needles(alice))
    ASSERT_FALSE(test::files_containing(home.path(), n).empty()) << "scanner sanity: enrolled embedding not found";

  lib->withdraw_speaker("alice");
  EXPECT_FALSE(lib->speaker_embedding("alice").has_value());
  for (const std::string& n : needles(alice))
    EXPECT_TRUE(test::files_containing(home.path(), n).empty()) << "withdrawn embedding is still on disk";
  EXPECT_EQ(lib->speaker_embedding("bob"), bob);  // others keep theirs
  lib.reset();
  for (const std::string& n : needles(alice)) EXPECT_TRUE(test::files_containing(home.path(), n).empty());
}

TEST(P10SpeakerConsent, ReEnrollingReplacesTheOldVoicePrintCompletely) {
  test::ScratchDir home;
  const std::vector<float> before = random_embedding();
  auto lib = open_meeting_library(home.path());
  lib->enroll_speaker("alice", before, true);
  lib->enroll_speaker("alice", random_embedding(), true);
  for (const std::string& n : needles(before)) EXPECT_TRUE(test::files_containing(home.path(), n).empty());
}

}  // namespace
}  // namespace hush::store
