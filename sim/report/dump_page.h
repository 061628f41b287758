// SPDX-License-Identifier: MIT
// dump_page.h - one struct page as the modelled kernel's dump_page()
// (mm/debug.c) prints it, and what pginit adds to read it: page->flags
// decoded into section, node and zone, the PG_ bits pginit models, and
// which phase initialized the page.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "include/linux/mm_types.h"
#include "pginit/page_shadow.h"
#include "policy/kernel_version.h"

namespace pginit {

// The names of the PG_ bits set in page->flags that pginit models
// ("reserved"), joined by `sep`: "|" as %pGp prints them, "," as crash's
// kmem -p does.
std::string page_flag_names(const page& p, std::string_view sep);

// dump_page()'s lines for `p`, the struct page at `p_kva` of `pfn`, in
// `v`'s format (%px and %p both printed as the address: pginit does not
// hash pointers), ending with "page dumped because: `reason`".
std::vector<std::string> dump_page_lines(const page& p, kva_t p_kva, pfn_t pfn, const KernelVersion& v,
                                         const PageFlagsLayout& l, const std::string& reason);

// pginit's reading of the same struct page: "section=.. node=.. zone=..",
// the PG_ and page-type bits, and who initialized it.
std::vector<std::string> decode_page(const page& p, const PageShadow& shadow, const PageFlagsLayout& l,
                                     const ZoneConfig& zones);

}  // namespace pginit
