// SPDX-License-Identifier: MIT
// sparse_init()'s memblock allocations per kernel version (mm/sparse.c,
// mm/sparse-vmemmap.c, arch/x86/mm/init_64.c vmemmap_populate()), seen in
// their memblock=debug lines; for v6.1 checked line for line against the
// real Debian 6.1 logs of tests/data/oracle.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "boot_test_util.h"
#include "import/dmesg_import.h"
#include "import/scenario_writer.h"

namespace pginit::test {
namespace {

std::string read(const std::filesystem::path& path)
{
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A caller as pginit prints it: the kernel's "%pS" is "sym+off/len" (and
// GCC's clone suffixes: ".constprop.0", ".isra.0", ".part.0"); pginit has no
// System.map, so only the symbol's name is compared.
std::string caller_name_only(const std::string& line)
{
  static const std::regex off(R"(\+0x[0-9a-f]+/0x[0-9a-f]+$)");
  static const std::regex clone(R"((\.(constprop|isra|part|cold)\.[0-9]+)+$)");
  return std::regex_replace(std::regex_replace(line, off, ""), clone, "");
}

// sparse_init()'s lines: from its first allocation (the mem_section root
// table, whose caller is sparse_init) up to "Zone ranges:".
std::vector<std::string> sparse_lines(const std::vector<std::string>& log)
{
  std::vector<std::string> out;
  bool in = false;
  for (const std::string& raw : log) {
    const std::string l = caller_name_only(raw);
    if (l == "Zone ranges:") break;
    if (!in && l.starts_with("memblock_alloc_try_nid: ") && l.ends_with(" sparse_init")) in = true;
    if (in) out.push_back(l);
  }
  return out;
}

std::vector<std::string> kernel_log(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.emplace_back(dmesg_text(line));
  return out;
}

std::vector<std::string> pginit_log(const RunResult& r)
{
  std::vector<std::string> out;
  for (const LogLine& l : r.log().lines()) out.push_back(l.text);
  return out;
}

RunResult boot_debug(const std::string& yaml)
{
  RunConfig cfg = resolve(parse_scenario(yaml, "test.yaml"));
  cfg.threads = 1;
  cfg.memblock_debug = true;
  return boot(cfg, Stage::setup_arch);
}

// Every real 6.1 log: sparse_init()'s memblock lines (names, sizes, aligns,
// nids, from/max_addr and the reserved ranges) as the kernel printed them.
TEST(SparseInit, V61MatchesEveryOracleLog)
{
  const std::filesystem::path dir = std::filesystem::path(PGINIT_SOURCE_DIR) / "tests/data/oracle";
  unsigned logs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".log") continue;
    logs++;
    const std::string text = read(entry.path());
    const std::string name = entry.path().stem().string();
    const ImportedScenario s = import_dmesg(text, entry.path().filename().string());
    const std::vector<std::string> want = sparse_lines(kernel_log(text));
    ASSERT_FALSE(want.empty()) << name;
    const RunResult r = boot_debug(scenario_yaml(s, name));
    EXPECT_EQ(sparse_lines(pginit_log(r)), want) << name;
  }
  EXPECT_EQ(logs, 32u);
}

// QEMU's pc machine with 4 GiB in two nodes (tests/data/oracle/pc-2node-4g.log)
// under `kernel`.
std::string pc_2node_4g(const std::string& kernel)
{
  return qemu_pc_4g(kernel, "    - { nid: 0, mem: [0x0-0x9ffff, 0x100000-0x7fffffff] }\n"
                            "    - { nid: 1, mem: [0x80000000-0xbfffffff, 0x100000000-0x13fffffff] }\n");
}

// The whole boot log up to the zone ranges, callers by name only.
std::vector<std::string> sparse_lines_of(const std::string& kernel)
{
  std::vector<std::string> out;
  for (const std::string& l : pginit_log(boot_debug(pc_2node_4g(kernel)))) {
    if (l == "Zone ranges:") break;
    out.push_back(caller_name_only(l));
  }
  return out;
}

bool has(const std::vector<std::string>& lines, std::string_view prefix)
{
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.starts_with(prefix); });
}

