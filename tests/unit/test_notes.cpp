// Meeting notes: sentence splitting, ranking, action items, decisions, questions, topics,
// chapters, Markdown/template export, and golden files for a small hand-written meeting
// (tests/data/notes/). Regenerate the goldens with HUSH_REGENERATE_GOLDEN=1 after an intended
// change, and review the diff.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "meeting/action_items.h"
#include "meeting/cues.h"
#include "meeting/notes_export.h"
#include "meeting/notes_maker.h"
#include "meeting/sentences.h"
#include "meeting/text_rank.h"
#include "util/error.h"

using namespace hush::meeting;

namespace {

const std::string kDir = std::string(HUSH_SOURCE_DIR) + "/tests/data/notes/";

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Transcript fixture() { return transcript_from_json(nlohmann::json::parse(read(kDir + "meeting.json"))); }

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = kDir + name;
  if (const char* regen = std::getenv("HUSH_REGENERATE_GOLDEN"); regen && std::string(regen) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "regenerated " << path;
  }
  const std::string expected = read(path);
  ASSERT_FALSE(expected.empty()) << "missing golden " << path << " (run with HUSH_REGENERATE_GOLDEN=1)";
  EXPECT_EQ(actual, expected) << "output differs from " << path;
}

Segment seg(double start_s, double end_s, const std::string& text, int speaker) {
  Segment s;
  s.start_s = start_s;
  s.end_s = end_s;
  s.text = text;
  s.speaker = speaker;
  return s;
}

}  // namespace

TEST(ActionItems, NamedOwnerAndDue) {
  const auto a = find_action_item("Alice will send the draft by Friday", "S1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->owner, "Alice");
  EXPECT_EQ(a->due, "by Friday");
  EXPECT_EQ(a->text, "send the draft");
}

TEST(ActionItems, FirstPersonIsTheSpeaker) {
  const auto a = find_action_item("I'll book the room tomorrow", "S2");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->owner, "S2");
  EXPECT_EQ(a->due, "tomorrow");
  EXPECT_EQ(a->text, "book the room");
  // ASR output: lower case, no punctuation.
  const auto b = find_action_item("okay so i'm going to send the report on the 12th", "S3");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->owner, "S3");
  EXPECT_EQ(b->due, "on the 12th");
  EXPECT_EQ(b->text, "send the report");
}

TEST(ActionItems, RequestsGoToTheNamedAddressee) {
  const auto a = find_action_item("Bob, can you check the numbers before the next meeting?", "S1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->owner, "Bob");
  EXPECT_EQ(a->due, "before the next meeting");
  EXPECT_EQ(a->text, "check the numbers");
  const auto b = find_action_item("Could you send me the minutes tonight?", "S1");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->owner, "");
  EXPECT_EQ(b->due, "tonight");
  const auto c = find_action_item("Could you please forward the email, Lisa?", "S1");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->owner, "Lisa");
  EXPECT_EQ(c->text, "forward the email");
}

TEST(ActionItems, GroupAndImperativeForms) {
  const auto need = find_action_item("We need to confirm the venue by the end of the month.", "S1");
  ASSERT_TRUE(need);
  EXPECT_EQ(need->owner, "");
  EXPECT_EQ(need->due, "by the end of the month");
  EXPECT_EQ(need->text, "confirm the venue");
  const auto lets = find_action_item("Let's schedule a follow-up call on Thursday.", "S1");
  ASSERT_TRUE(lets);
  EXPECT_EQ(lets->due, "on Thursday");
  const auto item = find_action_item("Action item: Carol to review the contract by Monday.", "S1");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->owner, "Carol");
  EXPECT_EQ(item->due, "by Monday");
  EXPECT_EQ(item->text, "review the contract");
  const auto sure = find_action_item("Make sure the slides are ready for tomorrow.", "S1");
  ASSERT_TRUE(sure);
  EXPECT_EQ(sure->due, "for tomorrow");
  const auto two = find_action_item("Kevin and Priya will test the new build in two weeks.", "S1");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->owner, "Kevin and Priya");
  EXPECT_EQ(two->due, "in two weeks");
}

