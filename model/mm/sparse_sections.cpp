// SPDX-License-Identifier: MIT
#include "include/linux/mmzone.h"

#include <algorithm>

namespace pginit {

SectionTable::SectionTable(bool page_extension)
    : sections_per_root_(PAGE_SIZE / (page_extension ? 32 : sizeof(mem_section))),
      roots_((NR_MEM_SECTIONS + sections_per_root_ - 1) / sections_per_root_)
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

void SectionTable::sparse_index_init(std::uint64_t nr)
{
  auto& root = roots_.at(nr / sections_per_root_);
  if (!root) root = std::make_unique<mem_section[]>(sections_per_root_);
}

void SectionTable::section_mark_present(std::uint64_t nr)
{
  roots_.at(nr / sections_per_root_)[nr % sections_per_root_].section_mem_map |= SECTION_MARKED_PRESENT;
  highest_present_ = std::max(highest_present_, nr);
}

}  // namespace pginit
