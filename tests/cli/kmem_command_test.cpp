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

// Classic SPARSEMEM: the mem_section table decodes to each section's memmap
// (MEM_MAP = CODED + pfn * 64), and says why drgn cannot walk it.
TEST(KmemCommand, SectionsOfClassicSparsemem)
{
  const Ran r = pginit_on("kmem", SEED, "-n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("drgn"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("classic SPARSEMEM"), std::string::npos) << r.out;
  std::vector<std::vector<std::string>> rows;
  for (const std::string& l : lines_starting(r.out, ""))
    if (std::regex_match(l, std::regex("\\d+ +[0-9a-f]{16} +[0-9a-f]{16} +[PMO]+ +0x[0-9a-f]+"))) rows.push_back(fields(l));
  ASSERT_EQ(rows.size(), 4u) << r.out;  // 512 MiB: four 128 MiB sections
  for (const auto& row : rows) {
    const std::uint64_t nr = std::stoull(row[0]);
    EXPECT_EQ(row[3], "PMO");
    EXPECT_EQ(hex(row[4].substr(2)), nr << 15);
    EXPECT_EQ(hex(row[2]), hex(row[1]) + (nr << 15) * 64) << "MEM_MAP is CODED_MEM_MAP + pfn * sizeof(struct page)";
  }
  // The seed bug's read pfn's struct page lies in section 2's memmap.
  const Ran p = pginit_on("kmem", SEED, "-p 0x1040d");
  const auto page = lines_starting(p.out, "ffff");
  ASSERT_EQ(page.size(), 1u) << p.out;
  EXPECT_EQ(hex(fields(page[0])[0]), hex(rows[2][2]) + (0x1040dull - 0x10000) * 64);
}

// SPARSEMEM_VMEMMAP: every section's MEM_MAP is vmemmap + pfn * 64.
TEST(KmemCommand, SectionsOfVmemmap)
{
  const Ran r = pginit_on("kmem", "default.yaml", "-n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("SPARSEMEM_VMEMMAP"), std::string::npos) << r.out;
  std::size_t n = 0;
  for (const std::string& l : lines_starting(r.out, ""))
    if (std::regex_match(l, std::regex("\\d+ +[0-9a-f]{16} +[0-9a-f]{16} +[PMO]+ +0x[0-9a-f]+"))) {
      const auto row = fields(l);
      EXPECT_EQ(hex(row[2]), 0xffffea0000000000ull + hex(row[4].substr(2)) * 64) << l;
      n++;
    }
  EXPECT_GT(n, 1u) << r.out;
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
