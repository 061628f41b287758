// SPDX-License-Identifier: MIT
#include "kconfig/kconfig.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace pginit {

const std::vector<KconfigSymbol>& known_kconfig_symbols()
{
  using enum KconfigType;
  static const std::vector<KconfigSymbol> symbols{
      {"SMP", boolean, "y", 0, 0, "symmetric multi-processing; n selects NEED_PER_CPU_KM"},
      {"NUMA", boolean, "y", 0, 0, "NUMA support"},
      {"NODES_SHIFT", integer, "6", 1, 10, "log2 of MAX_NUMNODES (x86_64 default 6, 10 with MAXSMP)"},
      {"FLATMEM", boolean, "n", 0, 0, "flat memory model (one mem_map); x86_32 only"},
      {"SPARSEMEM", boolean, "y", 0, 0, "sparse memory model (mem_section table)"},
      {"SPARSEMEM_VMEMMAP", boolean, "y", 0, 0, "sparse memory with a virtually contiguous memmap"},
      {"SPARSEMEM_EXTREME", boolean, "y", 0, 0, "two-level mem_section table"},
      {"NO_BOOTMEM", boolean, "y", 0, 0, "memblock replaces bootmem"},
      {"MEMORY_HOTPLUG", boolean, "y", 0, 0, "memory hotplug"},
      {"MEMORY_HOTREMOVE", boolean, "y", 0, 0, "memory hot-remove"},
      {"ARCH_SUPPORTS_DEFERRED_STRUCT_PAGE_INIT", boolean, "n", 0, 0, "arch opt-in, before v4.16"},
      {"DEFERRED_STRUCT_PAGE_INIT", boolean, "y", 0, 0, "defer struct page init to kthreads"},
      {"NEED_PER_CPU_KM", boolean, "n", 0, 0, "UP/nommu percpu allocator (percpu-km.c)"},
      {"NEED_PER_CPU_EMBED_FIRST_CHUNK", boolean, "y", 0, 0, "embed percpu first chunk"},
      {"NEED_PER_CPU_PAGE_FIRST_CHUNK", boolean, "y", 0, 0, "page percpu first chunk"},
      {"DEBUG_VM", boolean, "n", 0, 0, "poison raw memblock memmap with 0xff"},
      {"ZONE_DMA", boolean, "y", 0, 0, "ZONE_DMA below 16 MiB"},
      {"ZONE_DMA32", boolean, "y", 0, 0, "ZONE_DMA32 below 4 GiB"},
      {"ZONE_DEVICE", boolean, "n", 0, 0, "ZONE_DEVICE (adds a zone, 3 zone bits)"},
      {"ARCH_HAS_HMM", boolean, "n", 0, 0, "derived (v4.14 - v5.2): the arch can have HMM (needs ZONE_DEVICE)"},
      {"HMM", boolean, "n", 0, 0, "derived (v4.14 - v5.2): heterogeneous memory management, selected"},
      {"HMM_MIRROR", boolean, "n", 0, 0, "mirror CPU page tables into a device's (depends on ARCH_HAS_HMM until v5.2)"},
      {"DEVICE_PRIVATE", boolean, "n", 0, 0, "unaddressable device memory (HMM, v4.14 on): struct pages the CPU cannot map"},
      {"DEVICE_PUBLIC", boolean, "n", 0, 0, "CPU-coherent device memory (HMM, v4.14 - v5.2)"},
      {"HUGETLB_PAGE", boolean, "y", 0, 0, "hugetlbfs; pageblock_order 9 instead of 10"},
      {"X86_5LEVEL", boolean, "n", 0, 0, "5-level paging"},
      {"RANDOMIZE_MEMORY", boolean, "n", 0, 0, "randomize the direct map and vmemmap bases"},
      {"NUMA_BALANCING", boolean, "n", 0, 0, "last_cpupid in page->flags"},
      {"PAGE_EXTENSION", boolean, "n", 0, 0, "page_ext; larger mem_section"},
      {"HAVE_ALIGNED_STRUCT_PAGE", boolean, "y", 0, 0,
       "struct page aligned to 16 bytes (x86 selects it with SLUB): 64 bytes, else 56 in 3.x/4.x"},
      {"KASAN", boolean, "n", 0, 0, "kernel address sanitizer: a NULL-based bad access is a #GP, not a #PF"},
      {"CPU_SUP_INTEL", boolean, "y", 0, 0,
       "Intel CPU support: builds the perf debug store (cpu_debug_store) the cpu entry area maps"},
      {"HZ", integer, "250", 100, 1000, "timer ticks per second (100, 250, 300, 1000): the granularity of \"in Nms\""},
  };
  return symbols;
}

const KconfigSymbol* find_kconfig_symbol(std::string_view name)
{
  const auto& symbols = known_kconfig_symbols();
  auto it = std::find_if(symbols.begin(), symbols.end(),
                         [&](const KconfigSymbol& s) { return s.name == name; });
  return it == symbols.end() ? nullptr : &*it;
}

std::optional<std::string> check_kconfig_value(const KconfigSymbol& sym, std::string_view value)
{
  if (sym.type == KconfigType::boolean) {
    if (value == "y" || value == "n") return std::nullopt;
    return fmt::format("'{}' is not y or n", value);
  }
  long v = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc{} || ptr != value.data() + value.size())
    return fmt::format("'{}' is not a decimal number", value);
  if (v < sym.min || v > sym.max)
    return fmt::format("{} is outside {}..{}", v, sym.min, sym.max);
  return std::nullopt;
}

KconfigValues default_kconfig_values()
{
  KconfigValues values;
  for (const KconfigSymbol& sym : known_kconfig_symbols())
    values.emplace(std::string(sym.name), std::string(sym.x86_64_default));
  return values;
}

bool kconfig_enabled(const KconfigValues& values, std::string_view name)
{
  auto it = values.find(name);
  return it != values.end() && it->second == "y";
}

long kconfig_int(const KconfigValues& values, std::string_view name, long fallback)
{
  auto it = values.find(name);
  if (it == values.end()) return fallback;
  long v = fallback;
  std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  return v;
}

}  // namespace pginit
