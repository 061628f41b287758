// SPDX-License-Identifier: MIT
// pginit predict: bad inputs get one line and exit 2; a prediction comes
// from the model the runs use, so it agrees with what `pginit run` times.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "run_pginit.h"

namespace pginit::test {
namespace {

// Two 4 GiB nodes under v5.8 (padata), 8 CPUs: small enough to boot in a test.
const char* kSmall =
    "name: small-padata\n"
    "kernel: v5.8\n"
    "config: { NUMA: y, SPARSEMEM_VMEMMAP: y, DEFERRED_STRUCT_PAGE_INIT: y }\n"
    "machine:\n"
    "  cpus: 8\n"
    "  e820:\n"
    "    - { mem: 0x0-0x9fbff, type: usable }\n"
    "    - { mem: 0x100000-0xbfffffff, type: usable }\n"
    "    - { mem: 0x100000000-0x23fffffff, type: usable }\n"
    "  nodes:\n"
    "    - { nid: 0, mem: 0x0-0x13fffffff }\n"
    "    - { nid: 1, mem: 0x140000000-0x23fffffff }\n";

std::string read(const std::string& path)
{
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void expect_one_line_error(const std::string& args, const std::string& err)
{
  const std::string path = write_temp_file("small.yaml", kSmall);
  const Ran r = run_pginit(fmt::format("predict {} '{}'", args, path));
  EXPECT_EQ(r.status, 2) << args;
  EXPECT_EQ(r.err, err) << args;
  EXPECT_EQ(r.out, "") << args;
}

TEST(PredictBadInput, EmptyThreadList)
{
  expect_one_line_error("--threads ''", "--threads: empty thread list (e.g. --threads 1,2,4)\n");
  expect_one_line_error("--threads ,", "--threads: empty thread list (e.g. --threads 1,2,4)\n");
}

TEST(PredictBadInput, ZeroThreads)
{
  expect_one_line_error("--threads 0", "--threads: 0 threads: must be 1 .. 8192\n");
  expect_one_line_error("--threads 4,0", "--threads: 0 threads: must be 1 .. 8192\n");
}

TEST(PredictBadInput, NotAThreadCount)
{
  expect_one_line_error("--threads 1,,2", "--threads: '' is not a thread count\n");
  expect_one_line_error("--threads four", "--threads: 'four' is not a thread count\n");
}

TEST(PredictBadInput, UnknownKernel)
{
  const std::string path = write_temp_file("small.yaml", kSmall);
  const Ran r = run_pginit(fmt::format("predict --kernel v5.8 --kernel v9.9 '{}'", path));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("--kernel: v9.9: unknown kernel version (modelled: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// The JSON points are per kernel, thread count and node.
TEST(Predict, WritesPointsAndPlot)
{
  const std::string path = write_temp_file("small.yaml", kSmall);
  const std::string json = write_temp_file("p.json", "");
  const std::string svg = write_temp_file("p.svg", "");
  const Ran r = run_pginit(fmt::format("predict --threads 1,4 --kernel v5.2 --kernel v5.8 --json '{}' --svg '{}' '{}'",
                                       json, svg, path));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto doc = nlohmann::json::parse(read(json));
  ASSERT_EQ(doc["points"].size(), 2u * 2u * 2u);  // kernels x threads x nodes
  EXPECT_EQ(doc["points"][0]["kernel"], "v5.2");
  EXPECT_EQ(doc["points"][0]["threads"], 1);
  EXPECT_EQ(doc["points"][0]["node"], 0);
  // v5.2 has one thread per node whatever is asked; padata with 4 is faster than with 1.
  EXPECT_EQ(doc["points"][0]["ms"], doc["points"][2]["ms"]);
  EXPECT_LT(doc["points"][6]["ms"].get<double>(), doc["points"][4]["ms"].get<double>());
  EXPECT_NE(read(svg).find("<polyline"), std::string::npos);
  EXPECT_NE(r.out.find("(one thread per node)"), std::string::npos) << r.out;
}

// Same output for the same input: nothing depends on the host.
TEST(Predict, Deterministic)
{
  const std::string path = write_temp_file("small.yaml", kSmall);
  const Ran a = run_pginit(fmt::format("predict '{}'", path));
  const Ran b = run_pginit(fmt::format("predict '{}'", path));
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
}

// The prediction counts pages from the memory map instead of booting; the
// boot's own deferred time (run --json) must agree within 3% per node, and
// its page counts within 2% (what memblock reserves besides the memmap).
TEST(Predict, AgreesWithTheBoot)
{
  const std::string path = write_temp_file("small.yaml", kSmall);
  const std::string run_json = write_temp_file("run.json", "");
  const std::string pred_json = write_temp_file("pred.json", "");
  ASSERT_EQ(run_pginit(fmt::format("run -q --json '{}' '{}'", run_json, path)).status, 0);
  ASSERT_EQ(run_pginit(fmt::format("predict --threads 4 --json '{}' '{}'", pred_json, path)).status, 0);
  const auto ran = nlohmann::json::parse(read(run_json))["deferred"];
  const auto predicted = nlohmann::json::parse(read(pred_json))["points"];
  ASSERT_EQ(ran.size(), 2u);
  ASSERT_EQ(predicted.size(), 2u);
  for (std::size_t n = 0; n < 2; n++) {
    const double run_ms = ran[n]["ns"].get<double>() / 1e6;
    const double pred_ms = predicted[n]["ms"].get<double>();
    EXPECT_NEAR(pred_ms, run_ms, run_ms * 0.03) << "node " << n;
    const double run_pages = ran[n]["pages_initialized"].get<double>();
    EXPECT_NEAR(predicted[n]["pages"].get<double>(), run_pages, run_pages * 0.02) << "node " << n;
  }
}

// Every scenario can be predicted, including machines too large to boot here.
class PredictEveryScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(PredictEveryScenario, Works)
{
  const Ran r = run_pginit(fmt::format("predict --threads 1,8 '{}'", GetParam()));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("slowest ms"), std::string::npos) << r.out;
}

std::vector<std::string> every_scenario()
{
  std::vector<std::string> all;
  for (const char* dir : {"scenarios", "scenarios/large", "scenarios/perf"})
    for (const std::string& f : source_files(dir, ".yaml")) all.push_back(f);
  return all;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, PredictEveryScenario, ::testing::ValuesIn(every_scenario()),
                         [](const auto& param_info) { return test_name_for(param_info.param); });

}  // namespace
}  // namespace pginit::test
