// SPDX-License-Identifier: MIT
// Real machines, round trip: `pginit import dmesg` each sample log in
// tests/data/dmesg/ (copies of ../shared/data/dmesg/), `pginit run` the
// scenario it writes, and compare the zone and node accounting lines of the
// run with the log's, in order, word for word.
#include <algorithm>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include <gtest/gtest.h>

#include "run_pginit.h"

namespace pginit::test {
namespace {

std::string read_file(const std::string& path)
{
  std::ifstream f(path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The lines free_area_init_nodes() prints, with the timestamp cut off.
std::vector<std::string> accounting_lines(const std::string& log)
{
  static const std::regex line_re(
      R"(^(Zone ranges:|Movable zone start for each node|Early memory node ranges|  (DMA|DMA32|Normal|Device) .*)"
      R"(|  node +\d+: .*|Initmem setup node .*|On node \d+ totalpages: .*|  \w+ zone: \d+ pages.*)"
      R"(|Reserved but unavailable: .*|Zeroed struct page in unavailable ranges: .*)$)");
  std::vector<std::string> out;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t stamp = line.find("] ");
    if (line.rfind("[", 0) != 0 || stamp == std::string::npos) continue;
    line = line.substr(stamp + 2);
    if (std::regex_match(line, line_re)) out.push_back(line);
  }
  return out;
}

// Lines a run cannot reproduce from what the log shows, and why (docs/import.md).
struct Gap {
  std::string prefix;  // the lines it covers, in the log and in the run
  std::string why;
};
const std::map<std::string, std::vector<Gap>>& known_gaps()
{
  static const std::map<std::string, std::vector<Gap>> gaps{
      {"03-dell-r410-2node-8g-centos8-4.18.0-147-deferred",
       {{"  DMA zone: ", "EFI boot services below 16 MiB are reserved but not in e820"}}},
  };
  return gaps;
}

class RealMachine : public ::testing::TestWithParam<std::string> {};

TEST_P(RealMachine, RunReproducesTheLogsAccountingLines)
{
  const std::string log_path = GetParam();
  const std::string sample = std::filesystem::path(log_path).stem().string();
  const std::string scenario = write_temp_file(sample + ".yaml", "");

  const Ran imported = run_pginit(fmt::format("import dmesg '{}' -o '{}'", log_path, scenario));
  ASSERT_EQ(imported.status, 0) << imported.err;
  const Ran ran = run_pginit(fmt::format("run '{}'", scenario));
  ASSERT_EQ(ran.status, 0) << ran.err;  // its own expect: block holds too

  std::vector<std::string> want = accounting_lines(read_file(log_path));
  std::vector<std::string> got = accounting_lines(ran.out);
  ASSERT_GE(want.size(), 8u) << "the sample lost its accounting lines";
  // A console capture (serial or cloud console at the default loglevel) has
  // none of the KERN_DEBUG lines of free_area_init_core(); the run prints
  // them at debug level, which such a console would not show.
  const auto is_debug = [](const std::string& l) {
    return l.starts_with("On node ") || (l.starts_with("  ") && l.find(" zone: ") != std::string::npos);
  };
  if (std::none_of(want.begin(), want.end(), is_debug)) std::erase_if(got, is_debug);
  if (known_gaps().count(sample) != 0) {
    for (const Gap& gap : known_gaps().at(sample)) {
      auto covered = [&](const std::string& l) {
        return l.starts_with(gap.prefix) && (gap.prefix != "  DMA zone: " || l.ends_with(" pages reserved"));
      };
      // The gap is real: what the log and the run say there differ.
      std::vector<std::string> w, g;
      std::copy_if(want.begin(), want.end(), std::back_inserter(w), covered);
      std::copy_if(got.begin(), got.end(), std::back_inserter(g), covered);
      EXPECT_NE(w, g) << gap.why << ": now reproduced, drop the gap";
      std::erase_if(want, covered);
      std::erase_if(got, covered);
    }
  }
  EXPECT_EQ(got, want);
}

INSTANTIATE_TEST_SUITE_P(Samples, RealMachine, ::testing::ValuesIn(source_files("tests/data/dmesg", ".txt")),
                         [](const auto& param_info) { return "log_" + test_name_for(param_info.param); });

// The same log without timestamps imports to the same scenario.
TEST(ImportDmesg, TimestampsAreOptional)
{
  const std::string path = std::string(PGINIT_SOURCE_DIR) +
                           "/tests/data/dmesg/10-lkp-qemu-vm-512m-4.17.0-rc1-randconfig-kasan.txt";
  std::string bare;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t stamp = line.find("] ");
    bare += (line.rfind("[", 0) == 0 && stamp != std::string::npos ? line.substr(stamp + 2) : line) + "\n";
  }
  const std::string bare_path = write_temp_file("bare.txt", bare);
  const Ran stamped = run_pginit(fmt::format("import dmesg --name qemu '{}'", path));
  const Ran unstamped = run_pginit(fmt::format("import dmesg --name qemu '{}'", bare_path));
  ASSERT_EQ(stamped.status, 0) << stamped.err;
  ASSERT_EQ(unstamped.status, 0) << unstamped.err;
  // Everything from `kernel:` on (above it, only the file names differ).
  auto body = [](const std::string& yaml) { return yaml.substr(yaml.find("\nkernel:")); };
  EXPECT_EQ(body(stamped.out), body(unstamped.out));
  EXPECT_NE(body(stamped.out).find("Zone ranges:"), std::string::npos);
}

}  // namespace
}  // namespace pginit::test
