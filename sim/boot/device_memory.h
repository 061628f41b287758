// SPDX-License-Identifier: MIT
// device_memory.h - device memory hot-added after boot (machine.device_memory):
// each device's driver probe calls memremap_pages() (devm_memremap_pages(),
// or HMM's hmm_devmem_add() before v5.3), which gives the range struct pages
// in its node's ZONE_DEVICE by the version's path (DeviceMemmapInit); then
// the scenario's CPU accesses to pages (boot.page_accesses) are replayed.
#pragma once

#include "kernel/kernel.h"

namespace pginit {

// do_initcalls() -> the device drivers' probes, in machine.device_memory order.
void memremap_device_memory(Kernel& k);

// boot.page_accesses: page_address() / kmap() of each pfn, then a load.
void replay_page_accesses(Kernel& k);

}  // namespace pginit
