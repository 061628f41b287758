// SPDX-License-Identifier: MIT
#include "engine/cost_model.h"

#include <algorithm>

namespace pginit {

std::uint64_t CostModel::ns(std::uint64_t initialized, std::uint64_t freed, unsigned threads) const
{
  const double work = static_cast<double>(initialized) * init_ns_per_page + static_cast<double>(freed) * free_ns_per_page;
  const double spread = work / std::max(1u, threads);
  const double pages = static_cast<double>(std::max(initialized, freed));
  const double floor = pages / node_pages_per_s_max * 1e9;
  return static_cast<std::uint64_t>(std::max(spread, floor));
}

}  // namespace pginit
