// SPDX-License-Identifier: MIT
// cost_model.h - what work costs in simulated time (engine/clock.h): the
// time model of docs/time-model.md.
//
// One thread initializes and frees a page in perf.page_init_ns (12 parts
// init, 5 parts free, the split of __init_single_page() and the buddy free
// pass). A node's threads share its DRAM bandwidth: with A threads busy,
// each runs slower by
//
//   s(A) = ((1 + (A / A_sat)^n) / (1 + (1 / A_sat)^n))^(1/n),
//   A_sat = node_bandwidth / DRAM_BYTES_PER_PAGE * page_init_ns,
//
// a smooth minimum of "A threads at the one-thread rate" and "the node's
// bandwidth at DRAM_BYTES_PER_PAGE a page"; s(1) = 1, so page_init_ns is
// exactly the one-thread figure. The two constants were fitted once, on A12
// alone (scripts/time-model-fit); see docs/time-model.md for the check on
// four other machines.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/machine_perf.h"
#include "mm/page_alloc.h"

namespace pginit {

// DRAM traffic per struct page initialized and freed, at the node's peak
// bandwidth: 64 bytes stored plus the read-for-ownership of the same line
// is 128; the fit says 202, i.e. the node sustains 63% of its peak.
inline constexpr double DRAM_BYTES_PER_PAGE = 202.0;
// How sharply threads go from CPU-bound to bandwidth-bound (n above; 1 would
// add the two times, infinity would be a hard min()).
inline constexpr double CONTENTION_SHARPNESS = 3.1;

// ZONE_DEVICE memmap init (memremap_pages()), from published-figures.md A10
// (Duyck, 966cf44f637e: 3 TB of pmem per node, 805,306,368 pages): 19.12 s
// in memmap_init_zone_device()'s one pass (v4.20), 24.17 s before, when
// devm_memremap_pages() walked the pages a second time to set page->pgmap.
// Per page, at the default page_init_ns (17.0) and scaled with it.
inline constexpr double A10_DEVICE_PAGES = 805306368.0;
inline constexpr double DEVICE_INIT_NS_PER_PAGE = 19.12e9 / A10_DEVICE_PAGES;               // 23.74 ns
inline constexpr double DEVICE_PGMAP_PASS_NS_PER_PAGE = (24.17e9 - 19.12e9) / A10_DEVICE_PAGES;  // 6.27 ns

// Where chunked_ns() puts one chunk: its worker (0 is the node's own
// pgdatinit thread) and its start and length on the simulated clock.
struct ChunkRun {
  unsigned worker = 0;
  std::uint64_t start_ns = 0;
  std::uint64_t ns = 0;
};

struct CostModel {
  MachinePerf perf;

  double init_ns_per_page() const { return perf.page_init_ns * 12.0 / 17.0; }
  double free_ns_per_page() const { return perf.page_init_ns * 5.0 / 17.0; }
  // Threads at which the node's bandwidth is as much as their one-thread rates.
  double saturating_threads() const;
  // How much slower each of `active` threads of one node runs than one alone.
  double slowdown(unsigned active) const;

  // Nanoseconds for `initialized` inits and `freed` frees spread evenly over
  // `threads` CPUs of one node.
  std::uint64_t ns(std::uint64_t initialized, std::uint64_t freed, unsigned threads) const;

  // A node's chunks run by `threads` workers that each take the next chunk
  // when free (padata's work queue): when the last one ends. min(threads,
  // chunks) workers are busy, each slowed by slowdown() for the whole run
  // (the tail where fewer are left is not credited). Uneven chunks, or fewer
  // chunks than workers, show here: this is where padata's load-balance
  // factor becomes time.
  std::uint64_t chunked_ns(const std::vector<DeferredWork>& chunks, unsigned threads) const;
  // The same schedule, chunk by chunk: which worker took each chunk and when
  // (from the node's start), for the trace's worker tracks.
  std::vector<ChunkRun> chunk_schedule(const std::vector<DeferredWork>& chunks, unsigned threads) const;

  // One thread initializing `pages` ZONE_DEVICE struct pages (reserved, pgmap
  // set, pageblocks movable); `second_pgmap_pass`: the pre-v4.20 extra walk.
  std::uint64_t device_init_ns(std::uint64_t pages, bool second_pgmap_pass) const;
};

}  // namespace pginit
