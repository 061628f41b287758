// SPDX-License-Identifier: MIT
// Every scenario in scenarios/ is also a test: `pginit run` must meet its
// expect: block (exit 0) and print a kernel log.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include <gtest/gtest.h>

#include "run_pginit.h"

namespace pginit::test {
namespace {

class EveryScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryScenario, RunsAndMeetsExpectations)
{
  const Ran r = run_pginit(fmt::format("run '{}'", GetParam()));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("[    0.000000] BIOS-e820: [mem "), std::string::npos) << r.out;
}

// Determinism: one worker or two, the same log, JSON report and memmap hash.
TEST_P(EveryScenario, SameRunWithOneOrTwoThreads)
{
  std::string out[2];
  std::string json[2];
  for (unsigned t : {1u, 2u}) {
    const std::string report = write_temp_file(fmt::format("threads{}.json", t), "");
    const Ran r = run_pginit(fmt::format("run --threads {} --json '{}' '{}'", t, report, GetParam()));
    ASSERT_EQ(r.status, 0) << r.err;
    out[t - 1] = r.out;
    std::ifstream f(report);
    std::ostringstream text;
    text << f.rdbuf();
    json[t - 1] = text.str();
  }
  EXPECT_EQ(out[0], out[1]);
  EXPECT_EQ(json[0], json[1]);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, EveryScenario, ::testing::ValuesIn(source_files("scenarios", ".yaml")),
                         [](const auto& param_info) { return test_name_for(param_info.param); });
// Device memory hot-added after boot (docs/scenarios.md, "Device memory").
INSTANTIATE_TEST_SUITE_P(DeviceScenarios, EveryScenario,
                         ::testing::ValuesIn(source_files("scenarios/device", ".yaml")),
                         [](const auto& param_info) { return test_name_for(param_info.param); });

// The bugs of docs/bugs.md, one run each: on the version that has the bug
// the checker must report the read its expect.violations names (and no
// other); on the version with the fix the same machine must run clean.
class EveryBugScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryBugScenario, ReportsTheReadOrRunsClean)
{
  const Ran r = run_pginit(fmt::format("run '{}'", GetParam()));
  EXPECT_EQ(r.status, 0) << r.err;
  std::ifstream f(GetParam());
  std::ostringstream text;
  text << f.rdbuf();
  const bool buggy = text.str().find("\n  violations:\n") != std::string::npos;
  // The checker's report is in the kernel log either way; expected, it does not fail the run.
  EXPECT_EQ(r.out.find("] BUG: ") != std::string::npos, buggy) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Bugs, EveryBugScenario, ::testing::ValuesIn(source_files("scenarios/bugs", ".yaml")),
                         [](const auto& param_info) { return test_name_for(param_info.param); });

// The default scenario: the log the README promises, and -v's memblock dump.
TEST(DefaultScenario, PrintsE820AndMemblock)
{
  const std::string path = std::string(PGINIT_SOURCE_DIR) + "/scenarios/default.yaml";
  Ran r = run_pginit(fmt::format("run '{}'", path));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("[    0.000000] e820: BIOS-provided physical RAM map:\n"), std::string::npos);
  EXPECT_NE(r.out.find("[    0.000000] e820: remove [mem 0x000a0000-0x000fffff] usable\n"), std::string::npos);
  EXPECT_EQ(r.out.find("MEMBLOCK configuration:"), std::string::npos);

  r = run_pginit(fmt::format("run -v '{}'", path));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("[    0.000000] MEMBLOCK configuration:\n"), std::string::npos);
  EXPECT_NE(r.out.find(" memory[0x3]\t[0x0000000140000000-0x000000023fffffff], 0x0000000100000000 bytes on node 1 flags: 0x0\n"),
            std::string::npos)
      << r.out;

  // -q prints nothing; --json still records the run.
  const std::string json = write_temp_file("out.json", "");
  r = run_pginit(fmt::format("run -q --json '{}' '{}'", json, path));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::ifstream f(json);
  std::stringstream text;
  text << f.rdbuf();
  EXPECT_NE(text.str().find("\"schema_version\": 1"), std::string::npos);
  EXPECT_NE(text.str().find("\"text\": \"e820: BIOS-provided physical RAM map:\""), std::string::npos);
}

// The default scenario with one string replaced, run: its exit status and stderr.
Ran run_default_with(const std::string& from, const std::string& to)
{
  std::ifstream f(std::string(PGINIT_SOURCE_DIR) + "/scenarios/default.yaml");
  std::stringstream buf;
  buf << f.rdbuf();
  std::string text = buf.str();
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return run_pginit(fmt::format("run -q '{}'", write_temp_file("s.yaml", text)));
}

// An expectation the run does not meet: exit 1 and the missing line named.
TEST(DefaultScenario, UnmetExpectationFails)
{
  const Ran r = run_default_with("  log:\n", "  log:\n    - \"a line no kernel prints\"\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("not in the log: a line no kernel prints"), std::string::npos) << r.err;
}

// The pinned end state: another memmap hash, or another free-list shape, fails the run.
TEST(DefaultScenario, PinnedMemmapHashAndFreeListsAreChecked)
{
  Ran r = run_default_with("memmap_hash: ", "memmap_hash: 0");
  // One more digit is a format error; replace the whole value instead.
  EXPECT_EQ(r.status, 2) << r.err;
  // The pinned hash with its first digit changed.
  std::ifstream f(std::string(PGINIT_SOURCE_DIR) + "/scenarios/default.yaml");
  std::string line;
  while (std::getline(f, line) && line.rfind("  memmap_hash: ", 0) != 0) {
  }
  ASSERT_EQ(line.size(), 31u) << "default.yaml pins a 16-digit memmap_hash";
  const char first = line[15];
  const std::string pinned = line.substr(0, 16);
  r = run_default_with(pinned, pinned.substr(0, 15) + (first == '0' ? '1' : '0'));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(fmt::format("expect.memmap_hash: the memmap hashes to {}", line.substr(15))), std::string::npos)
      << r.err;
  r = run_default_with("\"0 DMA\": [0,", "\"0 DMA\": [1,");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("expect.free_lists: 0 DMA: blocks per order are [0, "), std::string::npos) << r.err;
}

TEST(Cli, VersionAndHelp)
{
  Ran r = run_pginit("--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("pginit "), std::string::npos);
  for (const char* cmd : {"--help", "run --help", "memblock --help"}) {
    r = run_pginit(cmd);
    EXPECT_EQ(r.status, 0) << cmd;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd << ": " << r.out;
  }
}

}  // namespace
}  // namespace pginit::test
