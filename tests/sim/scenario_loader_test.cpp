// SPDX-License-Identifier: MIT
// The scenario loader on valid input; bad input is covered end to end in
// tests/cli/bad_input_test.cpp.
#include <gtest/gtest.h>

#include "scenario/input_error.h"
#include "scenario/scenario.h"

namespace pginit {
namespace {

const char* kMinimal = R"(name: tiny
kernel: v4.17
machine:
  cpus: 1
  e820:
    - { mem: 0x0-0x9fbff, type: usable }
    - { mem: 0x100000-0x1ffdffff, type: usable }
)";

TEST(ScenarioLoader, MinimalScenarioGetsDefaults)
{
  const Scenario s = parse_scenario(kMinimal, "tiny.yaml");
  EXPECT_EQ(s.name, "tiny");
  EXPECT_EQ(s.kernel->name, "v4.17");
  EXPECT_EQ(s.machine.cpus, 1u);
  ASSERT_EQ(s.machine.e820.size(), 2u);
  EXPECT_EQ(s.machine.e820[1].addr, 0x100000u);
  EXPECT_EQ(s.machine.e820[1].size, 0x1fee0000u);
  EXPECT_TRUE(s.machine.nodes.empty());
  EXPECT_EQ(s.boot.kernel_start, 0x1000000u);  // CONFIG_PHYSICAL_START
  EXPECT_EQ(s.config.at("SPARSEMEM_VMEMMAP"), "y");
  EXPECT_EQ(s.max_numnodes(), 64);
}

TEST(ScenarioLoader, ConfigAndOverrides)
{
  Scenario s = parse_scenario(std::string(kMinimal) + "config:\n  NUMA: n\n  SPARSEMEM_VMEMMAP: n\n", "t.yaml");
  EXPECT_EQ(s.config.at("SPARSEMEM_VMEMMAP"), "n");
  EXPECT_EQ(s.max_numnodes(), 1);
  apply_config_override(s, "CONFIG_SPARSEMEM_VMEMMAP=y");
  EXPECT_EQ(s.config.at("SPARSEMEM_VMEMMAP"), "y");
  EXPECT_THROW(apply_config_override(s, "NOT_A_SYMBOL=y"), InputError);
  EXPECT_THROW(apply_config_override(s, "SMP=maybe"), InputError);
  EXPECT_THROW(apply_config_override(s, "SMP"), InputError);
}

// Lowering NODES_SHIFT below the machine's node ids is caught at --set time.
TEST(ScenarioLoader, OverrideShrinkingNodesShiftIsChecked)
{
  Scenario s = parse_scenario(std::string(kMinimal) +
                                  "  nodes:\n    - { nid: 0, mem: 0x0-0xfffffff }\n"
                                  "    - { nid: 3, mem: 0x10000000-0x1fffffff }\n",
                              "n.yaml");
  try {
    apply_config_override(s, "NODES_SHIFT=1");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "machine.nodes[1].nid");
    EXPECT_EQ(e.line(), 10);
  }
}

// A !NUMA kernel on a multi-node machine is legitimate: the SRAT is ignored.
TEST(ScenarioLoader, NodesAreAcceptedWithoutNuma)
{
  Scenario s = parse_scenario(std::string(kMinimal) +
                                  "  nodes:\n    - { nid: 0, mem: 0x0-0xfffffff }\n"
                                  "    - { nid: 100, mem: 0x10000000-0x1fffffff }\n"
                                  "config:\n  NUMA: n\n",
                              "n.yaml");
  EXPECT_EQ(s.max_numnodes(), 1);
  EXPECT_EQ(s.machine.nodes[1].nid, 100);
  // Turning NUMA on with NODES_SHIFT 6 leaves node 100 out of range.
  EXPECT_THROW(apply_config_override(s, "NUMA=y"), InputError);
}

TEST(ScenarioLoader, NodesWithSeveralRanges)
{
  const Scenario s = parse_scenario(std::string(kMinimal) +
                                        "  nodes:\n"
                                        "    - { nid: 0, mem: [0x0-0xfffffff, 0x100000000-0x13fffffff] }\n"
                                        "    - { nid: 1, mem: 0x140000000-0x23fffffff }\n",
                                    "n.yaml");
  ASSERT_EQ(s.machine.nodes.size(), 2u);
  EXPECT_EQ(s.machine.nodes[0].ranges.size(), 2u);
  EXPECT_EQ(s.machine.nodes[1].ranges[0].start, 0x140000000u);
}

}  // namespace
}  // namespace pginit
