// SPDX-License-Identifier: MIT
// deferred_init.h - phase 4: page_alloc_init_late() after smp_init():
// deferred_init_memmap() initializes and frees every deferred page of each
// node, nodes in parallel on the run's executor, and within a node as the
// policy's late_init rule says:
// one task (the pgdatinit kthread of v4.17 and v5.2) or section-aligned
// chunks over the node's CPUs (padata, v5.8).
//
// DOC: determinism
// Each chunk of work frees into free lists of its own; when all chunks are
// done, their lists are spliced into the zone in chunk order. Chunks are
// cut at section boundaries, so no buddy pair spans two of them, and where
// they are cut depends on the machine and the policy, never on --threads:
// the memmap and the log come out the same with 1 thread or 64.
#pragma once

#include "kernel/kernel.h"

namespace pginit {

void page_alloc_init_late(Kernel& k);

}  // namespace pginit
