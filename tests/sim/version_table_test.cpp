// SPDX-License-Identifier: MIT
// Pins the kernel version table (sim/policy/kernel_version.cpp) by what each
// row makes a boot print: the same small machine is booted under every
// modelled version and the row-dependent lines are checked.
//  - e820__memory_setup() (arch/x86/kernel/e820.c): "e820: BIOS-provided
//    physical RAM map:" until v4.17, "BIOS-provided physical RAM map:" from v4.18.
//  - zone_batchsize() (mm/page_alloc.c): the pcp batch is capped at 512 KiB of
//    pages ("LIFO batch:31") until v4.18, 1 MiB ("LIFO batch:63") from v4.19
//    (d8a759b57035). DMA32 here has ~720000 managed pages: both caps bite.
//  - e820__memblock_setup() (arch/x86/kernel/e820.c): v4.18 and v4.19 also
//    memblock_reserve() every gap between e820 entries and every !RAM entry
//    (124049decbb1, reverted for v4.20), which zero_resv_unavail() then counts.
//  - zero_resv_unavail(): after the last node's lines with its v4.15-v4.17
//    wording "Reserved but unavailable: 98 pages"; before the first node's
//    from v4.18 (e181ae0c5db9), still reserved-but-not-memory in v4.19.0; every
//    hole from v4.20 (907ec5fca3dc), so here from v5.2: "Zeroed struct page
//    in unavailable ranges: 4194 pages" (see unavailable_rule_test.cpp for
//    the counts).
//  - warn_alloc() after kernel_init_freeable() has opened gfp_allowed_mask:
//    GFP_KERNEL is 0x14000c0 in v4.15-v4.17, 0x6000c0 in v4.18-v5.0, 0xcc0
//    from v5.1 (include/linux/gfp.h ___GFP_* bits); the task is "swapper/0".
//  - %p before the hashing key (lib/vsprintf.c ptr_to_id()): "        (ptrval)"
//    until v4.17, "(____ptrval____)" from v4.18.
//  - the default init policy: v4.15/v4.16 initialize 2 GiB (plus reservations)
//    of the highest zone up front, v4.17+ one section; v5.8's pgdatinit line
//    is "node %d deferred pages initialised in %ums", before it
//    "node %d initialised, %lu pages in %ums".
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <regex>
#include <string_view>

#include <fmt/format.h>

#include "boot_test_util.h"

