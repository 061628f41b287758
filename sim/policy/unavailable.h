// SPDX-License-Identifier: MIT
// unavailable.h - zero_resv_unavail(): struct pages that no init pass will
// reach get zeroes rather than garbage (mm/page_alloc.c). Which pfns, when
// (before or after the nodes' memmap_init_zone()), and the line it prints
// changed between versions; each variant is a rule here, picked by the
// kernel version table (kernel_version.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "include/linux/memblock.h"
#include "include/asm-generic/memory_model.h"

namespace pginit {

struct UnavailableRule {
  enum class When {
    before_nodes,    // from free_area_init_nodes(), before the first node
    after_nodes,     // after the last node
    in_memmap_init,  // no pass of its own: memmap_init() does each gap (MemmapInitWalk::ranges_then_holes)
  };
  std::string_view name;
  std::string_view commit;
  When when;
  // Zeroes (or, from v5.7, initializes) the struct pages; returns how many.
  // Null for in_memmap_init.
  std::uint64_t (*apply)(MemoryModel& mm, const memblock& mb, pfn_t max_pfn);
  // The line it prints when it zeroed any. Null for in_memmap_init.
  std::string (*line)(std::uint64_t pages);
};

// 6.1 init_unavailable_range(): each struct page of [spfn, epfn) whose
// pageblock has a memmap becomes a PageReserved page of the given zone and
// node; returns how many (the caller prints the line).
std::uint64_t init_unavailable_range(MemoryModel& mm, pfn_t spfn, pfn_t epfn, unsigned zone_idx, int nid);

namespace unavailable {

// Before v4.15: no such pass; struct pages no init reaches keep what the
// memmap held.
extern const UnavailableRule none;
// v4.15-v4.17 (a4a3ede2132a): for_each_resv_unavail_range(), reserved and
// not memory, after the nodes: "Reserved but unavailable: N pages".
extern const UnavailableRule reserved_after_init;
// v4.18 (e181ae0c5db9): the same walk, before the nodes.
extern const UnavailableRule reserved_before_init;
// 907ec5fca3dc: every pfn not in memblock.memory up to max_pfn, before the
// nodes: "Zeroed struct page in unavailable ranges: N pages".
extern const UnavailableRule holes_before_init;
// v5.7+ init_unavailable_mem() (e822969cab48, 4b094b7851bf): the same gaps
// and the tail up to round_up(max_pfn, PAGES_PER_SECTION), each struct page
// initialized for zone 0, node 0 (__init_single_page()) and PageReserved
// instead of zeroed; the same line.
extern const UnavailableRule holes_init_to_section;
// 6.1: init_unavailable_range() per gap, called by memmap_init() itself,
// with the zone and node of the range after the gap (the last section's
// tail: the last node's highest populated zone); one line per gap.
extern const UnavailableRule in_memmap_init;

}  // namespace unavailable

}  // namespace pginit
