// SPDX-License-Identifier: MIT
// setup_arch.h - the memory part of x86's setup_arch() (arch/x86/kernel/setup.c).
#pragma once

#include "kernel/kernel.h"

namespace pginit {

// Firmware map, early reservations, memblock and NUMA node assignment, in the
// order v4.17 performs them. Later boot steps (sparse_init, zones, ...) extend
// this as the engine grows.
void setup_arch(Kernel& k);

// The individual steps, exposed for tests and for --trace.
void e820__memory_setup(Kernel& k);
// The command line's early parameters: memblock=debug, mem=, memmap=.
void parse_early_param(Kernel& k);
// A user-defined map (mem=, memmap=) is sanitized and printed ("user: ...").
void e820__finish_early_params(Kernel& k);
void trim_bios_range(Kernel& k);
// Scenario-given MTRR trims; true if it changed e820 (max_pfn must be redone).
bool mtrr_trim_uncached_memory(Kernel& k);
void reserve_bios_regions(Kernel& k);
void reserve_real_mode(Kernel& k);
void trim_low_memory_range(Kernel& k);

}  // namespace pginit
