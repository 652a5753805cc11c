#include "meeting/clustering.h"

#include <algorithm>
#include <limits>

#include "util/error.h"

namespace hush::meeting {

std::vector<int> cluster_embeddings(std::span<const float> e, int dims, const ClusteringOptions& o) {
  if (dims <= 0 || e.size() % static_cast<std::size_t>(dims) != 0)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "cluster_embeddings: size is not a multiple of dims");
  const std::size_t n = e.size() / static_cast<std::size_t>(dims);
  std::vector<int> label(n);
  if (n == 0) return label;
  // Similarity matrix (only the active rows/columns are kept up to date).
  std::vector<float> sim(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) {
      double s = 0.0;
      for (int k = 0; k < dims; ++k) s += double(e[i * dims + k]) * e[j * dims + k];
      sim[i * n + j] = sim[j * n + i] = static_cast<float>(s);
    }
  std::vector<int> size(n, 1);
  std::vector<std::size_t> parent(n);
  for (std::size_t i = 0; i < n; ++i) parent[i] = i;
  std::vector<char> active(n, 1);
  constexpr float kNone = -std::numeric_limits<float>::infinity();
  std::vector<std::size_t> best(n, 0);
  std::vector<float> best_sim(n, kNone);
  const auto refresh = [&](std::size_t i) {
    best_sim[i] = kNone;
    for (std::size_t j = 0; j < n; ++j)
      if (j != i && active[j] && sim[i * n + j] > best_sim[i]) {
        best_sim[i] = sim[i * n + j];
        best[i] = j;
      }
  };
  for (std::size_t i = 0; i < n; ++i) refresh(i);
  std::size_t clusters = n;
  const std::size_t target = o.num_clusters > 0 ? static_cast<std::size_t>(o.num_clusters) : 1;
  const std::size_t cap = static_cast<std::size_t>(std::max(1, o.max_clusters));
  while (clusters > target) {
    std::size_t a = n;
    for (std::size_t i = 0; i < n; ++i)
      if (active[i] && (a == n || best_sim[i] > best_sim[a])) a = i;
    if (a == n || best_sim[a] == kNone) break;
    if (o.num_clusters <= 0 && best_sim[a] < o.stop_similarity && clusters <= cap) break;
    const std::size_t b = best[a];
    // Average linkage (Lance-Williams): the merged row is the size-weighted mean.
    for (std::size_t k = 0; k < n; ++k) {
      if (!active[k] || k == a || k == b) continue;
      const float s = (size[a] * sim[a * n + k] + size[b] * sim[b * n + k]) / static_cast<float>(size[a] + size[b]);
      sim[a * n + k] = sim[k * n + a] = s;
    }
    size[a] += size[b];
    active[b] = 0;
    parent[b] = a;
    --clusters;
    for (std::size_t k = 0; k < n; ++k) {
      if (!active[k] || k == a) continue;
      if (best[k] == a || best[k] == b) {
        refresh(k);
      } else if (sim[k * n + a] > best_sim[k]) {
        best_sim[k] = sim[k * n + a];
        best[k] = a;
      }
    }
    refresh(a);
  }
  // Roots -> 0, 1, ... by first appearance.
  std::vector<int> root_label(n, -1);
  int next = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t r = i;
    while (parent[r] != r) r = parent[r];
    if (root_label[r] < 0) root_label[r] = next++;
    label[i] = root_label[r];
  }
  return label;
}

}  // namespace hush::meeting