TEST(ActionItems, HardNegatives) {
  for (const char* s : {"Alice sent the draft yesterday.", "I booked the room last week.",
                        "If we had more budget, we would hire another designer.", "Did Bob send the numbers?",
                        "Will the new design be ready in time?", "It will be hard to finish everything by Friday.",
                        "We'll see how the market reacts.", "I won't be able to join the call tomorrow.",
                        "Maybe we could use a different colour.", "Who is going to pay for the catering?",
                        "Bob was going to send the figures but he forgot.", "Let's see what the others say.",
                        "Unless the client agrees, we won't change the design.", "Yeah, okay, sounds good.",
                        "Are you going to present tomorrow?", "It's going to rain tomorrow.", ""}) {
    const auto a = find_action_item(s, "S1");
    EXPECT_FALSE(a) << "'" << s << "' gave task '" << a->text << "'";
  }
}

TEST(DueDates, PhrasesAsSaid) {
  EXPECT_EQ(find_due("send it by Friday please"), "by Friday");
  EXPECT_EQ(find_due("finish it by the end of the month"), "by the end of the month");
  EXPECT_EQ(find_due("we meet next week"), "next week");
  EXPECT_EQ(find_due("deliver on the 12th"), "on the 12th");
  EXPECT_EQ(find_due("ship it in two weeks"), "in two weeks");
  EXPECT_EQ(find_due("due March 3rd"), "due March 3rd");
  EXPECT_EQ(find_due("call tomorrow morning"), "tomorrow morning");
  EXPECT_EQ(find_due("no date here at all"), "");
  EXPECT_EQ(find_due("the fridge is empty"), "");  // "fri" inside a word is not Friday
}

TEST(Cues, QuestionsAndDecisions) {
  EXPECT_TRUE(is_question("how many bugs are still open"));
  EXPECT_TRUE(is_question("so do we invite the press"));
  EXPECT_TRUE(is_question("This is fine?"));
  EXPECT_FALSE(is_question("what we need is a plan"));
  EXPECT_FALSE(is_question("we invite the press"));
  EXPECT_TRUE(is_decision("After some discussion we decided to move the launch."));
  EXPECT_TRUE(is_decision("Let's go with the cheaper package."));
  EXPECT_TRUE(is_decision("okay agreed then"));
  EXPECT_FALSE(is_decision("We haven't decided on the colour yet."));
  EXPECT_FALSE(is_decision("Did we decide on the colour?"));
  EXPECT_FALSE(is_decision("I disagreed with that."));
}

TEST(Sentences, PunctuationLongSegmentsAndTimes) {
  Transcript t;
  t.speakers = {{0, "S1"}};
  t.segments.push_back(seg(0, 10, "First part here. Second part there?", 0));
  std::vector<Sentence> s = split_sentences(t);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].text, "First part here.");
  EXPECT_EQ(s[1].text, "Second part there?");
  EXPECT_DOUBLE_EQ(s[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(s[1].start_s, 5.0);  // interpolated by word count: 3 of 6 words
  EXPECT_EQ(s[1].tokens, (std::vector<std::string>{"second", "part", "there"}));

  // An unpunctuated ASR segment is cut at its widest pause between words.
  Segment asr = seg(0, 0, "", 0);
  for (int i = 0; i < 30; ++i) {
    Word w;
    w.text = std::string("w").append(std::to_string(i));
    w.start_s = i * 0.5 + (i >= 17 ? 2.0 : 0.0);  // a 2 s pause before word 17
    w.end_s = w.start_s + 0.4;
    if (i > 0) asr.text += ' ';
    asr.text += w.text;
    asr.words.push_back(w);
  }
  asr.end_s = asr.words.back().end_s;
  t.segments = {asr};
  s = split_sentences(t, 20);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].tokens.size(), 17u);
  EXPECT_DOUBLE_EQ(s[1].start_s, asr.words[17].start_s);
  EXPECT_DOUBLE_EQ(s[0].end_s, asr.words[16].end_s);
}

TEST(TextRank, CentralSentenceWinsAndMmrAvoidsRepeats) {
  const std::vector<std::vector<std::string>> docs = {
      {"budget", "launch", "campaign"}, {"budget", "launch"}, {"budget", "campaign"}, {"weather", "lunch"},
      {"budget", "launch", "campaign"}};
  const auto v = tfidf_vectors(docs);
  const auto r = lexrank(v);
  double sum = 0;
  for (double x : r) sum += x;
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_GT(r[0], r[3]);
  EXPECT_NEAR(cosine(v[0], v[4]), 1.0, 1e-12);
  // Two picks: the duplicate of the first pick must not be the second.
  const auto picked = mmr_select({0, 1, 2, 3, 4}, r, v, 2, 0.5);
  ASSERT_EQ(picked.size(), 2u);
  EXPECT_FALSE((picked[0] == 0 && picked[1] == 4) || (picked[0] == 4 && picked[1] == 0));
}

