// SPDX-License-Identifier: MIT
// pginit kmem: crash's `kmem -p` (PAGE PHYSICAL MAPPING INDEX CNT FLAGS) and
// `kmem -n` (sections with their P/M/O state) at a milestone of the boot
// (../shared/docs/later-bugs.md §1). Cross-checked against `pginit page`.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "run_pginit.h"

namespace pginit::test {
namespace {

const std::string SEED = "percpu-km-deferred-v4.17-rc.yaml";

Ran pginit_on(const std::string& command, const std::string& scenario, const std::string& args)
{
  return run_pginit(fmt::format("{} '{}/scenarios/{}' {}", command, PGINIT_SOURCE_DIR, scenario, args));
}

// The lines of `out` starting with `prefix`.
std::vector<std::string> lines_starting(const std::string& out, const std::string& prefix)
{
  std::vector<std::string> found;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) found.push_back(line);
  return found;
}

std::vector<std::string> fields(const std::string& line)
{
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string f; in >> f;) out.push_back(f);
  return out;
}

std::uint64_t hex(const std::string& s) { return std::stoull(s, nullptr, 16); }

// The seed bug's read pfn: poison after the early phase (the memmap as
// sparse_init() left it), reserved and referenced after mm_init; the PAGE and
// FLAGS columns are the address and flags `pginit page` prints.
TEST(KmemCommand, PagesOfTheSeedBugThroughTheBoot)
{
  const Ran early = pginit_on("kmem", SEED, "-p 0x1040d --at early");
  ASSERT_EQ(early.status, 0) << early.err;
  ASSERT_EQ(lines_starting(early.out, "      PAGE").size(), 1u) << early.out;
  const auto row = lines_starting(early.out, "ffff");
  ASSERT_EQ(row.size(), 1u) << early.out;
  const auto e = fields(row[0]);
  ASSERT_GE(e.size(), 6u);
  EXPECT_EQ(hex(e[1]), 0x1040dull << 12) << row[0];  // PHYSICAL
  EXPECT_EQ(e[4], "-1") << row[0];                    // a poisoned _refcount
  EXPECT_EQ(e[5], "ffffffffffffffff") << row[0];

  const Ran later = pginit_on("kmem", SEED, "-p 0x1040c-0x1040e --at mm_init");
  ASSERT_EQ(later.status, 0) << later.err;
  const auto rows = lines_starting(later.out, "ffff");
  ASSERT_EQ(rows.size(), 3u) << later.out;
  const Ran page = pginit_on("page", SEED, "0x1040d");
  ASSERT_EQ(page.status, 0) << page.err;
  const std::size_t at = page.out.find("after mm_init (free_all_bootmem):");
  ASSERT_NE(at, std::string::npos) << page.out;
  std::smatch m;
  const std::string after = page.out.substr(at);
  ASSERT_TRUE(std::regex_search(after, m, std::regex("page:([0-9a-f]+) count:(\\d+).*\\n.*flags: 0x([0-9a-f]+)\\(([a-z|]*)\\)")))
      << after;
  const auto f = fields(rows[1]);
  ASSERT_EQ(f.size(), 7u) << rows[1];
  EXPECT_EQ(f[0], m[1].str());  // PAGE: pfn_to_page()
  EXPECT_EQ(f[4], m[2].str());  // CNT
  EXPECT_EQ(f[5], m[3].str());  // FLAGS, hex
  EXPECT_EQ(f[6], m[4].str());  // and the names
  // Consecutive struct pages, 64 bytes apart.
  EXPECT_EQ(hex(fields(rows[2])[0]) - hex(fields(rows[0])[0]), 2 * 64u);
}

// crash's `kmem -n` rows: NR SECTION CODED_MEM_MAP MEM_MAP STATE PFN (decimal).
const std::regex SECTION_ROW(" *\\d+ +[0-9a-f]{16} +[0-9a-f]{16} +[0-9a-f]{16} +[PMOED]+ +\\d+");

std::vector<std::vector<std::string>> section_rows(const std::string& out)
{
  std::vector<std::vector<std::string>> rows;
  for (const std::string& l : lines_starting(out, ""))
    if (std::regex_match(l, SECTION_ROW)) rows.push_back(fields(l));
  return rows;
}

