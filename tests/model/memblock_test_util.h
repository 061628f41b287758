// SPDX-License-Identifier: MIT
// Helpers shared by the memblock tests (cf. tools/testing/memblock/tests/common.h).
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <sstream>
#include <string>
#include <utility>

#include "include/linux/memblock.h"

namespace pginit {

// Lets GoogleTest print a region readably in failure messages.
inline void PrintTo(const memblock_region& r, std::ostream* os)
{
  *os << std::hex << "{base=0x" << r.base << " size=0x" << r.size << " flags=0x" << r.flags
      << std::dec << " nid=" << r.nid << "}";
}

}  // namespace pginit

namespace pginit::test {

// Expected regions of a memblock type, as (base, size), in address order.
using region_list = std::initializer_list<std::pair<phys_addr_t, phys_addr_t>>;

// "memory: cnt=2 total=0x... [0x..+0x..] [0x..+0x..]", for failure messages.
inline std::string describe(const memblock_type& t)
{
  std::ostringstream os;
  os << t.name << ": cnt=" << t.cnt() << std::hex << " total=0x" << t.total_size;
  for (const memblock_region& r : t.regions) os << " [0x" << r.base << "+0x" << r.size << "]";
  return os.str();
}

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

// The whole state of a type, as the kernel's tools/testing/memblock tests check
// it: exactly these regions (base, size) in this order, cnt and total_size.
// total_size is the sum of the *expected* sizes, never read back from the
// code under test. An empty list means an empty type, which in v4.17 still
// has cnt 1: one zero-sized dummy entry.
inline void expect_type_state(const memblock_type& t, region_list regions)
{
  SCOPED_TRACE(describe(t));
  if (regions.size() == 0) {
    EXPECT_EQ(t.cnt(), 1u) << t.name << ".cnt (empty: one dummy entry)";
    if (!t.regions.empty()) {
      EXPECT_EQ(t.regions[0].base, 0u) << t.name << " dummy base";
      EXPECT_EQ(t.regions[0].size, 0u) << t.name << " dummy size";
    }
    EXPECT_EQ(t.total_size, 0u) << t.name << ".total_size";
    EXPECT_TRUE(t.empty()) << t.name;
    return;
  }
  EXPECT_EQ(t.cnt(), regions.size()) << t.name << ".cnt";
  phys_addr_t total = 0;
  std::size_t i = 0;
  for (const auto& [base, size] : regions) {
    if (i < t.regions.size()) {
      EXPECT_EQ(t.regions[i].base, base) << t.name << "[" << i << "].base";
      EXPECT_EQ(t.regions[i].size, size) << t.name << "[" << i << "].size";
    }
    total += size;
    ++i;
  }
  EXPECT_EQ(t.total_size, total) << t.name << ".total_size";
}

// memblock.reserved after an allocation: every region, cnt and total_size.
// Reservations are made by memblock_reserve(), which in v4.17 (with
// HAVE_MEMBLOCK_NODE_MAP) gives them nid MAX_NUMNODES and no flags.
inline void expect_reserved_state(const memblock& mb, region_list regions)
{
  expect_type_state(mb.reserved, regions);
  if (mb.reserved.empty()) return;
  for (std::size_t i = 0; i < mb.reserved.regions.size(); i++) {
    EXPECT_EQ(mb.reserved.regions[i].nid, mb.max_numnodes) << "reserved[" << i << "].nid";
    EXPECT_EQ(mb.reserved.regions[i].flags, MEMBLOCK_NONE) << "reserved[" << i << "].flags";
  }
}

// memblock.memory: allocations must leave it exactly as it was added.
inline void expect_memory_state(const memblock& mb, region_list regions)
{
  expect_type_state(mb.memory, regions);
}

}  // namespace pginit::test
