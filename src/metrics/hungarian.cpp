#include "metrics/hungarian.h"

#include <limits>

#include "util/error.h"

namespace hush::metrics {

// The classic potentials formulation (rows added one at a time, shortest augmenting path),
// 1-based internally with column 0 as the virtual start.
std::vector<std::size_t> hungarian_min_cost(const std::vector<double>& a, std::size_t n) {
  if (a.size() != n * n) throw Error(HUSH_ERR_INVALID_ARGUMENT, "hungarian: cost matrix is not n x n");
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), v(n + 1, 0.0);
  std::vector<std::size_t> p(n + 1, 0), way(n + 1, 0);
  for (std::size_t i = 1; i <= n; ++i) {
    p[0] = i;
    std::size_t j0 = 0;
    std::vector<double> minv(n + 1, kInf);
    std::vector<char> used(n + 1, 0);
    do {
      used[j0] = 1;
      const std::size_t i0 = p[j0];
      double delta = kInf;
      std::size_t j1 = 0;
      for (std::size_t j = 1; j <= n; ++j) {
        if (used[j]) continue;
        const double cur = a[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) minv[j] = cur, way[j] = j0;
        if (minv[j] < delta) delta = minv[j], j1 = j;
      }
      for (std::size_t j = 0; j <= n; ++j) {
        if (used[j]) u[p[j]] += delta, v[j] -= delta;
        else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const std::size_t j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<std::size_t> row_to_col(n, 0);
  for (std::size_t j = 1; j <= n; ++j)
    if (p[j] != 0) row_to_col[p[j] - 1] = j - 1;
  return row_to_col;
}

}  // namespace hush::metrics
