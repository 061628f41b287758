// SPDX-License-Identifier: MIT
// numa.h - x86 NUMA discovery as far as memblock sees it (arch/x86/mm/numa.c).
#pragma once

#include <vector>

#include "kernel/kernel.h"

namespace pginit {

// One block of struct numa_meminfo: [start, end) on node nid.
struct numa_memblk {
  u64 start = 0;
  u64 end = 0;
  int nid = 0;
  bool operator==(const numa_memblk&) const = default;
};

// numa_cleanup_meminfo(): clip blocks to [0, max_pfn), drop those without
// memory, and merge blocks of one node whose hull holds no other node's
// memory (printing the kernel's "NUMA: Node N [mem ...] + [mem ...] -> ..." line).
void numa_cleanup_meminfo(std::vector<numa_memblk>& blks, const memblock& mb, pfn_t max_pfn, Printk& log);

// initmem_init(): read the SRAT (the scenario's nodes) or fake one node, and
// give every memblock region its node id.
void x86_numa_init(Kernel& k);

}  // namespace pginit
