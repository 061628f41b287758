// SPDX-License-Identifier: MIT
// page_copy.h - one struct page copied out of a running boot, with the
// shadow beside it, so that `pginit page` and the report can print it as
// dump_page() would have at that moment.
#pragma once

#include <string>

#include "arch/x86/mm/vm_layout.h"
#include "include/linux/mm_types.h"
#include "pginit/page_shadow.h"

namespace pginit {

struct KernelState;

struct PageCopy {
  pfn_t pfn = 0;
  std::string when;    // "after mm_init (free_all_bootmem)", "when per_cpu_ptr_to_phys(...) reads it"
  bool valid = false;  // the pfn had a memmap then (pfn_valid())
  page p{};
  PageShadow shadow{};
  kva_t kva = 0;       // pfn_to_page(pfn)
};

PageCopy copy_page(const KernelState& k, pfn_t pfn, std::string when);

}  // namespace pginit
