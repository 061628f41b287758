// SPDX-License-Identifier: MIT
#include "run/run_config.h"

#include <fmt/format.h>

#include "scenario/host_memory.h"
#include "scenario/input_error.h"
#include "scenario/kaslr.h"

namespace pginit {

std::optional<MemmapMode> parse_memmap_mode(const std::string& text)
{
  if (text.empty()) return std::nullopt;
  if (text == "fidelity") return MemmapMode::fidelity;
  if (text == "scale") return MemmapMode::scale;
  throw InputError("--mode", 0, text, "unknown mode (one of: fidelity, scale)");
}

RunConfig resolve(const Scenario& scenario, const Overrides& o)
{
  RunConfig cfg;
  Scenario& s = cfg.scenario;
  s = scenario;
  if (!o.kernel.empty()) {
    s.kernel = find_kernel_version(o.kernel);
    if (s.kernel == nullptr)
      throw InputError("--kernel", 0, o.kernel,
                       fmt::format("unknown kernel version (modelled: {})", kernel_version_names()));
  }
  if (!o.policy.empty()) {
    if (find_init_policy(o.policy) == nullptr)
      throw InputError("--policy", 0, o.policy, fmt::format("unknown policy (one of: {})", init_policy_names()));
    s.policy = o.policy;
  }
  for (const std::string& a : o.sets) apply_config_override(s, a);
  resolve_config(s);  // again: --kernel may bring other rules
  if (o.drop_device_memory) s.machine.device_memory.clear();
  check_device_memory_version(s);
  if (o.percpu_alloc) s.boot.percpu_alloc = *o.percpu_alloc;
  if (o.drop_expectations) s.expect = {};
  // The pinned end state is the scenario's as written: another kernel,
  // policy, config or load address builds another memmap.
  const bool changed = !o.kernel.empty() || !o.policy.empty() || !o.sets.empty() || o.kaslr_seed || o.percpu_alloc;
  if (changed) {
    s.expect.memmap_hash.reset();
    s.expect.free_lists.clear();
  }
  if (o.kaslr_seed) s.boot.kaslr_seed = o.kaslr_seed;
  if (s.boot.kaslr_seed) {
    s.boot.kernel_start = kaslr_pick(s, *s.boot.kaslr_seed);
    cfg.kaslr_slots = kaslr_slots(s).size();
  }
  cfg.policy = find_init_policy(s.policy.empty() ? s.kernel->init_policy : s.policy);
  cfg.mode = o.mode.value_or(MemmapMode::fidelity);
  // Device memory's struct pages (pgmap, zone_device_data) have no runs yet.
  const bool has_devices = !s.machine.device_memory.empty();
  if (cfg.mode == MemmapMode::scale && has_devices)
    throw InputError(s.file, s.machine.device_memory.front().line, "machine.device_memory",
                     "scale mode does not model device memory yet: boot this machine in fidelity mode");
  if (o.check_host_memory && cfg.mode == MemmapMode::fidelity) {
    if (o.mode || has_devices) {
      check_memmap_fits_host(s);
    } else if (std::optional<std::string> why = memmap_host_shortfall(s)) {
      cfg.mode = MemmapMode::scale;
      cfg.mode_note = *why + ": running in scale mode instead (struct pages as runs; --mode fidelity refuses)";
    }
  }
  return cfg;
}

}  // namespace pginit
