// SPDX-License-Identifier: MIT
// sweep.h - `pginit sweep`: one machine booted under every combination of
// kernel version (its Kconfig rules and init policy), memory model, SMP,
// DEFERRED_STRUCT_PAGE_INIT and per-cpu first chunk allocator; each boot's
// Kconfig verdict and struct page read violations, and with KASLR, the
// share of load addresses that hit the bug.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace pginit {

struct SweepCase {
  std::string kernel;
  bool vmemmap = false;
  bool smp = false;
  bool deferred = false;  // asked for
  BootSpec::PercpuAlloc percpu = BootSpec::PercpuAlloc::embed;
};

struct SweepResult {
  SweepCase c;
  bool deferred_allowed = false;   // after the version's Kconfig rules
  std::uint64_t boots = 0;         // 1, or the number of KASLR seeds
  std::uint64_t boots_with_violations = 0;
  std::uint64_t violations = 0;    // over all boots
};

// The cases: kernels x {SPARSEMEM, VMEMMAP} x SMP x DEFERRED x (embed, page when SMP).
std::vector<SweepCase> sweep_cases(const std::vector<std::string>& kernels);

// Boots every case (kaslr_boots > 0: that many seeds each), in parallel.
std::vector<SweepResult> run_sweep(const Scenario& machine, const std::vector<SweepCase>& cases,
                                   std::uint64_t kaslr_boots);

// The matrix, one line a case.
std::vector<std::string> describe_sweep(const std::vector<SweepResult>& results, bool kaslr);

}  // namespace pginit
