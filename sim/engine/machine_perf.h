// SPDX-License-Identifier: MIT
// machine_perf.h - a machine's performance profile (scenario key
// machine.perf): what the simulated clock needs to know about the hardware,
// filled in from a spec sheet and one measured boot (docs/time-model.md).
#pragma once

namespace pginit {

struct MachinePerf {
  // One thread's cost of initializing and freeing one deferred struct page,
  // with the node otherwise idle. Measured: a one-thread boot's deferred time
  // divided by its deferred pages ("node 0 initialised, N pages in Tms").
  // Default: the A12 machine of published-figures.md (Xeon Platinum 8167M,
  // 1717.7 ms for 384 GiB per node: 17.06 ns over the node's full RAM),
  // kept at 17.0 so that the single-thread clock of every existing scenario
  // stays what it was before profiles existed.
  double page_init_ns = 17.0;
  // The node's peak DRAM bandwidth from the spec sheet, decimal GB/s:
  // channels x MT/s x 8 bytes. Default: A12's 6 x DDR4-2666 x 8 B.
  double node_bandwidth_gbs = 6 * 2666 * 8 / 1000.0;
  // CPUs of one node that padata may use; 0: the machine's CPUs / nodes.
  unsigned cpus_per_node = 0;
};

}  // namespace pginit
