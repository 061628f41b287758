// SPDX-License-Identifier: MIT
// e820__update_table and the range editors of arch/x86/kernel/e820.c.
#include <gtest/gtest.h>

#include "arch/x86/kernel/e820.h"

namespace pginit {
namespace {

e820_table table_of(std::vector<e820_entry> entries)
{
  e820_table t;
  t.entries = std::move(entries);
  return t;
}

TEST(E820UpdateTable, SortsAndMergesSameType)
{
  e820_table t = table_of({{0x100000, 0x100000, E820_TYPE_RAM}, {0x0, 0x9fc00, E820_TYPE_RAM},
                           {0x200000, 0x100000, E820_TYPE_RAM}});
  ASSERT_EQ(e820__update_table(t), 0);
  const std::vector<e820_entry> want{{0x0, 0x9fc00, E820_TYPE_RAM}, {0x100000, 0x200000, E820_TYPE_RAM}};
  EXPECT_EQ(t.entries, want);
}

//  usable   1111111111111111
//  reserved       22
//  Expect   111111221111111: the higher type wins the overlap.
TEST(E820UpdateTable, HigherTypeWinsOverlap)
{
  e820_table t = table_of({{0x0, 0x10000, E820_TYPE_RAM}, {0x8000, 0x1000, E820_TYPE_RESERVED}});
  ASSERT_EQ(e820__update_table(t), 0);
  const std::vector<e820_entry> want{{0x0, 0x8000, E820_TYPE_RAM},
                                     {0x8000, 0x1000, E820_TYPE_RESERVED},
                                     {0x9000, 0x7000, E820_TYPE_RAM}};
  EXPECT_EQ(t.entries, want);
}

// ACPI NVS (4) over ACPI data (3) over reserved (2), and empty entries vanish.
TEST(E820UpdateTable, TypePriorityAndEmptyEntries)
{
  e820_table t = table_of({{0x1000, 0x3000, E820_TYPE_RESERVED}, {0x2000, 0x3000, E820_TYPE_ACPI},
                           {0x3000, 0x1000, E820_TYPE_NVS}, {0x9000, 0, E820_TYPE_RAM}});
  ASSERT_EQ(e820__update_table(t), 0);
  const std::vector<e820_entry> want{{0x1000, 0x1000, E820_TYPE_RESERVED},
                                     {0x2000, 0x1000, E820_TYPE_ACPI},
                                     {0x3000, 0x1000, E820_TYPE_NVS},
                                     {0x4000, 0x1000, E820_TYPE_ACPI}};
  EXPECT_EQ(t.entries, want);
}

// Fewer than two entries, or one that wraps: the kernel leaves the table alone.
TEST(E820UpdateTable, RefusesDegenerateTables)
{
  e820_table one = table_of({{0x0, 0x1000, E820_TYPE_RAM}});
  EXPECT_EQ(e820__update_table(one), -1);
  e820_table wrap = table_of({{0x0, 0x1000, E820_TYPE_RAM}, {~u64{0} - 0xff, 0x1000, E820_TYPE_RAM}});
  EXPECT_EQ(e820__update_table(wrap), -1);
  EXPECT_EQ(wrap.entries.size(), 2u);
}

// trim_bios_range(): the first page becomes reserved, 640K-1M leaves RAM,
// with the kernel's KERN_DEBUG lines.
TEST(E820RangeEdit, TrimBiosRangeLines)
{
  RecordingPrintk log;
  e820_table t = table_of({{0x0, 0x9fc00, E820_TYPE_RAM}, {0x9fc00, 0x400, E820_TYPE_RESERVED},
                           {0xf0000, 0x10000, E820_TYPE_RESERVED}, {0x100000, 0x1fee0000, E820_TYPE_RAM}});
  EXPECT_EQ(e820__range_update(t, 0, PAGE_SIZE, E820_TYPE_RAM, E820_TYPE_RESERVED, log), 0x1000u);
  EXPECT_EQ(e820__range_remove(t, BIOS_BEGIN, BIOS_END - BIOS_BEGIN, E820_TYPE_RAM, true, log), 0u);
  e820__update_table(t);
  const std::vector<std::string> lines{"e820: update [mem 0x00000000-0x00000fff] usable ==> reserved",
                                       "e820: remove [mem 0x000a0000-0x000fffff] usable"};
  EXPECT_EQ(log.lines, lines);
  const std::vector<e820_entry> want{{0x0, 0x1000, E820_TYPE_RESERVED},
                                     {0x1000, 0x9ec00, E820_TYPE_RAM},
                                     {0x9fc00, 0x400, E820_TYPE_RESERVED},
                                     {0xf0000, 0x10000, E820_TYPE_RESERVED},
                                     {0x100000, 0x1fee0000, E820_TYPE_RAM}};
  EXPECT_EQ(t.entries, want);
}

// A removal inside an entry splits it in two.
TEST(E820RangeEdit, RemoveFromMiddleSplits)
{
  RecordingPrintk log;
  e820_table t = table_of({{0x0, 0x10000, E820_TYPE_RAM}, {0x10000, 0x1000, E820_TYPE_RESERVED}});
  EXPECT_EQ(e820__range_remove(t, 0x4000, 0x2000, E820_TYPE_RAM, true, log), 0x2000u);
  e820__update_table(t);
  const std::vector<e820_entry> want{{0x0, 0x4000, E820_TYPE_RAM},
                                     {0x6000, 0xa000, E820_TYPE_RAM},
                                     {0x10000, 0x1000, E820_TYPE_RESERVED}};
  EXPECT_EQ(t.entries, want);
}

TEST(E820, TypeNamesRoundTrip)
{
  for (e820_type t : {E820_TYPE_RAM, E820_TYPE_RESERVED, E820_TYPE_ACPI, E820_TYPE_NVS, E820_TYPE_UNUSABLE,
                      E820_TYPE_PMEM, E820_TYPE_PRAM, e820_type{9}})
    EXPECT_EQ(e820_type_from_name(e820_type_name(t)), t) << e820_type_name(t);
  EXPECT_EQ(e820_type_name(E820_TYPE_PMEM), "persistent (type 7)");
  EXPECT_FALSE(e820_type_from_name("usable ").has_value());
  EXPECT_FALSE(e820_type_from_name("type x").has_value());
}

TEST(E820, EndOfRamPfn)
{
  e820_table t = table_of({{0x0, 0x9fc00, E820_TYPE_RAM}, {0x100000, 0xbff00000, E820_TYPE_RAM},
                           {0xc0000000, 0x40000000, E820_TYPE_RESERVED}, {0x100000000, 0x40000000, E820_TYPE_RAM}});
  EXPECT_EQ(e820__end_of_ram_pfn(t), 0x140000u);
  EXPECT_EQ(e820__end_of_low_ram_pfn(t), 0xc0000u);
}

}  // namespace
}  // namespace pginit

