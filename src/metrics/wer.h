// Word error rate: the word-level Levenshtein distance between a reference and a hypothesis,
// as substitutions + deletions + insertions over the reference's word count.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hush::metrics {

struct WordErrors {
  long long substitutions = 0, deletions = 0, insertions = 0;
  long long reference_words = 0;
  long long errors() const { return substitutions + deletions + insertions; }
  // errors / reference words; 0 for an empty reference with an empty hypothesis, 1 per
  // inserted word for an empty reference (so it is never a division by zero).
  double rate() const;
  WordErrors& operator+=(const WordErrors& other);
};

// Lower case; letters, digits and apostrophes inside words kept; everything else (punctuation,
// hyphens, quotes at word edges) separates words: "Self-respect, Mr. O'Neil!" -> self respect mr o'neil.
// Works on ASCII; other bytes (UTF-8) are kept as word characters.
std::vector<std::string> normalize_words(std::string_view text);

// Aligns already-normalized word lists.
WordErrors word_errors(const std::vector<std::string>& reference, const std::vector<std::string>& hypothesis);
// Normalizes both texts, then aligns them.
WordErrors word_errors(std::string_view reference, std::string_view hypothesis);

}  // namespace hush::metrics
