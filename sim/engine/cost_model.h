// SPDX-License-Identifier: MIT
// cost_model.h - what work costs in simulated time (engine/clock.h).
//
// Calibrated on the published figures (../shared/docs/published-figures.md,
// "mm: parallelize deferred_init_memmap()", Xeon 8167M, 384 GiB per node):
// one thread initializes and frees a node in 1717.7 ms, 17.06 ns per page;
// 52 threads take 138 ms, 729 M pages/s, where memory bandwidth stops them.
#pragma once

#include <cstdint>
#include <vector>

#include "mm/page_alloc.h"

namespace pginit {

struct CostModel {
  double init_ns_per_page = 12.0;  // __init_single_page(): a 64-byte store and a few fields
  double free_ns_per_page = 5.0;   // __free_pages_boot_core() and buddy merging, per page
  double node_pages_per_s_max = 729e6;  // the node's memory-bandwidth ceiling for init + free

  // Nanoseconds for `initialized` inits and `freed` frees spread over
  // `threads` CPUs of one node, bounded below by the bandwidth ceiling.
  std::uint64_t ns(std::uint64_t initialized, std::uint64_t freed, unsigned threads) const;

  // A node's chunks run by `threads` workers that each take the next chunk
  // when free (padata's work queue): when the last one ends, bounded below
  // by the bandwidth ceiling for the whole node. Uneven chunks, or fewer
  // chunks than workers, show here: this is where padata's load-balance
  // factor becomes time.
  std::uint64_t chunked_ns(const std::vector<DeferredWork>& chunks, unsigned threads) const;
};

}  // namespace pginit
