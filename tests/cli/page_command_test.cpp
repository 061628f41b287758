// SPDX-License-Identifier: MIT
// pginit page: a pfn's struct page through the boot, in the version's
// dump_page() format (mm/debug.c; ../shared/docs/later-bugs.md §1).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "run_pginit.h"

namespace pginit::test {
namespace {

Ran page(const std::string& scenario, const std::string& args)
{
  return run_pginit(fmt::format("page '{}/scenarios/{}' {}", PGINIT_SOURCE_DIR, scenario, args));
}

// The text after `heading`, up to the next snapshot heading.
std::string section_after(const std::string& out, const std::string& heading)
{
  const std::size_t at = out.find(heading);
  if (at == std::string::npos) return "";
  const std::size_t next = out.find("\n  ", out.find('\n', at) + 1);
  std::size_t end = next;
  while (end != std::string::npos && out.compare(end + 3, 1, " ") == 0) end = out.find("\n  ", end + 1);
  return out.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

// The seed bug's pfn: poisoned when trap_init() reads it, initialized by
// mm_init's reserve_bootmem_region() afterwards.
TEST(PageCommand, SeedBugPageThroughTheBoot)
{
  const Ran r = page("percpu-km-deferred-v4.17-rc.yaml", "0x1040d");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string read = section_after(r.out, "when per_cpu_ptr_to_phys(&per_cpu(gdt_page, 0)) reads it:");
  ASSERT_FALSE(read.empty()) << r.out;
  EXPECT_NE(read.find("poisoned struct page recurses through PF_POISONED_CHECK"), std::string::npos) << read;
  EXPECT_NE(read.find("raw: ffffffffffffffff ffffffffffffffff ffffffffffffffff ffffffffffffffff"), std::string::npos);
  EXPECT_NE(read.find("pginit: not initialized by any phase yet"), std::string::npos) << read;
  const std::string after = section_after(r.out, "after mm_init (free_all_bootmem):");
  EXPECT_NE(after.find(" count:1 mapcount:0 mapping:0000000000000000 index:0x0"), std::string::npos) << after;
  EXPECT_NE(after.find("(reserved)"), std::string::npos) << after;
  EXPECT_NE(after.find("pginit: initialized by the mm_init phase"), std::string::npos) << after;
}

// v4.18's poison check (fc36def997cf): the short form, then the hex dump.
TEST(PageCommand, V4_18SaysUninitializedAndPoisoned)
{
  const Ran r = page("percpu-km-deferred-v4.17-rc.yaml", "--kernel v4.18 --set SMP=n 0x1040d");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string before = section_after(r.out, "before memmap_init (as sparse_init() left it):");
  EXPECT_NE(before.find(" is uninitialized and poisoned\n"), std::string::npos) << before;
  EXPECT_NE(before.find("raw: ffffffffffffffff"), std::string::npos) << before;
}

// 6.1: "pfn:" on the first line, %pGp with the value and node=/zone=, and
// no hex dump of a poisoned page (be7c701fd42c).
TEST(PageCommand, V6_1Format)
{
  const Ran r = page("default.yaml", "--kernel v6.1 0x1000");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string end = section_after(r.out, "at the end (after page_alloc_init_late):");
  EXPECT_NE(end.find(" pfn:0x1000\n"), std::string::npos) << end;
  EXPECT_NE(end.find("node=0|zone=1)"), std::string::npos) << end;
  const std::string before = section_after(r.out, "before memmap_init (as sparse_init() left it):");
  EXPECT_NE(before.find(" is uninitialized and poisoned\n"), std::string::npos) << before;
  EXPECT_EQ(before.find("raw: "), std::string::npos) << before;
}

TEST(PageCommand, BadPfnIsAnError)
{
  const Ran r = page("default.yaml", "banana");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("PFN: 'banana' is not a pfn"), std::string::npos) << r.err;
  const Ran none = page("default.yaml", "0x7fffffffff");
  EXPECT_EQ(none.status, 0) << none.err;
  EXPECT_NE(none.out.find("no struct page: the pfn's section has no memmap"), std::string::npos) << none.out;
}

}  // namespace
}  // namespace pginit::test
