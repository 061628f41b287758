// SPDX-License-Identifier: MIT
#include "boot/boot_state.h"

namespace pginit {

BootState::BootState(const Scenario& s, KernelLog& l)
    : scenario(s), log(l), memblock(s.max_numnodes(), l, &stack)
{
  e820.max_entries = e820_max_entries(s.max_numnodes());
  e820_firmware.max_entries = e820.max_entries;
}

}  // namespace pginit
