// SPDX-License-Identifier: MIT
// kconfig_rules.cpp - the rules, symbol by symbol, in dependency order.
// Sources: kernel-v4.17.md §1.1 and §5 (mm/Kconfig, arch/x86/Kconfig).
#include "kconfig/kconfig_rules.h"

#include <algorithm>

namespace pginit {

namespace {

class Resolver {
 public:
  Resolver(const KconfigValues& values, const std::vector<std::string>& user) : user_(user) { r_.values = values; }

  bool on(std::string_view sym) const { return kconfig_enabled(r_.values, sym); }

  // A symbol with a prompt: kept as given if `ok`, else turned off.
  void prompt(std::string_view sym, bool ok, std::string_view rule)
  {
    if (on(sym) && !ok) set(sym, "n", rule);
  }
  // def_bool / select: the value is the rule's.
  void derived(std::string_view sym, bool value, std::string_view rule)
  {
    if (on(sym) != value) set(sym, value ? "y" : "n", rule);
  }

  ResolvedKconfig take() { return std::move(r_); }

 private:
  void set(std::string_view sym, std::string value, std::string_view rule)
  {
    const bool user = std::find(user_.begin(), user_.end(), sym) != user_.end();
    r_.changes.push_back(KconfigChange{std::string(sym), r_.values[std::string(sym)], value, std::string(rule), user});
    r_.values[std::string(sym)] = std::move(value);
  }

