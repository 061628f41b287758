// SPDX-License-Identifier: MIT
// page_explorer.h - the interactive part of --report: the memmap a student
// can zoom from nodes to sections, pageblocks and single pages, replay
// milestone by milestone, and click for a struct page's decode. Still
// self-contained: the boot is embedded as compact JSON (runs of alike
// struct pages, full dump_page() decodes only for the marked pfns) and a
// script draws it; nothing is fetched.
#pragma once

#include <string>

#include "run/boot.h"

namespace pginit {

// The embedded data, as JSON (exposed for tests).
std::string page_explorer_data(const RunResult& r);
// The HTML section: the explorer's markup, the data and the script.
std::string page_explorer_html(const RunResult& r);

}  // namespace pginit