TEST(Notes, FixtureSummaryActionsDecisionsQuestions) {
  const Transcript t = fixture();
  const Notes n = make_notes(t);
  EXPECT_EQ(n.summarizer, "hush-extractive");
  ASSERT_GE(n.summary.size(), 3u);
  for (std::size_t i = 1; i < n.summary.size(); ++i) EXPECT_LE(n.summary[i - 1].time_s, n.summary[i].time_s);
  for (const NoteLine& l : n.summary) {
    EXPECT_NE(l.text, "Hi.");
    EXPECT_EQ(l.text.find("Um"), std::string::npos) << l.text;
    EXPECT_GE(tokenize(l.text).size(), 6u) << l.text;
  }
  auto owner_of = [&](const std::string& task) -> const ActionItem* {
    for (const ActionItem& a : n.action_items)
      if (a.text.find(task) != std::string::npos) return &a;
    return nullptr;
  };
  const ActionItem* draft = owner_of("send the draft");
  ASSERT_TRUE(draft);
  EXPECT_EQ(draft->owner, "Alice");
  EXPECT_EQ(draft->due, "by Friday");
  EXPECT_EQ(draft->speaker, 1);
  const ActionItem* room = owner_of("book the room");
  ASSERT_TRUE(room);
  EXPECT_EQ(room->owner, "S2");
  EXPECT_EQ(room->due, "tomorrow");
  const ActionItem* bugs = owner_of("refund bugs");
  ASSERT_TRUE(bugs);
  EXPECT_EQ(bugs->owner, "Bob");
  EXPECT_EQ(bugs->due, "this week");
  for (const ActionItem& a : n.action_items) EXPECT_EQ(a.text.find("invitation"), std::string::npos) << "past tense";
  for (const ActionItem& a : n.action_items) EXPECT_EQ(a.text.find("venue"), std::string::npos) << "hypothetical";

  ASSERT_EQ(n.decisions.size(), 3u);
  EXPECT_NE(n.decisions[0].text.find("third week of April"), std::string::npos);
  EXPECT_NE(n.decisions[2].text.find("cheaper package"), std::string::npos);
  // The finance question gets no answer; the others are taken up by someone else.
  ASSERT_EQ(n.questions.size(), 1u);
  EXPECT_NE(n.questions[0].text.find("signs off"), std::string::npos);
  EXPECT_EQ(n.questions[0].speaker, 2);
  ASSERT_FALSE(n.topics.empty());
  EXPECT_EQ(n.topics[0], "launch event");
  ASSERT_EQ(n.chapters.size(), 1u);  // a 5-minute meeting is below the default chapter length
}

TEST(Notes, SummaryLengthOption) {
  NotesOptions o;
  o.summary_sentences = 5;
  EXPECT_EQ(make_notes(fixture(), o).summary.size(), 5u);
  o.summary_sentences = 1000;  // as many as there are candidates, no more
  const std::size_t all = make_notes(fixture(), o).summary.size();
  EXPECT_GT(all, 15u);
  EXPECT_LT(all, 40u);
}

TEST(Notes, ChaptersFollowTheAgenda) {
  NotesOptions o;
  o.chapters.min_chapter_words = 30;
  o.chapters.min_chapter_s = 40;
  o.chapters.pseudo_sentence_words = 10;
  o.chapters.block_pseudo_sentences = 3;
  const Notes n = make_notes(fixture(), o);
  ASSERT_EQ(n.chapters.size(), 3u);
  EXPECT_DOUBLE_EQ(n.chapters[0].start_s, 0.5);
  for (std::size_t i = 1; i < n.chapters.size(); ++i) EXPECT_GT(n.chapters[i].start_s, n.chapters[i - 1].end_s - 1e-9);
  EXPECT_NE(n.chapters[0].title.find("payment"), std::string::npos) << n.chapters[0].title;
  EXPECT_NE(n.chapters[1].title.find("video ads"), std::string::npos) << n.chapters[1].title;
  EXPECT_NE(n.chapters[2].title.find("Launch event"), std::string::npos) << n.chapters[2].title;
}

