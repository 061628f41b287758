// SPDX-License-Identifier: MIT
// memremap.cpp - the per-page part of ZONE_DEVICE struct page init
// (kernel/memremap.c devm_memremap_pages() before v4.20; mm/page_alloc.c
// memmap_init_zone_device() from v4.20, 966cf44f637e).
#include "include/linux/memremap.h"

#include "include/linux/page-flags.h"

namespace pginit {

std::string_view memory_type_name(memory_type t)
{
  switch (t) {
    case memory_type::MEMORY_DEVICE_HOST: return "MEMORY_DEVICE_HOST";
    case memory_type::MEMORY_DEVICE_PRIVATE: return "MEMORY_DEVICE_PRIVATE";
    case memory_type::MEMORY_DEVICE_PUBLIC: return "MEMORY_DEVICE_PUBLIC";
  }
  return "?";
}

void dev_pagemap_page_init(page& p, kva_t p_kva, const dev_pagemap& pgmap, ZoneDeviceLru lru, int refcount)
{
  switch (lru) {
    case ZoneDeviceLru::list_del_then_pgmap:
      p.lru_next = LIST_POISON1;
      p.lru_prev = LIST_POISON2;
      break;
    case ZoneDeviceLru::pgmap_only:
      p.lru_prev = page_lru(p_kva);
      break;
    case ZoneDeviceLru::data_cleared:
      p.lru_prev = 0;  // hmm_data = 0 / zone_device_data = NULL
      break;
  }
  p.lru_next = pgmap.kva;  // page->pgmap
  p._refcount = refcount;
}

bool is_zone_device_page(const page& p, const PageFlagsLayout& l, int device_zone_idx)
{
  return device_zone_idx >= 0 && page_zonenum(p, l) == static_cast<unsigned>(device_zone_idx);
}

}  // namespace pginit
