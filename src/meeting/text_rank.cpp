#include "meeting/text_rank.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace hush::meeting {

std::vector<SparseVector> tfidf_vectors(const std::vector<std::vector<std::string>>& documents) {
  std::unordered_map<std::string, int> ids;
  std::vector<int> df;
  std::vector<std::map<int, int>> counts(documents.size());
  for (std::size_t d = 0; d < documents.size(); ++d) {
    for (const std::string& term : documents[d]) {
      auto [it, fresh] = ids.emplace(term, static_cast<int>(df.size()));
      if (fresh) df.push_back(0);
      if (counts[d][it->second]++ == 0) ++df[static_cast<std::size_t>(it->second)];
    }
  }
  const double n = static_cast<double>(documents.size());
  std::vector<SparseVector> out(documents.size());
  for (std::size_t d = 0; d < documents.size(); ++d) {
    double norm2 = 0.0;
    for (const auto& [term, count] : counts[d]) {
      // Sub-linear TF: a word said five times in one sentence is not five times as central.
      const double w = (1.0 + std::log(count)) * std::log(1.0 + n / df[static_cast<std::size_t>(term)]);
      out[d].emplace_back(term, w);
      norm2 += w * w;
    }
    if (norm2 > 0)
      for (auto& tw : out[d]) tw.second /= std::sqrt(norm2);
  }
  return out;
}

double cosine(const SparseVector& a, const SparseVector& b) {
  double dot = 0.0;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first == b[j].first) {
      dot += a[i++].second * b[j++].second;
    } else if (a[i].first < b[j].first) {
      ++i;
    } else {
      ++j;
    }
  }
  return dot;
}

std::vector<double> lexrank(const std::vector<SparseVector>& vectors, double damping, int max_iterations) {
  const std::size_t n = vectors.size();
  if (n == 0) return {};
  // Row-normalised similarity graph, stored sparsely (most meeting sentences share no word).
  std::vector<std::vector<std::pair<std::size_t, double>>> out_edges(n);
  for (std::size_t i = 0; i < n; ++i) {
    double row = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const double s = cosine(vectors[i], vectors[j]);
      if (s > 0) {
        out_edges[i].emplace_back(j, s);
        row += s;
      }
    }
    for (auto& e : out_edges[i]) e.second /= row;
  }
  const double nd = static_cast<double>(n);
  std::vector<double> p(n, 1.0 / nd), next(n);
  for (int it = 0; it < max_iterations; ++it) {
    double dangling = 0.0;  // mass of sentences with no edges: spread evenly
    std::fill(next.begin(), next.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (out_edges[i].empty()) dangling += p[i];
      for (const auto& [j, w] : out_edges[i]) next[j] += p[i] * w;
    }
    double change = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      const double v = (1.0 - damping) / nd + damping * (next[j] + dangling / nd);
      change += std::abs(v - p[j]);
      next[j] = v;
    }
    p.swap(next);
    if (change < 1e-9) break;
  }
  return p;
}

std::vector<std::size_t> mmr_select(const std::vector<std::size_t>& candidates,
                                    const std::vector<double>& scores,
                                    const std::vector<SparseVector>& vectors, std::size_t count,
                                    double lambda) {
  double top = 0.0;
  for (std::size_t c : candidates) top = std::max(top, scores[c]);
  if (top <= 0) top = 1.0;
  std::vector<std::size_t> picked;
  std::vector<bool> used(candidates.size(), false);
  while (picked.size() < count && picked.size() < candidates.size()) {
    double best = -1e300;
    std::size_t best_k = candidates.size();
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      if (used[k]) continue;
      double redundancy = 0.0;
      for (std::size_t p : picked) redundancy = std::max(redundancy, cosine(vectors[candidates[k]], vectors[p]));
      const double v = lambda * scores[candidates[k]] / top - (1.0 - lambda) * redundancy;
      if (v > best) {
        best = v;
        best_k = k;
      }
    }
    used[best_k] = true;
    picked.push_back(candidates[best_k]);
  }
  return picked;
}

}  // namespace hush::meeting
