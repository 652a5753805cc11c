// Word error rate: normalization and word-level Levenshtein counts.
#include <gtest/gtest.h>

#include "metrics/wer.h"

namespace {

using hush::metrics::normalize_words;
using hush::metrics::word_errors;

TEST(Wer, Normalization) {
  EXPECT_EQ(normalize_words("Self-respect, Mr. O'Neil!  'Tis \"fine\"."),
            (std::vector<std::string>{"self", "respect", "mr", "o'neil", "tis", "fine"}));
  EXPECT_TRUE(normalize_words(" ,.- ").empty());
  EXPECT_EQ(normalize_words("Café 42"), (std::vector<std::string>{"café", "42"}));
}

TEST(Wer, CountsSubstitutionsDeletionsInsertions) {
  auto e = word_errors("the cat sat on the mat", "the cat sat on the mat");
  EXPECT_EQ(e.errors(), 0);
  EXPECT_EQ(e.reference_words, 6);
  EXPECT_DOUBLE_EQ(e.rate(), 0.0);

  e = word_errors("the cat sat on the mat", "the bat sat on mat");
  EXPECT_EQ(e.substitutions, 1);
  EXPECT_EQ(e.deletions, 1);
  EXPECT_EQ(e.insertions, 0);
  EXPECT_DOUBLE_EQ(e.rate(), 2.0 / 6.0);

  e = word_errors("a b", "x a b y z");
  EXPECT_EQ(e.insertions, 3);
  EXPECT_EQ(e.substitutions, 0);
  EXPECT_DOUBLE_EQ(e.rate(), 1.5);  // WER can exceed 1

  e = word_errors("one two three", "");
  EXPECT_EQ(e.deletions, 3);
  EXPECT_DOUBLE_EQ(e.rate(), 1.0);

  e = word_errors("", "");
  EXPECT_DOUBLE_EQ(e.rate(), 0.0);
  e = word_errors("", "uh oh");
  EXPECT_EQ(e.insertions, 2);
}

TEST(Wer, CaseAndPunctuationDoNotCount) {
  EXPECT_EQ(word_errors("HELLO, World.", "hello world").errors(), 0);
}

TEST(Wer, SumsOverUtterances) {
  auto total = word_errors("a b c d", "a x c d");
  total += word_errors("e f", "");
  EXPECT_EQ(total.reference_words, 6);
  EXPECT_EQ(total.errors(), 3);
  EXPECT_DOUBLE_EQ(total.rate(), 0.5);
}

TEST(Wer, MinimalEditDistanceOnLongerInput) {
  // Levenshtein of "kitten sitting" style word sequences: swap needs 2 edits, not more.
  const auto e = word_errors("a b c d e f g", "a c b d e f g");
  EXPECT_EQ(e.errors(), 2);
}

}  // namespace
