// SPDX-License-Identifier: MIT
// The parallel part of the boot (page_alloc_init_late on oneTBB), run with
// one worker and with two: the memmap, the free lists and the log must come
// out byte for byte the same. These tests also run under ThreadSanitizer
// (the tsan preset), which checks that the workers never race.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <tbb/global_control.h>

#include "../sim/boot_test_util.h"

namespace pginit::test {
namespace {

// Two nodes of 4 GiB; node 1 starts `node1_offset` bytes past 4 GiB.
std::string two_nodes(const std::string& policy, std::uint64_t node1_offset = 0)
{
  return fmt::format(R"(name: two-nodes
kernel: v4.17
policy: {}
config: {{ NUMA: y, DEFERRED_STRUCT_PAGE_INIT: y }}
machine:
  cpus: 4
  e820:
    - {{ mem: 0x0-0x9fbff, type: usable }}
    - {{ mem: 0x100000-0xbfffffff, type: usable }}
    - {{ mem: 0x100000000-0x23fffffff, type: usable }}
  nodes:
    - {{ nid: 0, mem: [0x0-0xbfffffff, 0x100000000-{:#x}] }}
    - {{ nid: 1, mem: {:#x}-0x23fffffff }}
)",
                     policy, 0x140000000 + node1_offset - 1, 0x140000000 + node1_offset);
}

struct Outcome {
  std::uint64_t hash;
  std::vector<std::string> log;
  std::uint64_t free_pages;
  bool holds;
};

Outcome boot_with(unsigned threads, const std::string& yaml)
{
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const BootedKernel b(yaml);
  Outcome o{b.proof.memmap_hash, {}, b.proof.free_pages, b.proof.failures.empty()};
  for (const LogLine& l : b.log.lines()) o.log.push_back(fmt::format("{} {}", l.time_ns, l.text));
  return o;
}

class DeferredInParallel : public ::testing::TestWithParam<const char*> {};

TEST_P(DeferredInParallel, OneOrTwoWorkersBuildTheSameMemmap)
{
  const Outcome one = boot_with(1, two_nodes(GetParam()));
  const Outcome two = boot_with(2, two_nodes(GetParam()));
  EXPECT_TRUE(one.holds);
  EXPECT_TRUE(two.holds);
  EXPECT_EQ(one.hash, two.hash);
  EXPECT_EQ(one.free_pages, two.free_pages);
  EXPECT_EQ(one.log, two.log);
}

// Node 1 starts 1 MiB into a MAX_ORDER block of node 0: their frees would
// read each other's struct pages, so the nodes run one after the other.
TEST_P(DeferredInParallel, NodesSharingABuddyBlockStillAgree)
{
  const Outcome one = boot_with(1, two_nodes(GetParam(), 0x100000));
  const Outcome two = boot_with(2, two_nodes(GetParam(), 0x100000));
  EXPECT_TRUE(two.holds);
  EXPECT_EQ(one.hash, two.hash);
  EXPECT_EQ(one.log, two.log);
}

INSTANTIATE_TEST_SUITE_P(Policies, DeferredInParallel, ::testing::Values("v4.17", "v5.2", "padata"),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           for (char& c : n)
                             if (c == '.') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace pginit::test
