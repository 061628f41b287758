// SPDX-License-Identifier: MIT
// init_policy.h - how a kernel version initializes struct pages, as three
// named rules: what memmap_init_zone() does up front (static_init.h),
// whether and how the allocator grows a zone on demand (growth.h), and what
// runs after smp_init (late_init.h). One named policy per combination the
// kernel has had (docs/policies.md); each rule has its own unit tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/growth.h"
#include "policy/late_init.h"
#include "policy/static_init.h"

namespace pginit {

struct InitPolicy {
  std::string_view name;     // what --policy and scenarios say
  std::string_view commit;   // the kernel change it stands for
  std::string_view summary;
  const StaticInitRule& static_init;
  const GrowthRule& growth;
  const LateInitRule& late_init;
};

const std::vector<InitPolicy>& init_policies();
const InitPolicy* find_init_policy(std::string_view name);
std::string init_policy_names();

}  // namespace pginit
