// SPDX-License-Identifier: MIT
// mem_section.h - the SPARSEMEM section table (include/linux/mmzone.h,
// mm/sparse.c, v4.17, SPARSEMEM_EXTREME as x86_64 always has it).
//
// DOC: section_mem_map
// Each 128 MiB section of physical memory has a struct mem_section whose
// section_mem_map word holds, in its low bits, PRESENT/HAS_MEM_MAP/ONLINE and,
// above them, the *encoded* address of the section's memmap:
//   encoded = (kva of the section's first struct page) - section_first_pfn * 64
// so that pfn_to_page(pfn) is simply decoded + pfn * 64 for any pfn of the
// section. Before sparse_init() the same word carries the node id
// (nid << SECTION_NID_SHIFT), which is how sparse_early_nid() finds it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "page.h"
#include "vm_layout.h"

namespace pginit {

struct mem_section {
  std::uint64_t section_mem_map = 0;
  std::uint64_t pageblock_flags = 0;  // kva of the section's usemap
};

inline constexpr std::uint64_t SECTION_MARKED_PRESENT = 1u << 0;
inline constexpr std::uint64_t SECTION_HAS_MEM_MAP = 1u << 1;
inline constexpr std::uint64_t SECTION_IS_ONLINE = 1u << 2;
inline constexpr std::uint64_t SECTION_MAP_LAST_BIT = 1u << 3;
inline constexpr std::uint64_t SECTION_MAP_MASK = ~(SECTION_MAP_LAST_BIT - 1);
inline constexpr unsigned SECTION_NID_SHIFT = 3;

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
  explicit SectionTable(bool page_extension = false);

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
  // sparse_index_init(): allocate the root page holding section nr.
  void sparse_index_init(std::uint64_t nr);

  std::uint64_t highest_present_section_nr() const { return highest_present_; }
  // Where memory_present() allocated the root pointer array (0: not yet).
  phys_addr_t table_phys = 0;
  void section_mark_present(std::uint64_t nr);

 private:
  std::uint64_t sections_per_root_;
  std::vector<std::unique_ptr<mem_section[]>> roots_;
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
inline kva_t __section_mem_map_addr(const mem_section& ms) { return ms.section_mem_map & SECTION_MAP_MASK; }
// sparse_early_nid(): the node id memory_present() stored.
inline int sparse_early_nid(const mem_section& ms)
{
  return static_cast<int>(ms.section_mem_map >> SECTION_NID_SHIFT);
}

}  // namespace pginit
