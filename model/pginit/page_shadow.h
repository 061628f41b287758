// SPDX-License-Identifier: MIT
// page_shadow.h - what pginit knows about each struct page that the kernel
// does not: whether it has been initialized, by which phase, and how often.
//
// The struct page bytes themselves stay exactly what the kernel would have
// (poison, zeroes or real fields); the shadow is the simulator's ground
// truth, kept beside them, that the checker compares reads against.
#pragma once

#include <cstdint>
#include <string_view>

namespace pginit {

// The four places a struct page of RAM can be initialized (kernel-v4.17.md §9),
// and the one for device memory.
enum class InitPhase : std::uint8_t {
  none = 0,   // never initialized: poison (raw memblock) or zeroes
  early,      // memmap_init_zone() from free_area_init_nodes()
  mm_init,    // reserve_bootmem_region() -> init_reserved_page() in mem_init()
  on_demand,  // deferred_grow_zone() from the allocator
  deferred,   // deferred_init_memmap() after smp_init()
  device,     // memremap_pages() of device memory (ZONE_DEVICE), after boot
};
inline constexpr int NR_INIT_PHASES = 6;

std::string_view init_phase_name(InitPhase p);

struct PageShadow {
  InitPhase phase = InitPhase::none;  // the latest __init_single_page()
  std::uint8_t inits = 0;             // how many times (saturating)
  bool zeroed = false;                // zeroed by mm_zero_struct_page() (zero_resv_unavail) and not initialized since

  bool initialized() const { return phase != InitPhase::none; }
};
static_assert(sizeof(PageShadow) == 3);

}  // namespace pginit