  const std::vector<std::string>& user_;
  ResolvedKconfig r_;
};

// ZONE_DEVICE's memory types (mm/Kconfig); ZONE_DEVICE itself is resolved before.
void resolve_device_memory(Resolver& k, DeviceMemoryKconfig d)
{
  switch (d) {
    case DeviceMemoryKconfig::pmem_only:
      k.derived("ARCH_HAS_HMM", false, "mm/Kconfig: no HMM before v4.14");
      k.prompt("HMM_MIRROR", false, "mm/Kconfig: no HMM_MIRROR before v4.14");
      k.prompt("DEVICE_PRIVATE", false, "mm/Kconfig: no DEVICE_PRIVATE before v4.14 (5042db43cc26)");
      k.prompt("DEVICE_PUBLIC", false, "mm/Kconfig: no DEVICE_PUBLIC before v4.14 (df6ad69838fc)");
      k.derived("HMM", false, "mm/Kconfig: no HMM before v4.14");
      return;
    case DeviceMemoryKconfig::arch_has_hmm: {
      k.derived("ARCH_HAS_HMM",
                k.on("ZONE_DEVICE") && k.on("MEMORY_HOTPLUG") && k.on("MEMORY_HOTREMOVE") && k.on("SPARSEMEM_VMEMMAP"),
                "mm/Kconfig (v4.14 - v5.2): ARCH_HAS_HMM is def_bool y, depends on X86_64, ZONE_DEVICE, "
                "MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP");
      const bool arch = k.on("ARCH_HAS_HMM");
      k.prompt("HMM_MIRROR", arch, "mm/Kconfig (v4.14 - v5.2): HMM_MIRROR depends on ARCH_HAS_HMM");
      k.prompt("DEVICE_PRIVATE", arch, "mm/Kconfig (v4.14 - v5.2): DEVICE_PRIVATE depends on ARCH_HAS_HMM");
      k.prompt("DEVICE_PUBLIC", arch, "mm/Kconfig (v4.14 - v5.2): DEVICE_PUBLIC depends on ARCH_HAS_HMM");
      k.derived("HMM", k.on("HMM_MIRROR") || k.on("DEVICE_PRIVATE") || k.on("DEVICE_PUBLIC"),
                "mm/Kconfig (v4.14 - v5.2): HMM has no prompt; HMM_MIRROR, DEVICE_PRIVATE and DEVICE_PUBLIC select it");
      return;
    }
    case DeviceMemoryKconfig::zone_device_private:
      k.derived("ARCH_HAS_HMM", false, "mm/Kconfig: ARCH_HAS_HMM is gone by v5.8");
      k.derived("HMM", false, "mm/Kconfig: HMM is gone by v5.8 (HMM_MIRROR is the option drivers select)");
      k.prompt("DEVICE_PUBLIC", false, "mm/Kconfig: DEVICE_PUBLIC is gone by v5.8 (removed after v5.2)");
      k.prompt("DEVICE_PRIVATE", k.on("ZONE_DEVICE"), "mm/Kconfig (v5.8, 6.1): DEVICE_PRIVATE depends on ZONE_DEVICE");
      return;
  }
}

}  // namespace

ResolvedKconfig resolve_kconfig(const KconfigValues& values, const std::vector<std::string>& explicitly_set,
                                KconfigRules rules)
{
  Resolver k(values, explicitly_set);
  // Per-cpu allocators (mm/Kconfig, arch/x86/Kconfig).
  k.derived("NEED_PER_CPU_KM", !k.on("SMP"), "mm/Kconfig: NEED_PER_CPU_KM is def_bool y, depends on !SMP");
  k.derived("NEED_PER_CPU_EMBED_FIRST_CHUNK", true, "arch/x86/Kconfig: def_bool y");
  k.derived("NEED_PER_CPU_PAGE_FIRST_CHUNK", true, "arch/x86/Kconfig: def_bool y");
  k.prompt("NUMA", k.on("SMP"), "arch/x86/Kconfig: NUMA depends on SMP");
  // Memory models: x86_64 has only SPARSEMEM (ARCH_FLATMEM_ENABLE is X86_32 && !NUMA).
  k.derived("FLATMEM", false, "arch/x86/Kconfig: ARCH_FLATMEM_ENABLE is def_bool y only if X86_32 && !NUMA");
  k.derived("SPARSEMEM", true, "arch/x86/Kconfig: ARCH_SPARSEMEM_DEFAULT on X86_64; no other model is possible");
  if (rules.x86_5level_selects_vmemmap && k.on("X86_5LEVEL"))
    k.derived("SPARSEMEM_VMEMMAP", true, "arch/x86/Kconfig (v4.17): X86_5LEVEL selects SPARSEMEM_VMEMMAP");
  k.derived("SPARSEMEM_EXTREME", true, "mm/Kconfig: def_bool y if SPARSEMEM && !SPARSEMEM_STATIC (x86 selects STATIC only on X86_32)");
  k.derived("NO_BOOTMEM", true, "arch/x86/Kconfig: NO_BOOTMEM is def_bool y");
  k.prompt("MEMORY_HOTREMOVE", k.on("MEMORY_HOTPLUG"), "mm/Kconfig: MEMORY_HOTREMOVE depends on MEMORY_HOTPLUG");
  if (rules.zone_device_exists)
    k.prompt("ZONE_DEVICE", k.on("MEMORY_HOTPLUG") && k.on("MEMORY_HOTREMOVE") && k.on("SPARSEMEM_VMEMMAP"),
             "mm/Kconfig: ZONE_DEVICE depends on MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP");
  else
    k.prompt("ZONE_DEVICE", false, "mm/Kconfig: no ZONE_DEVICE before v4.3");
  resolve_device_memory(k, rules.device_memory);
  k.prompt("NUMA_BALANCING", k.on("NUMA"), "init/Kconfig: NUMA_BALANCING depends on NUMA");

  // DEFERRED_STRUCT_PAGE_INIT, the symbol the seed bug is about.
  switch (rules.deferred) {
    case DeferredDepends::absent:
      k.derived("ARCH_SUPPORTS_DEFERRED_STRUCT_PAGE_INIT", false, "mm/Kconfig: deferred struct page init came in v4.2");
      k.prompt("DEFERRED_STRUCT_PAGE_INIT", false, "mm/Kconfig: no DEFERRED_STRUCT_PAGE_INIT before v4.2");
      break;
    case DeferredDepends::v4_15:
      k.derived("ARCH_SUPPORTS_DEFERRED_STRUCT_PAGE_INIT", true, "arch/x86/Kconfig (v4.15): X86 selects it");
      k.prompt("DEFERRED_STRUCT_PAGE_INIT",
               k.on("ARCH_SUPPORTS_DEFERRED_STRUCT_PAGE_INIT") && k.on("NO_BOOTMEM") && k.on("MEMORY_HOTPLUG") &&
                   !k.on("FLATMEM"),
               "mm/Kconfig (v4.15): DEFERRED_STRUCT_PAGE_INIT depends on ARCH_SUPPORTS_DEFERRED_STRUCT_PAGE_INIT, "
               "NO_BOOTMEM && MEMORY_HOTPLUG, !FLATMEM");
      break;
    case DeferredDepends::v4_16:
      k.derived("ARCH_SUPPORTS_DEFERRED_STRUCT_PAGE_INIT", false,
                "removed in v4.16 by 2e3ca40f03bb \"mm: relax deferred struct page requirements\"");
      k.prompt("DEFERRED_STRUCT_PAGE_INIT", k.on("NO_BOOTMEM") && !k.on("FLATMEM"),
               "mm/Kconfig (v4.16, v4.17-rc): DEFERRED_STRUCT_PAGE_INIT depends on NO_BOOTMEM, !FLATMEM");
      break;
    case DeferredDepends::v4_17:
      k.derived("ARCH_SUPPORTS_DEFERRED_STRUCT_PAGE_INIT", false,
                "removed in v4.16 by 2e3ca40f03bb \"mm: relax deferred struct page requirements\"");
      k.prompt("DEFERRED_STRUCT_PAGE_INIT", k.on("NO_BOOTMEM") && !k.on("FLATMEM") && !k.on("NEED_PER_CPU_KM"),
               "mm/Kconfig (v4.17, ab1e8d8960b6): DEFERRED_STRUCT_PAGE_INIT depends on NO_BOOTMEM, !FLATMEM, "
               "!NEED_PER_CPU_KM (also in stable 4.16.13)");
      break;
  }
  return k.take();
}

std::string memory_model_of(const KconfigValues& v)
{
  if (kconfig_enabled(v, "FLATMEM")) return "FLATMEM: one mem_map; page_to_pfn is pointer arithmetic";
  if (kconfig_enabled(v, "SPARSEMEM_VMEMMAP"))
    return "SPARSEMEM_VMEMMAP: one virtual memmap; pfn_to_page and page_to_pfn are arithmetic, no struct page is read";
  return "SPARSEMEM (classic): a memmap per section; page_to_pfn reads the section number from page->flags";
}

std::string percpu_allocator_of(const KconfigValues& v)
{
  if (kconfig_enabled(v, "NEED_PER_CPU_KM"))
    return "percpu-km (NEED_PER_CPU_KM, !SMP): static per-cpu data stays in the kernel image; per_cpu_ptr_to_phys "
           "goes virt_to_page() -> page_to_phys() on it";
  return "percpu-vm, embed first chunk (SMP x86_64): per_cpu_ptr_to_phys on the first chunk is __pa(), no struct page "
         "is read (percpu_alloc=page would map the chunk with vmalloc and read struct pages)";
}

std::string device_memory_of(const KconfigValues& v)
{
  if (!kconfig_enabled(v, "ZONE_DEVICE"))
    return "none (no ZONE_DEVICE): pmem and GPU memory get no struct pages (machine.device_memory is skipped)";
  std::string out = "ZONE_DEVICE: pmem gets struct pages (memremap_pages)";
  if (kconfig_enabled(v, "DEVICE_PRIVATE"))
    out += "; DEVICE_PRIVATE: unaddressable device memory, struct pages without a linear mapping (a CPU access "
           "faults)";
  if (kconfig_enabled(v, "DEVICE_PUBLIC")) out += "; DEVICE_PUBLIC: CPU-coherent device memory, linearly mapped";
  return out;
}

}  // namespace pginit