TEST(Notes, EmptyAndFillerOnlyTranscripts) {
  Transcript t;
  Notes n = make_notes(t);
  EXPECT_TRUE(n.summary.empty());
  EXPECT_TRUE(n.chapters.empty());
  t.speakers = {{0, "S1"}};
  t.segments = {seg(0, 1, "Um, yeah.", 0), seg(1, 2, "uh okay", 0), seg(2, 3, "Mm-hmm. Yeah okay.", 0)};
  n = make_notes(t);
  EXPECT_TRUE(n.summary.empty());
  EXPECT_TRUE(n.action_items.empty());
  EXPECT_TRUE(n.topics.empty());
  EXPECT_NO_THROW(notes_to_markdown(n, t));
}

TEST(Notes, JsonRoundTrip) {
  const Notes n = make_notes(fixture());
  EXPECT_EQ(to_json(notes_from_json(to_json(n))), to_json(n));
}

// Found by fuzz/fuzz_transcript_json: a speaker of 1e12 was cast to int unchecked (undefined
// behaviour), and a time of 1e300 overflowed the cast in format_hms when rendered.
TEST(Notes, JsonOutOfRangeSpeakerIsAFormatErrorAndHugeTimesRender) {
  for (const char* text : {R"({"summary":[{"speaker":1e12}]})", R"({"action_items":[{"speaker":2147483648}]})",
                           R"({"decisions":[{"speaker":0.5}]})"}) {
    try {
      notes_from_json(nlohmann::json::parse(text));
      ADD_FAILURE() << "accepted " << text;
    } catch (const hush::Error& e) {
      EXPECT_EQ(e.code(), HUSH_ERR_FORMAT) << text;
    }
  }
  const Notes n = notes_from_json(nlohmann::json::parse(
      R"({"summary":[{"text":"late","time_s":1e300,"speaker":-1}],"action_items":[{"text":"x","time_s":-5}]})"));
  EXPECT_EQ(notes_to_markdown(n, Transcript{}, "{{summary}}"), "- [277777777:46:40] late");
  EXPECT_EQ(format_hms(-5.0), "00:00:00");
  EXPECT_EQ(format_hms(std::numeric_limits<double>::infinity()), "277777777:46:40");
  EXPECT_EQ(format_hms(std::nan("")), "00:00:00");
}

TEST(NotesExport, GoldenMarkdownAndJson) {
  const Transcript t = fixture();
  const Notes n = make_notes(t);
  check_golden("expected.md", notes_to_markdown(n, t));
  check_golden("expected.json", to_json(n).dump(2) + "\n");
}

TEST(NotesExport, ActionItemLineFormat) {
  Notes n;
  n.action_items = {{"send the draft", "Alice", "by Friday", 3723.0, 0}, {"tidy up", "", "", 5.0, 0}};
  const std::string md = notes_to_markdown(n, Transcript{}, "{{action_items}}");
  EXPECT_EQ(md, "- [ ] send the draft \xe2\x80\x94 Alice \xe2\x80\x94 by Friday (01:02:03)\n"
                "- [ ] tidy up \xe2\x80\x94 unassigned \xe2\x80\x94 no due date (00:00:05)");
}

TEST(NotesExport, TemplatePlaceholders) {
  const Transcript t = fixture();
  const Notes n = make_notes(t);
  setenv("SOURCE_DATE_EPOCH", "86400", 1);
  const std::string md = notes_to_markdown(n, t, "T={{title}} D={{ date }}\n{{topics}}\nQ:{{questions}}");
  unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_EQ(md.rfind("T=Meeting notes: spring-launch D=1970-01-02\n- launch event\n", 0), 0u) << md;
  EXPECT_NE(md.find("Q:- [00:02:57] **S3:** Who signs off"), std::string::npos) << md;
  try {
    notes_to_markdown(n, t, "ok\n{{summary}}\n{{attendees}}");
    FAIL() << "unknown placeholder accepted";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_FORMAT);
    EXPECT_NE(std::string(e.what()).find("line 3: unknown placeholder {{attendees}}"), std::string::npos) << e.what();
  }
  EXPECT_THROW(notes_to_markdown(n, t, "{{summary"), hush::Error);
  EXPECT_EQ(notes_to_markdown(n, t, "no placeholders"), "no placeholders");
}
