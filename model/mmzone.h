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

// The buddy allocator's sizes (include/linux/mmzone.h).
inline constexpr unsigned MAX_ORDER = 11;
inline constexpr pfn_t MAX_ORDER_NR_PAGES = pfn_t{1} << (MAX_ORDER - 1);
enum migratetype : unsigned {
  MIGRATE_UNMOVABLE,
  MIGRATE_MOVABLE,
  MIGRATE_RECLAIMABLE,
  MIGRATE_HIGHATOMIC,
  MIGRATE_ISOLATE,
  MIGRATE_TYPES
};

// One free list (a struct list_head in the kernel). The kernel's list_head lives in struct zone; pginit keeps
// the head's two pointers here and gives the head a stand-in address
// (`head`), so the lru words of the struct pages on the list hold exactly
// what the kernel's would: the addresses of their neighbours' lru, or of the head.
struct FreeList {
  kva_t head = 0;   // &zone->free_area[order].free_list[mt]
  kva_t first = 0;  // struct page of the first entry; 0: empty
  kva_t last = 0;
};

struct FreeArea {
  std::array<FreeList, MIGRATE_TYPES> free_list{};
  std::uint64_t nr_free = 0;  // blocks of this order
};

struct zone {
  ZoneType type = ZoneType::normal;
  int node = 0;
  pfn_t zone_start_pfn = 0;
  std::uint64_t spanned_pages = 0;  // zone_end_pfn - zone_start_pfn, holes included
  std::uint64_t present_pages = 0;  // spanned minus holes
  std::uint64_t managed_pages = 0;  // present minus memmap and reserved: what the buddy allocator manages
  std::array<FreeArea, MAX_ORDER> free_area{};
  std::uint64_t nr_free_pages = 0;  // NR_FREE_PAGES

  std::string_view name() const { return zone_name(type); }
  pfn_t zone_end_pfn() const { return zone_start_pfn + spanned_pages; }
  bool populated() const { return present_pages != 0; }
  bool zone_spans_pfn(pfn_t pfn) const { return pfn >= zone_start_pfn && pfn < zone_end_pfn(); }
  // Gives the free list heads their stand-in addresses (see FreeList).
  void init_free_lists(int zone_idx);
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

// The zone of `pgdat` spanning pfn: the first one, as page_zone() finds it
// for a page linked by memmap_init_zone() and init_reserved_page() does;
// nullptr if none does. *zid gets its index.
zone* zone_of_pfn(pglist_data& pgdat, pfn_t pfn, unsigned* zid = nullptr);
const zone* zone_of_pfn(const pglist_data& pgdat, pfn_t pfn, unsigned* zid = nullptr);

}  // namespace pginit
