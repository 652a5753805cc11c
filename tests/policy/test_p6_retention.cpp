// Privacy P6: retention limits are enforced. With a fake clock, a sweep deletes every meeting
// (rows, transcript, notes, search entries, audio) older than the limit, keeps newer ones, and
// keeps meetings under legal hold until the hold is lifted. Retention 0 keeps everything.
// (`hush meetings` sweeps each time it opens the library, so "on time" means at the next use;
// tests/integration/cli_meetings.sh checks that path.)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "policy_support.h"
#include "store/meeting_library.h"

namespace hush::store {
namespace {

constexpr std::int64_t kDay = kSecondsPerDay;

class RetentionTest : public ::testing::Test {
 protected:
  test::ScratchDir home;
  std::int64_t now_s = 1'750'000'000;
  std::unique_ptr<MeetingLibrary> lib = open_meeting_library(home.path(), [this] { return now_s; });

  // A meeting `age_s` old with a transcript, notes and an audio file.
  MeetingId add_aged(const std::string& title, std::int64_t age_s) {
    std::filesystem::create_directories(recordings_dir(home.path()));
    const std::string audio = recordings_dir(home.path()) + "/" + title + ".ogg";
    test::write_file_bytes(audio, "OggS" + title);
    NewMeeting m;
    m.title = title;
    m.created_at_s = now_s - age_s;
    m.audio_path = audio;
    const MeetingId id = lib->add_meeting(m);
    lib->attach_transcript(id, test::sample_transcript(title));
    lib->attach_notes(id, test::sample_notes(title));
    return id;
  }
  bool exists(MeetingId id) {
    for (const MeetingInfo& m : lib->list())
      if (m.id == id) return true;
    return false;
  }
};

TEST_F(RetentionTest, OlderThanTheLimitIsDeletedNewerStays) {
  const MeetingId ancient = add_aged("ancientmeeting", 400 * kDay);
  const MeetingId expired = add_aged("expiredmeeting", 30 * kDay + 1);
  const MeetingId boundary = add_aged("boundarymeeting", 30 * kDay);  // exactly at the limit: kept
  const MeetingId fresh = add_aged("freshmeeting", 2 * kDay);
  const std::string expired_audio = lib->get(expired).info.audio_path;

  lib->set_retention_days(30);
  std::vector<MeetingId> swept = lib->sweep(now_s);
  std::sort(swept.begin(), swept.end());
  EXPECT_EQ(swept, (std::vector<MeetingId>{ancient, expired}));
  EXPECT_FALSE(exists(ancient));
  EXPECT_FALSE(exists(expired));
  EXPECT_TRUE(exists(boundary));
  EXPECT_TRUE(exists(fresh));
  EXPECT_FALSE(std::filesystem::exists(expired_audio));
  EXPECT_TRUE(lib->search("expiredmeeting").empty());
  EXPECT_EQ(lib->search("freshmeeting").size(), 1u);

  // A day later the boundary meeting has expired too.
  now_s += kDay;
  EXPECT_EQ(lib->sweep(now_s), std::vector<MeetingId>{boundary});
  EXPECT_TRUE(exists(fresh));
}

TEST_F(RetentionTest, RetentionZeroKeepsForever) {
  const MeetingId id = add_aged("oldmeeting", 10000 * kDay);
  EXPECT_EQ(lib->settings().retention_days, 0);
  EXPECT_TRUE(lib->sweep(now_s).empty());
  EXPECT_TRUE(exists(id));
}

TEST_F(RetentionTest, LegalHoldPausesDeletion) {
  const MeetingId held = add_aged("heldmeeting", 90 * kDay);
  const MeetingId other = add_aged("othermeeting", 90 * kDay);
  lib->set_hold(held, true);
  lib->set_retention_days(7);
  EXPECT_EQ(lib->sweep(now_s), std::vector<MeetingId>{other});
  EXPECT_TRUE(exists(held));
  EXPECT_EQ(lib->search("heldmeeting").size(), 1u);
  lib->set_hold(held, false);
  EXPECT_EQ(lib->sweep(now_s), std::vector<MeetingId>{held});
  EXPECT_FALSE(exists(held));
}

TEST_F(RetentionTest, ShorteningTheLimitTakesEffectAtTheNextSweep) {
  const MeetingId id = add_aged("monthold", 31 * kDay);
  lib->set_retention_days(365);
  EXPECT_TRUE(lib->sweep(now_s).empty());
  lib->set_retention_days(30);
  EXPECT_EQ(lib->sweep(now_s), std::vector<MeetingId>{id});
}

}  // namespace
}  // namespace hush::store
