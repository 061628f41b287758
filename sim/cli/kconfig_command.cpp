// SPDX-License-Identifier: MIT
// kconfig_command.cpp - `pginit kconfig check FILE.config --kernel VERSION`:
// what a real .config gets under a modelled kernel's rules, and why.
#include <fmt/format.h>

#include "cli/commands.h"
#include "import/config_import.h"
#include "kconfig/kconfig_rules.h"
#include "policy/kernel_version.h"
#include "scenario/input_error.h"
#include "scenario/input_file.h"

namespace pginit {

int kconfig_check_command(const std::string& file, const std::string& kernel)
{
  const KernelVersion* v = find_kernel_version(kernel);
  if (v == nullptr)
    throw InputError("--kernel", 0, kernel, fmt::format("unknown kernel version (modelled: {})", kernel_version_names()));
  const ImportedConfig imported = import_config(read_input_file(file, ".config"), file);
  KconfigValues values = default_kconfig_values();
  std::vector<std::string> set;
  for (const auto& [sym, value] : imported.values) {
    values[sym] = value;
    set.push_back(sym);
  }
  const ResolvedKconfig r = resolve_kconfig(values, set, v->kconfig_rules);
  fmt::print("{} under {}'s rules:\n", file, v->name);
  fmt::print("  memory model: {}\n", memory_model_of(r.values));
  fmt::print("  per-cpu allocator: {}\n", percpu_allocator_of(r.values));
  fmt::print("  device memory: {}\n", device_memory_of(r.values));
  const bool deferred = kconfig_enabled(r.values, "DEFERRED_STRUCT_PAGE_INIT");
  fmt::print("  deferred struct page init: {}\n", deferred ? "on" : "off");
  for (const KconfigChange& c : r.changes)
    fmt::print("  {}CONFIG_{}={} -> {}: {}\n", c.user_set ? "" : "(default) ", c.symbol, c.from, c.to, c.why);
  const bool classic = !kconfig_enabled(r.values, "SPARSEMEM_VMEMMAP");
  if (deferred && classic && kconfig_enabled(r.values, "NEED_PER_CPU_KM"))
    fmt::print("  verdict: exposed to the per_cpu_ptr_to_phys bug (docs/bug-per-cpu-km.md): UP per-cpu data in the "
               "kernel image, classic SPARSEMEM, deferred struct pages\n");
  else if (deferred && classic)
    fmt::print("  verdict: not exposed with the embed first chunk; percpu_alloc=page would read deferred struct "
               "pages before mm_init (scenarios/smp-percpu-page-deferred-v4.17.yaml)\n");
  else
    fmt::print("  verdict: not exposed\n");
  return EXIT_OK;
}

}  // namespace pginit
