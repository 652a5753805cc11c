// Minimum-cost assignment on a square matrix (Kuhn-Munkres with potentials, O(n^3)). Written
// here because no Debian C++ library in Hush's stack offers it; used by the DER speaker mapping.
#pragma once

#include <cstddef>
#include <vector>

namespace hush::metrics {

// cost: n x n row-major. Returns, for each row, the column it is assigned (a permutation).
std::vector<std::size_t> hungarian_min_cost(const std::vector<double>& cost, std::size_t n);

}  // namespace hush::metrics
