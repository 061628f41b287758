// SPDX-License-Identifier: MIT
// setup_arch(): the memblock state and log lines it leaves behind.
#include <algorithm>

#include <gtest/gtest.h>

#include "kernel/kernel.h"
#include "run/boot.h"
#include "boot_test_util.h"

namespace pginit {
namespace {

std::string scenario_path(const char* name) { return std::string(PGINIT_SOURCE_DIR) + "/scenarios/" + name; }

bool logged(const KernelLog& log, const std::string& text)
{
  return std::any_of(log.lines().begin(), log.lines().end(), [&](const LogLine& l) { return l.text == text; });
}

RunResult boot_to_setup_arch(const Scenario& scenario, bool memblock_debug)
{
  RunConfig cfg = resolve(scenario);
  cfg.memblock_debug = memblock_debug;
  return boot(cfg, Stage::setup_arch);
}

// A scenario booted through setup_arch() (Stage::setup_arch), with the state it leaves.
struct Booted {
  explicit Booted(const Scenario& scenario, bool memblock_debug = false)
      : r(boot_to_setup_arch(scenario, memblock_debug)), s(r.scenario()), st(r.kernel()), log(r.log())
  {
  }
  RunResult r;
  const Scenario& s;
  const Kernel& st;
  const KernelLog& log;
};

std::vector<std::pair<phys_addr_t, phys_addr_t>> ranges(const memblock_type& t)
{
  std::vector<std::pair<phys_addr_t, phys_addr_t>> out;
  for (const memblock_region& r : t.regions) out.emplace_back(r.base, r.end());
  return out;
}

// The 0day QEMU guest: memblock ends up as the kernel's own (its "node 0"
// ranges are [0x1000-0x9efff] and [0x100000-0x1ffdffff]; the trampoline
// sits at 0x99000 below the BIOS area reserved from 0x9f000).
TEST(SetupArch, QemuGuestMatchesKernel)
{
  const Booted b(load_scenario(scenario_path("qemu-512m-v4.17-rc1.yaml")));
  const Kernel& st = b.st;
  const KernelLog& log = b.log;

  using R = std::vector<std::pair<phys_addr_t, phys_addr_t>>;
  EXPECT_EQ(ranges(st.memblock.memory), (R{{0x1000, 0x9f000}, {0x100000, 0x1ffe0000}}));
  // Low memory and the kernel image, then what sparse_init() left, all
  // top-down from 0x1ffe0000: the mem_section root array (16 KiB) and its
  // one root page (4 KiB); the 4 usemaps (4 x 32 bytes) below the temporary
  // usemap_map (4 MiB, freed); the 4 sections' memmap (8 MiB, raw,
  // page-aligned) below the temporary map_map (4 MiB, freed).
  EXPECT_EQ(ranges(st.memblock.reserved),
            (R{{0x0, 0x10000},
               {0x99000, 0x100000},
               {0x1000000, 0x1000000 + b.s.boot.kernel_size},
               {0x1efda000, 0x1f7da000},
               {0x1fbdaf80, 0x1fbdb000},
               {0x1ffdb000, 0x1ffe0000}}));
  EXPECT_EQ(st.max_pfn, 0x1ffe0u);
  // v4.17's ptr_to_id() before the hashing key: "(ptrval)" right-justified to
  // 16 columns (lib/vsprintf.c).
  EXPECT_TRUE(logged(log, "Base memory trampoline at [        (ptrval)] 99000 size 24576"));
  // !NUMA: everything is node 0.
  for (const memblock_region& r : st.memblock.memory.regions) EXPECT_EQ(r.nid, 0);
}

// The default two-node machine: SRAT lines, the kernel's merge line, and
// node ids on memory split at the node boundary.
TEST(SetupArch, DefaultScenarioAssignsNodes)
{
  const Booted b(load_scenario(scenario_path("default.yaml")));
  const Kernel& st = b.st;
  const KernelLog& log = b.log;

  EXPECT_TRUE(logged(log, "ACPI: SRAT: Node 1 PXM 1 [mem 0x140000000-0x23fffffff]"));
  EXPECT_TRUE(logged(log, "NUMA: Node 0 [mem 0x00000000-0xbfffffff] + [mem 0x100000000-0x13fffffff] -> "
                          "[mem 0x00000000-0x13fffffff]"));
  const auto& mem = st.memblock.memory.regions;
  ASSERT_EQ(mem.size(), 4u);
  EXPECT_EQ(mem[2].base, 0x100000000u);
  EXPECT_EQ(mem[2].end(), 0x140000000u);
  EXPECT_EQ(mem[2].nid, 0);
  EXPECT_EQ(mem[3].nid, 1);
  EXPECT_EQ(st.memblock.current_limit, PFN_PHYS(st.max_pfn));
}

// An SRAT that misses RAM is dropped, as numa_meminfo_cover_memory() does.
TEST(SetupArch, SratNotCoveringRamFallsBackToOneNode)
{
  Scenario s = load_scenario(scenario_path("default.yaml"));
  s.machine.nodes.pop_back();  // node 1's 4 GiB now belong to no node
  const Booted b(std::move(s));
  const Kernel& st = b.st;
  const KernelLog& log = b.log;
  EXPECT_TRUE(logged(log, "NUMA: nodes only cover 4087MB of your 8183MB e820 RAM. Not used."));
  EXPECT_TRUE(logged(log, "Faking a node at [mem 0x0000000000000000-0x000000023fffffff]"));
  for (const memblock_region& r : st.memblock.memory.regions) EXPECT_EQ(r.nid, 0);
}

// memblock=debug only takes effect at parse_early_param(): the kernel image
// reservation made before it is never printed, later ones are.
TEST(SetupArch, MemblockDebugStartsAtParseEarlyParam)
{
  const Booted b(load_scenario(scenario_path("qemu-512m-v4.17-rc1.yaml")), true);
  const KernelLog& log = b.log;
  EXPECT_FALSE(logged(log, "memblock_reserve: [0x0000000001000000-0x00000000033fffff] setup_arch"));
  EXPECT_TRUE(logged(log, "memblock_reserve: [0x000000000009f000-0x00000000000fffff] reserve_bios_regions"));
  EXPECT_TRUE(logged(log, "memblock_add: [0x0000000000100000-0x000000001ffdffff] e820__memblock_setup"));
  EXPECT_TRUE(logged(log, "MEMBLOCK configuration:"));
}

}  // namespace
}  // namespace pginit

