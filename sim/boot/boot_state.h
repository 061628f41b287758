// SPDX-License-Identifier: MIT
// boot_state.h - the kernel state a simulated boot builds up, step by step.
#pragma once

#include <memory>
#include <vector>

#include "call_stack.h"
#include "e820.h"
#include "free_area_init.h"
#include "log/kernel_log.h"
#include "memblock.h"
#include "memory_model.h"
#include "mmzone.h"
#include "scenario/scenario.h"
#include "vm_layout.h"

namespace pginit {

struct BootState {
  BootState(const Scenario& s, KernelLog& l);

  const Scenario& scenario;
  KernelLog& log;
  CallStack stack;

  e820_table e820;           // e820_table: what the kernel edits and uses
  e820_table e820_firmware;  // e820_table_firmware: as the firmware gave it, sanitized
  struct memblock memblock;

  // memblock=debug on the kernel command line. It takes effect only at
  // parse_early_param(), so the very first reservations are never printed.
  bool memblock_debug_param = false;

  pfn_t max_pfn = 0;      // highest usable pfn + 1
  pfn_t max_low_pfn = 0;  // the same on x86_64 once the direct map covers it

  std::vector<int> online_nodes;   // node_online_map, ascending
  std::uint64_t dma_reserve = 0;   // memblock_find_dma_reserve()
  VirtualLayout vm;                // PAGE_OFFSET, VMEMMAP_START, phys_base
  ZoneConfig zones;                // the zones this config has
  MemoryModel mm;                  // the memmap and how to reach it
  std::vector<pglist_data> nodes;  // NODE_DATA(nid), for online nodes, by nid order

  // The early phase: memmap_init() of each zone, called from inside
  // free_area_init_nodes(). Empty until the engine installs one.
  std::function<void(BootState&, pglist_data&, int zone_idx)> memmap_init;
};

// Host bytes the memmap of this scenario takes in fidelity mode, shadow
// records included, before anything is allocated.
std::uint64_t memmap_host_bytes(const Scenario& s);

}  // namespace pginit
