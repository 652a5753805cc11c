// Agglomerative clustering of unit-length embeddings by average cosine similarity (UPGMA):
// repeatedly merges the two clusters whose members are, on average, most similar.
#pragma once

#include <span>
#include <vector>

namespace hush::meeting {

struct ClusteringOptions {
  int num_clusters = 0;        // > 0: merge until exactly this many remain (or fewer items)
  float stop_similarity = 0.3f;  // num_clusters == 0: stop when no two clusters are this similar
  int max_clusters = 8;        // ... but always merge down to at most this many
};

// `embeddings`: count rows of `dims` values. Returns a cluster index per row, numbered
// 0, 1, ... in order of first appearance. O(count^2) memory; typically O(count^2) time (each
// cluster remembers its most similar partner, as in the "generic" algorithm of Müllner 2011).
std::vector<int> cluster_embeddings(std::span<const float> embeddings, int dims, const ClusteringOptions& options);

}  // namespace hush::meeting
