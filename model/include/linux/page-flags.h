// SPDX-License-Identifier: MIT
// include/linux/page-flags.h - the PG_ bits and page types pginit reads and
// sets (PageReserved, PageBuddy), and the list poison values of
// include/linux/poison.h (v4.17).
#pragma once

#include <cstddef>
#include <cstdint>

#include "include/linux/mm_types.h"
#include "arch/x86/mm/vm_layout.h"

namespace pginit {

// page->_mapcount of a page on a buddy free list (PAGE_BUDDY_MAPCOUNT_VALUE).
inline constexpr std::int32_t PAGE_BUDDY_MAPCOUNT_VALUE = -128;
// What list_del() leaves in lru (LIST_POISON1/2 with POISON_POINTER_DELTA on x86_64).
inline constexpr std::uint64_t LIST_POISON1 = 0xdead000000000100;
inline constexpr std::uint64_t LIST_POISON2 = 0xdead000000000200;

inline bool PageReserved(const page& p) { return (p.flags >> PG_reserved) & 1; }
inline void SetPageReserved(page& p) { p.flags |= std::uint64_t{1} << PG_reserved; }
inline void __ClearPageReserved(page& p) { p.flags &= ~(std::uint64_t{1} << PG_reserved); }
inline bool PageBuddy(const page& p) { return p._mapcount == PAGE_BUDDY_MAPCOUNT_VALUE; }
// &page->lru, as a kernel address.
constexpr kva_t page_lru(kva_t page_kva) { return page_kva + offsetof(page, lru_next); }

}  // namespace pginit
