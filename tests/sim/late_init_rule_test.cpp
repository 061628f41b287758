// SPDX-License-Identifier: MIT
// Pins the late_init rules (sim/policy/late_init.h): how page_alloc_init_late()
// cuts a node's deferred work (deferred_init_memmap(), mm/page_alloc.c) and
// what the node's thread prints.
//  - padata_chunks(): padata_do_multithreaded() of kernel/padata.c (v5.8,
//    e44431498f5f) for one job: nworks = min(max(size / PAGES_PER_SECTION, 1),
//    max_threads); chunk = roundup(max(size / (nworks * 4), PAGES_PER_SECTION),
//    PAGES_PER_SECTION); each chunk ends at roundup(start + 1, chunk), an
//    absolute multiple of the chunk size, or at the job's end.
//  - late_init::padata.chunks(): v5.8's deferred_init_memmap() makes one job
//    per free range, [spfn, ALIGN(epfn, section)), the next one starting at
//    max(next range's start, that end) in the first range ending beyond it.
//  - per_node / per_node_max_order: one pgdatinit thread for the whole node.
//  - the lines: "node %d initialised, %lu pages in %ums" (v4.17, v5.2) and
//    "node %d deferred pages initialised in %ums" (v5.8).
// Expected chunk lists are worked out by hand (S = PAGES_PER_SECTION = 0x8000).
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <vector>

#include "policy/late_init.h"

