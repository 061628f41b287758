// SPDX-License-Identifier: MIT
// page_alloc.h - phase 3: allocations during boot, and deferred_grow_zone()
// when a zone's initialized pages run short (c9e97a1997fb, v4.17; the
// MAX_ORDER-step version of 0e56acae4b4d, v5.2).
#pragma once

#include <optional>

#include "kernel/kernel.h"

namespace pginit {

// alloc_pages_node(nid, GFP_KERNEL, order): the node's zones from the
// highest down, then the other nodes', growing a zone on demand while the
// deferred_pages key is on. nullopt (and the kernel's warning) on failure.
std::optional<pfn_t> alloc_pages_node(Kernel& k, int nid, unsigned order);

// deferred_grow_zone(): initialize and free at least 1 << order pages of the
// zone's deferred part, in whole sections. True if it grew the zone.
bool deferred_grow_zone(Kernel& k, pglist_data& pgdat, unsigned zid, unsigned order);

}  // namespace pginit
