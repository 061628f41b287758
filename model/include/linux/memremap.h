// SPDX-License-Identifier: MIT
// memremap.h - device memory (ZONE_DEVICE): struct dev_pagemap, struct
// vmem_altmap and the memory types (include/linux/memremap.h), and the
// operations that give device memory its struct pages after boot
// (kernel/memremap.c, mm/memremap.c from v5.1; mm/hmm.c's
// hmm_devmem_pages_create() for HMM memory before v5.3; mm/memory_hotplug.c).
//
// DOC: ZONE_DEVICE struct pages
// Device memory is never given to the buddy allocator. Its struct pages are
// initialized once, by the driver's memremap_pages() (devm_memremap_pages()),
// in the node's ZONE_DEVICE, PG_reserved, with page->pgmap pointing at the
// device's dev_pagemap and a reference count of 1 that never drops to 0 (a
// ZONE_DEVICE page is "freed" back to its driver at refcount 1). pgmap sits
// where lru.next is, hmm_data / zone_device_data where lru.prev is, in every
// layout since v4.14.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "include/asm-generic/memory_model.h"
#include "include/linux/mmzone.h"
#include "include/linux/pfn.h"

namespace pginit {

// enum memory_type. MEMORY_DEVICE_HOST is pmem's type until v4.19 (renamed
// MEMORY_DEVICE_FS_DAX / _GENERIC later; pginit keeps one name for "CPU-
// addressable, linearly mapped device memory").
enum class memory_type : std::uint8_t {
  MEMORY_DEVICE_HOST,     // persistent memory (pmem, DAX)
  MEMORY_DEVICE_PRIVATE,  // HMM: unaddressable device memory (5042db43cc26, v4.14)
  MEMORY_DEVICE_PUBLIC,   // HMM: CPU-coherent device memory (df6ad69838fc, v4.14)
};
std::string_view memory_type_name(memory_type t);

// struct vmem_altmap: device pages set aside for the device's own memmap.
// base_pfn: the range's first pfn; reserve: pages nobody may use (a label
// area); free: pages the memmap may take; alloc: how many it took; align:
// pages skipped to align the memmap blocks (altmap_alloc_block_buf()).
struct vmem_altmap {
  pfn_t base_pfn = 0;
  pfn_t reserve = 0;
  pfn_t free = 0;
  pfn_t align = 0;
  pfn_t alloc = 0;
};
// vmem_altmap_offset(): the first pfn (from base_pfn) that is not memmap.
inline pfn_t vmem_altmap_offset(const vmem_altmap& a) { return a.reserve + a.free; }

// struct dev_pagemap, with the device it belongs to.
struct dev_pagemap {
  memory_type type = memory_type::MEMORY_DEVICE_HOST;
  phys_addr_t start = 0;  // res->start
  phys_addr_t end = 0;    // exclusive
  std::optional<vmem_altmap> altmap;
  int nid = 0;            // dev_to_node()
  std::string dev_name;   // dev_name(pgmap->dev)
  kva_t kva = 0;          // where the struct lives (what page->pgmap holds)

  pfn_t start_pfn() const { return start >> PAGE_SHIFT; }
  pfn_t end_pfn() const { return end >> PAGE_SHIFT; }
  // pfn_first(): the first pfn that is device memory, not memmap.
  pfn_t pfn_first() const { return start_pfn() + (altmap ? vmem_altmap_offset(*altmap) : 0); }
  // arch_add_memory() maps the range in the direct map; device-private
  // memory goes through add_pages() and gets no linear mapping.
  bool linear_mapping() const { return type != memory_type::MEMORY_DEVICE_PRIVATE; }
};

// Where a vmemmap block comes from when there is no altmap:
// vmemmap_alloc_block() -> alloc_pages_node(nid, GFP_KERNEL, order); returns
// the block's physical address, or PHYS_ADDR_MAX when the node has none.
using PageBlockAllocator = std::function<phys_addr_t(int nid, unsigned order)>;

// sparse_add_one_section() (mm/sparse.c) for one section of hot-added
// memory: the section becomes present, its memmap is populated (from the
// altmap when there is one: the memmap then lives on the device) and
// poisoned, its usemap allocated. 0 or -ENOMEM.
int sparse_add_one_section(MemoryModel& mm, std::uint64_t section_nr, int nid, vmem_altmap* altmap,
                           const PageBlockAllocator& alloc);
// __add_pages() / arch_add_memory(): every section of [start_pfn, +nr_pages).
int __add_pages(MemoryModel& mm, int nid, pfn_t start_pfn, pfn_t nr_pages, vmem_altmap* altmap,
                const PageBlockAllocator& alloc);

// move_pfn_range_to_zone() (mm/memory_hotplug.c): grow the zone's and the
// node's span over [start_pfn, +nr_pages).
void move_pfn_range_to_zone(pglist_data& pgdat, zone& z, pfn_t start_pfn, pfn_t nr_pages);

// What each version's ZONE_DEVICE init leaves in the fields the pgmap
// shares with lru (see dev_pagemap_page_init()).
enum class ZoneDeviceLru : std::uint8_t {
  // Before v4.20, devm_memremap_pages(): list_del(&page->lru) then
  // page->pgmap: lru.prev is LIST_POISON2. hmm_devmem_pages_create() sets
  // only page->pgmap: lru.prev keeps INIT_LIST_HEAD's self-link.
  list_del_then_pgmap,
  pgmap_only,
  // v4.20 on (memmap_init_zone_device(), 966cf44f637e): page->hmm_data = 0
  // (v4.20 - v5.2), page->zone_device_data = NULL (v5.3 on).
  data_cleared,
};

// The per-page part of ZONE_DEVICE init that follows __init_single_page()
// and PG_reserved: page->pgmap and the lru.prev word as `lru` says;
// `refcount` is 1, except 6.1's 0 for device-private pages.
void dev_pagemap_page_init(page& p, kva_t p_kva, const dev_pagemap& pgmap, ZoneDeviceLru lru, int refcount);

// is_zone_device_page() && page->pgmap->type == MEMORY_DEVICE_PRIVATE,
// with pgmap resolved by the caller's table.
bool is_zone_device_page(const page& p, const PageFlagsLayout& l, int device_zone_idx);

}  // namespace pginit
