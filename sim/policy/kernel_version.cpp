// SPDX-License-Identifier: MIT
#include "kernel_version.h"

#include <algorithm>
#include <charconv>
#include <compare>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace pginit {

namespace {

// GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS, from each version's ___GFP_* bits
// (include/linux/gfp.h): IO 0x40 and FS 0x80 throughout; DIRECT_RECLAIM and
// KSWAPD_RECLAIM 0x400000 and 0x1000000 in v4.15-v4.17, 0x200000 and 0x400000 in
// v4.18-v5.0, 0x400 and 0x800 from v5.1.
constexpr unsigned GFP_KERNEL_V4_15 = 0x14000c0;
constexpr unsigned GFP_KERNEL_V4_18 = 0x6000c0;
constexpr unsigned GFP_KERNEL_V5_1 = 0xcc0;

// ptr_to_id() before the key: string(buf, end, "(ptrval)", spec) with
// field_width 2 * sizeof(ptr) in v4.15-v4.17; a 16-character "(____ptrval____)" from v4.18.
constexpr std::string_view PTRVAL_V4_15 = "        (ptrval)";
constexpr std::string_view PTRVAL_V4_18 = "(____ptrval____)";

}  // namespace

const std::vector<KernelVersion>& modelled_kernel_versions()
{
  namespace Z = unavailable;
  using R = KconfigRules;
  static const std::vector<KernelVersion> versions{
      {"v4.15", "4.15", "before 'mm: relax deferred struct page requirements' (2e3ca40f03bb)", true, 512 * 1024, "v4.16",
       Z::reserved_after_init, R::v4_15, false, false, GFP_KERNEL_V4_15, PTRVAL_V4_15},
      {"v4.16", "4.16", "deferred init: first 2 GiB of the highest zone up front", true, 512 * 1024, "v4.16",
       Z::reserved_after_init, R::v4_16, false, false, GFP_KERNEL_V4_15, PTRVAL_V4_15},
      {"v4.17-rc", "4.17.0-rc1", "one section up front + on-demand growth, before ab1e8d8960b6", true, 512 * 1024,
       "v4.17", Z::reserved_after_init, R::v4_16, false, false, GFP_KERNEL_V4_15, PTRVAL_V4_15},
      {"v4.17", "4.17", "DEFERRED_STRUCT_PAGE_INIT depends on !NEED_PER_CPU_KM", true, 512 * 1024, "v4.17",
       Z::reserved_after_init, R::v4_17, false, false, GFP_KERNEL_V4_15, PTRVAL_V4_15},
      {"v4.18", "4.18", "zero_resv_unavail before memmap init (e181ae0c5db9)", false, 512 * 1024, "v4.17",
       Z::reserved_before_init, R::v4_17, false, true, GFP_KERNEL_V4_18, PTRVAL_V4_18},
      {"v4.19", "4.19", "zone batch cap 63 (d8a759b57035)", false, 1024 * 1024, "v4.17", Z::reserved_before_init,
       R::v4_17, false, true, GFP_KERNEL_V4_18, PTRVAL_V4_18},
      {"v5.2", "5.2", "MAX_ORDER-sized deferred init+free (0e56acae4b4d)", false, 1024 * 1024, "v5.2",
       Z::holes_before_init, R::v4_17, false, false, GFP_KERNEL_V5_1, PTRVAL_V4_18},
      {"v5.8", "5.8", "deferred_init_memmap on padata, one chunk per node CPU (e44431498f5f)", false, 1024 * 1024,
       "padata", Z::holes_init_to_section, R::v4_17, true, false, GFP_KERNEL_V5_1, PTRVAL_V4_18},
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

namespace {

// (major, minor, rc) with a final release ordered after all its -rcs.
struct ReleaseKey {
  unsigned major = 0;
  unsigned minor = 0;
  unsigned rc = FINAL;
  static constexpr unsigned FINAL = 1000;
  auto operator<=>(const ReleaseKey&) const = default;
};

std::optional<ReleaseKey> release_key(std::string_view r)
{
  ReleaseKey k;
  auto number = [&r](unsigned& out) {
    const auto [ptr, ec] = std::from_chars(r.data(), r.data() + r.size(), out);
    if (ec != std::errc{} || ptr == r.data()) return false;
    r.remove_prefix(static_cast<std::size_t>(ptr - r.data()));
    return true;
  };
  if (!number(k.major) || r.empty() || r.front() != '.') return std::nullopt;
  r.remove_prefix(1);
  if (!number(k.minor)) return std::nullopt;
  const std::size_t rc = r.find("-rc");
  if (rc != std::string_view::npos) {
    r.remove_prefix(rc + 3);
    if (!number(k.rc)) k.rc = 1;
  }
  return k;
}

}  // namespace

const KernelVersion* nearest_kernel_version(std::string_view release, std::string* note)
{
  const auto want = release_key(release);
  if (!want) return nullptr;
  const KernelVersion* best = nullptr;
  ReleaseKey best_key;
  for (const KernelVersion& v : modelled_kernel_versions()) {
    const ReleaseKey k = *release_key(v.release);
    if (k <= *want && (best == nullptr || best_key < k)) {
      best = &v;
      best_key = k;
    }
  }
  if (best == nullptr) {
    best = &modelled_kernel_versions().front();
    *note = fmt::format("{} is older than every modelled kernel; {} is the nearest", release, best->name);
  } else if (best_key.major != want->major || best_key.minor != want->minor) {
    *note = fmt::format("{} is not modelled; {} is the newest modelled kernel before it", release, best->name);
  }
  return best;
}

std::string kernel_version_names()
{
  std::vector<std::string_view> names;
  for (const auto& v : modelled_kernel_versions()) names.push_back(v.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace pginit
