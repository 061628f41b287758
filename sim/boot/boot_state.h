// SPDX-License-Identifier: MIT
// boot_state.h - the kernel state a simulated boot builds up, step by step.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "call_stack.h"
#include "checker/page_read_checker.h"
#include "engine/cost_model.h"
#include "e820.h"
#include "free_area_init.h"
#include "log/kernel_log.h"
#include "memblock.h"
#include "memory_model.h"
#include "mmzone.h"
#include "policy/init_policy.h"
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

  // How struct pages get initialized (the kernel version's, or --policy).
  const InitPolicy* policy = nullptr;
  bool deferred_struct_page_init = false;  // CONFIG_DEFERRED_STRUCT_PAGE_INIT
  // The deferred_pages static key: on until page_alloc_init_late() is done.
  bool deferred_pages = true;
  // memblock.memory as pfn ranges, ascending, for early_pfn_to_nid().
  std::vector<pfn_range> mem_ranges;

  // Simulated time (engine/cost_model.h) and the worker bound (--threads).
  CostModel cost;
  std::uint64_t clock_ns = 0;
  unsigned threads = 0;  // 0: all host threads
  void advance_clock(std::uint64_t ns);

  // The per-cpu first chunk (setup_per_cpu_areas()).
  struct PercpuFirstChunk {
    enum class Kind { km, embed, page } kind = Kind::km;
    std::uint64_t unit_size = 0;
    std::vector<kva_t> unit_base;          // by cpu
    std::vector<phys_addr_t> page_phys;    // page first chunk: the page behind each unit page
    std::uint64_t unit_pages = 0;
  } percpu;

  // Struct page reads of uninitialized pages (checker/page_read_checker.h),
  // and what pginit noticed without a read (e.g. VMEMMAP arithmetic).
  PageReadChecker checker{stack, clock_ns};
  std::vector<std::string> notes;

  // For the visual report: the memmap's state at chosen points of the boot,
  // the simulated time each top-level step started, and the deferred work of
  // each node. Recorded only when `record_report` is set.
  struct SectionState {
    std::uint64_t section = 0;
    int nid = 0;
    std::array<std::uint32_t, NR_INIT_PHASES> by_phase{};  // memory pfns, by the phase that initialized them
    std::uint32_t zeroed = 0;     // zeroed, never initialized
    std::uint32_t holes = 0;      // not memory, untouched
    std::uint32_t reserved = 0;   // pfns in memblock.reserved
  };
  struct Snapshot {
    std::string label;
    std::uint64_t time_ns = 0;
    std::vector<SectionState> sections;
  };
  struct StepTime {
    std::string step;
    std::uint64_t start_ns = 0;
  };
  struct DeferredRun {
    int nid = 0;
    std::uint64_t start_ns = 0;
    std::uint64_t ns = 0;
    unsigned threads = 1;
  };
  bool record_report = false;
  std::vector<Snapshot> snapshots;
  std::vector<StepTime> timeline;
  std::vector<DeferredRun> deferred_runs;
  void snapshot(const std::string& label);

  // Blocks handed out by alloc_pages() (scenario allocations), for the proof.
  struct Allocation {
    pfn_t pfn;
    unsigned order;
  };
  std::vector<Allocation> allocations;

  // NODE_DATA(nid), or nullptr for an offline node.
  pglist_data* node_data(int nid);
  // early_pfn_to_nid(): the node memblock gives pfn; first online node for holes.
  int early_pfn_to_nid(pfn_t pfn) const;
  // early_page_uninitialised(): pfn lies in its node's deferred part.
  bool early_page_uninitialised(pfn_t pfn);
};

// Host bytes the memmap of this scenario takes in fidelity mode, shadow
// records included, before anything is allocated.
std::uint64_t memmap_host_bytes(const Scenario& s);

}  // namespace pginit
