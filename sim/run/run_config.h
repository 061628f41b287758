// SPDX-License-Identifier: MIT
// run_config.h - everything one boot needs, resolved once: the scenario with
// the command line's overrides applied, its Kconfig resolved under the
// chosen version's rules, the image placed (KASLR), the init policy looked
// up, and the host-memory limit checked. resolve() is the only place
// overrides are applied; every driver (pginit run and sweep, the fuzz
// target, tests, benchmarks) goes through it and then through boot().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/init_policy.h"
#include "scenario/scenario.h"

namespace pginit {

// How struct pages are kept: 64 real bytes each (fidelity), or as runs of
// equal pages (scale, model/pginit/page_runs.h) for machines whose memmap
// would not fit the host.
enum class MemmapMode { fidelity, scale };

// What a command line (or a sweep case) changes in a scenario.
struct Overrides {
  std::string kernel;                                 // --kernel: another modelled version
  std::string policy;                                 // --policy: another init policy
  std::vector<std::string> sets;                      // --set SYMBOL=VALUE, in order
  std::optional<std::uint64_t> kaslr_seed;            // --kaslr-seed: place the image as KASLR would
  std::optional<BootSpec::PercpuAlloc> percpu_alloc;  // percpu_alloc= (the sweep's dimension)
  bool drop_expectations = false;                     // the sweep judges configurations, not expect:
  bool check_host_memory = true;                      // refuse a memmap larger than the host can give
  bool drop_device_memory = false;                    // boot without machine.device_memory (the sweep's dimension)
  // --mode: fidelity or scale; unset: fidelity, or scale when the memmap
  // would not fit the host (with check_host_memory).
  std::optional<MemmapMode> mode;
};

struct RunConfig {
  Scenario scenario;                    // as booted: overrides applied, Kconfig resolved, image placed
  const InitPolicy* policy = nullptr;   // the version's, or the scenario's / --policy
  std::size_t kaslr_slots = 0;          // with a KASLR seed: how many slots the image could take
  MemmapMode mode = MemmapMode::fidelity;
  std::string mode_note;                // why scale mode was picked, when pginit picked it
  // How to run it (not part of the simulated machine).
  bool memblock_debug = false;  // boot with memblock=debug
  unsigned threads = 0;         // workers for the parallel phases; 0: every host thread
  bool echo_log = false;        // print each kernel log line as it is logged
  bool record_report = false;   // keep memmap snapshots and the timeline (--report, --svg)
};

// --mode's value: "" (pginit picks), "fidelity" or "scale"; throws InputError otherwise.
std::optional<MemmapMode> parse_memmap_mode(const std::string& text);

// Throws InputError naming the override (or the scenario) on bad input.
RunConfig resolve(const Scenario& scenario, const Overrides& overrides = {});

}  // namespace pginit
