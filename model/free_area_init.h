// SPDX-License-Identifier: MIT
// free_area_init.h - free_area_init_nodes(): zone boundaries, node spans and
// the per-zone accounting the kernel prints at boot (mm/page_alloc.c, v4.17).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "memblock.h"
#include "mmzone.h"
#include "printk.h"

namespace pginit {

struct FreeAreaInitParams {
  // max_zone_pfns[] as zone_sizes_init() fills it, by ZoneType; Movable and
  // Device have no arch limit (0).
  std::array<pfn_t, NR_ZONE_TYPES> max_zone_pfn{};
  std::uint64_t dma_reserve = 0;          // set_dma_reserve()
  bool sparsemem = true;                  // IS_ENABLED(CONFIG_SPARSEMEM) in calc_memmap_size()
  std::uint64_t batch_cap_bytes = 512 * SZ_1K;  // zone_batchsize(): 512 KiB, 1 MiB from v4.19
};

// Where the boot continues from inside the walk, in the kernel's order.
struct FreeAreaInitHooks {
  // After "Early memory node ranges", before the first node (zero_resv_unavail from v4.18).
  std::function<void()> before_nodes;
  // After the last node (zero_resv_unavail in v4.17).
  std::function<void(std::vector<pglist_data>&)> after_nodes;
  // After calculate_node_totalpages(): alloc_node_mem_map(), reset_deferred_meminit().
  std::function<void(pglist_data&)> node_prepared;
  // memmap_init() of one zone with spanned pages, after its accounting lines.
  std::function<void(pglist_data&, int zone_idx)> memmap_init;
};

// Prints "Zone ranges:" .. "  ZONE zone: N pages, LIFO batch:B" and returns
// one pglist_data per online node, in node-id order.
std::vector<pglist_data> free_area_init_nodes(const memblock& mb, const ZoneConfig& zones,
                                              const std::vector<int>& online_nodes,
                                              const FreeAreaInitParams& params, const FreeAreaInitHooks& hooks,
                                              Printk& log);

// The pieces, for tests.
std::uint64_t calc_memmap_size(std::uint64_t spanned_pages, std::uint64_t present_pages, bool sparsemem);
unsigned zone_batchsize(std::uint64_t managed_pages, std::uint64_t batch_cap_bytes);
// __absent_pages_in_range(): pfns of [start_pfn, end_pfn) not in memblock.memory of nid.
std::uint64_t absent_pages_in_range(const memblock& mb, int nid, pfn_t start_pfn, pfn_t end_pfn);

}  // namespace pginit
