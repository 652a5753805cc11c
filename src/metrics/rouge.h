// ROUGE (Lin 2004) for judging meeting summaries against human ones: ROUGE-1, ROUGE-2 (clipped
// n-gram overlap) and ROUGE-L (longest common subsequence of the two token sequences, taken over
// the whole text rather than ROUGE-1.5.5's sentence-level union LCS). Tokens as in ROUGE-1.5.5:
// lower-cased, every character other than a-z and 0-9 is a separator. No stemming and no stop
// word removal (ROUGE-1.5.5 without -m / -s). Written by hand: Debian packages no ROUGE library.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hush::metrics {

struct RougeScore {
  double recall = 0.0;     // matches / reference count
  double precision = 0.0;  // matches / candidate count
  double f1 = 0.0;         // 2PR / (P + R); 0 when both are 0
};

struct RougeScores {
  RougeScore rouge1, rouge2, rouge_l;
};

std::vector<std::string> rouge_tokens(std::string_view text);

// n >= 1; with fewer than n tokens on a side, that side has no n-grams (scores 0).
RougeScore rouge_n(const std::vector<std::string>& candidate, const std::vector<std::string>& reference, int n);
RougeScore rouge_l(const std::vector<std::string>& candidate, const std::vector<std::string>& reference);
RougeScores rouge(std::string_view candidate, std::string_view reference);

}  // namespace hush::metrics
