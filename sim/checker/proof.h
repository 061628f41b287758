// SPDX-License-Identifier: MIT
// proof.h - what every run proves at its end, by reading the memmap the way
// a debugger would (kernel-v4.17.md §9):
//  - every pfn of memblock.memory inside a zone was initialized exactly once
//    (no modelled policy initializes a memory pfn twice), or, under a policy
//    without a late pass, is still deferred;
//  - holes of present sections are left as the kernel leaves them:
//    initialized (inside a zone span, early), zeroed (zero_resv_unavail) or
//    untouched poison; they are counted, not judged;
//  - every free page is in exactly one buddy block on the right zone's list,
//    the block heads are PageBuddy with their order, and each zone's free
//    count equals what it was given minus what was allocated;
//  - every valid pfn of memblock.reserved is PageReserved.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/executor.h"
#include "kernel/kernel_state.h"

namespace pginit {

struct NodePhaseCounts {
  int nid = 0;
  std::array<std::uint64_t, NR_INIT_PHASES> pages{};  // by InitPhase; [none] = memory never initialized
};

// One zone's free lists: blocks per order, all migratetypes together.
struct ZoneFreeLists {
  int nid = 0;
  std::string zone;
  std::vector<std::uint64_t> nr_free;  // by order, MAX_ORDER entries
  std::string key() const { return std::to_string(nid) + " " + zone; }  // "0 DMA32", as expect.free_lists says
};

struct BootProof {
  std::vector<NodePhaseCounts> by_node;
  std::uint64_t still_deferred = 0;     // memory pfns a lazy policy has not reached
  std::uint64_t holes_initialized = 0;  // non-memory pfns with a real struct page
  std::uint64_t holes_zeroed = 0;       // ... with zeroes (zero_resv_unavail)
  std::uint64_t holes_untouched = 0;    // ... with the raw allocation's bytes
  std::uint64_t device_pages = 0;       // ZONE_DEVICE struct pages memremap_pages() initialized (not RAM, not holes)
  std::uint64_t free_pages = 0;
  std::uint64_t free_blocks = 0;
  std::uint64_t reserved_pages = 0;
  std::uint64_t memmap_hash = 0;        // of every struct page byte, section by section
  std::vector<ZoneFreeLists> free_lists;  // every populated zone, by node then zone
  std::vector<std::string> failures;    // empty: the proof holds
};

// The memmap hash is computed section by section on `executor`.
BootProof prove_boot(const KernelState& k, const Executor& executor);

// The per-node, per-phase table and the proof's summary, as pginit prints them.
std::vector<std::string> describe_proof(const BootProof& p);

}  // namespace pginit
