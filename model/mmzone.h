// SPDX-License-Identifier: MIT
// mmzone.h - nodes and zones (include/linux/mmzone.h, v4.17).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "kconfig.h"
#include "phys.h"
#include "vm_layout.h"

namespace pginit {

// The zone types x86_64 can have, in enum zone_type order. Which of them a
// kernel has depends on its config (ZONE_DMA, ZONE_DEVICE), and a zone's
// index - what page->flags stores - is its position among those present.
enum class ZoneType : std::uint8_t { dma, dma32, normal, movable, device };
inline constexpr int NR_ZONE_TYPES = 5;

// zone_names[] (mm/page_alloc.c): "DMA", "DMA32", "Normal", "Movable", "Device".
std::string_view zone_name(ZoneType t);

// The zones of one kernel, in index order (MAX_NR_ZONES of them).
struct ZoneConfig {
  std::vector<ZoneType> types;

  static ZoneConfig from_config(const KconfigValues& config);
  int max_nr_zones() const { return static_cast<int>(types.size()); }
  int index_of(ZoneType t) const;  // -1 when the kernel has no such zone
};

inline constexpr pfn_t ULONG_MAX_PFN = ~pfn_t{0};

struct zone {
  ZoneType type = ZoneType::normal;
  int node = 0;
  pfn_t zone_start_pfn = 0;
  std::uint64_t spanned_pages = 0;  // zone_end_pfn - zone_start_pfn, holes included
  std::uint64_t present_pages = 0;  // spanned minus holes
  std::uint64_t managed_pages = 0;  // present minus memmap and reserved: what the buddy allocator manages

  std::string_view name() const { return zone_name(type); }
  pfn_t zone_end_pfn() const { return zone_start_pfn + spanned_pages; }
  bool populated() const { return present_pages != 0; }
  bool zone_spans_pfn(pfn_t pfn) const { return pfn >= zone_start_pfn && pfn < zone_end_pfn(); }
};

// pg_data_t: one NUMA node.
struct pglist_data {
  int node_id = 0;
  pfn_t node_start_pfn = 0;
  std::uint64_t node_spanned_pages = 0;
  std::uint64_t node_present_pages = 0;
  std::vector<zone> node_zones;  // ZoneConfig order
  kva_t node_mem_map = 0;        // FLATMEM only

  // CONFIG_DEFERRED_STRUCT_PAGE_INIT
  pfn_t first_deferred_pfn = ULONG_MAX_PFN;  // first pfn still to initialize
  std::uint64_t static_init_pgcnt = 0;       // pages initialized up front

  pfn_t node_end_pfn() const { return node_start_pfn + node_spanned_pages; }  // pgdat_end_pfn()
};

}  // namespace pginit
