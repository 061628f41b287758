// SPDX-License-Identifier: MIT
#include "include/linux/mmzone.h"

#include <algorithm>

namespace pginit {

SectionFlags SectionFlags::of(SectionFlagSet set, bool zone_device)
{
  // Each flag a version has takes the next bit after HAS_MEM_MAP.
  SectionFlags f;
  unsigned next = 2;
  const auto take = [&next] { return std::uint64_t{1} << next++; };
  if (set >= SectionFlagSet::v4_13) f.is_online = take();
  if (set >= SectionFlagSet::v5_3) f.is_early = take();
  if (set == SectionFlagSet::v5_12 || (set == SectionFlagSet::v6_0 && zone_device)) f.taint_zone_device = take();
  f.map_last_bit = std::uint64_t{1} << next;
  // SECTION_NID_SHIFT stayed 3 from v4.13 until after v5.12; from v6.0 it is
  // SECTION_MAP_LAST_BIT.
  f.nid_shift = set == SectionFlagSet::v5_3 || set == SectionFlagSet::v5_12 ? 3 : next;
  return f;
}

SectionTable::SectionTable(bool page_extension, const SectionFlags& flags)
    : sections_per_root_(PAGE_SIZE / (page_extension ? 32 : sizeof(mem_section))),
      flags_(flags),
      roots_((NR_MEM_SECTIONS + sections_per_root_ - 1) / sections_per_root_),
      root_phys_(roots_.size(), 0)
{
}

mem_section* SectionTable::__nr_to_section(std::uint64_t nr)
{
  const std::uint64_t root = nr / sections_per_root_;
  if (root >= roots_.size() || !roots_[root]) return nullptr;
  return &roots_[root][nr % sections_per_root_];
}

const mem_section* SectionTable::__nr_to_section(std::uint64_t nr) const
{
  return const_cast<SectionTable*>(this)->__nr_to_section(nr);
}

bool SectionTable::root_present(std::uint64_t nr) const
{
  const std::uint64_t root = nr / sections_per_root_;
  return root < roots_.size() && roots_[root] != nullptr;
}

void SectionTable::sparse_index_init(std::uint64_t nr, phys_addr_t root_phys)
{
  auto& root = roots_.at(nr / sections_per_root_);
  if (root) return;
  root = std::make_unique<mem_section[]>(sections_per_root_);
  root_phys_[nr / sections_per_root_] = root_phys;
}

phys_addr_t SectionTable::section_phys(std::uint64_t nr) const
{
  const std::uint64_t root = nr / sections_per_root_;
  if (root >= root_phys_.size() || root_phys_[root] == 0) return 0;
  return root_phys_[root] + (nr % sections_per_root_) * (PAGE_SIZE / sections_per_root_);
}

void SectionTable::section_mark_present(std::uint64_t nr)
{
  roots_.at(nr / sections_per_root_)[nr % sections_per_root_].section_mem_map |= SECTION_MARKED_PRESENT;
  highest_present_ = std::max(highest_present_, nr);
}

}  // namespace pginit
