// SPDX-License-Identifier: MIT
// page.h - struct page (64 bytes, x86_64 v4.17) and the page->flags layout.
//
// DOC: page->flags
// The top bits of page->flags hold, from bit 63 down, the section number
// (classic SPARSEMEM only), the node id and the zone id
// (include/linux/page-flags-layout.h); the low bits are the PG_* flags. How
// wide each field is depends on the config, so the layout is computed from
// it (PageFlagsLayout) instead of being compile-time constants as in C.
//
// Pointer-sized fields hold *simulated* kernel virtual addresses (u64), never
// host pointers: lru's self-links point at the simulated address of page->lru.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kconfig/kconfig.h"
#include "include/linux/pfn.h"

namespace pginit {

// struct page as laid out on x86_64 with SLUB (HAVE_ALIGNED_STRUCT_PAGE) and MEMCG.
struct page {
  std::uint64_t flags;      // PG_* bits and, on top, section/node/zone
  std::uint64_t mapping;
  std::uint64_t index;
  std::int32_t _mapcount;   // -1: not mapped
  std::int32_t _refcount;
  std::uint64_t lru_next;   // struct list_head lru
  std::uint64_t lru_prev;
  std::uint64_t private_;
  std::uint64_t mem_cgroup;
};
static_assert(sizeof(page) == 64, "struct page is 64 bytes on x86_64");
static_assert(offsetof(page, _mapcount) == 24 && offsetof(page, _refcount) == 28 &&
              offsetof(page, lru_next) == 32 && offsetof(page, mem_cgroup) == 56);

// PAGE_POISON_PATTERN: what memblock_virt_alloc_try_nid_raw() writes over a
// fresh memmap with DEBUG_VM. PagePoisoned(page) is flags == this.
inline constexpr std::uint64_t PAGE_POISON_FLAGS = ~std::uint64_t{0};
inline bool PagePoisoned(const page& p) { return p.flags == PAGE_POISON_FLAGS; }

// PG_reserved (include/linux/page-flags.h).
inline constexpr unsigned PG_reserved = 11;

inline constexpr unsigned SECTION_SIZE_BITS = 27;
inline constexpr unsigned PFN_SECTION_SHIFT = SECTION_SIZE_BITS - PAGE_SHIFT;
inline constexpr pfn_t PAGES_PER_SECTION = pfn_t{1} << PFN_SECTION_SHIFT;
constexpr std::uint64_t pfn_to_section_nr(pfn_t pfn) { return pfn >> PFN_SECTION_SHIFT; }
constexpr pfn_t section_nr_to_pfn(std::uint64_t sec) { return sec << PFN_SECTION_SHIFT; }

// The field widths and shifts of page->flags for one config.
struct PageFlagsLayout {
  unsigned nr_pageflags = 0;  // __NR_PAGEFLAGS
  unsigned sections_width = 0;
  unsigned nodes_width = 0;  // 0 when the node does not fit (NODE_NOT_IN_PAGE_FLAGS)
  unsigned zones_width = 0;
  unsigned sections_pgshift = 0;
  unsigned nodes_pgshift = 0;
  unsigned zones_pgshift = 0;

  static PageFlagsLayout from_config(const KconfigValues& config);

  std::uint64_t sections_mask() const { return mask(sections_width); }
  std::uint64_t nodes_mask() const { return mask(nodes_width); }
  std::uint64_t zones_mask() const { return mask(zones_width); }

 private:
  static std::uint64_t mask(unsigned width) { return width == 0 ? 0 : (~std::uint64_t{0} >> (64 - width)); }
};

// The zone, node and (classic SPARSEMEM) section bits set_page_links() puts
// in a zeroed page->flags.
inline std::uint64_t page_links(unsigned zone, int nid, pfn_t pfn, const PageFlagsLayout& l)
{
  std::uint64_t flags = (zone & l.zones_mask()) << l.zones_pgshift;
  flags |= (static_cast<std::uint64_t>(nid) & l.nodes_mask()) << l.nodes_pgshift;
  if (l.sections_width != 0) flags |= (pfn_to_section_nr(pfn) & l.sections_mask()) << l.sections_pgshift;
  return flags;
}

// include/linux/mm.h accessors, on a given layout.
void set_page_links(page& p, unsigned zone, int nid, pfn_t pfn, const PageFlagsLayout& l);
unsigned page_zonenum(const page& p, const PageFlagsLayout& l);
int page_to_nid(const page& p, const PageFlagsLayout& l);
std::uint64_t page_to_section(const page& p, const PageFlagsLayout& l);

}  // namespace pginit
