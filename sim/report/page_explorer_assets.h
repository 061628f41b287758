// SPDX-License-Identifier: MIT
// page_explorer_assets.h - the interactive report's markup, style and
// script, kept apart from the C++ that fills in the data.
#pragma once

namespace pginit {

extern const char* const PAGE_EXPLORER_MARKUP;  // the explorer's elements and style
extern const char* const PAGE_EXPLORER_SCRIPT;  // draws them from #pginit-data

}  // namespace pginit
