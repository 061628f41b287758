// SPDX-License-Identifier: MIT
// init_policy.h - how a kernel version initializes struct pages: what it
// does up front, whether it grows zones on demand, and how the rest is done
// after smp_init. One named policy per behaviour (docs/policies.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pginit {

struct InitPolicy {
  std::string_view name;     // what --policy and scenarios say
  std::string_view commit;   // the kernel change it stands for
  std::string_view summary;

  // How many pages of a node's highest zone free_area_init_node() leaves for
  // memmap_init_zone() to do up front (static_init_pgcnt).
  enum class StaticInit {
    two_gib,      // max(2 GiB, 1/256 of the node) + memblock reservations in it (reset_deferred_meminit, v4.16)
    one_section,  // min(PAGES_PER_SECTION, node_spanned_pages) (c9e97a1997fb, v4.17)
  } static_init;

  // deferred_grow_zone() from the allocator, and its step.
  enum class Growth {
    none,      // before v4.17: an allocation that finds the zone short fails
    sections,  // v4.17: init whole sections, then free them
    max_order, // v5.2: init + free MAX_ORDER blocks, stopping on a section boundary
  } growth;

  // page_alloc_init_late(): what runs after smp_init.
  enum class LateInit {
    per_node,            // a pgdatinit kthread per node: init every free page, then free them all
    per_node_max_order,  // the same thread, in MAX_ORDER init+free steps (0e56acae4b4d)
    padata,              // section-aligned chunks of a node over its CPUs (e44431498f5f)
    none,                // nothing: deferred pages wait for on-demand growth
  } late_init;
};

const std::vector<InitPolicy>& init_policies();
const InitPolicy* find_init_policy(std::string_view name);
std::string init_policy_names();

}  // namespace pginit
