// DER scorer (src/metrics/der.h) on hand-computed cases. Suite names start with "metrics".
#include <gtest/gtest.h>

#include "metrics/der.h"
#include "metrics/hungarian.h"
#include "util/error.h"

namespace {

using hush::metrics::parse_rttm;
using hush::metrics::parse_uem;
using hush::metrics::RttmSegment;
using hush::metrics::score_der;

const std::vector<RttmSegment> kRef = {{0.0, 10.0, "A"}, {10.0, 20.0, "B"}};

TEST(metrics_der, PerfectHypothesisScoresZero) {
  const auto d = score_der(kRef, kRef, {{0.0, 20.0}}, 0.0);
  EXPECT_DOUBLE_EQ(d.reference_s, 20.0);
  EXPECT_DOUBLE_EQ(d.der(), 0.0);
}

TEST(metrics_der, SwappedLabelsScoreZero) {
  const std::vector<RttmSegment> hyp = {{0.0, 10.0, "spk2"}, {10.0, 20.0, "spk1"}};
  EXPECT_DOUBLE_EQ(score_der(kRef, hyp, {{0.0, 20.0}}, 0.0).der(), 0.0);
}

TEST(metrics_der, AllOneSpeakerConfusesTheShorterSpeaker) {
  // A 0..10, B 10..16: one hypothesis speaker maps to A; B's 6 s are confusion.
  const std::vector<RttmSegment> ref = {{0.0, 10.0, "A"}, {10.0, 16.0, "B"}};
  const std::vector<RttmSegment> hyp = {{0.0, 16.0, "x"}};
  const auto d = score_der(ref, hyp, {{0.0, 16.0}}, 0.0);
  EXPECT_DOUBLE_EQ(d.confusion_s, 6.0);
  EXPECT_DOUBLE_EQ(d.missed_s, 0.0);
  EXPECT_DOUBLE_EQ(d.false_alarm_s, 0.0);
  EXPECT_DOUBLE_EQ(d.der(), 6.0 / 16.0);
}

TEST(metrics_der, CollarRemovesTimeAroundReferenceBoundaries) {
  // Hypothesis changes speaker 0.2 s late; without a collar that is 0.2 s of confusion, with the
  // 0.25 s collar it is not scored. Scored time: 20 s less collars at 0 (0.25), 10 (0.5), 20 (0.25).
  const std::vector<RttmSegment> hyp = {{0.0, 10.2, "a"}, {10.2, 20.0, "b"}};
  const auto none = score_der(kRef, hyp, {{0.0, 20.0}}, 0.0);
  EXPECT_NEAR(none.confusion_s, 0.2, 1e-9);
  const auto collar = score_der(kRef, hyp, {{0.0, 20.0}}, 0.25);
  EXPECT_NEAR(collar.confusion_s, 0.0, 1e-9);
  EXPECT_NEAR(collar.reference_s, 19.0, 1e-9);
  EXPECT_NEAR(collar.scored_s, 19.0, 1e-9);
}

TEST(metrics_der, OverlapCountsEachSpeaker) {
  // A 0..10 and B 5..10 overlap for 5 s: 15 speaker-seconds. A hypothesis with only A misses 5.
  const std::vector<RttmSegment> ref = {{0.0, 10.0, "A"}, {5.0, 10.0, "B"}};
  const std::vector<RttmSegment> hyp = {{0.0, 10.0, "a"}};
  const auto d = score_der(ref, hyp, {{0.0, 10.0}}, 0.0);
  EXPECT_DOUBLE_EQ(d.reference_s, 15.0);
  EXPECT_DOUBLE_EQ(d.missed_s, 5.0);
  EXPECT_DOUBLE_EQ(d.confusion_s, 0.0);
  EXPECT_DOUBLE_EQ(d.der(), 5.0 / 15.0);
  // Both speakers found: perfect.
  const std::vector<RttmSegment> both = {{0.0, 10.0, "a"}, {5.0, 10.0, "b"}};
  EXPECT_DOUBLE_EQ(score_der(ref, both, {{0.0, 10.0}}, 0.0).der(), 0.0);
}

TEST(metrics_der, MissedSpeechAndFalseAlarm) {
  // Hypothesis ends 4 s early and adds 2 s of speech in the silence after the reference.
  const std::vector<RttmSegment> ref = {{0.0, 10.0, "A"}};
  const std::vector<RttmSegment> hyp = {{0.0, 6.0, "a"}, {12.0, 14.0, "a"}};
  const auto d = score_der(ref, hyp, {{0.0, 20.0}}, 0.0);
  EXPECT_DOUBLE_EQ(d.missed_s, 4.0);
  EXPECT_DOUBLE_EQ(d.false_alarm_s, 2.0);
  EXPECT_DOUBLE_EQ(d.der(), 0.6);
  // Outside the UEM nothing counts.
  EXPECT_DOUBLE_EQ(score_der(ref, hyp, {{0.0, 10.0}}, 0.0).false_alarm_s, 0.0);
}

TEST(metrics_der, EmptyHypothesisMissesEverything) {
  EXPECT_DOUBLE_EQ(score_der(kRef, {}, {{0.0, 20.0}}, 0.0).der(), 1.0);
}

TEST(metrics_der, ParsesRttmAndUem) {
  const auto r = parse_rttm(";; comment\nSPEAKER rec 1 1.5 2.0 <NA> <NA> alice <NA> <NA>\n\n"
                            "SPKR-INFO rec 1 <NA> <NA> <NA> unknown alice <NA>\n"
                            "SPEAKER other 1 0 1 <NA> <NA> bob <NA>\n");
  ASSERT_EQ(r.size(), 2u);
  ASSERT_EQ(r.at("rec").size(), 1u);
  EXPECT_DOUBLE_EQ(r.at("rec")[0].start_s, 1.5);
  EXPECT_DOUBLE_EQ(r.at("rec")[0].end_s, 3.5);
  EXPECT_EQ(r.at("rec")[0].speaker, "alice");
  const auto u = parse_uem("rec NA 0.000 30.000\n");
  EXPECT_DOUBLE_EQ(u.at("rec")[0].end_s, 30.0);
}

TEST(metrics_der, MalformedRttmNamesTheLine) {
  const auto expect_format_error = [](const std::string& text, const std::string& fragment) {
    try {
      parse_rttm(text, "x.rttm");
      FAIL() << "accepted: " << text;
    } catch (const hush::Error& e) {
      EXPECT_EQ(e.code(), HUSH_ERR_FORMAT);
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect_format_error("SPEAKER rec 1 0.0 1.0 <NA> <NA>\n", "x.rttm:1:");
  expect_format_error("\nSPEAKER rec 1 abc 1.0 <NA> <NA> a <NA>\n", "x.rttm:2:");
  expect_format_error("SPEAKER rec 1 1.0 -2 <NA> <NA> a <NA>\n", "negative");
  expect_format_error("SPEAKER rec 1 nan 1 <NA> <NA> a <NA>\n", "not a number");
  expect_format_error("SPEAKER rec 1 1e999 1 <NA> <NA> a <NA>\n", "not a number");
  // Found by fuzz/fuzz_rttm: two finite times whose sum (the end) is not.
  expect_format_error("SPEAKER rec 1 1e308 1e308 <NA> <NA> a <NA>\n", "not a finite time");
  EXPECT_THROW(parse_uem("rec NA 5 1\n"), hush::Error);
  EXPECT_THROW(parse_uem("rec NA 5\n"), hush::Error);
  EXPECT_THROW(hush::metrics::read_rttm("/nonexistent/x.rttm"), hush::Error);
  EXPECT_THROW(score_der(kRef, kRef, {}, -1.0), hush::Error);
}

TEST(metrics_der, HungarianFindsTheOptimalAssignment) {
  // Greedy would take 1 (row 0 -> col 0) and then pay 100; the optimum is 2 + 3.
  const std::vector<double> cost = {1, 2, 3, 100};
  const auto a = hush::metrics::hungarian_min_cost(cost, 2);
  EXPECT_EQ(a[0], 1u);
  EXPECT_EQ(a[1], 0u);
}

}  // namespace