// Classic SPARSEMEM: each section's own memmap, found through its
// mem_section; the mem_sections themselves 16 bytes apart in their root page.
TEST(KmemCommand, SectionsOfClassicSparsemem)
{
  const Ran r = pginit_on("kmem", SEED, "-n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("drgn"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("classic SPARSEMEM"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("NR      SECTION        CODED_MEM_MAP        MEM_MAP       STATE PFN\n"), std::string::npos)
      << r.out;
  const auto rows = section_rows(r.out);
  ASSERT_EQ(rows.size(), 4u) << r.out;  // 512 MiB: four 128 MiB sections
  for (const auto& row : rows) {
    const std::uint64_t nr = std::stoull(row[0]);
    EXPECT_EQ(row[4], "PMO");
    EXPECT_EQ(std::stoull(row[5]), nr << 15);
    EXPECT_EQ(hex(row[3]), hex(row[2]) + (nr << 15) * 64) << "MEM_MAP is CODED_MEM_MAP + pfn * sizeof(struct page)";
    EXPECT_EQ(hex(row[1]), hex(rows[0][1]) + nr * 16) << "struct mem_section is 16 bytes";
    EXPECT_GE(hex(row[1]), 0xffff880000000000ull) << "the root page is in the direct map";
  }
  // The seed bug's read pfn's struct page lies in section 2's memmap.
  const Ran p = pginit_on("kmem", SEED, "-p 0x1040d");
  const auto page = lines_starting(p.out, "ffff");
  ASSERT_EQ(page.size(), 1u) << p.out;
  EXPECT_EQ(hex(fields(page[0])[0]), hex(rows[2][3]) + (0x1040dull - 0x10000) * 64);
}

// SPARSEMEM_VMEMMAP: every section's MEM_MAP is vmemmap + pfn * 64.
TEST(KmemCommand, SectionsOfVmemmap)
{
  const Ran r = pginit_on("kmem", "default.yaml", "-n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("SPARSEMEM_VMEMMAP"), std::string::npos) << r.out;
  const auto rows = section_rows(r.out);
  for (const auto& row : rows) EXPECT_EQ(hex(row[3]), 0xffffea0000000000ull + std::stoull(row[5]) * 64);
  EXPECT_GT(rows.size(), 1u) << r.out;
}

// The STATE letters follow each version's section_mem_map flags: no ONLINE
// before v4.13, EARLY from v5.3; and in v5.12 the node id, still stored at
// bit 3, lands on TAINT_ZONE_DEVICE for nodes 2 and 3 (the 'D' crash users
// reported, fixed by "mm/sparse: set SECTION_NID_SHIFT to 6"); v6.1's nid
// sits above the flags.
TEST(KmemCommand, SectionStateFollowsTheVersionsFlags)
{
  // Five GiB: one GiB each for nodes 0 - 2, two for node 3.
  const std::string scenario =
      write_temp_file("four-nodes.yaml",
                      "name: four-nodes\nkernel: v4.17\nconfig: { NUMA: y, SPARSEMEM_VMEMMAP: y, ZONE_DEVICE: y }\n"
                      "machine:\n  cpus: 4\n  e820:\n"
                      "    - { mem: 0x0-0x9ffff, type: usable }\n"
                      "    - { mem: 0x100000-0x13fffffff, type: usable }\n"
                      "  nodes:\n"
                      "    - { nid: 0, mem: 0x0-0x3fffffff }\n"
                      "    - { nid: 1, mem: 0x40000000-0x7fffffff }\n"
                      "    - { nid: 2, mem: 0x80000000-0xbfffffff }\n"
                      "    - { nid: 3, mem: 0xc0000000-0x13fffffff }\n");
  const auto states = [&](const std::string& kernel) {
    const Ran r = run_pginit(fmt::format("kmem '{}' -n --kernel {}", scenario, kernel));
    EXPECT_EQ(r.status, 0) << r.err;
    std::vector<std::string> by_gib;  // one section of each GiB, 8 sections apart
    for (const auto& row : section_rows(r.out))
      if (std::stoull(row[0]) % 8 == 0) by_gib.push_back(row[4]);
    return by_gib;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(states("v4.4"), (V{"PM", "PM", "PM", "PM", "PM"}));
  EXPECT_EQ(states("v4.17"), (V{"PMO", "PMO", "PMO", "PMO", "PMO"}));
  EXPECT_EQ(states("v5.8"), (V{"PMOE", "PMOE", "PMOE", "PMOE", "PMOE"}));
  EXPECT_EQ(states("v5.12"), (V{"PMOE", "PMOE", "PMOED", "PMOED", "PMOED"}));
  EXPECT_EQ(states("v6.1"), (V{"PMOE", "PMOE", "PMOE", "PMOE", "PMOE"}));
}

// Pfns with no memmap are counted, not printed.
TEST(KmemCommand, PfnsWithoutMemmap)
{
  const Ran r = pginit_on("kmem", SEED, "-p 0x1ffff-0x20001");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(lines_starting(r.out, "ffff").size(), 1u) << r.out;
  EXPECT_NE(r.out.find("pginit: 2 pfn(s) of the range have no struct page"), std::string::npos) << r.out;
}

// Bad values: one line naming the option, exit 2.
TEST(KmemCommand, BadInput)
{
  for (const char* args : {"-p 5-2", "-p zz", "-p 0-0x200000", "-n --at later", ""}) {
    const Ran r = pginit_on("kmem", SEED, args);
    EXPECT_EQ(r.status, 2) << args << ": " << r.out << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
    EXPECT_EQ(r.err.rfind("pginit kmem: ", 0), 0u) << r.err;
  }
}

}  // namespace
}  // namespace pginit::test
