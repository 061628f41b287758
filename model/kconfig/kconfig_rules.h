// SPDX-License-Identifier: MIT
// kconfig_rules.h - the `depends on` / `select` / `def_bool` rules of the
// symbols pginit knows, as mm/Kconfig and arch/x86/Kconfig had them in each
// modelled kernel (x86_64). Resolving a config applies them the way
// `make olddefconfig` would: a symbol whose dependencies are not met is
// turned off, a selected one is turned on, derived ones are computed.
#pragma once

#include <string>
#include <vector>

#include "kconfig/kconfig.h"

namespace pginit {

// What DEFERRED_STRUCT_PAGE_INIT depends on.
enum class DeferredDepends {
  absent,  // before v4.2 (3a80a7fa7989, 7e18adb4f80b): no such symbol, always off
  v4_15,  // ARCH_SUPPORTS_DEFERRED_STRUCT_PAGE_INIT && NO_BOOTMEM && MEMORY_HOTPLUG
  v4_16,  // 2e3ca40f03bb: only NO_BOOTMEM (and !FLATMEM) remain (v4.16, v4.17-rc)
  v4_17,  // ab1e8d8960b6: and !NEED_PER_CPU_KM (also in stable 4.16.y: see kconfig_rules)
};

// Which device-memory (HMM) symbols mm/Kconfig has (x86_64).
enum class DeviceMemoryKconfig {
  // Before v4.14: ZONE_DEVICE (if any) serves pmem only; no HMM symbols.
  pmem_only,
  // v4.14 - v5.2 (c0b124054f9e, 133ff0eac95b, 5042db43cc26, df6ad69838fc,
  // 6b368cd4a44c): ARCH_HAS_HMM is def_bool y on X86_64 with ZONE_DEVICE,
  // MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP; HMM_MIRROR,
  // DEVICE_PRIVATE and DEVICE_PUBLIC depend on it and select HMM (the 4.14.5,
  // 4.17, 4.20 and 5.2.1 trees).
  arch_has_hmm,
  // By v5.8 (5.8.1 and 6.1 trees): DEVICE_PUBLIC, HMM and ARCH_HAS_HMM are
  // gone; DEVICE_PRIVATE depends on ZONE_DEVICE; HMM_MIRROR has no prompt
  // (drivers select it).
  zone_device_private,
};

// The rules that differ between the kernels pginit models, for this bug's symbols.
struct KconfigRules {
  DeferredDepends deferred;
  // arch/x86/Kconfig: X86_5LEVEL selects SPARSEMEM_VMEMMAP from v4.17-rc1
  // (the 4.15 tree's X86_5LEVEL selects nothing of the memory model).
  bool x86_5level_selects_vmemmap;
  // ZONE_DEVICE exists from v4.3 (033fbae988fc "mm, ZONE_DEVICE: pmem-only
  // zone"); before, the symbol is always off.
  bool zone_device_exists = true;
  DeviceMemoryKconfig device_memory = DeviceMemoryKconfig::pmem_only;
};

// The same rules with another generation of the device-memory symbols.
constexpr KconfigRules with_device_memory(KconfigRules r, DeviceMemoryKconfig d)
{
  r.device_memory = d;
  return r;
}

namespace kconfig_rules {
inline constexpr KconfigRules v3_10{DeferredDepends::absent, false, false};
inline constexpr KconfigRules v4_2{DeferredDepends::v4_15, false, false};
inline constexpr KconfigRules v4_15{DeferredDepends::v4_15, false};
inline constexpr KconfigRules v4_16{DeferredDepends::v4_16, false};
inline constexpr KconfigRules v4_17_rc{DeferredDepends::v4_16, true};
inline constexpr KconfigRules v4_17{DeferredDepends::v4_17, true};
// Stable 4.16.y with ab1e8d8960b6 backported (4.16.13 has it), and 4.16's
// X86_5LEVEL, which selects nothing.
inline constexpr KconfigRules v4_16_stable{DeferredDepends::v4_17, false};
}  // namespace kconfig_rules

struct KconfigChange {
  std::string symbol;
  std::string from;
  std::string to;
  std::string why;          // the rule, as mm/Kconfig states it
  bool user_set = false;    // the scenario (or --set, or the .config) asked for `from`
};

struct ResolvedKconfig {
  KconfigValues values;
  std::vector<KconfigChange> changes;
};

// `explicitly_set`: the symbols the user gave a value (the others are defaults).
ResolvedKconfig resolve_kconfig(const KconfigValues& values, const std::vector<std::string>& explicitly_set,
                                KconfigRules rules);

// What a resolved config means for struct pages, in words.
std::string memory_model_of(const KconfigValues& v);
std::string percpu_allocator_of(const KconfigValues& v);
// Which device memory a driver can give struct pages (ZONE_DEVICE and its types).
std::string device_memory_of(const KconfigValues& v);

}  // namespace pginit
