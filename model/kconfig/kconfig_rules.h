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

// The rule sets that differ for this bug's symbols.
enum class KconfigRules {
  v4_15,  // DEFERRED needs ARCH_SUPPORTS_DEFERRED_STRUCT_PAGE_INIT && NO_BOOTMEM && MEMORY_HOTPLUG
  v4_16,  // 2e3ca40f03bb: only NO_BOOTMEM (and !FLATMEM) remain (v4.16, v4.17-rc)
  v4_17,  // ab1e8d8960b6: and !NEED_PER_CPU_KM
};

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

}  // namespace pginit
