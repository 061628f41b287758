// SPDX-License-Identifier: MIT
#include "run/page_copy.h"

#include "kernel/kernel_state.h"
#include "mm/page_alloc.h"

namespace pginit {

PageCopy copy_page(const KernelState& k, pfn_t pfn, std::string when)
{
  PageCopy c;
  c.pfn = pfn;
  c.when = std::move(when);
  c.valid = k.mm.pfn_valid(pfn) && (k.mm.page_runs() != nullptr || k.mm.pfn_host_page(pfn) != nullptr);
  if (c.valid) {
    c.p = k.mm.read_page(pfn);
    c.shadow = k.mm.read_shadow(pfn);
    c.kva = k.mm.pfn_to_page(pfn).value;
    // Scale mode keeps a free head's list links beside the pages.
    if (k.mm.page_runs() != nullptr && PageBuddy(c.p))
      for (const pglist_data& pgdat : k.nodes)
        for (const zone& z : pgdat.node_zones) free_list_links(k.mm, z, pfn, &c.p.lru_next, &c.p.lru_prev);
  }
  return c;
}

}  // namespace pginit