namespace pginit {

// For EXPECT_EQ on vectors of spans (static: found by ADL, local to this file).
static bool operator==(const PfnSpan& a, const PfnSpan& b) { return a.start == b.start && a.end == b.end; }
static void PrintTo(const PfnSpan& s, std::ostream* os)
{
  *os << "[" << std::hex << "0x" << s.start << ", 0x" << s.end << ")";
}

namespace test {
namespace {

constexpr pfn_t S = 0x8000;

// [start, end) in consecutive pieces of `chunk` pages, for expectations
// whose start is already a multiple of the chunk: a plain count, not the
// rounding rule under test.
std::vector<PfnSpan> equal_pieces(pfn_t start, pfn_t end, pfn_t chunk)
{
  EXPECT_EQ(start % chunk, 0u) << "equal_pieces() is for chunk-aligned starts";
  EXPECT_EQ((end - start) % chunk, 0u);
  std::vector<PfnSpan> out;
  for (pfn_t s = start; s < end; s += chunk) out.push_back(PfnSpan{s, s + chunk});
  return out;
}

// 8 sections over 2 threads: nworks 2, chunk = 8S / (2 * 4) = S: 8 chunks.
// (With a load balance factor of 2 the chunk would be 2S: 4 chunks.)
TEST(RuleLateInit, PadataEightSectionsTwoThreads)
{
  const std::vector<PfnSpan> want{{0, S},         {S, 2 * S},     {2 * S, 3 * S}, {3 * S, 4 * S},
                                  {4 * S, 5 * S}, {5 * S, 6 * S}, {6 * S, 7 * S}, {7 * S, 8 * S}};
  EXPECT_EQ(padata_chunks(0, 8 * S, 2), want);
}

// 64 sections over 4 threads: chunk = 64S / 16 = 4S: 16 chunks of 4 sections.
TEST(RuleLateInit, PadataSixtyFourSectionsFourThreads)
{
  const std::vector<PfnSpan> got = padata_chunks(0x100000, 0x100000 + 64 * S, 4);
  ASSERT_EQ(got.size(), 16u);
  EXPECT_EQ(got, equal_pieces(0x100000, 0x100000 + 64 * S, 4 * S));
  EXPECT_EQ(got.front(), (PfnSpan{0x100000, 0x120000}));
}

// One thread: nworks 1, chunk = 8S / 4 = 2S: 4 chunks.
TEST(RuleLateInit, PadataOneThreadStillCutsIntoFour)
{
  const std::vector<PfnSpan> want{{0, 2 * S}, {2 * S, 4 * S}, {4 * S, 6 * S}, {6 * S, 8 * S}};
  EXPECT_EQ(padata_chunks(0, 8 * S, 1), want);
}

// 3 sections, 8 threads: nworks = min(3, 8) = 3, chunk = max(3S / 12, S) = S.
TEST(RuleLateInit, PadataNeverMoreWorksThanSections)
{
  const std::vector<PfnSpan> want{{3 * S, 4 * S}, {4 * S, 5 * S}, {5 * S, 6 * S}};
  EXPECT_EQ(padata_chunks(3 * S, 6 * S, 8), want);
}

// Less than a section: nworks = max(0, 1) = 1, chunk = S: one chunk.
TEST(RuleLateInit, PadataSmallJobIsOneChunk)
{
  EXPECT_EQ(padata_chunks(0x10100, 0x10100 + 1000, 4), (std::vector<PfnSpan>{{0x10100, 0x10100 + 1000}}));
}

// An unaligned start: [0x8064, 0x58000), 327580 pages, 2 threads.
// nworks = min(9, 2) = 2; 327580 / 8 = 40947, rounded up to a section: 2S.
// Cuts at multiples of 2S = 0x10000: the first chunk is short.
TEST(RuleLateInit, PadataUnalignedStartCutsAtAbsoluteMultiples)
{
  const std::vector<PfnSpan> want{{0x8064, 0x10000},  {0x10000, 0x20000}, {0x20000, 0x30000},
                                  {0x30000, 0x40000}, {0x40000, 0x50000}, {0x50000, 0x58000}};
  EXPECT_EQ(padata_chunks(0x8064, 0x58000, 2), want);
}

// 16 sections over 2 threads: nworks 2, chunk = 16S / 8 = 2S (factor 4);
// a factor of 2 would give 4S.
TEST(RuleLateInit, PadataLoadBalanceFactorIsFour)
{
  EXPECT_EQ(PADATA_LOAD_BALANCE_FACTOR, 4u);
  const std::vector<PfnSpan> got = padata_chunks(0, 16 * S, 2);
  ASSERT_EQ(got.size(), 8u);
  EXPECT_EQ(got, equal_pieces(0, 16 * S, 2 * S));
}

// A chunk size that is a multiple of a section but not a power of two:
// 12 sections, 1 thread: chunk = 12S / 4 = 3S, cut at 3S, 6S, 9S.
// (pginit cut with a power-of-two mask until this test found it.)
TEST(RuleLateInit, PadataChunkThatIsNotAPowerOfTwo)
{
  const std::vector<PfnSpan> want{{0, 3 * S}, {3 * S, 6 * S}, {6 * S, 9 * S}, {9 * S, 12 * S}};
  EXPECT_EQ(padata_chunks(0, 12 * S, 1), want);
}

// v5.8's jobs over free spans [0x10100, 0x12345), [0x12500, 0x1ff00),
// [0x20100, 0x3e000), 2 threads:
//  job 1: [0x10100, ALIGN(0x12345) = 0x18000): less than a section, one chunk.
//  next:  the first span ending beyond 0x18000 is the second: [0x18000, 0x1ff00).
//  job 2: [0x18000, 0x20000): one section, one chunk.
//  next:  the third span: [max(0x20100, 0x20000), 0x3e000).
//  job 3: [0x20100, 0x40000): 130816 pages, nworks = min(3, 2) = 2,
//         chunk = max(130816 / 8, S) = S: cut at 0x28000, 0x30000, 0x38000.
TEST(RuleLateInit, PadataOneJobPerFreeRangeRoundedUpToASection)
{
  const std::vector<PfnSpan> spans{{0x10100, 0x12345}, {0x12500, 0x1ff00}, {0x20100, 0x3e000}};
  const std::vector<PfnSpan> want{{0x10100, 0x18000}, {0x18000, 0x20000}, {0x20100, 0x28000},
                                  {0x28000, 0x30000}, {0x30000, 0x38000}, {0x38000, 0x40000}};
  EXPECT_EQ(late_init::padata.chunks(spans, 2), want);
}

// A range that ends exactly on a section: the next job starts at the next range.
TEST(RuleLateInit, PadataJobsSkipRangesTheLastJobCovered)
{
  const std::vector<PfnSpan> spans{{0x10000, 0x18000}, {0x18000 + 5, 0x18000 + 50}, {0x30007, 0x30100}};
  // job 1: [0x10000, 0x18000); job 2: [0x18005, 0x20000); job 3: [0x30007, 0x38000).
  const std::vector<PfnSpan> want{{0x10000, 0x18000}, {0x18005, 0x20000}, {0x30007, 0x38000}};
  EXPECT_EQ(late_init::padata.chunks(spans, 8), want);
}

// The node's threads bound each job's works: one range of 16 sections is
// 16 chunks of S over 4 threads (16S / 16), 4 chunks of 4S over 1 (16S / 4).
TEST(RuleLateInit, PadataJobsAreSplitOverTheNodesThreads)
{
  const std::vector<PfnSpan> spans{{0x100000, 0x100000 + 16 * S}};
  EXPECT_EQ(late_init::padata.chunks(spans, 4), equal_pieces(0x100000, 0x100000 + 16 * S, S));
  EXPECT_EQ(late_init::padata.chunks(spans, 1), equal_pieces(0x100000, 0x100000 + 16 * S, 4 * S));
}

TEST(RuleLateInit, PerNodeIsOneChunkForTheWholeNode)
{
  const std::vector<PfnSpan> spans{{0x10100, 0x12345}, {0x12500, 0x1ff00}, {0x20100, 0x3e000}};
  const std::vector<PfnSpan> whole{{0x10100, 0x3e000}};
  EXPECT_EQ(late_init::per_node.chunks(spans, 1), whole);
  EXPECT_EQ(late_init::per_node.chunks(spans, 16), whole);
  EXPECT_EQ(late_init::per_node_max_order.chunks(spans, 16), whole);
}

TEST(RuleLateInit, NodeThreads)
{
  for (unsigned cpus : {0u, 1u, 7u, 64u}) {
    EXPECT_EQ(late_init::per_node.node_threads(cpus), 1u) << cpus;
    EXPECT_EQ(late_init::per_node_max_order.node_threads(cpus), 1u) << cpus;
  }
  EXPECT_EQ(late_init::padata.node_threads(0), 1u);
  EXPECT_EQ(late_init::padata.node_threads(1), 1u);
  EXPECT_EQ(late_init::padata.node_threads(7), 7u);
  EXPECT_EQ(late_init::padata.node_threads(64), 64u);
  EXPECT_TRUE(late_init::per_node.runs);
  EXPECT_TRUE(late_init::per_node_max_order.runs);
  EXPECT_TRUE(late_init::padata.runs);
  EXPECT_FALSE(late_init::none.runs);
}

TEST(RuleLateInit, DoneLines)
{
  EXPECT_EQ(late_init::per_node.done_line(0, 192376, 3), "node 0 initialised, 192376 pages in 3ms");
  EXPECT_EQ(late_init::per_node_max_order.done_line(1, 5, 0), "node 1 initialised, 5 pages in 0ms");
  EXPECT_EQ(late_init::padata.done_line(2, 192376, 12), "node 2 deferred pages initialised in 12ms");
}

}  // namespace
}  // namespace test
}  // namespace pginit
