// SPDX-License-Identifier: MIT
#include "run/page_copy.h"

#include "kernel/kernel_state.h"

namespace pginit {

PageCopy copy_page(const KernelState& k, pfn_t pfn, std::string when)
{
  PageCopy c;
  c.pfn = pfn;
  c.when = std::move(when);
  c.valid = k.mm.pfn_valid(pfn) && k.mm.pfn_host_page(pfn) != nullptr;
  if (c.valid) {
    c.p = *k.mm.pfn_host_page(pfn);
    c.shadow = *k.mm.shadow(pfn);
    c.kva = k.mm.pfn_to_page(pfn).value;
  }
  return c;
}

}  // namespace pginit