namespace pginit::test {
namespace {

std::string machine(std::string_view kernel) { return three_gib_with_holes(std::string(kernel)); }

struct Row {
  const char* kernel;
  bool e820_prefixed;
  unsigned dma32_batch;  // 0: the per-zone lines are pr_debug() and absent (6.1)
  bool unavail_before_nodes;
  const char* unavail_line;  // nullptr: one line per gap from memmap_init() (6.1)
  bool two_gib_up_front;
  bool padata_line;
  bool deferred = true;  // DEFERRED_STRUCT_PAGE_INIT exists (v4.2, and RHEL 7's backport)
};

// No zero_resv_unavail before v4.15 (a4a3ede2132a).
constexpr const char* NO_LINE = "";

constexpr const char* RESERVED_98 = "Reserved but unavailable: 98 pages";
constexpr const char* HOLES_4194 = "Zeroed struct page in unavailable ranges: 4194 pages";
// v4.18/v4.19 also reserve the e820 gaps (124049decbb1): the in-section gap
// [0x40000000, 0x41000000) adds 4096 reserved-but-unavailable pages to the 98
// (the gap [0x80000000, 0x88000000) is a whole section without a memmap).
constexpr const char* RESERVED_4194 = "Reserved but unavailable: 4194 pages";

const Row ROWS[] = {
    {"v3.10", true, 31, false, NO_LINE, false, false, false},
    {"v3.10-el7", true, 31, false, NO_LINE, true, false},
    {"v3.18", true, 31, false, NO_LINE, false, false, false},
    {"v4.0", true, 31, false, NO_LINE, false, false, false},
    {"v4.2", true, 31, false, NO_LINE, true, false},
    {"v4.3", true, 31, false, NO_LINE, true, false},
    {"v4.4", true, 31, false, NO_LINE, true, false},
    {"v4.9", true, 31, false, NO_LINE, true, false},
    {"v4.14", true, 31, false, NO_LINE, true, false},
    {"v4.15", true, 31, false, RESERVED_98, true, false},
    {"v4.16", true, 31, false, RESERVED_98, true, false},
    {"v4.16.13", true, 31, false, RESERVED_98, true, false},
    {"v4.17-rc", true, 31, false, RESERVED_98, false, false},
    {"v4.17", true, 31, false, RESERVED_98, false, false},
    {"v4.18", false, 31, true, RESERVED_4194, false, false},
    // RHEL 8: 124049decbb1 reverted and 907ec5fca3dc backported: v4.20's line and count.
    {"v4.18-el8", false, 31, true, HOLES_4194, false, false},
    {"v4.19", false, 63, true, RESERVED_4194, false, false},
    {"v5.2", false, 63, true, HOLES_4194, false, false},
    {"v5.8", false, 63, true, HOLES_4194, false, true},
    {"v5.12", false, 63, false, nullptr, false, true},
    {"v6.1", false, 0, false, nullptr, false, true},
};

// Index of the first line equal to / starting with `text`, or -1.
long find_line(const KernelLog& log, std::string_view text, bool prefix = false)
{
  const auto& lines = log.lines();
  for (std::size_t i = 0; i < lines.size(); i++) {
    const std::string_view t = lines[i].text;
    if (prefix ? t.starts_with(text) : t == text) return static_cast<long>(i);
  }
  return -1;
}

// The last line starting with `prefix` (and containing `part`), or -1.
long find_last_line(const KernelLog& log, std::string_view prefix, std::string_view part = {})
{
  const auto& lines = log.lines();
  for (std::size_t i = lines.size(); i-- > 0;) {
    const std::string_view t = lines[i].text;
    if (t.starts_with(prefix) && t.find(part) != std::string_view::npos) return static_cast<long>(i);
  }
  return -1;
}

TEST(RuleVersionTable, EveryModelledVersionIsCovered)
{
  ASSERT_EQ(modelled_kernel_versions().size(), std::size(ROWS));
  for (std::size_t i = 0; i < std::size(ROWS); i++) EXPECT_EQ(modelled_kernel_versions()[i].name, ROWS[i].kernel);
}

TEST(RuleVersionTable, E820MapHeader)
{
  for (const Row& row : ROWS) {
    SCOPED_TRACE(row.kernel);
    const BootedKernel b(machine(row.kernel), 1, Stage::setup_arch);
    const long prefixed = find_line(b.log, "e820: BIOS-provided physical RAM map:");
    const long bare = find_line(b.log, "BIOS-provided physical RAM map:");
    EXPECT_EQ(prefixed >= 0, row.e820_prefixed);
    EXPECT_EQ(bare >= 0, !row.e820_prefixed);
  }
}

TEST(RuleVersionTable, ZoneBatchCap)
{
  for (const Row& row : ROWS) {
    SCOPED_TRACE(row.kernel);
    const BootedKernel b(machine(row.kernel), 1, Stage::setup_arch);
    if (row.dma32_batch == 0) {
      // 6.1 free_area_init_core() / zone_pcp_init(): pr_debug(), not printed.
      EXPECT_LT(find_line(b.log, "  DMA32 zone: ", true), 0);
      EXPECT_LT(find_line(b.log, "On node 0 totalpages: ", true), 0);
      continue;
    }
    const long i = find_line(b.log, "  DMA32 zone: ", true);
    // zone_pcp_init()'s line; v5.12's "  DMA32 zone: N pages in unavailable ranges" may follow it.
    const long j = find_last_line(b.log, "  DMA32 zone: ", ", LIFO batch:");
    ASSERT_GE(i, 0);
    const std::string& line = b.log.lines()[static_cast<std::size_t>(j)].text;
    EXPECT_TRUE(line.ends_with(fmt::format(", LIFO batch:{}", row.dma32_batch))) << line;
    // The small DMA zone is under both caps: batch 0 everywhere.
    const long d = find_last_line(b.log, "  DMA zone: ", ", LIFO batch:");
    ASSERT_GE(d, 0);
    EXPECT_TRUE(b.log.lines()[static_cast<std::size_t>(d)].text.ends_with(", LIFO batch:0"));
  }
}

TEST(RuleVersionTable, ZeroResvUnavailPlaceAndWording)
{
  for (const Row& row : ROWS) {
    SCOPED_TRACE(row.kernel);
    if (row.unavail_line == nullptr) continue;  // UnavailableRangesPerGap
    const BootedKernel b(machine(row.kernel), 1, Stage::setup_arch);
    if (*row.unavail_line == '\0') {
      EXPECT_LT(find_line(b.log, "Reserved but unavailable: ", true), 0);
      EXPECT_LT(find_line(b.log, "Zeroed struct page in unavailable ranges: ", true), 0);
      continue;
    }
    const long unavail = find_line(b.log, row.unavail_line);
    ASSERT_GE(unavail, 0);
    // Exactly one zero_resv_unavail line, in this version's wording.
    const char* other = std::string_view(row.unavail_line).starts_with("Reserved")
                            ? "Zeroed struct page in unavailable ranges: "
                            : "Reserved but unavailable: ";
    EXPECT_LT(find_line(b.log, other, true), 0);
    const long ranges = find_line(b.log, "Early memory node ranges");
    const long initmem = find_line(b.log, "Initmem setup node 0 ", true);
    const long last_zone = find_last_line(b.log, "  DMA32 zone: ");
    ASSERT_GE(ranges, 0);
    ASSERT_GE(initmem, 0);
    ASSERT_GE(last_zone, 0);
    if (row.unavail_before_nodes) {
      EXPECT_GT(unavail, ranges);
      EXPECT_LT(unavail, initmem);
    } else {
      EXPECT_GT(unavail, last_zone);
    }
  }
}

// 6.1 memmap_init() -> init_unavailable_range() (mm/page_alloc.c): after the
// last "Initmem setup" line, one line per gap with the zone of the range after
// it: pfn 0, the 0x9f-0xff hole below 1 MiB, and [0x40000, 0x41000) inside a
// present section; the missing section [0x80000, 0x88000) has no memmap and
// no line; no single-count line of the older kernels.
TEST(RuleVersionTable, UnavailableRangesPerGap)
{
  const BootedKernel b(machine("v6.1"), 1, Stage::setup_arch);
  const long initmem = find_line(b.log, "Initmem setup node 0 ", true);
  const long first = find_line(b.log, "On node 0, zone DMA: 1 pages in unavailable ranges");
  const long second = find_line(b.log, "On node 0, zone DMA: 97 pages in unavailable ranges");
  const long third = find_line(b.log, "On node 0, zone DMA32: 4096 pages in unavailable ranges");
  ASSERT_GE(initmem, 0);
  EXPECT_GT(first, initmem);
  EXPECT_EQ(second, first + 1);
  EXPECT_EQ(third, second + 1);
  EXPECT_LT(find_line(b.log, "Zeroed struct page in unavailable ranges: ", true), 0);
  EXPECT_LT(find_line(b.log, "Reserved but unavailable: ", true), 0);
  // The gap's struct pages: PageReserved, linked to DMA32 of node 0.
  const Kernel& k = b.st;
  const page& p = *k.mm.pfn_host_page(0x40000);
  EXPECT_TRUE(PageReserved(p));
  EXPECT_EQ(page_zonenum(p, k.mm.flags_layout()), 1u);
}

TEST(RuleVersionTable, DefaultInitPolicy)
{
  const std::regex pgdatinit(R"(node 0 initialised, (\d+) pages in \d+ms)");
  const std::regex padata(R"(node 0 deferred pages initialised in \d+ms)");
  std::uint64_t one_section_deferred = 0;
  std::uint64_t per_node_deferred = 0;
  std::uint64_t two_gib_deferred = 0;
  for (const Row& row : ROWS) {
    SCOPED_TRACE(row.kernel);
    const BootedKernel b(machine(row.kernel));
    ASSERT_FALSE(b.r.panic.has_value()) << *b.r.panic;
    EXPECT_TRUE(b.proof.failures.empty());
    const pglist_data& pgdat = b.st.nodes.at(0);
    if (!row.deferred) {
      // Before v4.2 memmap_init_zone() does every page, early.
      EXPECT_EQ(b.phase(0, InitPhase::deferred), 0u);
      EXPECT_FALSE(b.logged_prefix("node 0 initialised, "));
      continue;
    }
    if (row.two_gib_up_front) {
      // 2 GiB plus whatever memblock held reserved at the bottom of the node.
      EXPECT_GE(pgdat.static_init_pgcnt, 524288u);
      EXPECT_LT(pgdat.static_init_pgcnt, 524288u + 65536u);
    } else {
      EXPECT_EQ(pgdat.static_init_pgcnt, 32768u);
    }
    std::uint64_t pages = 0;
    int pgdatinit_lines = 0;
    int padata_lines = 0;
    for (const LogLine& l : b.log.lines()) {
      std::smatch m;
      if (std::regex_match(l.text, m, pgdatinit)) {
        pgdatinit_lines++;
        pages = std::stoull(m[1].str());
      }
      if (std::regex_match(l.text, padata)) padata_lines++;
    }
    EXPECT_EQ(pgdatinit_lines, row.padata_line ? 0 : 1);
    EXPECT_EQ(padata_lines, row.padata_line ? 1 : 0);
    // The pgdatinit thread's count is the deferred phase's.
    const std::uint64_t deferred = b.phase(0, InitPhase::deferred);
    EXPECT_GT(deferred, 0u);
    if (!row.padata_line) {
      EXPECT_EQ(pages, deferred);
    }
    // Early: the whole DMA zone, DMA32 up to 0x10000 (one section) or past 2 GiB.
    const std::uint64_t early = b.phase(0, InitPhase::early);
    if (row.two_gib_up_front) {
      EXPECT_GT(early, 524288u);
      if (two_gib_deferred == 0) two_gib_deferred = deferred;
      EXPECT_EQ(deferred, two_gib_deferred);
    } else if (std::string_view(row.kernel) == "v6.1" || std::string_view(row.kernel) == "v5.12") {
      // dc2da7b45ffe: defer_init() compares the zone's end, so only DMA and
      // DMA32's first section are early (plus the 4194 gap pages).
      EXPECT_LT(early, 0x10000u + 4194u);
      EXPECT_GT(deferred, 0xc0000u - 0x10000u - 0x10000u);
    } else if (std::string_view(row.kernel) == "v5.8") {
      // v5.8's memmap_init() walks memblock ranges (73a6e474cb37) and
      // defer_init() takes each range's end for the zone's: only the last
      // range, [0x88000, 0xc0000), ends at the node's end and defers, from
      // 0x90000 (one section in). The two ranges before it are initialized
      // whole, early: the regression "mm: memmap defer init doesn't work as
      // expected" (dc2da7b45ffe) fixed later.
      EXPECT_GT(early, (0x40000u - 0x100u) + (0x80000u - 0x41000u));
      EXPECT_LE(deferred, 0xc0000u - 0x90000u);
      EXPECT_GT(deferred, 0xc0000u - 0x90000u - 0x4000u);  // less the memmap and tables memblock put there
    } else {
      EXPECT_LT(early, 0x10000u);
      // v4.19 - v5.2 (mm/sparse.c sparse_buffer_init()/sparse_buffer_alloc()):
      // the node's memmap buffer is only PAGE_SIZE-aligned, the first 2 MiB
      // block is PTR_ALIGNed up and the gap below it is never freed: a few
      // pages fewer to defer than v4.17's whole-machine sparse_init().
      std::uint64_t& want =
          find_kernel_version(row.kernel)->sparse.per_node ? per_node_deferred : one_section_deferred;
      if (want == 0) want = deferred;
      EXPECT_EQ(deferred, want);
    }
  }
  EXPECT_LT(two_gib_deferred + 400000u, one_section_deferred);
  EXPECT_LT(per_node_deferred, one_section_deferred);
  EXPECT_LT(one_section_deferred - per_node_deferred, PMD_SIZE / PAGE_SIZE);
}

struct GfpRow {
  const char* kernel;
  const char* failure;   // warn_alloc()'s line for an order-10 GFP_KERNEL allocation after smp_init
  const char* trampoline;  // set_real_mode_mem()'s line; nullptr where the tree has none (v5.0 on)
};

const GfpRow GFP_ROWS[] = {
    // 3.10's warn_alloc_failed() prints the mask in hex only; 4.9's adds the flag names.
    {"v3.10", "swapper/0: page allocation failure: order:10, mode:0xd0",
     "Base memory trampoline at [ffff880000099000] 99000 size 24576"},
    {"v4.9", "swapper/0: page allocation failure: order:10, mode:0x24000c0(GFP_KERNEL)",
     "Base memory trampoline at [ffff880000099000] 99000 size 24576"},
    {"v4.15", "swapper/0: page allocation failure: order:10, mode:0x14000c0(GFP_KERNEL), nodemask=(null)",
     "Base memory trampoline at [        (ptrval)] 99000 size 24576"},
    {"v4.17", "swapper/0: page allocation failure: order:10, mode:0x14000c0(GFP_KERNEL), nodemask=(null)",
     "Base memory trampoline at [        (ptrval)] 99000 size 24576"},
    {"v4.18", "swapper/0: page allocation failure: order:10, mode:0x6000c0(GFP_KERNEL), nodemask=(null)",
     "Base memory trampoline at [(____ptrval____)] 99000 size 24576"},
    {"v4.19", "swapper/0: page allocation failure: order:10, mode:0x6000c0(GFP_KERNEL), nodemask=(null)",
     "Base memory trampoline at [(____ptrval____)] 99000 size 24576"},
    {"v5.2", "swapper/0: page allocation failure: order:10, mode:0xcc0(GFP_KERNEL), nodemask=(null)", nullptr},
    {"v5.8", "swapper/0: page allocation failure: order:10, mode:0xcc0(GFP_KERNEL), nodemask=(null)", nullptr},
    {"v6.1", "swapper/0: page allocation failure: order:10, mode:0xcc0(GFP_KERNEL), nodemask=(null)", nullptr},
};

// 2000 order-10 blocks (8 GiB) after smp_init on the 3 GiB machine: the
// allocator runs dry, and warn_alloc() says so in the version's numbers.
TEST(RuleVersionTable, AllocationFailureModeAndPtrval)
{
  for (const GfpRow& row : GFP_ROWS) {
    const BootedKernel b(three_gib_with_holes(row.kernel) +
                         "boot:\n  allocations: [ { at: smp_init, order: 10, count: 2000 } ]\n");
    EXPECT_TRUE(b.logged(row.failure)) << row.kernel;
    // warn_alloc() -> dump_stack() -> dump_stack_print_info(), and show_mem()
    // (mm/page_alloc.c, lib/dump_stack.c): in kernel_init(), PID 1.
    const std::string release = std::string(find_kernel_version(row.kernel)->release);
    EXPECT_TRUE(b.logged(fmt::format("CPU: 0 PID: 1 Comm: swapper/0 Not tainted {}{} #1", release,
                                     std::count(release.begin(), release.end(), '.') == 1 ? ".0" : "")))
        << row.kernel;
    EXPECT_TRUE(b.logged(" warn_alloc")) << row.kernel;
    EXPECT_TRUE(b.logged("Mem-Info:")) << row.kernel;
    if (row.trampoline != nullptr) EXPECT_TRUE(b.logged(row.trampoline)) << row.kernel;
    else EXPECT_FALSE(b.logged_prefix("Base memory trampoline at ")) << row.kernel;
  }
}

}  // namespace
}  // namespace pginit::test
