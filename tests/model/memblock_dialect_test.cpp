// SPDX-License-Identifier: MIT
// memblock_dialect: each version's memblock=debug lines (mm/memblock.c of the
// trees named in docs/kernel-versions.md), line for line. Every test fails
// if one version's dialect takes another's format or name.
#include <cerrno>

#include "memblock_test_util.h"

namespace pginit {
namespace {

// A memblock with debug on, [1M, 256M) on node 0 and [256M, 512M) on node 1,
// its lines recorded, called from `caller`.
struct DebugMemblock {
  explicit DebugMemblock(const memblock_dialect& d) : mb(64, log, &stack)
  {
    mb.dialect = &d;
    memblock_add_node(mb, 0x100000, 0xff00000, 0);
    memblock_add_node(mb, 0x10000000, 0x10000000, 1);
    mb.debug = true;
  }
  RecordingPrintk log;
  CallStack stack;
  memblock mb;
  KernelFrame frame{stack, "caller"};
};

// Reserve n disjoint pages starting at base, one page apart, quietly.
void reserve_scattered(memblock& mb, phys_addr_t base, unsigned n)
{
  const bool debug = mb.debug;
  mb.debug = false;
  for (unsigned i = 0; i < n; i++) ASSERT_EQ(memblock_reserve(mb, base + i * 2 * PAGE_SIZE, PAGE_SIZE), 0);
  mb.debug = debug;
}

std::string doubled_line(const memblock_dialect& d)
{
  DebugMemblock m(d);
  memblock_allow_resize(m.mb);
  reserve_scattered(m.mb, 0x200000, 128);
  m.log.lines.clear();
  EXPECT_EQ(memblock_reserve(m.mb, 0x8000000, PAGE_SIZE), 0);
  for (const std::string& l : m.log.lines)
    if (l.starts_with("memblock: reserved is doubled")) return l;
  return "";
}

// memblock_double_array(): "[%#010llx-%#010llx]" in the 4.15, 4.17 and 4.18
// trees; "[%pa-%pa]" from 4.19.
TEST(MemblockDialect, DoubledArrayRange)
{
  EXPECT_EQ(doubled_line(memblock_dialect_v4_15), "memblock: reserved is doubled to 256 at [0x1fffe000-0x1fffffff]");
  EXPECT_EQ(doubled_line(memblock_dialect_v4_18), "memblock: reserved is doubled to 256 at [0x1fffe000-0x1fffffff]");
  EXPECT_EQ(doubled_line(memblock_dialect_v4_19),
            "memblock: reserved is doubled to 256 at [0x000000001fffe000-0x000000001fffffff]");
  EXPECT_EQ(doubled_line(memblock_dialect_v6_1),
            "memblock: reserved is doubled to 256 at [0x000000001fffe000-0x000000001fffffff]");
}

// 6.1's memblock_double_array() frees the previous array with the pointer
// taking memblock_free(): its memblock_phys_free line names memblock_free.
TEST(MemblockDialect, SecondDoublingFreesThroughMemblockFree)
{
  DebugMemblock m(memblock_dialect_v6_1);
  memblock_allow_resize(m.mb);
  for (unsigned i = 0; i < 300; i++) ASSERT_EQ(memblock_reserve(m.mb, 0x200000 + i * 2 * PAGE_SIZE, PAGE_SIZE), 0);
  bool seen = false;
  for (const std::string& l : m.log.lines)
    if (l.starts_with("memblock_phys_free: ")) {
      EXPECT_TRUE(l.ends_with(" memblock_free")) << l;
      seen = true;
    }
  EXPECT_TRUE(seen);
}

// memblock_remove(): no memblock_dbg() in the 4.15 and 4.17 trees; the 4.18
// tree has "memblock_remove: [%pa-%pa] %pS".
TEST(MemblockDialect, RemoveLineFrom418)
{
  DebugMemblock old(memblock_dialect_v4_15);
  memblock_remove(old.mb, 0x1000000, 0x1000);
  EXPECT_TRUE(old.log.lines.empty());
  DebugMemblock v418(memblock_dialect_v4_18);
  memblock_remove(v418.mb, 0x1000000, 0x1000);
  const std::vector<std::string> want{"memblock_remove: [0x0000000001000000-0x0000000001000fff] caller"};
  EXPECT_EQ(v418.log.lines, want);
}

// The nid allocators (memblock_virt_alloc_try_nid* until 4.19: from=0x%llx
// until 4.18, %pa from 4.19; memblock_alloc_try_nid* from 4.20) and the
// reserve line of the function that reserves (memblock_virt_alloc_internal,
// memblock_alloc_range_nid from 5.2).
std::vector<std::string> alloc_lines(const memblock_dialect& d)
{
  DebugMemblock m(d);
  memblock_virt_alloc_try_nid(m.mb, 4096, 0x40, 0x8000000, 0x10000000, 0);
  memblock_virt_alloc_try_nid_raw(m.mb, 4096, 0x1000, 0x1000000, 0, 1);
  memblock_virt_alloc_try_nid_nopanic(m.mb, 896, 0x40, 0, 0, 0);
  return m.log.lines;
}

TEST(MemblockDialect, AllocatorNamesAndRanges)
{
  EXPECT_EQ(alloc_lines(memblock_dialect_v4_15),
            (std::vector<std::string>{
                "memblock_virt_alloc_try_nid: 4096 bytes align=0x40 nid=0 from=0x8000000 max_addr=0x10000000 caller",
                "memblock_reserve: [0x000000000ffff000-0x000000000fffffff] memblock_virt_alloc_internal",
                "memblock_virt_alloc_try_nid_raw: 4096 bytes align=0x1000 nid=1 from=0x1000000 max_addr=0x0 caller",
                "memblock_reserve: [0x000000001ffff000-0x000000001fffffff] memblock_virt_alloc_internal",
                "memblock_virt_alloc_try_nid_nopanic: 896 bytes align=0x40 nid=0 from=0x0 max_addr=0x0 caller",
                "memblock_reserve: [0x000000000fffec80-0x000000000fffefff] memblock_virt_alloc_internal",
            }));
  EXPECT_EQ(alloc_lines(memblock_dialect_v4_19).front(),
            "memblock_virt_alloc_try_nid: 4096 bytes align=0x40 nid=0 from=0x0000000008000000 "
            "max_addr=0x0000000010000000 caller");
  const std::vector<std::string> v61{
      "memblock_alloc_try_nid: 4096 bytes align=0x40 nid=0 from=0x0000000008000000 max_addr=0x0000000010000000 caller",
      "memblock_reserve: [0x000000000ffff000-0x000000000fffffff] memblock_alloc_range_nid",
      "memblock_alloc_try_nid_raw: 4096 bytes align=0x1000 nid=1 from=0x0000000001000000 max_addr=0x0000000000000000 "
      "caller",
      "memblock_reserve: [0x000000001ffff000-0x000000001fffffff] memblock_alloc_range_nid",
      // v5.1 dropped the _nopanic variants: their callers use memblock_alloc_try_nid.
      "memblock_alloc_try_nid: 896 bytes align=0x40 nid=0 from=0x0000000000000000 max_addr=0x0000000000000000 caller",
      "memblock_reserve: [0x000000000fffec80-0x000000000fffefff] memblock_alloc_range_nid",
  };
  EXPECT_EQ(alloc_lines(memblock_dialect_v5_2), v61);
  EXPECT_EQ(alloc_lines(memblock_dialect_v6_1), v61);
}

// memblock_alloc_exact_nid_raw() (5.7 on): never from another node, where
// the try_nid allocators fall back to any node.
TEST(MemblockDialect, ExactNidDoesNotFallBack)
{
  DebugMemblock m(memblock_dialect_v6_1);
  m.mb.debug = false;
  memblock_reserve(m.mb, 0x10000000, 0xc000000);  // all of node 1 but 64 MiB
  m.mb.debug = true;
  EXPECT_EQ(memblock_alloc_exact_nid_raw(m.mb, 0x8000000, 0x200000, 0, 0, 1), 0u);
  ASSERT_EQ(m.log.lines.size(), 1u) << "nothing reserved";
  EXPECT_EQ(m.log.lines.front(),
            "memblock_alloc_exact_nid_raw: 134217728 bytes align=0x200000 nid=1 from=0x0000000000000000 "
            "max_addr=0x0000000000000000 caller");
  EXPECT_EQ(memblock_virt_alloc_try_nid_raw(m.mb, 0x8000000, 0x200000, 0, 0, 1), 0x8000000u) << "from node 0";
}

// memblock_free_early(): __memblock_free_early's "[%#016llx-%#016llx]" until
// 4.18 and "[%pa-%pa]" in 4.19; then memblock_free(): "   memblock_free"
// (5.2), "memblock_free" (5.7/5.8), "memblock_phys_free" under the pointer
// taking memblock_free() (6.1).
std::string free_early_line(const memblock_dialect& d)
{
  DebugMemblock m(d);
  const bool debug = m.mb.debug;
  m.mb.debug = false;
  memblock_reserve(m.mb, 0x13f7cde00, 0x400000);
  m.mb.debug = debug;
  memblock_free_early(m.mb, 0x13f7cde00, 0x400000);
  EXPECT_FALSE(memblock_is_region_reserved(m.mb, 0x13f7cde00, 0x400000));
  return m.log.lines.empty() ? "" : m.log.lines.back();
}

TEST(MemblockDialect, FreeEarly)
{
  EXPECT_EQ(free_early_line(memblock_dialect_v4_15), "__memblock_free_early: [0x0000013f7cde00-0x0000013fbcddff] caller");
  EXPECT_EQ(free_early_line(memblock_dialect_v4_18), "__memblock_free_early: [0x0000013f7cde00-0x0000013fbcddff] caller");
  EXPECT_EQ(free_early_line(memblock_dialect_v4_19),
            "__memblock_free_early: [0x000000013f7cde00-0x000000013fbcddff] caller");
  EXPECT_EQ(free_early_line(memblock_dialect_v5_2), "   memblock_free: [0x000000013f7cde00-0x000000013fbcddff] caller");
  EXPECT_EQ(free_early_line(memblock_dialect_v5_8), "memblock_free: [0x000000013f7cde00-0x000000013fbcddff] caller");
  EXPECT_EQ(free_early_line(memblock_dialect_v6_1),
            "memblock_phys_free: [0x000000013f7cde00-0x000000013fbcddff] memblock_free");
}

// C's "%#010llx" leaves the "0x" out for zero; fmt would not.
TEST(MemblockDialect, AlternateFormZero)
{
  EXPECT_EQ(memblock_dbg_range(0, 0x1000, false, 10), "[0000000000-0x00000fff]");
}

// memblock_phys_alloc_range() has its own line from v5.11 (b5cf2d6c8148).
TEST(MemblockDialect, PhysAllocRangeLine)
{
  DebugMemblock v58(memblock_dialect_v5_8);
  memblock_phys_alloc_range(v58.mb, 0x1000, 0x1000, 0x100000, 0x200000);
  ASSERT_EQ(v58.log.lines.size(), 1u);
  EXPECT_TRUE(v58.log.lines[0].starts_with("memblock_reserve: ")) << v58.log.lines[0];
  DebugMemblock v61(memblock_dialect_v6_1);
  memblock_phys_alloc_range(v61.mb, 0x1000, 0x1000, 0x100000, 0x200000);
  ASSERT_EQ(v61.log.lines.size(), 2u);
  EXPECT_EQ(v61.log.lines[0],
            "memblock_phys_alloc_range: 4096 bytes align=0x1000 from=0x0000000000100000 max_addr=0x0000000000200000 "
            "caller");
}

}  // namespace
}  // namespace pginit
