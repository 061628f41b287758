// SPDX-License-Identifier: MIT
// buddy.h - the buddy allocator's free lists, as far as boot needs them
// (mm/page_alloc.c, v4.17): freeing with merging (__free_one_page), the
// boot-time free path (__free_pages_boot_core) and taking a block off the
// lists (__rmqueue_smallest with expand).
//
// The lists are the kernel's: each free block's head struct page is
// PageBuddy (_mapcount -128) with its order in page->private, and its lru
// words link it to its neighbours on zone->free_area[order].free_list[mt].
// Nothing is kept on the side but the list heads, so walking a list means
// reading struct pages, exactly as the kernel does.
//
// Not modelled: per-cpu page lists (pginit frees order-0 pages straight to
// the buddy lists, which is what the boot pageset does until
// setup_per_cpu_pageset()), migratetype fallback and pageblock stealing
// (an allocation takes from its own migratetype's lists), guard pages,
// isolation.
#pragma once

#include <optional>

#include "memory_model.h"
#include "mmzone.h"

namespace pginit {

// __free_one_page(): merge with free buddies up to MAX_ORDER - 1 and put the
// block on its free list. `pfn` heads a block of `order` pages of zone `z`.
void __free_one_page(MemoryModel& mm, zone& z, pfn_t pfn, unsigned order, migratetype mt);

// __free_pages_boot_core(): hand boot memory to the buddy allocator: clear
// PG_reserved and the refcount of each page, count it managed, free it.
void __free_pages_boot_core(MemoryModel& mm, zone& z, pfn_t pfn, unsigned order);

// __rmqueue_smallest(): the first block of at least `order` on `mt`'s lists,
// split down to `order` (expand()). nullopt when the zone has none.
std::optional<pfn_t> __rmqueue_smallest(MemoryModel& mm, zone& z, unsigned order, migratetype mt);

// Moves every block of `from` onto the same list of `to` in front of what is
// there, as if they had been freed to `to` after its own blocks: how the
// free lists built by parallel workers join their zone's, in a fixed order.
void splice_free_lists(MemoryModel& mm, zone& to, zone& from);

// Walks one free list through the struct pages' lru words: the pfn of each
// block's head, first to last.
std::vector<pfn_t> free_list_pfns(const MemoryModel& mm, const FreeList& list);

}  // namespace pginit
