// Privacy P3: meeting notes can be turned off, and with notes off no transcript, summary or
// action item is stored. The library refuses to attach them, and a byte scan of every file
// under HUSH_HOME (database, -wal, -shm, recordings) finds none of their unique markers. The
// same scan over a library with notes on finds them, so the scan is known to work.
#include <gtest/gtest.h>

#include "policy_support.h"
#include "store/meeting_library.h"
#include "util/error.h"

namespace hush::store {
namespace {

struct Markers {
  std::string transcript = test::unique_marker("transcript");
  std::string summary = test::unique_marker("summary");
  std::string action = test::unique_marker("action");
  std::vector<std::string> all() const { return {transcript, summary, action}; }
};

meeting::Notes notes_with(const Markers& m) {
  meeting::Notes n = test::sample_notes();
  n.summary[0].text += " " + m.summary;
  n.action_items[0].text += " " + m.action;
  n.decisions.push_back({"decided " + m.summary, 1.0, 0});
  n.topics.push_back(m.summary);
  return n;
}

// Records one meeting with transcript and notes; returns whether each attach was accepted.
std::pair<bool, bool> record_meeting(MeetingLibrary& lib, const Markers& m) {
  NewMeeting meeting;
  meeting.title = "weekly sync";
  const MeetingId id = lib.add_meeting(meeting);
  bool transcript_ok = true, notes_ok = true;
  try {
    lib.attach_transcript(id, test::sample_transcript(m.transcript));
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_INVALID_ARGUMENT);
    transcript_ok = false;
  }
  try {
    lib.attach_notes(id, notes_with(m));
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_INVALID_ARGUMENT);
    notes_ok = false;
  }
  return {transcript_ok, notes_ok};
}

TEST(P3NotesOff, NothingOfTheTranscriptOrNotesReachesAnyFile) {
  test::ScratchDir home;
  const Markers m;
  {
    auto lib = open_meeting_library(home.path());
    lib->set_notes_enabled(false);
    const auto [transcript_ok, notes_ok] = record_meeting(*lib, m);
    EXPECT_FALSE(transcript_ok) << "a transcript was accepted with notes off";
    EXPECT_FALSE(notes_ok) << "notes were accepted with notes off";
    EXPECT_FALSE(lib->list().at(0).has_transcript);
    EXPECT_FALSE(lib->list().at(0).has_notes);
    // Scan while the library is open (WAL and -shm present) ...
    for (const std::string& marker : m.all())
      for (const std::string& needle : test::marker_needles(marker))
        EXPECT_TRUE(test::files_containing(home.path(), needle).empty()) << needle << " was stored with notes off";
  }
  // ... and after it closed.
  for (const std::string& marker : m.all())
    for (const std::string& needle : test::marker_needles(marker))
      EXPECT_TRUE(test::files_containing(home.path(), needle).empty()) << needle << " was stored with notes off";
}

TEST(P3NotesOff, TheSameScanFindsTheMarkersWithNotesOn) {
  test::ScratchDir home;
  const Markers m;
  auto lib = open_meeting_library(home.path());
  const auto [transcript_ok, notes_ok] = record_meeting(*lib, m);
  EXPECT_TRUE(transcript_ok && notes_ok);
  for (const std::string& marker : m.all())
    EXPECT_FALSE(test::files_containing(home.path(), marker).empty()) << marker << " not found: the scan is blind";
}

TEST(P3NotesOff, TurningNotesOffMidwayStopsFurtherStorage) {
  test::ScratchDir home;
  auto lib = open_meeting_library(home.path());
  NewMeeting meeting;
  meeting.title = "m";
  const MeetingId id = lib->add_meeting(meeting);
  lib->attach_transcript(id, test::sample_transcript("firstversion"));
  // Another handle (another hush process) turns notes off; this one must notice.
  open_meeting_library(home.path())->set_notes_enabled(false);
  const Markers m;
  EXPECT_THROW(lib->attach_transcript(id, test::sample_transcript(m.transcript)), Error);
  EXPECT_THROW(lib->attach_notes(id, notes_with(m)), Error);
  for (const std::string& marker : m.all())
    EXPECT_TRUE(test::files_containing(home.path(), marker).empty()) << marker;
}

}  // namespace
}  // namespace hush::store
