// SPDX-License-Identifier: MIT
// sweep.h - `pginit sweep`: one machine booted under every combination of
// kernel version (its Kconfig rules and init policy), memory model, SMP,
// DEFERRED_STRUCT_PAGE_INIT and per-cpu first chunk allocator; each boot's
// Kconfig verdict and struct page read violations, and with KASLR, the
// share of load addresses that hit the bug.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/executor.h"
#include "run/run_config.h"
#include "scenario/scenario.h"

namespace pginit {

struct SweepCase {
  std::string kernel;
  bool vmemmap = false;
  bool smp = false;
  bool deferred = false;  // asked for
  BootSpec::PercpuAlloc percpu = BootSpec::PercpuAlloc::embed;
  // The device-memory dimension (machines with machine.device_memory): off
  // boots without it; on sets ZONE_DEVICE, DEVICE_PRIVATE and DEVICE_PUBLIC
  // (the version's Kconfig rules keep what it has). nullopt: no such dimension.
  std::optional<bool> device_memory;
};

struct SweepResult {
  SweepCase c;
  bool deferred_allowed = false;   // after the version's Kconfig rules
  std::uint64_t boots = 0;         // 1, or the number of KASLR seeds
  std::uint64_t boots_with_violations = 0;
  std::uint64_t violations = 0;    // over all boots
  std::uint64_t boots_panicked = 0;
  std::string panic;               // the first panic's message
  int exit_status = 0;             // the worst of its boots', by run's rules (RunResult::exit_status)
  std::string not_modelled;        // why the case cannot boot (a device memory type the version lacks)
};

// The cases: kernels x {SPARSEMEM, VMEMMAP} x SMP x DEFERRED x (embed, page when SMP)
// [x device memory off, on].
std::vector<SweepCase> sweep_cases(const std::vector<std::string>& kernels, bool device_memory = false);

// Boots every case (kaslr_boots > 0: that many seeds each), the cases in
// parallel on `executor`, each through resolve() and boot(), each with its
// memmap kept as `mode` says.
std::vector<SweepResult> run_sweep(const Scenario& machine, const std::vector<SweepCase>& cases,
                                   std::uint64_t kaslr_boots, const Executor& executor,
                                   MemmapMode mode = MemmapMode::fidelity);

// The sweep's exit status: the most severe of its cases' (internal error,
// then panic, then violations).
int sweep_exit_status(const std::vector<SweepResult>& results);

// The matrix, one line a case.
std::vector<std::string> describe_sweep(const std::vector<SweepResult>& results, bool kaslr);

}  // namespace pginit