// v4.17 sparse_init(): usemap_map and map_map, NR_MEM_SECTIONS (2^19)
// pointers each, around alloc_usemap_and_memmap(), then freed map_map first
// (__memblock_free_early, "%#016llx"); no sparse_init_nid().
TEST(SparseInit, V417TemporaryArrays)
{
  const std::vector<std::string> l = sparse_lines_of("v4.17");
  std::vector<std::string> arrays;
  for (const std::string& s : l)
    if (s.starts_with("memblock_virt_alloc_try_nid: 4194304 bytes align=0x0 nid=-1 from=0x0 max_addr=0x0 sparse_init"))
      arrays.push_back(s);
  EXPECT_EQ(arrays.size(), 2u);
  EXPECT_TRUE(has(l, "__memblock_free_early: [0x0000013f")) << "the arrays go back, 0x%016llx";
  EXPECT_FALSE(std::any_of(l.begin(), l.end(), [](const std::string& s) { return s.ends_with(" sparse_init_nid"); }));
  // sparse_index_alloc(): memblock_virt_alloc_node(), align 0.
  EXPECT_TRUE(has(l, "memblock_virt_alloc_try_nid: 4096 bytes align=0x0 nid=0 from=0x0 max_addr=0x0 sparse_index_alloc"));
}

// v4.19 sparse_init_nid() (mm/sparse.c): no arrays; per node the usemaps,
// then sparse_buffer_init()'s memblock_virt_alloc_try_nid_raw() with
// PAGE_SIZE alignment, in %pa.
TEST(SparseInit, V419PerNodeBuffer)
{
  const std::vector<std::string> l = sparse_lines_of("v4.19");
  EXPECT_FALSE(has(l, "memblock_virt_alloc_try_nid: 4194304 bytes"));
  EXPECT_TRUE(has(l, "memblock_virt_alloc_try_nid_nopanic: 512 bytes align=0x0 nid=0 "));
  EXPECT_TRUE(has(l, "memblock_virt_alloc_try_nid_raw: 33554432 bytes align=0x1000 nid=0 from=0x0000000001000000 "
                     "max_addr=0x0000000000000000 sparse_init_nid"));
  EXPECT_TRUE(has(l, "memblock_virt_alloc_try_nid_raw: 33554432 bytes align=0x1000 nid=1 "));
}

// v5.8 (the 5.7.14 and 5.8.1 trees): memblock_alloc_exact_nid_raw(),
// section_map_size()-aligned; mem_section_usage adds the 8-byte subsection
// map to each section's 32 bytes of pageblock bits: 16 sections, 640 bytes.
TEST(SparseInit, V58ExactNidBufferAndSubsectionMap)
{
  const std::vector<std::string> l = sparse_lines_of("v5.8");
  EXPECT_TRUE(has(l, "memblock_alloc_try_nid: 640 bytes align=0x40 nid=0 from=0x0000000000000000 "
                     "max_addr=0x0000000000000000 sparse_init_nid"));
  EXPECT_TRUE(has(l, "memblock_alloc_exact_nid_raw: 33554432 bytes align=0x200000 nid=0 from=0x0000000001000000 "
                     "max_addr=0x0000000000000000 sparse_init_nid"));
  EXPECT_TRUE(has(l, "memblock_alloc_try_nid: 4096 bytes align=0x40 nid=0 from=0x0000000000000000 "
                     "max_addr=0x0000000000000000 sparse_index_alloc"));
}

// 6.1: the root table from sparse_init() itself (memblocks_present()), the
// usemaps with the rcu_head (56 bytes a section) in the section of the
// node's pg_data_t, as pc-2node-4g.log has them.
TEST(SparseInit, V61UsemapsInThePgdatSection)
{
  const std::vector<std::string> l = sparse_lines(pginit_log(boot_debug(pc_2node_4g("v6.1"))));
  ASSERT_FALSE(l.empty());
  EXPECT_EQ(l.front(), "memblock_alloc_try_nid: 16384 bytes align=0x40 nid=-1 from=0x0000000000000000 "
                       "max_addr=0x0000000000000000 sparse_init");
  EXPECT_TRUE(has(l, "memblock_alloc_try_nid: 896 bytes align=0x40 nid=0 from=0x0000000078000000 "
                     "max_addr=0x0000000080000000 sparse_init_nid"));
  EXPECT_TRUE(has(l, "memblock_reserve: [0x000000007ffd3c80-0x000000007ffd3fff] memblock_alloc_range_nid"));
  EXPECT_TRUE(has(l, "memblock_alloc_try_nid: 896 bytes align=0x40 nid=1 from=0x0000000138000000 "
                     "max_addr=0x0000000140000000 sparse_init_nid"));
}

}  // namespace
}  // namespace pginit::test
