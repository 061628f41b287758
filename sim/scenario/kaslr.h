// SPDX-License-Identifier: MIT
// kaslr.h - where KASLR could put the kernel image, and a seeded pick
// (arch/x86/boot/compressed/kaslr.c, find_random_phys_addr(), v4.17).
//
// The decompressor chooses a CONFIG_PHYSICAL_ALIGN (2 MiB) aligned slot at
// or above LOAD_PHYSICAL_ADDR (16 MiB) inside one usable e820 region, big
// enough for the whole image, avoiding the initrd. pginit draws the slot
// with std::mt19937_64 from the seed, so a seed names one boot on any host.
// Not modelled: the other regions the real code avoids (command line,
// setup_data, memmap=), and the 4-slot "slots_max" cut-offs.
#pragma once

#include <cstdint>
#include <vector>

#include "scenario/scenario.h"

namespace pginit {

std::vector<phys_addr_t> kaslr_slots(const Scenario& s);
// The image start for `seed`; kernel_start unchanged if there is no slot.
phys_addr_t kaslr_pick(const Scenario& s, std::uint64_t seed);

}  // namespace pginit
