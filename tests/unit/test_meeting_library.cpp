// The meeting library (src/store): every call, bad IDs, search query escaping, schema
// migrations and two handles on one library. The privacy promises have their own tests in
// tests/policy/.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <cctype>
#include <nlohmann/json.hpp>
#include <thread>

#include "../policy/policy_support.h"
#include "store/fts_query.h"
#include "store/meeting_library.h"
#include "store/sqlite_db.h"
#include "store/sqlite_schema.h"
#include "util/error.h"

namespace hush::store {
namespace {

using test::ScratchDir;

template <typename F>
hush_error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return HUSH_OK;
}

template <typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

struct Fixture : ::testing::Test {
  ScratchDir home;
  std::int64_t now_s = 1'700'000'000;
  std::unique_ptr<MeetingLibrary> lib = open_meeting_library(home.path(), [this] { return now_s; });

  std::string audio(const std::string& name, std::string_view bytes = "RIFFfake") {
    const std::string path = home / name;
    test::write_file_bytes(path, bytes);
    return path;
  }
  MeetingId add(const std::string& title, std::int64_t created_at_s = 0, const std::string& audio_path = "") {
    NewMeeting m;
    m.title = title;
    if (created_at_s != 0) m.created_at_s = created_at_s;
    m.audio_path = audio_path;
    m.source = "test";
    return lib->add_meeting(m);
  }
};

// ---------------------------------------------------------------------------------------------
// Opening and migrations

TEST_F(Fixture, OpenCreatesAPrivateWalDatabaseAtTheLatestVersion) {
  struct stat st {};
  ASSERT_EQ(::stat((home / "library.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Db raw(home / "library.db");
  EXPECT_EQ(raw.query_int("PRAGMA user_version"), latest_schema_version());
  Stmt mode(raw, "PRAGMA journal_mode");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.column_text(0), "wal");
  EXPECT_TRUE(lib->list().empty());
  const LibrarySettings s = lib->settings();
  EXPECT_TRUE(s.notes_enabled);
  EXPECT_TRUE(s.recording_enabled);
  EXPECT_EQ(s.retention_days, 0);
}

TEST(MeetingLibraryOpen, CreatesAMissingHomeWithMode0700) {
  ScratchDir scratch;
  const std::string home = scratch / "a/b/hush";
  auto lib = open_meeting_library(home);
  struct stat st {};
  ASSERT_EQ(::stat(home.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(MeetingLibraryOpen, MigratesAnEmptyDatabaseFileStepByStep) {
  ScratchDir home;
  {
    Db raw(home / "library.db");
    EXPECT_EQ(raw.query_int("PRAGMA user_version"), 0);
    migrate(raw, 1);  // the first shipped schema, without the legal-hold column
    EXPECT_EQ(raw.query_int("PRAGMA user_version"), 1);
    raw.exec("INSERT INTO meetings (title, created_at) VALUES ('from version 1', 1000)");
  }
  auto lib = open_meeting_library(home.path());
  const std::vector<MeetingInfo> all = lib->list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].title, "from version 1");
  EXPECT_FALSE(all[0].on_hold);
  lib->set_hold(all[0].id, true);
  EXPECT_TRUE(lib->get(all[0].id).info.on_hold);
  Db raw(home / "library.db");
  EXPECT_EQ(raw.query_int("PRAGMA user_version"), latest_schema_version());
}

TEST(MeetingLibraryOpen, RefusesALibraryFromANewerHush) {
  ScratchDir home;
  {
    Db raw(home / "library.db");
    raw.exec("PRAGMA user_version = 999");
  }
  const std::string msg = message_of([&] { open_meeting_library(home.path()); });
  EXPECT_NE(msg.find("newer"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] { open_meeting_library(home.path()); }), HUSH_ERR_FORMAT);
}

TEST(MeetingLibraryOpen, RefusesAFileThatIsNotADatabase) {
  ScratchDir home;
  test::write_file_bytes(home / "library.db", std::string(4096, 'x'));
  EXPECT_EQ(error_of([&] { open_meeting_library(home.path()); }), HUSH_ERR_FORMAT);
}

TEST(MeetingLibraryOpen, RefusesAnEmptyHome) {
  EXPECT_EQ(error_of([] { open_meeting_library(""); }), HUSH_ERR_INVALID_ARGUMENT);
}

// ---------------------------------------------------------------------------------------------
// Meetings

TEST_F(Fixture, AddListGetAndFindByAudioPath) {
  const std::string a = audio("a.ogg");
  const MeetingId first = add("first", 1000, a);
  const MeetingId second = add("second", 2000);
  now_s = 1234;
  const MeetingId third = add("third");  // takes the clock's time
  const std::vector<MeetingInfo> all = lib->list();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, second);  // newest first
  EXPECT_EQ(all[1].id, third);
  EXPECT_EQ(all[2].id, first);
  EXPECT_EQ(all[1].created_at_s, 1234);
  EXPECT_EQ(all[2].audio_path, a);
  EXPECT_EQ(all[2].source, "test");
  EXPECT_FALSE(all[2].has_transcript);
  EXPECT_FALSE(all[2].has_notes);

  const auto found = lib->find_by_audio_path(a);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, first);
  EXPECT_FALSE(lib->find_by_audio_path(home / "other.ogg").has_value());
  EXPECT_FALSE(lib->find_by_audio_path("").has_value());
}

TEST_F(Fixture, AddRefusesBadInput) {
  NewMeeting m;
  EXPECT_EQ(error_of([&] { lib->add_meeting(m); }), HUSH_ERR_INVALID_ARGUMENT);  // no title
  m.title = "t";
  m.duration_s = -1;
  EXPECT_EQ(error_of([&] { lib->add_meeting(m); }), HUSH_ERR_INVALID_ARGUMENT);
  m.duration_s = std::nan("");
  EXPECT_EQ(error_of([&] { lib->add_meeting(m); }), HUSH_ERR_INVALID_ARGUMENT);
  m.duration_s = 1;
  m.audio_path = home / "missing.ogg";
  EXPECT_EQ(error_of([&] { lib->add_meeting(m); }), HUSH_ERR_IO);
  m.audio_path = home.path();  // a directory is not an audio file
  EXPECT_EQ(error_of([&] { lib->add_meeting(m); }), HUSH_ERR_IO);
  lib->set_recording_enabled(false);
  m.audio_path = audio("x.ogg");
  EXPECT_EQ(error_of([&] { lib->add_meeting(m); }), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(lib->list().empty());
  m.audio_path.clear();  // a meeting without audio is fine with recording off
  EXPECT_GT(lib->add_meeting(m), 0);
}

TEST_F(Fixture, TranscriptAndNotesRoundTrip) {
  const MeetingId id = add("weekly");
  lib->attach_transcript(id, test::sample_transcript());
  lib->attach_notes(id, test::sample_notes());
  const Meeting m = lib->get(id);
  EXPECT_TRUE(m.info.has_transcript);
  EXPECT_TRUE(m.info.has_notes);
  EXPECT_DOUBLE_EQ(m.info.duration_s, 30.0);  // taken from the transcript when unknown
  ASSERT_TRUE(m.transcript && m.notes);
  EXPECT_EQ(meeting::to_json(*m.transcript), meeting::to_json(test::sample_transcript()));
  EXPECT_EQ(meeting::to_json(*m.notes), meeting::to_json(test::sample_notes()));
  const std::vector<MeetingInfo> all = lib->list();
  EXPECT_TRUE(all[0].has_transcript && all[0].has_notes);
}

TEST_F(Fixture, BadIdsGiveAClearErrorEverywhere) {
  const MeetingId real = add("real");
  for (const MeetingId bad : {MeetingId{0}, MeetingId{-1}, real + 1, MeetingId{INT64_MAX}}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(error_of([&] { lib->get(bad); }), HUSH_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(error_of([&] { lib->attach_transcript(bad, test::sample_transcript()); }), HUSH_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(error_of([&] { lib->attach_notes(bad, test::sample_notes()); }), HUSH_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(error_of([&] { lib->set_hold(bad, true); }), HUSH_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(error_of([&] { lib->delete_meeting(bad); }), HUSH_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(error_of([&] { lib->delete_notes(bad); }), HUSH_ERR_INVALID_ARGUMENT);
  }
  EXPECT_NE(message_of([&] { lib->get(real + 1); }).find("no meeting with ID " + std::to_string(real + 1)),
            std::string::npos);
  EXPECT_EQ(lib->list().size(), 1u);
}

TEST_F(Fixture, CorruptStoredJsonIsAFormatErrorNotACrash) {
  const MeetingId id = add("x");
  lib->attach_transcript(id, test::sample_transcript());
  {
    Db raw(home / "library.db");
    raw.exec("UPDATE transcripts SET json = '{not json'");
  }
  EXPECT_EQ(error_of([&] { lib->get(id); }), HUSH_ERR_FORMAT);
}

// ---------------------------------------------------------------------------------------------
// Search

TEST_F(Fixture, SearchFindsTranscriptAndNotesWithTimesAndHighlights) {
  const MeetingId a = add("budget meeting", 1000);
  const MeetingId b = add("other", 2000);
  lib->attach_transcript(a, test::sample_transcript());
  lib->attach_notes(a, test::sample_notes());
  meeting::Transcript other = test::sample_transcript();
  other.segments = {other.segments[0]};
  lib->attach_transcript(b, other);

  std::vector<SearchResult> r = lib->search("budget");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].meeting.id, a);
  EXPECT_EQ(r[0].meeting.title, "budget meeting");
  ASSERT_FALSE(r[0].hits.empty());
  EXPECT_LE(r[0].hits.size(), 3u);
  bool transcript_hit = false;
  for (const SearchHit& h : r[0].hits) {
    std::string lower = h.snippet;  // a chapter title "Budget" matches too
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(lower.find("[budget]"), std::string::npos) << h.snippet;
    if (h.kind == "transcript") {
      transcript_hit = true;
      EXPECT_DOUBLE_EQ(h.start_s, 5.0);
      EXPECT_DOUBLE_EQ(h.end_s, 11.25);
    }
  }
  EXPECT_TRUE(transcript_hit);

  r = lib->search("morning");  // in both meetings
  EXPECT_EQ(r.size(), 2u);
  r = lib->search("venue");  // only in the notes
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].hits[0].kind, "notes");
  EXPECT_DOUBLE_EQ(r[0].hits[0].start_s, 18.0);
  EXPECT_EQ(lib->search("budg*").size(), 1u);                      // prefix
  EXPECT_EQ(lib->search("\"send the draft\"").size(), 1u);         // phrase
  EXPECT_TRUE(lib->search("\"draft the send\"").empty());          // phrase order matters
  EXPECT_TRUE(lib->search("budget nonexistentword").empty());      // all words must match
  EXPECT_TRUE(lib->search("nonexistentword").empty());
  EXPECT_EQ(lib->search("BUDGET").size(), 1u);                     // case-insensitive

  SearchOptions opt;
  opt.highlight_open = "<b>";
  opt.highlight_close = "</b>";
  opt.max_meetings = 1;
  opt.hits_per_meeting = 1;
  r = lib->search("morning", opt);
  ASSERT_EQ(r.size(), 1u);
  ASSERT_EQ(r[0].hits.size(), 1u);
  EXPECT_NE(r[0].hits[0].snippet.find("<b>morning</b>"), std::string::npos);
  opt.max_meetings = 0;
  EXPECT_EQ(error_of([&] { lib->search("morning", opt); }), HUSH_ERR_INVALID_ARGUMENT);
}

TEST_F(Fixture, SearchWithFts5SyntaxIsLiteralOrAClearError) {
  const MeetingId id = add("m");
  lib->attach_transcript(id, test::sample_transcript());
  // Text that would be FTS5 syntax searches for the words in it.
  for (const char* q : {"(budget", "budget)", "budget AND", "OR budget", "NOT budget", "text:budget",
                        "^budget", "NEAR(budget", "budget + launch", "budget -launch", "{budget}",
                        "budget'", "budget; DROP TABLE meetings", "\"budget\"\"\"", "budget \"\"", "\"*\" budget"}) {
    SCOPED_TRACE(q);
    std::vector<SearchResult> r;
    ASSERT_NO_THROW(r = lib->search(q));
    // Operator words (AND, OR, NOT, NEAR, text) are searched as words and do not occur.
    const std::string s(q);
    const bool has_operator_word = s.find("AND") != s.npos || s.find("OR") != s.npos ||
                                   s.find("NOT") != s.npos || s.find("NEAR") != s.npos ||
                                   s.find("text") != s.npos || s.find("DROP") != s.npos;
    EXPECT_EQ(r.size(), has_operator_word ? 0u : 1u);
  }
  for (const char* q : {"\"budget", "budget \"launch", "\"", "", "   ", "*", "()", "\"()\"", "-- ;"}) {
    SCOPED_TRACE(q);
    const std::string msg = message_of([&] { lib->search(q); });
    EXPECT_FALSE(msg.empty());
    EXPECT_EQ(error_of([&] { lib->search(q); }), HUSH_ERR_INVALID_ARGUMENT);
  }
  EXPECT_NE(message_of([&] { lib->search("\"budget"); }).find("unbalanced"), std::string::npos);
  EXPECT_EQ(lib->list().size(), 1u);  // the DROP TABLE above was only text
  // Non-ASCII punctuation passes the word check but gives the tokenizer nothing: no match.
  EXPECT_TRUE(lib->search("\xE2\x80\x94").empty());
  // Found by fuzz/fuzz_fts_query: a NUL inside a term ended FTS5's expression mid-literal.
  EXPECT_EQ(lib->search(std::string("bud\0get", 7)).size(), 1u);
  EXPECT_NO_THROW(lib->search(std::string("caf\xC3\xA9 \0\0\x13 \xff", 11)));
}

TEST(FtsQuery, QuotesEveryTerm) {
  EXPECT_EQ(to_fts5_query("budget"), "\"budget\"");
  EXPECT_EQ(to_fts5_query("  budget   launch "), "\"budget\" \"launch\"");
  EXPECT_EQ(to_fts5_query("budg*"), "\"budg\"*");
  EXPECT_EQ(to_fts5_query("\"send the draft\" alice"), "\"send the draft\" \"alice\"");
  EXPECT_EQ(to_fts5_query("(budget OR x)"), "\"(budget\" \"OR\" \"x)\"");
  EXPECT_EQ(to_fts5_query("a\"b\""), "\"a\" \"b\"");
  EXPECT_EQ(to_fts5_query(std::string("bud\0get \"x\0\"", 12)), "\"budget\" \"x\"");
  EXPECT_EQ(error_of([] { to_fts5_query("\"open"); }), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(error_of([] { to_fts5_query("* ** ()"); }), HUSH_ERR_INVALID_ARGUMENT);
}

TEST_F(Fixture, ReplacingATranscriptDropsTheOldTextFromSearch) {
  const MeetingId id = add("m");
  lib->attach_transcript(id, test::sample_transcript());
  ASSERT_EQ(lib->search("budget").size(), 1u);
  meeting::Transcript fixed = test::sample_transcript();
  fixed.segments[1].text = "the cost for the launch is still open";
  lib->attach_transcript(id, fixed);
  EXPECT_TRUE(lib->search("budget").empty());
  EXPECT_EQ(lib->search("cost").size(), 1u);
  lib->attach_notes(id, test::sample_notes());
  meeting::Notes fewer;
  lib->attach_notes(id, fewer);
  EXPECT_TRUE(lib->search("venue").empty());
}

// ---------------------------------------------------------------------------------------------
// Deletion, settings, retention

TEST_F(Fixture, DeleteRemovesEverything) {
  const std::string a = audio("rec.ogg");
  test::write_file_bytes(a + ".enc", "encrypted");
  const MeetingId id = add("doomed", 0, a);
  const MeetingId keep = add("kept");
  lib->attach_transcript(id, test::sample_transcript());
  lib->attach_notes(id, test::sample_notes());
  lib->delete_meeting(id);
  EXPECT_EQ(error_of([&] { lib->get(id); }), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(lib->search("budget").empty());
  EXPECT_FALSE(std::filesystem::exists(a));
  EXPECT_FALSE(std::filesystem::exists(a + ".enc"));
  EXPECT_FALSE(lib->find_by_audio_path(a).has_value());
  ASSERT_EQ(lib->list().size(), 1u);
  EXPECT_EQ(lib->list()[0].id, keep);
  EXPECT_EQ(error_of([&] { lib->delete_meeting(id); }), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(std::filesystem::file_size(home / "library.db-wal"), 0u);  // checkpointed and truncated
  // Ids are never reused, so an old ID cannot name a new meeting.
  EXPECT_GT(add("new"), keep);
}

TEST_F(Fixture, DeleteNotesKeepsTheMeetingAndTranscript) {
  const MeetingId id = add("m");
  lib->delete_notes(id);  // no notes yet: nothing happens
  lib->attach_transcript(id, test::sample_transcript());
  lib->attach_notes(id, test::sample_notes());
  lib->delete_notes(id);
  const Meeting m = lib->get(id);
  EXPECT_FALSE(m.notes.has_value());
  EXPECT_FALSE(m.info.has_notes);
  EXPECT_TRUE(m.transcript.has_value());
  EXPECT_TRUE(lib->search("venue").empty());
  EXPECT_EQ(lib->search("budget").size(), 1u);
}

TEST(AudioFileVariants, PlainAndEncryptedNamesGoTogether) {
  EXPECT_EQ(audio_file_variants("/r/a.ogg"), (std::vector<std::string>{"/r/a.ogg", "/r/a.ogg.enc"}));
  EXPECT_EQ(audio_file_variants("/r/a.ogg.enc"), (std::vector<std::string>{"/r/a.ogg.enc", "/r/a.ogg"}));
  EXPECT_TRUE(audio_file_variants("").empty());
  EXPECT_EQ(recordings_dir("/h"), "/h/recordings");
}

TEST_F(Fixture, DeleteSucceedsWhenTheAudioIsAlreadyGone) {
  const std::string a = audio("rec.ogg");
  const MeetingId id = add("m", 0, a);
  std::filesystem::remove(a);
  EXPECT_NO_THROW(lib->delete_meeting(id));
  EXPECT_TRUE(lib->list().empty());
}

TEST_F(Fixture, SettingsPersistAcrossHandles) {
  lib->set_notes_enabled(false);
  lib->set_recording_enabled(false);
  lib->set_retention_days(30);
  auto again = open_meeting_library(home.path());
  const LibrarySettings s = again->settings();
  EXPECT_FALSE(s.notes_enabled);
  EXPECT_FALSE(s.recording_enabled);
  EXPECT_EQ(s.retention_days, 30);
  EXPECT_EQ(error_of([&] { lib->set_retention_days(-1); }), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(error_of([&] { lib->set_retention_days(36501); }), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(lib->settings().retention_days, 30);
}

TEST_F(Fixture, NotesOffRefusesTranscriptAndNotes) {
  const MeetingId id = add("m");
  lib->set_notes_enabled(false);
  EXPECT_NE(message_of([&] { lib->attach_transcript(id, test::sample_transcript()); }).find("notes are off"),
            std::string::npos);
  EXPECT_EQ(error_of([&] { lib->attach_notes(id, test::sample_notes()); }), HUSH_ERR_INVALID_ARGUMENT);
  const Meeting m = lib->get(id);
  EXPECT_FALSE(m.transcript || m.notes || m.info.has_transcript || m.info.has_notes);
  lib->set_notes_enabled(true);
  lib->attach_transcript(id, test::sample_transcript());
  EXPECT_TRUE(lib->get(id).transcript.has_value());
}

TEST_F(Fixture, SweepKeepsEverythingWithRetentionZeroAndHonoursHolds) {
  const std::int64_t day = kSecondsPerDay;
  const MeetingId old_id = add("old", now_s - 100 * day);
  const MeetingId held = add("held", now_s - 100 * day);
  const MeetingId recent = add("recent", now_s - 5 * day);
  lib->set_hold(held, true);
  EXPECT_TRUE(lib->sweep(now_s).empty());  // retention 0 = forever
  lib->set_retention_days(30);
  EXPECT_EQ(lib->sweep(now_s), std::vector<MeetingId>{old_id});
  std::vector<MeetingId> left;
  for (const MeetingInfo& m : lib->list()) left.push_back(m.id);
  EXPECT_EQ(left, (std::vector<MeetingId>{recent, held}));
  lib->set_hold(held, false);
  EXPECT_EQ(lib->sweep(now_s), std::vector<MeetingId>{held});
  EXPECT_TRUE(lib->sweep(now_s).empty());
}

// ---------------------------------------------------------------------------------------------
// Speaker profiles

TEST_F(Fixture, SpeakerProfilesNeedConsentAndCanBeWithdrawn) {
  const std::vector<float> e = {0.25f, -1.5f, 3.0f};
  EXPECT_EQ(error_of([&] { lib->enroll_speaker("alice", e, false); }), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(lib->speakers().empty());
  EXPECT_EQ(error_of([&] { lib->enroll_speaker("", e, true); }), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(error_of([&] { lib->enroll_speaker("alice", {}, true); }), HUSH_ERR_INVALID_ARGUMENT);
  const std::vector<float> nan = {1.0f, std::nanf("")};
  EXPECT_EQ(error_of([&] { lib->enroll_speaker("alice", nan, true); }), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(lib->speakers().empty());

  now_s = 4242;
  lib->enroll_speaker("alice", e, true);
  lib->enroll_speaker("bob", std::vector<float>{1.0f}, true);
  const std::vector<SpeakerProfile> all = lib->speakers();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "alice");
  EXPECT_EQ(all[0].consent_at_s, 4242);
  EXPECT_EQ(all[0].dimensions, 3u);
  EXPECT_EQ(lib->speaker_embedding("alice"), e);
  EXPECT_FALSE(lib->speaker_embedding("carol").has_value());

  lib->withdraw_speaker("alice");
  EXPECT_FALSE(lib->speaker_embedding("alice").has_value());
  EXPECT_EQ(lib->speakers().size(), 1u);
  EXPECT_EQ(error_of([&] { lib->withdraw_speaker("alice"); }), HUSH_ERR_INVALID_ARGUMENT);
}

// ---------------------------------------------------------------------------------------------
// Two handles

TEST_F(Fixture, TwoHandlesSeeEachOthersWrites) {
  auto other = open_meeting_library(home.path());
  const MeetingId id = add("from the first");
  ASSERT_EQ(other->list().size(), 1u);
  other->attach_transcript(id, test::sample_transcript());
  EXPECT_TRUE(lib->get(id).transcript.has_value());
  other->set_notes_enabled(false);
  EXPECT_EQ(error_of([&] { lib->attach_notes(id, test::sample_notes()); }), HUSH_ERR_INVALID_ARGUMENT);
  lib->delete_meeting(id);
  EXPECT_TRUE(other->list().empty());
  EXPECT_TRUE(other->search("budget").empty());
}

TEST(MeetingLibraryConcurrency, TwoThreadsWritingAtOnceWaitInsteadOfFailing) {
  ScratchDir home;
  open_meeting_library(home.path());  // create the schema first, as the CLI would have
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  auto writer = [&](const std::string& tag) {
    try {
      auto lib = open_meeting_library(home.path());
      for (int i = 0; i < kPerThread; ++i) {
        NewMeeting m;
        m.title = tag + std::to_string(i);
        const MeetingId id = lib->add_meeting(m);
        lib->attach_transcript(id, test::sample_transcript());
        lib->search("budget");
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << tag << ": " << e.what();
      ++failures;
    }
  };
  std::thread a(writer, "a"), b(writer, "b");
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
  auto lib = open_meeting_library(home.path());
  EXPECT_EQ(lib->list().size(), 2u * kPerThread);
  EXPECT_EQ(lib->search("budget", {.max_meetings = 1000}).size(), 2u * kPerThread);
}

TEST(MeetingLibraryConcurrency, TwoHandlesCreatingTheSchemaAtOnce) {
  ScratchDir home;
  std::atomic<int> failures{0};
  auto opener = [&] {
    try {
      auto lib = open_meeting_library(home.path());
      NewMeeting m;
      m.title = "x";
      lib->add_meeting(m);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
      ++failures;
    }
  };
  std::thread a(opener), b(opener);
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(open_meeting_library(home.path())->list().size(), 2u);
}

}  // namespace
}  // namespace hush::store
