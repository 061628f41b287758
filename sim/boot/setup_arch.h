// SPDX-License-Identifier: MIT
// setup_arch.h - the memory part of x86's setup_arch() (arch/x86/kernel/setup.c).
#pragma once

#include "boot/boot_state.h"

namespace pginit {

// Firmware map, early reservations, memblock and NUMA node assignment, in the
// order v4.17 performs them. Later boot steps (sparse_init, zones, ...) extend
// this as the engine grows.
void setup_arch(BootState& st);

// The individual steps, exposed for tests and for --trace.
void e820__memory_setup(BootState& st);
void trim_bios_range(BootState& st);
// Scenario-given MTRR trims; true if it changed e820 (max_pfn must be redone).
bool mtrr_trim_uncached_memory(BootState& st);
void reserve_bios_regions(BootState& st);
void reserve_real_mode(BootState& st);
void trim_low_memory_range(BootState& st);

}  // namespace pginit
