#include "metrics/wer.h"

#include <algorithm>
#include <cctype>

namespace hush::metrics {

double WordErrors::rate() const {
  if (reference_words == 0) return double(insertions);
  return double(errors()) / double(reference_words);
}

WordErrors& WordErrors::operator+=(const WordErrors& o) {
  substitutions += o.substitutions;
  deletions += o.deletions;
  insertions += o.insertions;
  reference_words += o.reference_words;
  return *this;
}

std::vector<std::string> normalize_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    // Apostrophes at the edges are quotation marks, not part of the word.
    while (!word.empty() && word.back() == '\'') word.pop_back();
    std::size_t lead = 0;
    while (lead < word.size() && word[lead] == '\'') ++lead;
    if (lead < word.size()) words.push_back(word.substr(lead));
    word.clear();
  };
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '\'' || c >= 0x80) {
      word += static_cast<char>(std::tolower(c));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

WordErrors word_errors(const std::vector<std::string>& ref, const std::vector<std::string>& hyp) {
  // Two rows of the edit-distance table, each cell carrying its error counts so ties resolve
  // to the same alignment every time (prefer a match/substitution, then deletion, insertion).
  struct Cell {
    long long cost = 0, sub = 0, del = 0, ins = 0;
  };
  std::vector<Cell> prev(hyp.size() + 1), cur(hyp.size() + 1);
  for (std::size_t j = 1; j <= hyp.size(); ++j) prev[j] = {static_cast<long long>(j), 0, 0, static_cast<long long>(j)};
  for (std::size_t i = 1; i <= ref.size(); ++i) {
    cur[0] = {static_cast<long long>(i), 0, static_cast<long long>(i), 0};
    for (std::size_t j = 1; j <= hyp.size(); ++j) {
      const bool same = ref[i - 1] == hyp[j - 1];
      Cell diag = prev[j - 1];
      if (!same) {
        ++diag.cost;
        ++diag.sub;
      }
      Cell del = prev[j];
      ++del.cost;
      ++del.del;
      Cell ins = cur[j - 1];
      ++ins.cost;
      ++ins.ins;
      Cell best = diag;
      if (del.cost < best.cost) best = del;
      if (ins.cost < best.cost) best = ins;
      cur[j] = best;
    }
    std::swap(prev, cur);
  }
  const Cell& end = prev[hyp.size()];
  WordErrors e;
  e.substitutions = end.sub;
  e.deletions = end.del;
  e.insertions = end.ins;
  e.reference_words = static_cast<long long>(ref.size());
  return e;
}

WordErrors word_errors(std::string_view reference, std::string_view hypothesis) {
  return word_errors(normalize_words(reference), normalize_words(hypothesis));
}

}  // namespace hush::metrics
