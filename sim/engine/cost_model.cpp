// SPDX-License-Identifier: MIT
#include "engine/cost_model.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>

namespace pginit {

double CostModel::saturating_threads() const
{
  const double node_pages_per_ns = perf.node_bandwidth_gbs / DRAM_BYTES_PER_PAGE;  // GB/s = bytes/ns
  return node_pages_per_ns * perf.page_init_ns;
}

double CostModel::slowdown(unsigned active) const
{
  const double sat = saturating_threads();
  const double n = CONTENTION_SHARPNESS;
  const auto load = [&](double a) { return 1.0 + std::pow(a / sat, n); };
  return std::pow(load(std::max(1u, active)) / load(1.0), 1.0 / n);
}

std::uint64_t CostModel::ns(std::uint64_t initialized, std::uint64_t freed, unsigned threads) const
{
  const double work =
      static_cast<double>(initialized) * init_ns_per_page() + static_cast<double>(freed) * free_ns_per_page();
  return static_cast<std::uint64_t>(work / std::max(1u, threads) * slowdown(threads));
}

std::uint64_t CostModel::chunked_ns(const std::vector<DeferredWork>& chunks, unsigned threads) const
{
  const unsigned workers = std::max(1u, threads);
  const auto busy = static_cast<unsigned>(std::min<std::size_t>(workers, std::max<std::size_t>(1, chunks.size())));
  const double slow = slowdown(busy);
  // Each worker's finishing time; the next chunk goes to the one free first.
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at;
  for (unsigned t = 0; t < workers; t++) free_at.push(0.0);
  double makespan = 0;
  for (const DeferredWork& c : chunks) {
    const double start = free_at.top();
    free_at.pop();
    const double end = start + (static_cast<double>(c.initialized) * init_ns_per_page() +
                                static_cast<double>(c.freed) * free_ns_per_page()) * slow;
    free_at.push(end);
    makespan = std::max(makespan, end);
  }
  return static_cast<std::uint64_t>(makespan);
}

std::uint64_t CostModel::device_init_ns(std::uint64_t pages, bool second_pgmap_pass) const
{
  const double per_page =
      (DEVICE_INIT_NS_PER_PAGE + (second_pgmap_pass ? DEVICE_PGMAP_PASS_NS_PER_PAGE : 0.0)) * perf.page_init_ns / 17.0;
  return static_cast<std::uint64_t>(static_cast<double>(pages) * per_page);
}

}  // namespace pginit