namespace pginit {
namespace {

// e820__memblock_setup() (arch/x86/kernel/e820.c): RAM goes to
// memblock.memory; in v4.18 and v4.19 (124049decbb1, reverted for v4.20)
// every gap between entries and every !RAM entry also goes to
// memblock.reserved; before and after, they are left out.
//   e820:     [RAM 0-0x9fbff] [res 0x9fc00-0x9ffff] gap [res 0xf0000-0xfffff] [RAM 1M-256M] gap [ACPI 0x1fff0000-...]
TEST(E820MemblockSetup, V418ReservesGapsAndNonRam)
{
  const e820_table t = table_of({{0x0, 0x9fc00, E820_TYPE_RAM},
                                 {0x9fc00, 0x400, E820_TYPE_RESERVED},
                                 {0xf0000, 0x10000, E820_TYPE_RESERVED},
                                 {0x100000, 0xff00000, E820_TYPE_RAM},
                                 {0x1fff0000, 0x10000, E820_TYPE_ACPI}});
  memblock plain;
  e820__memblock_setup(t, plain);
  ASSERT_EQ(plain.memory.cnt(), 2u);
  EXPECT_EQ(plain.reserved.total_size, 0u);

  memblock v418;
  e820__memblock_setup(t, v418, true);
  ASSERT_EQ(v418.memory.cnt(), 2u);
  // [0x9fc00, 0x100000) (entry, gap, entry: merged) and [0x10000000, 0x20000000) (gap + ACPI).
  ASSERT_EQ(v418.reserved.cnt(), 2u);
  EXPECT_EQ(v418.reserved.regions[0].base, 0x9fc00u);
  EXPECT_EQ(v418.reserved.regions[0].size, 0x100000u - 0x9fc00u);
  EXPECT_EQ(v418.reserved.regions[1].base, 0x10000000u);
  EXPECT_EQ(v418.reserved.regions[1].size, 0x10000000u);
  EXPECT_EQ(v418.reserved.total_size, 0x100000u - 0x9fc00u + 0x10000000u);
}

}  // namespace
}  // namespace pginit
