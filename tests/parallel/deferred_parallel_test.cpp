// SPDX-License-Identifier: MIT
// The parallel part of the boot (page_alloc_init_late), run on the serial
// executor (the oracle) and on two workers: the memmap, the free lists, the
// log and the JSON report must come out byte for byte the same, and the
// proof must hold in both. The machines are chosen so that the parallel
// split really differs from the serial one: several nodes, padata with
// several chunks per node, and nodes sharing a MAX_ORDER block. These
// tests also run under ThreadSanitizer (the tsan preset), which checks that
// the workers never race.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "../sim/boot_test_util.h"
#include "report/json_report.h"

namespace pginit::test {
namespace {

// `nodes` nodes of 2 GiB from 4 GiB up (after 3 GiB below 4 GiB on node 0);
// each node boundary moved `offset` bytes into the next node's first block.
std::string machine(const std::string& policy, int nodes, unsigned cpus, std::uint64_t offset = 0)
{
  const std::uint64_t high = 0x100000000;
  const std::uint64_t end = high + static_cast<std::uint64_t>(nodes) * 0x80000000;
  std::string yaml = fmt::format(R"(name: parallel-{}-{}-nodes
kernel: v4.17
policy: {}
config: {{ NUMA: y, DEFERRED_STRUCT_PAGE_INIT: y }}
machine:
  cpus: {}
  e820:
    - {{ mem: 0x0-0x9fbff, type: usable }}
    - {{ mem: 0x100000-0xbfffffff, type: usable }}
    - {{ mem: {:#x}-{:#x}, type: usable }}
  nodes:
)",
                                 policy, nodes, policy, cpus, high, end - 1);
  for (int n = 0; n < nodes; n++) {
    const std::uint64_t start = n == 0 ? 0 : high + static_cast<std::uint64_t>(n) * 0x80000000 + offset;
    const std::uint64_t stop = n + 1 == nodes ? end : high + static_cast<std::uint64_t>(n + 1) * 0x80000000 + offset;
    yaml += fmt::format("    - {{ nid: {}, mem: {:#x}-{:#x} }}\n", n, start, stop - 1);
  }
  return yaml;
}

struct Outcome {
  bool holds = false;
  std::uint64_t hash = 0;
  std::vector<std::string> log;
  std::string json;
  std::uint64_t max_chunks_per_node = 0;
};

std::string slurp(const std::string& path)
{
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Outcome boot_with(unsigned threads, const std::string& yaml)
{
  const BootedKernel b(yaml, threads);
  Outcome o;
  o.holds = b.r.proof && b.proof.failures.empty();
  o.hash = b.proof.memmap_hash;
  for (const LogLine& l : b.log.lines()) o.log.push_back(fmt::format("{} {}", l.time_ns, l.text));
  // One file per process and thread count: ctest -j runs other cases of this
  // binary at the same time, in the same TempDir().
  const std::string path = ::testing::TempDir() + fmt::format("parallel-{}-{}.json", getpid(), threads);
  std::string why;
  EXPECT_TRUE(write_json_report(b.r, path, &why)) << why;
  o.json = slurp(path);
  std::remove(path.c_str());
  for (const DeferredNodeRun& d : b.r.record().deferred_runs()) o.max_chunks_per_node = std::max(o.max_chunks_per_node, d.chunks);
  return o;
}

void expect_same(const std::string& yaml, std::uint64_t min_chunks_per_node)
{
  const Outcome serial = boot_with(1, yaml);
  const Outcome two = boot_with(2, yaml);
  EXPECT_TRUE(serial.holds);
  EXPECT_TRUE(two.holds);
  EXPECT_GE(serial.max_chunks_per_node, min_chunks_per_node) << "the split this test is about did not happen";
  EXPECT_EQ(serial.hash, two.hash);
  EXPECT_EQ(serial.log, two.log);
  EXPECT_EQ(serial.json, two.json);
}

struct Case {
  const char* policy;
  std::uint64_t min_chunks_per_node;  // padata: several chunks per node
};

class DeferredInParallel : public ::testing::TestWithParam<Case> {};

TEST_P(DeferredInParallel, TwoNodes) { expect_same(machine(GetParam().policy, 2, 8), GetParam().min_chunks_per_node); }

TEST_P(DeferredInParallel, FourNodes) { expect_same(machine(GetParam().policy, 4, 16), GetParam().min_chunks_per_node); }

// Each node starts 1 MiB into a MAX_ORDER block of the node before it:
// their frees would read each other's struct pages, so those nodes run one
// after the other.
TEST_P(DeferredInParallel, NodesSharingABuddyBlock)
{
  expect_same(machine(GetParam().policy, 3, 6, 0x100000), GetParam().min_chunks_per_node);
}

INSTANTIATE_TEST_SUITE_P(Policies, DeferredInParallel,
                         ::testing::Values(Case{"v4.17", 1}, Case{"v5.2", 1}, Case{"padata", 4}),
                         [](const auto& param_info) {
                           std::string n = param_info.param.policy;
                           for (char& c : n)
                             if (c == '.') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace pginit::test
