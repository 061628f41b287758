// SPDX-License-Identifier: MIT
#include "policy/static_init.h"

#include <algorithm>

namespace pginit {

std::uint64_t memblock_reserved_memory_within(const memblock& mb, phys_addr_t start, phys_addr_t end)
{
  std::uint64_t size = 0;
  for (const memblock_region& r : mb.reserved.regions) {
    if (r.size == 0 || r.base + r.size < start || r.base > end) continue;
    size += r.size;
  }
  return size;
}

namespace {

std::uint64_t two_gib_pgcnt(const pglist_data& pgdat, const memblock& mb)
{
  std::uint64_t max_pgcnt = std::max<std::uint64_t>(2 * SZ_1G >> PAGE_SHIFT, pgdat.node_spanned_pages >> 8);
  max_pgcnt += PFN_DOWN(memblock_reserved_memory_within(mb, PFN_PHYS(pgdat.node_start_pfn),
                                                        PFN_PHYS(pgdat.node_start_pfn + max_pgcnt)));
  return std::min(max_pgcnt, pgdat.node_spanned_pages);
}

std::uint64_t one_section_pgcnt(const pglist_data& pgdat, const memblock&)
{
  return std::min<std::uint64_t>(PAGES_PER_SECTION, pgdat.node_spanned_pages);
}

}  // namespace

namespace static_init {

const StaticInitRule two_gib{"two_gib", "3a80a7fa7989, 864b9a393dcb", two_gib_pgcnt};
const StaticInitRule one_section{"one_section", "c9e97a1997fb", one_section_pgcnt};

}  // namespace static_init

}  // namespace pginit
