// SPDX-License-Identifier: MIT
// static_init.h - how many pages of a node's highest zone memmap_init_zone()
// initializes up front, before the rest is left to deferred init: the
// pgdat->static_init_pgcnt that free_area_init_node() sets through
// reset_deferred_meminit() (mm/page_alloc.c).
#pragma once

#include <cstdint>
#include <string_view>

#include "include/linux/mmzone.h"
#include "include/linux/memblock.h"

namespace pginit {

struct StaticInitRule {
  std::string_view name;
  std::string_view commit;
  std::uint64_t (*static_init_pgcnt)(const pglist_data& pgdat, const memblock& mb);
};

namespace static_init {

// v4.16 (3a80a7fa7989, 864b9a393dcb): max(2 GiB, 1/256 of the node) so the
// early hash tables fit, plus whatever memblock holds reserved in that span
// (memblock_reserved_memory_within(), which counts every touching region
// whole), capped at the node's span.
extern const StaticInitRule two_gib;

// v4.17 (c9e97a1997fb): one section, or the whole node if smaller; the
// allocator grows the zone on demand (growth.h) from there.
extern const StaticInitRule one_section;

}  // namespace static_init

// memblock_reserved_memory_within() as v4.16 has it: the *whole* size of
// every reserved region that touches [start, end].
std::uint64_t memblock_reserved_memory_within(const memblock& mb, phys_addr_t start, phys_addr_t end);

}  // namespace pginit