namespace pginit {
namespace {

// QEMU's pc machine with 4 GiB in two nodes under 6.1 (tests/data/oracle/pc-2node-4g.log).
// `nodes` replaces its SRAT.
std::string pc_4g_v61(const std::string& nodes) { return test::qemu_pc_4g("v6.1", nodes); }

// The node id of the reserved region holding [base, end), or -2 if none does.
int reserved_nid(const memblock& mb, phys_addr_t base, phys_addr_t end)
{
  for (const memblock_region& r : mb.reserved.regions)
    if (r.base <= base && end <= r.end()) return r.nid;
  return -2;
}

// Each node's pg_data_t (0x2b000 bytes) goes top-down in its own memory,
// below the direct map's end: node 1's lands right under the 3 page-table
// pages init_mem_mapping() took at the top of RAM, as in the real log.
TEST(SetupArch, NodeDataPlacedAsTheKernelDoes)
{
  const Booted b(parse_scenario(pc_4g_v61("    - { nid: 0, mem: [0x0-0x9ffff, 0x100000-0x7fffffff] }\n"
                                          "    - { nid: 1, mem: [0x80000000-0xbfffffff, 0x100000000-0x13fffffff] }\n"),
                                "test.yaml"));
  EXPECT_TRUE(logged(b.log, "NODE_DATA(0) allocated [mem 0x7ffd5000-0x7fffffff]"));
  EXPECT_TRUE(logged(b.log, "NODE_DATA(1) allocated [mem 0x13ffd2000-0x13fffcfff]"));
  // Reserved after numa_clear_kernel_node_hotplug(), NODE_DATA has no node
  // id (MAX_NUMNODES); the page-table pages, reserved before it, have node 1.
  const int no_node = b.st.memblock.max_numnodes;
  EXPECT_EQ(reserved_nid(b.st.memblock, 0x7ffd5000, 0x80000000), no_node);
  EXPECT_EQ(reserved_nid(b.st.memblock, 0x13ffd2000, 0x13fffd000), no_node);
  EXPECT_EQ(reserved_nid(b.st.memblock, 0x13fffd000, 0x140000000), 1);
}

// A node too small for its pg_data_t gets one from another node (top-down,
// any node) and the kernel says where it went.
TEST(SetupArch, NodeDataOffNodeIsReported)
{
  const Booted b(parse_scenario(pc_4g_v61("    - { nid: 0, mem: [0x0-0x9ffff, 0x100000-0xbffdffff, 0x100000000-0x13ffdffff] }\n"
                                          "    - { nid: 1, mem: 0x13ffe0000-0x13fffffff }\n"),
                                "test.yaml"));
  EXPECT_TRUE(logged(b.log, "NODE_DATA(0) allocated [mem 0x13ffb5000-0x13ffdffff]")) << "node 0 below the tables";
  EXPECT_TRUE(logged(b.log, "NODE_DATA(1) allocated [mem 0x13ff8a000-0x13ffb4fff]"));
  EXPECT_TRUE(logged(b.log, "    NODE_DATA(1) on node 0"));
}

// Versions whose placement is not modelled print no NODE_DATA line.
TEST(SetupArch, NodeDataOnlyWhereModelled)
{
  std::string yaml = pc_4g_v61("    - { nid: 0, mem: [0x0-0x9ffff, 0x100000-0x7fffffff] }\n"
                               "    - { nid: 1, mem: [0x80000000-0xbfffffff, 0x100000000-0x13fffffff] }\n");
  yaml.replace(yaml.find("v6.1"), 4, "v4.17");
  const Booted b(parse_scenario(yaml, "test.yaml"));
  EXPECT_FALSE(std::any_of(b.log.lines().begin(), b.log.lines().end(),
                           [](const LogLine& l) { return l.text.starts_with("NODE_DATA("); }));
}

}  // namespace
}  // namespace pginit
