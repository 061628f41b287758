// SPDX-License-Identifier: MIT
#include "boot/traps.h"

#include <optional>
#include <string>

#include <fmt/format.h>

#include "boot/percpu.h"

namespace pginit {

namespace {

// "&per_cpu(cpu_tss_rw, 0) + 0x1000": the address cea_map_percpu_pages()
// hands per_cpu_ptr_to_phys() for the page at `offset` of the mapped part.
std::string describe(const CeaPercpuMap& m, unsigned cpu, std::uint64_t offset)
{
  std::string s = m.member.empty() ? fmt::format("&per_cpu({}, {})", m.symbol, cpu)
                                   : fmt::format("per_cpu({}, {}).{}", m.symbol, cpu, m.member);
  if (offset != 0) s += fmt::format(" + {:#x}", offset);
  return s;
}

// One call of setup_cpu_entry_area(): every page of it, one
// per_cpu_ptr_to_phys() each, in address order (cea_map_percpu_pages()).
void map_percpu_pages(Kernel& k, const CpuEntryAreaLayout& layout, const CeaPercpuMap& m, unsigned cpu)
{
  if (m.intel_only && !(k.config("CPU_SUP_INTEL") && k.scenario().machine.cpu_vendor == MachineSpec::CpuVendor::intel))
    return;  // percpu_setup_debug_store(): #ifdef CONFIG_CPU_SUP_INTEL, and returns on a non-Intel boot CPU
  // The stacks' pages and their place double with KASAN, like their object.
  std::uint64_t scale = 1;
  for (const PercpuObject& o : layout.page_aligned)
    if (o.symbol == m.symbol) scale = percpu_object_pages(k, o) / o.pages;
  const kva_t base = per_cpu_symbol(k, m.symbol, cpu) + m.first_page * scale * PAGE_SIZE;

  std::optional<KernelFrame> via;
  if (!m.via.empty()) via.emplace(k.stack, m.via.data());
  KernelFrame caller(k.stack, m.caller.data());
  for (std::uint64_t page = 0; page < m.pages * scale; page++) {
    const std::string what = describe(m, cpu, page * PAGE_SIZE);
    (void)per_cpu_ptr_to_phys(k, base + page * PAGE_SIZE, what);
  }
}

}  // namespace

void trap_init(Kernel& k)
{
  KernelFrame frame(k.stack, "trap_init");
  KernelFrame f(k.stack, "setup_cpu_entry_areas");
  const CpuEntryAreaLayout& layout = k.version().cpu_entry_area;
  for (unsigned cpu = 0; cpu < nr_possible_cpus(k); cpu++) {
    KernelFrame g(k.stack, "setup_cpu_entry_area");
    for (const CeaPercpuMap& m : layout.maps) map_percpu_pages(k, layout, m, cpu);
  }
}

}  // namespace pginit
