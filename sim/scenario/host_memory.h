// SPDX-License-Identifier: MIT
// host_memory.h - will this scenario's memmap fit in this host? Checked
// before anything is allocated, so a too-big machine is refused with a
// message instead of being killed by the OOM killer half way through.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "scenario/scenario.h"

namespace pginit {

// Host bytes the memmap of this scenario takes in fidelity mode, shadow
// records included, before anything is allocated.
std::uint64_t memmap_host_bytes(const Scenario& s);

// MemAvailable from /proc/meminfo, if the host has one.
std::optional<std::uint64_t> host_available_bytes();

// Throws InputError (on `machine:`) when the memmap, `at_once` times (boots
// running at the same time), needs more than the host can give, leaving a
// margin for everything else.
void check_memmap_fits_host(const Scenario& s, unsigned at_once = 1);
// The same check's message, or nullopt when the memmap fits.
std::optional<std::string> memmap_host_shortfall(const Scenario& s, unsigned at_once = 1);

}  // namespace pginit
