// SPDX-License-Identifier: MIT
#include "policy/init_policy.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace pginit {

const std::vector<InitPolicy>& init_policies()
{
  static const std::vector<InitPolicy> policies{
      {"v4.16", "3a80a7fa7989, 864b9a393dcb", "2 GiB of the highest zone up front, the rest by pgdatinit threads",
       static_init::two_gib, growth::none, late_init::per_node},
      {"v4.17", "c9e97a1997fb", "one section up front, on-demand growth by sections, pgdatinit threads",
       static_init::one_section, growth::sections, late_init::per_node},
      {"v5.2", "0e56acae4b4d", "init and free in MAX_ORDER steps, on demand and in pgdatinit threads",
       static_init::one_section, growth::max_order, late_init::per_node_max_order},
      {"padata", "e44431498f5f", "v5.8+: a node's deferred pages in section-aligned chunks over its CPUs",
       static_init::one_section, growth::max_order, late_init::padata},
      {"lazy", "(none: an experiment)", "no pass after smp_init: deferred pages are only grown on demand",
       static_init::one_section, growth::sections, late_init::none},
  };
  return policies;
}

const InitPolicy* find_init_policy(std::string_view name)
{
  const auto& all = init_policies();
  auto it = std::find_if(all.begin(), all.end(), [&](const InitPolicy& p) { return p.name == name; });
  return it == all.end() ? nullptr : &*it;
}

std::string init_policy_names()
{
  std::vector<std::string_view> names;
  for (const InitPolicy& p : init_policies()) names.push_back(p.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace pginit
