// SPDX-License-Identifier: MIT
// Scale mode (struct pages as runs) must print what fidelity mode (64 real
// bytes per struct page) prints: the log, the per-phase table, the proof's
// counts, the violations and the JSON report, all but the memmap hash
// (scale mode has no bytes to hash) and the host bytes. Checked on every
// scenario in scenarios/ (the seed bug's among them: the same reads must be
// flagged) and on random machines up to 256 GiB.
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "run_pginit.h"

namespace pginit::test {
namespace {

struct ModeRun {
  Ran ran;
  nlohmann::json report;
};

// What may differ between the modes: the hash line and the JSON's memmap
// hash and host bytes.
std::string without_hash_line(const std::string& out)
{
  std::istringstream in(out);
  std::string line;
  std::string kept;
  while (std::getline(in, line))
    if (line.find("memmap hash:") == std::string::npos) kept += line + "\n";
  return kept;
}

void drop_host_fields(nlohmann::json& j)
{
  if (j.is_object()) {
    j.erase("memmap_hash");
    j.erase("host_bytes");
    for (auto& [key, value] : j.items()) drop_host_fields(value);
  } else if (j.is_array()) {
    for (auto& value : j) drop_host_fields(value);
  }
}

ModeRun run_in_mode(const std::string& scenario, const std::string& mode, const std::string& extra = "")
{
  const std::string json = write_temp_file(fmt::format("{}-{}.json", mode, ::getpid()), "");
  ModeRun m;
  m.ran = run_pginit(fmt::format("run --mode {} --json '{}' {} '{}'", mode, json, extra, scenario));
  std::ifstream f(json);
  if (f.peek() != std::ifstream::traits_type::eof()) m.report = nlohmann::json::parse(f);
  drop_host_fields(m.report);
  return m;
}

void expect_same_in_both_modes(const std::string& scenario, const std::string& extra = "")
{
  const ModeRun fidelity = run_in_mode(scenario, "fidelity", extra);
  const ModeRun scale = run_in_mode(scenario, "scale", extra);
  EXPECT_EQ(fidelity.ran.status, scale.ran.status) << scale.ran.err;
  EXPECT_EQ(without_hash_line(fidelity.ran.out), without_hash_line(scale.ran.out));
  EXPECT_EQ(fidelity.ran.err, scale.ran.err);
  EXPECT_EQ(fidelity.report, scale.report);
  // The comparison means something only if the runs got somewhere.
  EXPECT_NE(scale.ran.out.find("proof: holds"), std::string::npos) << scale.ran.out << scale.ran.err;
}

class ScaleModeScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(ScaleModeScenario, PrintsWhatFidelityModePrints) { expect_same_in_both_modes(GetParam()); }

// scenarios/ and the later bugs' (their readers read struct pages after boot).
std::vector<std::string> scale_mode_scenarios()
{
  std::vector<std::string> all = source_files("scenarios", ".yaml");
  for (const std::string& f : source_files("scenarios/bugs", ".yaml")) all.push_back(f);
  return all;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScaleModeScenario, ::testing::ValuesIn(scale_mode_scenarios()),
                         [](const auto& param_info) { return test_name_for(param_info.param); });

// A random machine: 1 to 4 nodes (boundaries 2 MiB-aligned, so nodes may
// share a section), a hole in high memory that leaves partial sections, a
// random kernel version, memory model, deferred init and policy.
std::string random_machine(std::mt19937_64& rng, std::uint64_t max_gib, std::uint64_t min_gib = 1)
{
  const auto pick = [&rng](std::uint64_t n) { return static_cast<std::uint64_t>(rng() % n); };
  constexpr std::uint64_t GiB = std::uint64_t{1} << 30;
  constexpr std::uint64_t MiB2 = std::uint64_t{2} << 20;
  const std::uint64_t sizes[] = {1, 2, 3, 5, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256};
  std::uint64_t gib = 1;
  do gib = sizes[pick(std::size(sizes))];
  while (gib > max_gib || gib < min_gib);
  const std::uint64_t end = gib <= 3 ? gib * GiB : (gib + 1) * GiB;  // 1 GiB PCI hole below 4 GiB
  const char* kernels[] = {"v4.2", "v4.9", "v4.14", "v4.16", "v4.17", "v4.18", "v4.19", "v5.2", "v5.8", "v6.1"};
  const char* models[] = {"SPARSEMEM_VMEMMAP: y", "SPARSEMEM_VMEMMAP: n", "SPARSEMEM: n\n  NUMA: n"};
  const char* policies[] = {"", "", "v4.17", "v5.2", "padata", "lazy"};
  const char* model = models[pick(3)];
  const bool flat = std::string(model).find("SPARSEMEM: n") != std::string::npos;
  std::string y = fmt::format("name: random\nkernel: {}\n", kernels[pick(std::size(kernels))]);
  if (const char* policy = policies[pick(std::size(policies))]; *policy != '\0') y += fmt::format("policy: {}\n", policy);
  y += fmt::format("config:\n  {}\n  DEFERRED_STRUCT_PAGE_INIT: {}\n", model, pick(4) == 0 ? "n" : "y");
  if (!flat) y += "  NUMA: y\n";
  y += fmt::format("machine:\n  cpus: {}\n  e820:\n", 1 + pick(16));
  y += "    - { mem: 0x0-0x9bfff, type: usable }\n    - { mem: 0x9c000-0xfffff, type: reserved }\n";
  const std::uint64_t low_end = std::min(end, 3 * GiB);
  y += fmt::format("    - {{ mem: 0x100000-{:#x}, type: usable }}\n", low_end - 1);
  if (end > 4 * GiB) {
    // A reserved hole of 2 MiB .. 1 GiB somewhere in high memory.
    const std::uint64_t hole = (1 + pick(512)) * MiB2;
    const std::uint64_t at = 4 * GiB + pick((end - 4 * GiB - hole) / MiB2) * MiB2;
    y += fmt::format("    - {{ mem: {:#x}-{:#x}, type: reserved }}\n", low_end, 4 * GiB - 1);
    if (at > 4 * GiB) y += fmt::format("    - {{ mem: {:#x}-{:#x}, type: usable }}\n", 4 * GiB, at - 1);
    y += fmt::format("    - {{ mem: {:#x}-{:#x}, type: reserved }}\n", at, at + hole - 1);
    if (at + hole < end) y += fmt::format("    - {{ mem: {:#x}-{:#x}, type: usable }}\n", at + hole, end - 1);
  }
  const std::uint64_t nodes = flat ? 1 : 1 + pick(std::min<std::uint64_t>(4, gib));
  if (nodes > 1) {
    y += "  nodes:\n";
    std::uint64_t start = 0;
    for (std::uint64_t n = 0; n < nodes; n++) {
      const std::uint64_t share = end / nodes;
      std::uint64_t stop = n + 1 == nodes ? end : (start + share + (pick(64) - 32) * MiB2) & ~(MiB2 - 1);
      y += fmt::format("    - {{ nid: {}, mem: {:#x}-{:#x} }}\n", n, start, stop - 1);
      start = stop;
    }
  }
  return y;
}

TEST(ScaleModeRandomMachine, PrintsWhatFidelityModePrints)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  constexpr std::uint64_t max_gib = 16;  // a sanitized fidelity boot is slow
  constexpr int machines = 6;
#else
  constexpr std::uint64_t max_gib = 64;
  constexpr int machines = 12;
#endif
  std::mt19937_64 rng(20261201);
  for (int i = 0; i <= machines; i++) {
    // The last one is the largest: 256 GiB outside the sanitizers.
    const std::string yaml = i < machines ? random_machine(rng, max_gib) : random_machine(rng, 4 * max_gib, 4 * max_gib);
    SCOPED_TRACE(yaml);
    expect_same_in_both_modes(write_temp_file(fmt::format("random-{}-{}.yaml", i, ::getpid()), yaml));
  }
}

// pginit page: the same struct page, byte for byte, in both modes: before
// init, after each phase, free buddy heads with their list links.
TEST(ScaleModePage, DumpsTheSamePages)
{
  const std::string scenario = std::string(PGINIT_SOURCE_DIR) + "/scenarios/default.yaml";
  for (const char* kernel : {"v4.17", "v5.2", "v6.1"}) {
    const std::string args = fmt::format("--kernel {} '{}' 0x0 0x9f 0x1000 0x7c00 0x10000 0x10200 0x18000 0x1fc00",
                                         kernel, scenario);
    const Ran fidelity = run_pginit("page --mode fidelity " + args);
    const Ran scale = run_pginit("page --mode scale " + args);
    ASSERT_EQ(fidelity.status, 0) << fidelity.err;
    EXPECT_EQ(fidelity.out, scale.out);
    EXPECT_NE(scale.out.find("PageBuddy order"), std::string::npos) << "a free head is among the pages: " << scale.out;
  }
}

// The seed bug's pfn (read uninitialized by trap_init()) under every
// modelled version: the same dump_page() lines in both modes.
TEST(ScaleModePage, SeedPfnUnderEveryVersion)
{
  const Ran version = run_pginit("--version");
  const std::string models = version.out.substr(version.out.find("models Linux ") + 13);
  std::istringstream list(models.substr(0, models.find(')')));
  const std::string scenario = std::string(PGINIT_SOURCE_DIR) + "/scenarios/percpu-km-deferred-v4.17-rc.yaml";
  int versions = 0;
  for (std::string v; std::getline(list, v, ',');) {
    v.erase(0, v.find_first_not_of(' '));
    const std::string args = fmt::format("--kernel {} '{}' 0x1040d", v, scenario);
    const Ran fidelity = run_pginit("page --mode fidelity " + args);
    const Ran scale = run_pginit("page --mode scale " + args);
    EXPECT_EQ(fidelity.status, scale.status) << v;
    EXPECT_EQ(fidelity.out, scale.out) << v;
    EXPECT_NE(scale.out.find("page dumped because: pginit page"), std::string::npos) << v << scale.out << scale.err;
    versions++;
  }
  EXPECT_GE(versions, 20);
}

// The interactive report is built from the same reads: byte for byte the same.
TEST(ScaleModeReport, SameHtmlReport)
{
  const std::string scenario = std::string(PGINIT_SOURCE_DIR) + "/scenarios/percpu-km-deferred-v4.17-rc.yaml";
  std::string html[2];
  int i = 0;
  for (const char* mode : {"fidelity", "scale"}) {
    const std::string out = write_temp_file(fmt::format("report-{}-{}.html", mode, ::getpid()), "");
    const Ran r = run_pginit(fmt::format("run -q --mode {} --report '{}' '{}'", mode, out, scenario));
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream f(out);
    std::ostringstream text;
    text << f.rdbuf();
    html[i++] = text.str();
  }
  EXPECT_GT(html[0].size(), 1000u);
  EXPECT_EQ(html[0], html[1]);
}

// A machine whose memmap cannot fit the host runs in scale mode by itself, and says so.
TEST(ScaleModeChoice, TooBigForTheHostRunsInScaleMode)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "64 TiB takes a minute under a sanitizer; the release suite runs it";
#endif
  const Ran r = run_pginit(fmt::format("run '{}/scenarios/large/sixteen-node-64t.yaml'", PGINIT_SOURCE_DIR));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("MiB of host memory"), std::string::npos) << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("running in scale mode instead"), std::string::npos);
  EXPECT_NE(r.out.find("proof: holds"), std::string::npos);
  const Ran asked = run_pginit(fmt::format("run --mode scale '{}/scenarios/default.yaml'", PGINIT_SOURCE_DIR));
  EXPECT_EQ(asked.out.find("running in scale mode instead"), std::string::npos) << "asked for, not picked";
}

TEST(ScaleModeChoice, UnknownModeIsAnError)
{
  const Ran r = run_pginit(fmt::format("run --mode bytes '{}/scenarios/default.yaml'", PGINIT_SOURCE_DIR));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "--mode: bytes: unknown mode (one of: fidelity, scale)\n");
}

}  // namespace
}  // namespace pginit::test
