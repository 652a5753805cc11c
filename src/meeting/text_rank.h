// Graph ranking for the extractive summary: TF-IDF sentence vectors, their cosine
// similarities, LexRank centrality (PageRank over the similarity graph, Erkan & Radev 2004) and
// maximal-marginal-relevance selection (Carbonell & Goldstein 1998) to avoid repeating oneself.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace hush::meeting {

// A sparse, L2-normalised TF-IDF vector: (term id, weight) sorted by term id.
using SparseVector = std::vector<std::pair<int, double>>;

// One vector per document (here: per sentence's content words). IDF is computed over these
// documents: log(1 + N / df).
std::vector<SparseVector> tfidf_vectors(const std::vector<std::vector<std::string>>& documents);

double cosine(const SparseVector& a, const SparseVector& b);  // both normalised: a dot product

// LexRank with continuous edge weights: the stationary distribution of a random walk over the
// cosine-similarity graph (self-loops removed, rows normalised) with damping. Returns one score
// per vector, summing to 1. Isolated sentences get only the teleport share.
std::vector<double> lexrank(const std::vector<SparseVector>& vectors, double damping = 0.85,
                            int max_iterations = 100);

// Picks up to `count` of `candidates` (indices into scores/vectors) by MMR:
// argmax lambda * score/max_score - (1 - lambda) * max cosine to what is already picked.
// Returns the picked indices in picking order.
std::vector<std::size_t> mmr_select(const std::vector<std::size_t>& candidates,
                                    const std::vector<double>& scores,
                                    const std::vector<SparseVector>& vectors, std::size_t count,
                                    double lambda);

}  // namespace hush::meeting
