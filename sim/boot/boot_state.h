// SPDX-License-Identifier: MIT
// boot_state.h - the kernel state a simulated boot builds up, step by step.
#pragma once

#include "call_stack.h"
#include "e820.h"
#include "log/kernel_log.h"
#include "memblock.h"
#include "scenario/scenario.h"

namespace pginit {

struct BootState {
  BootState(const Scenario& s, KernelLog& l);

  const Scenario& scenario;
  KernelLog& log;
  CallStack stack;

  e820_table e820;           // e820_table: what the kernel edits and uses
  e820_table e820_firmware;  // e820_table_firmware: as the firmware gave it, sanitized
  struct memblock memblock;

  // memblock=debug on the kernel command line. It takes effect only at
  // parse_early_param(), so the very first reservations are never printed.
  bool memblock_debug_param = false;

  pfn_t max_pfn = 0;      // highest usable pfn + 1
  pfn_t max_low_pfn = 0;  // the same on x86_64 once the direct map covers it
};

}  // namespace pginit
