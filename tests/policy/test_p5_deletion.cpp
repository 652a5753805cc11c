// Privacy P5: deletion on request is complete. After deleting a meeting (or only its notes),
// unique markers from its title, transcript and notes and a unique byte pattern from its audio
// (plain and encrypted variant) are found in no byte of any file under HUSH_HOME: not in the
// database's live or free pages, not in the -wal or -shm file, not in the FTS5 index, not in
// recordings/. Every check first shows the scanner finds the same needles before deletion, so
// the test cannot pass by looking in the wrong place.
#include <gtest/gtest.h>

#include "policy_support.h"
#include "store/meeting_library.h"

namespace hush::store {
namespace {

using test::files_containing;

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += "\n  " + s;
  return out;
}

// A long transcript (many pages, overflow pages, several FTS5 segments) with the marker spread
// through it, next to filler that stays in the library.
meeting::Transcript long_transcript(const std::string& marker) {
  meeting::Transcript t = test::sample_transcript(marker);
  for (int i = 0; i < 300; ++i) {
    meeting::Segment s;
    s.start_s = 30.0 + i;
    s.end_s = 30.5 + i;
    s.text = "filler sentence number " + std::to_string(i) + (i % 37 == 0 ? " " + marker : "");
    t.segments.push_back(s);
  }
  t.duration_s = 400.0;
  return t;
}

struct Needle {
  std::string what, bytes;
};

class DeletionTest : public ::testing::Test {
 protected:
  test::ScratchDir home;
  std::unique_ptr<MeetingLibrary> lib = open_meeting_library(home.path());

  void expect_found(const std::vector<Needle>& needles) {
    for (const Needle& n : needles)
      EXPECT_FALSE(files_containing(home.path(), n.bytes).empty())
          << "scanner sanity check: " << n.what << " should be on disk before deletion";
  }
  void expect_gone(const std::vector<Needle>& needles) {
    for (const Needle& n : needles) {
      const std::vector<std::string> hits = files_containing(home.path(), n.bytes);
      EXPECT_TRUE(hits.empty()) << n.what << " is still on disk after deletion in:" << joined(hits);
    }
  }
};

TEST_F(DeletionTest, DeletingAMeetingLeavesNoTraceInAnyFile) {
  const std::string title_marker = test::unique_marker("title");
  const std::string transcript_marker = test::unique_marker("transcript");
  const std::string notes_marker = test::unique_marker("notes");
  const std::string audio_pattern = test::unique_byte_pattern(4096);
  const std::string encrypted_pattern = test::unique_byte_pattern(4096);

  // A neighbour meeting that must survive, with text of its own in the same index.
  NewMeeting keep;
  keep.title = "kept meeting";
  const MeetingId kept = lib->add_meeting(keep);
  lib->attach_transcript(kept, long_transcript("keepword"));

  const std::string dir = recordings_dir(home.path());
  std::filesystem::create_directories(dir);
  const std::string audio = dir + "/meeting.ogg";
  test::write_file_bytes(audio, audio_pattern);
  test::write_file_bytes(audio + ".enc", encrypted_pattern);
  NewMeeting doomed;
  doomed.title = "planning " + title_marker;
  doomed.audio_path = audio;
  const MeetingId id = lib->add_meeting(doomed);
  lib->attach_transcript(id, long_transcript(transcript_marker));
  lib->attach_notes(id, test::sample_notes(notes_marker));
  ASSERT_EQ(lib->search(transcript_marker).size(), 1u);

  std::vector<Needle> needles = {{"the audio's byte pattern", audio_pattern},
                                 {"the encrypted audio's byte pattern", encrypted_pattern}};
  for (const auto& [what, marker] : {std::pair{"title", title_marker}, std::pair{"transcript", transcript_marker},
                                     std::pair{"notes", notes_marker}}) {
    for (const std::string& bytes : test::marker_needles(marker))
      needles.push_back({std::string(what) + " marker '" + bytes + "'", bytes});
  }
  expect_found(needles);

  lib->delete_meeting(id);
  expect_gone(needles);  // with the library still open
  lib.reset();
  expect_gone(needles);  // and after the last handle closed

  lib = open_meeting_library(home.path());
  EXPECT_EQ(lib->search("keepword").size(), 1u);
  EXPECT_EQ(lib->list().size(), 1u);
}

TEST_F(DeletionTest, DeletingOnlyTheNotesLeavesNoTraceOfThem) {
  const std::string notes_marker = test::unique_marker("notes");
  NewMeeting m;
  m.title = "weekly";
  const MeetingId id = lib->add_meeting(m);
  lib->attach_transcript(id, long_transcript("transcriptword"));
  lib->attach_notes(id, test::sample_notes(notes_marker));
  std::vector<Needle> needles;
  for (const std::string& bytes : test::marker_needles(notes_marker)) needles.push_back({"notes marker " + bytes, bytes});
  expect_found(needles);

  lib->delete_notes(id);
  expect_gone(needles);
  EXPECT_FALSE(lib->get(id).notes.has_value());
  EXPECT_EQ(lib->search("transcriptword").size(), 1u);  // the transcript stays
}

TEST_F(DeletionTest, RetentionSweepDeletesAsCompletely) {
  const std::string marker = test::unique_marker("swept");
  NewMeeting m;
  m.title = "old";
  m.created_at_s = 1000;
  const MeetingId id = lib->add_meeting(m);
  lib->attach_transcript(id, long_transcript(marker));
  std::vector<Needle> needles;
  for (const std::string& bytes : test::marker_needles(marker)) needles.push_back({"marker " + bytes, bytes});
  expect_found(needles);
  lib->set_retention_days(1);
  ASSERT_EQ(lib->sweep(1000 + 2 * kSecondsPerDay).size(), 1u);
  expect_gone(needles);
}

TEST_F(DeletionTest, CorrectingATranscriptLeavesNoTraceOfTheOldText) {
  const std::string marker = test::unique_marker("corrected");
  NewMeeting m;
  m.title = "weekly";
  const MeetingId id = lib->add_meeting(m);
  lib->attach_transcript(id, long_transcript(marker));
  std::vector<Needle> needles;
  for (const std::string& bytes : test::marker_needles(marker)) needles.push_back({"marker " + bytes, bytes});
  expect_found(needles);
  lib->attach_transcript(id, long_transcript("replacement"));
  expect_gone(needles);
}

}  // namespace
}  // namespace hush::store
