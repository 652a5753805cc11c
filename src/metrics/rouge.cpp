#include "metrics/rouge.h"

#include <algorithm>
#include <map>

#include "util/error.h"

namespace hush::metrics {

namespace {

RougeScore score(double matches, double candidate_count, double reference_count) {
  RougeScore s;
  s.recall = reference_count > 0 ? matches / reference_count : 0.0;
  s.precision = candidate_count > 0 ? matches / candidate_count : 0.0;
  s.f1 = s.recall + s.precision > 0 ? 2.0 * s.recall * s.precision / (s.recall + s.precision) : 0.0;
  return s;
}

std::map<std::vector<std::string>, int> ngram_counts(const std::vector<std::string>& tokens, std::size_t n) {
  std::map<std::vector<std::string>, int> out;
  for (std::size_t i = 0; i + n <= tokens.size(); ++i)
    ++out[std::vector<std::string>(tokens.begin() + static_cast<long>(i), tokens.begin() + static_cast<long>(i + n))];
  return out;
}

}  // namespace

std::vector<std::string> rouge_tokens(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (const char ch : text) {
    const char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      cur += c;
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

RougeScore rouge_n(const std::vector<std::string>& candidate, const std::vector<std::string>& reference, int n) {
  if (n < 1) throw Error(HUSH_ERR_INVALID_ARGUMENT, "ROUGE-N: n must be >= 1");
  const std::size_t un = static_cast<std::size_t>(n);
  const auto c = ngram_counts(candidate, un), r = ngram_counts(reference, un);
  double matches = 0;
  for (const auto& [gram, count] : c) {
    auto it = r.find(gram);
    if (it != r.end()) matches += std::min(count, it->second);  // clipped
  }
  const auto total = [un](const std::vector<std::string>& t) {
    return t.size() >= un ? static_cast<double>(t.size() - un + 1) : 0.0;
  };
  return score(matches, total(candidate), total(reference));
}

RougeScore rouge_l(const std::vector<std::string>& candidate, const std::vector<std::string>& reference) {
  // Two-row dynamic programme: O(|c| |r|) time, O(|r|) memory.
  std::vector<int> prev(reference.size() + 1, 0), cur(reference.size() + 1, 0);
  for (const std::string& a : candidate) {
    for (std::size_t j = 1; j <= reference.size(); ++j)
      cur[j] = a == reference[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    std::swap(prev, cur);
  }
  return score(prev.back(), static_cast<double>(candidate.size()), static_cast<double>(reference.size()));
}

RougeScores rouge(std::string_view candidate, std::string_view reference) {
  const auto c = rouge_tokens(candidate), r = rouge_tokens(reference);
  return {rouge_n(c, r, 1), rouge_n(c, r, 2), rouge_l(c, r)};
}

}  // namespace hush::metrics
