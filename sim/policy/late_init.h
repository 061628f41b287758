// SPDX-License-Identifier: MIT
// late_init.h - page_alloc_init_late(): how a node's deferred struct pages
// are initialized and freed after smp_init() (deferred_init_memmap(),
// mm/page_alloc.c). A rule says how many CPUs share a node's work, how the
// work is cut into chunks, what one chunk does, and what the node's thread
// prints when it is done. The engine (phases/deferred_init.h) runs the
// chunks, in parallel where they are independent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mm/page_alloc.h"

namespace pginit {

struct LateInitRule {
  std::string_view name;
  std::string_view commit;
  // false: nothing runs after smp_init; deferred pages wait for on-demand growth.
  bool runs;
  // The CPUs a node's work is spread over, given the node's CPUs.
  unsigned (*node_threads)(unsigned node_cpus);
  // The chunks of one node's work, from its free spans (ascending, non-empty).
  std::vector<PfnSpan> (*chunks)(const std::vector<PfnSpan>& spans, unsigned threads);
  // One chunk's work on its free spans, freeing into `into`.
  DeferredWork (*run_chunk)(MemoryModel& mm, zone& into, int nid, unsigned zid, const std::vector<PfnSpan>& spans);
  // The line the node's thread prints when done.
  std::string (*done_line)(int nid, std::uint64_t pages_initialized, std::uint64_t ms);
};

namespace late_init {

// v4.17: a pgdatinit kthread per node initializes every free deferred page,
// then frees them all (freeing merges buddies, reading struct pages ahead).
extern const LateInitRule per_node;
// v5.2 (0e56acae4b4d): the same thread, in deferred_init_maxorder() steps.
extern const LateInitRule per_node_max_order;
// v5.8 (e44431498f5f): padata_do_multithreaded() over the node's CPUs, one
// job per free range rounded up to a section, in section-aligned chunks.
extern const LateInitRule padata;
// An experiment: no pass after smp_init.
extern const LateInitRule none;

}  // namespace late_init

// padata_do_multithreaded()'s split of one job [start, end): at most
// max_threads works; each chunk a multiple of the alignment (a section) and
// about 1/PADATA_LOAD_BALANCE_FACTOR of a work, cut at absolute multiples of
// the chunk size (roundup(start + 1, chunk_size)), so chunks stay
// section-aligned whatever the job's start.
inline constexpr pfn_t PADATA_LOAD_BALANCE_FACTOR = 4;
std::vector<PfnSpan> padata_chunks(pfn_t start, pfn_t end, unsigned max_threads);

}  // namespace pginit
