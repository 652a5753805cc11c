// ROUGE-1/2/L on examples computed by hand.
#include <gtest/gtest.h>

#include "metrics/rouge.h"
#include "util/error.h"

using namespace hush::metrics;

TEST(Rouge, TokensAreLowerCaseAlphanumericRuns) {
  EXPECT_EQ(rouge_tokens("Hello, World! It's 2024."),
            (std::vector<std::string>{"hello", "world", "it", "s", "2024"}));
  EXPECT_TRUE(rouge_tokens(" ,.; ").empty());
}

TEST(Rouge, OneWordChanged) {
  // c: the cat sat on the mat / r: the cat was on the mat
  // unigrams: 5 of 6 match (the x2, cat, on, mat); bigrams: the-cat, on-the, the-mat = 3 of 5;
  // LCS "the cat on the mat" = 5.
  const RougeScores s = rouge("The cat sat on the mat.", "the cat was on the mat");
  EXPECT_NEAR(s.rouge1.recall, 5.0 / 6, 1e-12);
  EXPECT_NEAR(s.rouge1.precision, 5.0 / 6, 1e-12);
  EXPECT_NEAR(s.rouge1.f1, 5.0 / 6, 1e-12);
  EXPECT_NEAR(s.rouge2.f1, 3.0 / 5, 1e-12);
  EXPECT_NEAR(s.rouge_l.f1, 5.0 / 6, 1e-12);
}

TEST(Rouge, CountsAreClipped) {
  // "the" x4 against one "the": 1 match; R = 1/2, P = 1/4, F = 2 (1/8) / (3/4) = 1/3.
  const RougeScores s = rouge("the the the the", "the cat");
  EXPECT_NEAR(s.rouge1.recall, 0.5, 1e-12);
  EXPECT_NEAR(s.rouge1.precision, 0.25, 1e-12);
  EXPECT_NEAR(s.rouge1.f1, 1.0 / 3, 1e-12);
}

TEST(Rouge, ShortCandidateAndGappedSubsequence) {
  // c: a b c / r: a b c d e f. R1 = 3/6, P1 = 1, F1 = 2/3; R2 = 2/5, P2 = 1, F2 = 4/7.
  RougeScores s = rouge("a b c", "a b c d e f");
  EXPECT_NEAR(s.rouge1.f1, 2.0 / 3, 1e-12);
  EXPECT_NEAR(s.rouge2.recall, 0.4, 1e-12);
  EXPECT_NEAR(s.rouge2.f1, 4.0 / 7, 1e-12);
  EXPECT_NEAR(s.rouge_l.recall, 0.5, 1e-12);
  // LCS skips the gaps: c: a x b y c / r: a b c -> LCS 3: R = 1, P = 3/5, F = 3/4.
  s = rouge("a x b y c", "a b c");
  EXPECT_NEAR(s.rouge_l.recall, 1.0, 1e-12);
  EXPECT_NEAR(s.rouge_l.precision, 0.6, 1e-12);
  EXPECT_NEAR(s.rouge_l.f1, 0.75, 1e-12);
  EXPECT_NEAR(s.rouge2.f1, 0.0, 1e-12);  // no bigram in common
}

TEST(Rouge, EmptyAndBadInput) {
  const RougeScores s = rouge("", "a b");
  EXPECT_EQ(s.rouge1.f1, 0.0);
  EXPECT_EQ(s.rouge_l.f1, 0.0);
  EXPECT_EQ(rouge_n({"a"}, {"a"}, 2).f1, 0.0);  // no bigrams on either side
  EXPECT_THROW(rouge_n({"a"}, {"a"}, 0), hush::Error);
}
