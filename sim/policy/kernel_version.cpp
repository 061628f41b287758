// SPDX-License-Identifier: MIT
#include "kernel_version.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace pginit {

const std::vector<KernelVersion>& modelled_kernel_versions()
{
  static const std::vector<KernelVersion> versions{
      {"v4.15", "4.15", "before 'mm: relax deferred struct page requirements' (2e3ca40f03bb)", true, 512 * 1024},
      {"v4.16", "4.16", "deferred init: first 2 GiB of the highest zone up front", true, 512 * 1024},
      {"v4.17-rc", "4.17.0-rc1", "one section up front + on-demand growth, before ab1e8d8960b6", true, 512 * 1024},
      {"v4.17", "4.17", "DEFERRED_STRUCT_PAGE_INIT depends on !NEED_PER_CPU_KM", true, 512 * 1024},
      {"v4.18", "4.18", "zero_resv_unavail before memmap init (e181ae0c5db9)", false, 512 * 1024},
      {"v4.19", "4.19", "zone batch cap 63 (d8a759b57035)", false, 1024 * 1024},
      {"v5.2", "5.2", "MAX_ORDER-sized deferred init+free (0e56acae4b4d)", false, 1024 * 1024},
      {"v5.8", "5.8", "deferred_init_memmap on padata, one chunk per node CPU (e44431498f5f)", false, 1024 * 1024},
  };
  return versions;
}

const KernelVersion* find_kernel_version(std::string_view name)
{
  const auto& versions = modelled_kernel_versions();
  auto it = std::find_if(versions.begin(), versions.end(),
                         [&](const KernelVersion& v) { return v.name == name; });
  return it == versions.end() ? nullptr : &*it;
}

std::string kernel_version_names()
{
  std::vector<std::string_view> names;
  for (const auto& v : modelled_kernel_versions()) names.push_back(v.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace pginit
