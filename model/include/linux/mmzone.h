// SPDX-License-Identifier: MIT
// include/linux/mmzone.h - nodes, zones and the SPARSEMEM section table, as
// the kernel keeps them together (v4.17).
//
// The SPARSEMEM section table (include/linux/mmzone.h,
// mm/sparse.c, v4.17, SPARSEMEM_EXTREME as x86_64 always has it).
//
// DOC: section_mem_map
// Each 128 MiB section of physical memory has a struct mem_section whose
// section_mem_map word holds, in its low bits, the version's flags (SectionFlags) and,
// above them, the *encoded* address of the section's memmap:
//   encoded = (kva of the section's first struct page) - section_first_pfn * 64
// so that pfn_to_page(pfn) is simply decoded + pfn * 64 for any pfn of the
// section. Before sparse_init() the same word carries the node id
// (nid << SECTION_NID_SHIFT), which is how sparse_early_nid() finds it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "kconfig/kconfig.h"
#include "include/linux/mm_types.h"
#include "include/linux/pfn.h"
#include "arch/x86/mm/vm_layout.h"

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
  // Scale mode (pginit/page_runs.h) keeps the entries here instead of in
  // the struct pages' lru words: runs of heads `step` pfns apart, `count`
  // of them, the list's last run first (so that list_add() is a push_back).
  struct Run {
    pfn_t first;
    std::int64_t step;
    std::uint64_t count;
  };
  std::vector<Run> runs;
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

struct mem_section {
  std::uint64_t section_mem_map = 0;
  std::uint64_t pageblock_flags = 0;  // kva of the section's usemap
};

// PRESENT and HAS_MEM_MAP are bits 0 and 1 of section_mem_map in every version.
inline constexpr std::uint64_t SECTION_MARKED_PRESENT = 1u << 0;
inline constexpr std::uint64_t SECTION_HAS_MEM_MAP = 1u << 1;

// The flag bits above them grew over the versions, each new one taking the
// next bit and pushing SECTION_MAP_LAST_BIT (and with it the coded mem_map's
// alignment) up; the node id memory_present() stores has its own shift,
// which lagged behind twice, so the nid's low bits land on flag bits
// (include/linux/mmzone.h, mm/sparse.c):
//   v3.10 -        PRESENT HAS_MEM_MAP                          nid at bit 2
//   v4.13 -        + IS_ONLINE (bit 2)                          nid at bit 3
//   v5.3 -         + IS_EARLY (bit 3), set by sparse_init_nid()  nid at bit 3: on IS_EARLY
//   v5.12 -        + TAINT_ZONE_DEVICE (bit 4)                  nid at bit 3: on IS_EARLY and TAINT
//   v5.18          (the same bits)                              nid at bit 6 ("mm/sparse: set
//                                                               SECTION_NID_SHIFT to 6")
//   v6.0 -         an enum; TAINT_ZONE_DEVICE only with CONFIG_ZONE_DEVICE; nid at SECTION_MAP_LAST_BIT
// Read in the 3.10.65, 4.4.1, 4.12.0, 4.13.4, 4.14, 4.17, 5.2.1, 5.3, 5.8.1,
// 5.12.9, 5.18.12, 6.0 and 6.1 trees; the shift-6 fix is somewhere after
// 5.12.9 and by 5.18.12. crash's `kmem -n` names the flags P M O E D.
enum class SectionFlagSet { v3_10, v4_13, v5_3, v5_12, v6_0 };

// One version's flag bits as masks (0: the version has no such flag).
struct SectionFlags {
  std::uint64_t is_online = 0;
  std::uint64_t is_early = 0;
  std::uint64_t taint_zone_device = 0;
  std::uint64_t map_last_bit = 0;  // SECTION_MAP_LAST_BIT as a mask, as before v6.0
  unsigned nid_shift = 0;          // SECTION_NID_SHIFT

