// SPDX-License-Identifier: MIT
// kernel.h - one simulated kernel as the boot steps see it: its state
// (kernel_state.h), the configuration it was built and booted with, and
// the components it runs on, each owned elsewhere and handed in: the log
// it prints to, the simulated clock, the executor that runs parallel work,
// and whoever observes it. The boot entry point (run/boot.h) builds one.
#pragma once

#include <string_view>

#include "pginit/call_stack.h"
#include "engine/clock.h"
#include "engine/executor.h"
#include "kernel/boot_observer.h"
#include "kernel/kernel_state.h"
#include "log/kernel_log.h"
#include "policy/init_policy.h"
#include "scenario/scenario.h"

namespace pginit {

// What the kernel was built with and booted on: read-only during a boot.
struct KernelParams {
  const Scenario& scenario;      // machine, boot spec, resolved Kconfig
  const KernelVersion& version;  // the version table's row
  const InitPolicy& policy;      // how struct pages are initialized
  bool memblock_debug = false;   // memblock=debug on the command line
  bool scale_mode = false;       // struct pages as runs (page_runs.h), not bytes
};

struct Kernel : KernelState {
  Kernel(const KernelParams& params, KernelLog& log, SimClock& clock, const Executor& executor,
         BootObserver& observer);
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  const KernelParams params;
  KernelLog& log;
  SimClock& clock;
  const Executor& executor;
  BootObserver& observer;
  CallStack stack;

  // Shorthands for what nearly every step reads.
  const Scenario& scenario() const { return params.scenario; }
  const InitPolicy& policy() const { return params.policy; }
  const KernelVersion& version() const { return params.version; }
  bool config(const char* symbol) const;    // kconfig_enabled(scenario().config, symbol)
  bool deferred_struct_page_init() const { return deferred_struct_page_init_; }

  // Time passes on the boot CPU; the log is stamped with it.
  void advance_clock(std::uint64_t ns);
  void milestone(std::string_view label) { observer.on_milestone(*this, label); }

 private:
  bool deferred_struct_page_init_;  // CONFIG_DEFERRED_STRUCT_PAGE_INIT
};

}  // namespace pginit
