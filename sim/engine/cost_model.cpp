// SPDX-License-Identifier: MIT
#include "engine/cost_model.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <utility>

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

namespace {

// padata's work queue on the simulated clock: each chunk goes to the worker
// that is free first (the lowest-numbered on a tie); returns when each chunk
// starts and ends.
struct Scheduled {
  unsigned worker;
  double start, end;
};

std::vector<Scheduled> schedule(const CostModel& cost, const std::vector<DeferredWork>& chunks, unsigned threads)
{
  const unsigned workers = std::max(1u, threads);
  const auto busy = static_cast<unsigned>(std::min<std::size_t>(workers, std::max<std::size_t>(1, chunks.size())));
  const double slow = cost.slowdown(busy);
  using FreeAt = std::pair<double, unsigned>;  // when, which worker
  std::priority_queue<FreeAt, std::vector<FreeAt>, std::greater<>> free_at;
  for (unsigned t = 0; t < workers; t++) free_at.push({0.0, t});
  std::vector<Scheduled> out;
  out.reserve(chunks.size());
  for (const DeferredWork& c : chunks) {
    const auto [start, worker] = free_at.top();
    free_at.pop();
    const double end = start + (static_cast<double>(c.initialized) * cost.init_ns_per_page() +
                                static_cast<double>(c.freed) * cost.free_ns_per_page()) * slow;
    free_at.push({end, worker});
    out.push_back(Scheduled{worker, start, end});
  }
  return out;
}

}  // namespace

std::uint64_t CostModel::chunked_ns(const std::vector<DeferredWork>& chunks, unsigned threads) const
{
  double makespan = 0;
  for (const Scheduled& s : schedule(*this, chunks, threads)) makespan = std::max(makespan, s.end);
  return static_cast<std::uint64_t>(makespan);
}

std::vector<ChunkRun> CostModel::chunk_schedule(const std::vector<DeferredWork>& chunks, unsigned threads) const
{
  std::vector<ChunkRun> out;
  for (const Scheduled& s : schedule(*this, chunks, threads)) {
    const auto start = static_cast<std::uint64_t>(s.start);
    out.push_back(ChunkRun{s.worker, start, static_cast<std::uint64_t>(s.end) - start});
  }
  return out;
}

std::uint64_t CostModel::device_init_ns(std::uint64_t pages, bool second_pgmap_pass) const
{
  const double per_page =
      (DEVICE_INIT_NS_PER_PAGE + (second_pgmap_pass ? DEVICE_PGMAP_PASS_NS_PER_PAGE : 0.0)) * perf.page_init_ns / 17.0;
  return static_cast<std::uint64_t>(static_cast<double>(pages) * per_page);
}

}  // namespace pginit