  // SECTION_MAP_MASK: the bits of the coded mem_map.
  constexpr std::uint64_t map_mask() const { return ~(map_last_bit - 1); }
  // zone_device: CONFIG_ZONE_DEVICE, which decides TAINT_ZONE_DEVICE from v6.0.
  static SectionFlags of(SectionFlagSet set, bool zone_device);
};

// MAX_PHYSMEM_BITS - SECTION_SIZE_BITS with 4-level paging: 2^19 sections.
inline constexpr unsigned SECTIONS_SHIFT = MAX_PHYSMEM_BITS - SECTION_SIZE_BITS;
inline constexpr std::uint64_t NR_MEM_SECTIONS = std::uint64_t{1} << SECTIONS_SHIFT;

// sparse_encode_mem_map(): pointer arithmetic in units of struct page.
constexpr std::uint64_t sparse_encode_mem_map(kva_t mem_map, std::uint64_t pnum)
{
  return mem_map - section_nr_to_pfn(pnum) * sizeof(page);
}

// The mem_section root table: NR_SECTION_ROOTS pointers to pages of
// SECTIONS_PER_ROOT entries, each page allocated when a section in it first
// becomes present.
class SectionTable {
 public:
  // page_extension: CONFIG_PAGE_EXTENSION makes a mem_section 32 bytes, so
  // a root page holds 128 of them instead of 256.
  explicit SectionTable(bool page_extension = false,
                        const SectionFlags& flags = SectionFlags::of(SectionFlagSet::v4_13, false));

  // The version's section_mem_map flag bits.
  const SectionFlags& flags() const { return flags_; }

  std::uint64_t sections_per_root() const { return sections_per_root_; }
  std::uint64_t nr_section_roots() const { return roots_.size(); }
  std::uint64_t root_bytes() const { return roots_.size() * sizeof(void*); }
  // PAGE_SIZE: one root page always holds sections_per_root() entries.
  static constexpr std::uint64_t root_page_bytes() { return PAGE_SIZE; }

  // __nr_to_section(): nullptr when the root page does not exist, exactly
  // where the kernel would dereference NULL.
  mem_section* __nr_to_section(std::uint64_t nr);
  const mem_section* __nr_to_section(std::uint64_t nr) const;
  bool root_present(std::uint64_t nr) const;
  // sparse_index_init(): allocate the root page holding section nr, which
  // memblock put at root_phys (0: not from memblock, as a hotplug kzalloc).
  void sparse_index_init(std::uint64_t nr, phys_addr_t root_phys = 0);
  // Where struct mem_section nr lives (0: its root page's address is unknown).
  phys_addr_t section_phys(std::uint64_t nr) const;

  std::uint64_t highest_present_section_nr() const { return highest_present_; }
  // Where memory_present() allocated the root pointer array (0: not yet).
  phys_addr_t table_phys = 0;
  void section_mark_present(std::uint64_t nr);

 private:
  std::uint64_t sections_per_root_;
  SectionFlags flags_;
  std::vector<std::unique_ptr<mem_section[]>> roots_;
  std::vector<phys_addr_t> root_phys_;
  std::uint64_t highest_present_ = 0;
};

inline bool present_section(const mem_section* ms)
{
  return ms != nullptr && (ms->section_mem_map & SECTION_MARKED_PRESENT) != 0;
}
inline bool valid_section(const mem_section* ms)
{
  return ms != nullptr && (ms->section_mem_map & SECTION_HAS_MEM_MAP) != 0;
}
// __section_mem_map_addr(): the encoded memmap, flag bits masked off.
inline kva_t __section_mem_map_addr(const SectionFlags& f, const mem_section& ms)
{
  return ms.section_mem_map & f.map_mask();
}
// sparse_encode_early_nid(): the node id as memory_present() stores it.
inline std::uint64_t sparse_encode_early_nid(const SectionFlags& f, int nid)
{
  return static_cast<std::uint64_t>(nid) << f.nid_shift;
}
// sparse_early_nid(): the node id memory_present() stored.
inline int sparse_early_nid(const SectionFlags& f, const mem_section& ms)
{
  return static_cast<int>(ms.section_mem_map >> f.nid_shift);
}

}  // namespace pginit
