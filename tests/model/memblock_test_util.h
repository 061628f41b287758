// SPDX-License-Identifier: MIT
// Helpers shared by the memblock tests (cf. tools/testing/memblock/tests/common.h).
#pragma once

#include <gtest/gtest.h>

#include "memblock.h"

namespace pginit::test {

inline constexpr int MAX_NUMNODES = 64;

// Region i of a type, checked for its range.
inline void expect_region(const memblock_type& t, std::size_t i, phys_addr_t base, phys_addr_t size)
{
  ASSERT_LT(i, t.regions.size()) << t.name;
  EXPECT_EQ(t.regions[i].base, base) << t.name << "[" << i << "]";
  EXPECT_EQ(t.regions[i].size, size) << t.name << "[" << i << "]";
}

// The invariants every memblock operation keeps: sorted, non-overlapping,
// neighbours merged unless node or flags differ, total_size the sum.
inline void expect_well_formed(const memblock_type& t)
{
  phys_addr_t sum = 0;
  for (std::size_t i = 0; i < t.regions.size(); i++) {
    sum += t.regions[i].size;
    if (i == 0) continue;
    const memblock_region& a = t.regions[i - 1];
    const memblock_region& b = t.regions[i];
    EXPECT_LE(a.end(), b.base) << t.name << ": regions " << i - 1 << " and " << i << " overlap or are unsorted";
    if (a.end() == b.base) {
      EXPECT_TRUE(a.nid != b.nid || a.flags != b.flags) << t.name << ": regions " << i - 1 << " and " << i << " should have merged";
    }
  }
  EXPECT_EQ(sum, t.total_size) << t.name;
  EXPECT_LE(t.cnt(), t.max) << t.name;
}

}  // namespace pginit::test
