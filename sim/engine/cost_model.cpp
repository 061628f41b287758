// SPDX-License-Identifier: MIT
#include "engine/cost_model.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace pginit {

std::uint64_t CostModel::ns(std::uint64_t initialized, std::uint64_t freed, unsigned threads) const
{
  const double work = static_cast<double>(initialized) * init_ns_per_page + static_cast<double>(freed) * free_ns_per_page;
  const double spread = work / std::max(1u, threads);
  const double pages = static_cast<double>(std::max(initialized, freed));
  const double floor = pages / node_pages_per_s_max * 1e9;
  return static_cast<std::uint64_t>(std::max(spread, floor));
}

std::uint64_t CostModel::chunked_ns(const std::vector<DeferredWork>& chunks, unsigned threads) const
{
  // Each worker's finishing time; the next chunk goes to the one free first.
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at;
  for (unsigned t = 0; t < std::max(1u, threads); t++) free_at.push(0.0);
  double makespan = 0;
  std::uint64_t pages = 0;
  for (const DeferredWork& c : chunks) {
    const double start = free_at.top();
    free_at.pop();
    const double end = start + static_cast<double>(c.initialized) * init_ns_per_page +
                       static_cast<double>(c.freed) * free_ns_per_page;
    free_at.push(end);
    makespan = std::max(makespan, end);
    pages += std::max(c.initialized, c.freed);
  }
  const double floor = static_cast<double>(pages) / node_pages_per_s_max * 1e9;
  return static_cast<std::uint64_t>(std::max(makespan, floor));
}

}  // namespace pginit
