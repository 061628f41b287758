// SPDX-License-Identifier: MIT
// Trace-driven runs: what `import dmesg` keeps of a memblock=debug log
// (import/memblock_trace_import.h), its errors, and the replay as
// memblock.reserved before memblock_free_all() (boot/memblock_trace.h),
// checked on a real Debian 6.1 boot (tests/data/oracle/pc-2node-4g.log).
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "boot_test_util.h"
#include "import/dmesg_import.h"
#include "scenario/input_error.h"

namespace pginit::test {
namespace {

std::string read(const std::string& path)
{
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string FIXTURE = std::string(PGINIT_SOURCE_DIR) + "/tests/data/oracle/pc-2node-4g.log";

TEST(MemblockTrace, ImportKeepsTheFirstDumpAndEveryLaterCall)
{
  const ImportedScenario s = import_dmesg(read(FIXTURE), "pc-2node-4g.log");
  ASSERT_TRUE(s.memblock_trace.has_value());
  const MemblockTrace& t = *s.memblock_trace;
  // The first dump: [0, 64K), the EBDA to 1 MiB, the image and brk.
  ASSERT_EQ(t.reserved.size(), 3u);
  EXPECT_EQ(t.reserved[0].start, 0u);
  EXPECT_EQ(t.reserved[0].end, 0x10000u);
  EXPECT_EQ(t.reserved[2].start, 0x1000000u);
  EXPECT_EQ(t.reserved[2].end, 0x3811000u);
  // The trampoline's reserve is the first call after the dump; an allocation's
  // reserve carries the caller of its memblock_phys_alloc_range line.
  ASSERT_FALSE(t.calls.empty());
  EXPECT_EQ(t.calls[0].op, MemblockCall::Op::reserve);
  EXPECT_EQ(t.calls[0].range.start, 0x98000u);
  EXPECT_EQ(t.calls[0].by, "reserve_real_mode+0x50/0x89");
  EXPECT_EQ(t.calls[0].log_line, 43);
  // init_mem_mapping() probes 2 MiB at the top and gives it back.
  EXPECT_EQ(t.calls[2].op, MemblockCall::Op::reserve);
  EXPECT_EQ(t.calls[3].op, MemblockCall::Op::free);
  EXPECT_EQ(t.calls[3].range.start, 0x13fe00000u);
  EXPECT_EQ(t.calls[3].by, "init_mem_mapping+0x22e/0x30e");
  // The last call before "Memory:" is swiotlb's.
  EXPECT_EQ(t.calls.back().by, "swiotlb_init_remap+0x1a8/0x22d");
  EXPECT_EQ(t.calls.size(), 74u);
  ASSERT_TRUE(s.kernel_sections.has_value());
  EXPECT_EQ(s.kernel_sections->code, 14343u);
  EXPECT_EQ(s.kernel_sections->bss, 5436u);
  EXPECT_EQ(s.expect.back(),
            "Memory: 1333820K/4193784K available (14343K kernel code, 2327K rwdata, 8348K rodata, 2612K init, "
            "5436K bss, 174400K reserved, 0K cma-reserved)");
}

// A log without memblock=debug has no trace, and then no Memory: expectation.
TEST(MemblockTrace, NoDumpNoTrace)
{
  const ImportedScenario s = import_dmesg(
      "BIOS-e820: [mem 0x0-0x9fbff] usable\nBIOS-e820: [mem 0x100000-0x3fffffff] usable\n"
      "Memory: 1K/2K available (1K kernel code, 1K rwdata, 1K rodata, 1K init, 1K bss, 1K reserved, 0K cma-reserved)\n",
      "plain.log");
  EXPECT_FALSE(s.memblock_trace.has_value());
  EXPECT_TRUE(s.expect.empty());
}

std::string with_dump(const std::string& after)
{
  return "BIOS-e820: [mem 0x0-0x9fbff] usable\nBIOS-e820: [mem 0x100000-0x3fffffff] usable\n"
         "MEMBLOCK configuration:\n"
         " memory size = 0x3ff9f000 reserved size = 0x10000\n"
         " reserved.cnt  = 0x1\n"
         " reserved[0x0]\t[0x0000000000000000-0x000000000000ffff], 0x0000000000010000 bytes flags: 0x0\n" +
         after;
}

void expect_error(const std::string& text, int line, const std::string& what)
{
  try {
    (void)import_dmesg(text, "trace.log");
    ADD_FAILURE() << "no error for: " << text;
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_NE(std::string(e.what()).find("memblock=debug"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(MemblockTrace, WhatATraceCannotReplayIsALocatedError)
{
  expect_error(with_dump("memblock_remove: [0x0000000020000000-0x000000002fffffff] e820__memblock_setup+0x1/0x2\n"),
               7, "memblock_remove after the first MEMBLOCK configuration");
  expect_error(with_dump("memblock_add: [0x0000000020000000-0x000000002fffffff] x+0x1/0x2\n"), 7, "memblock_add");
  expect_error(with_dump("memblock_reserve: [0x20000000-banana] x\n"), 7, "not a memblock=debug line");
  expect_error(with_dump("memblock_reserve: [0x0000000000002000-0x0000000000001000] x+0x1/0x2\n"), 7,
               "not a memblock range");
  expect_error(with_dump("Memory: lots available\n"), 7, "not a 'Memory:' line");
}

// The replay on a small guest: the trace's reserved set replaces the model's
// just before memblock_free_all(): a range only the trace reserves stays
// reserved, one only the model reserved (here: everything below 1 MiB but
// the first 64K) is freed, and the Memory: line counts accordingly.
TEST(MemblockTrace, ReplayMakesTheKernelsReservedSetTheRunsOwn)
{
  const std::string yaml = small_guest("trace", "v6.1", "NUMA: n, SPARSEMEM_VMEMMAP: y") +
                           "boot:\n"
                           "  kernel_sections: { code: 1000K, rwdata: 100K, rodata: 200K, init: 300K, bss: 400K }\n"
                           "  memblock_trace:\n"
                           "    source: test.log\n"
                           "    reserved: [ 0x0-0xffff, 0x1000000-0x3ffffff ]\n"
                           "    calls:\n"
                           "      - { op: reserve, mem: 0x800000-0x8fffff, by: \"x+0x1/0x2\", log_line: 9 }\n"
                           "      - { op: reserve, mem: 0xa00000-0xa0ffff, by: \"y+0x1/0x2\", log_line: 10 }\n"
                           "      - { op: free, mem: 0xa00000-0xa0ffff, by: \"y+0x3/0x4\", log_line: 11 }\n";
  const BootedKernel b(yaml, 1, Stage::mm_init);
  ASSERT_FALSE(b.r.panic.has_value()) << *b.r.panic;
  const Kernel& k = b.st;
  // All in ZONE_DMA, which memmap_init() initializes early whatever the deferral.
  EXPECT_TRUE(PageReserved(*k.mm.pfn_host_page(0x800)));    // the trace's
  EXPECT_TRUE(PageReserved(*k.mm.pfn_host_page(0x8ff)));
  EXPECT_FALSE(PageReserved(*k.mm.pfn_host_page(0xa00)));   // reserved, then freed
  EXPECT_FALSE(PageReserved(*k.mm.pfn_host_page(0x90)));      // the model's trampoline: not in the trace
  EXPECT_TRUE(b.logged_prefix("pginit: memblock.reserved replayed from test.log (3 calls): "));
  // Reserved: 64K less page 0 (not RAM), 48 MiB of image, 1 MiB by x: 15 + 12288 + 256 pages.
  std::uint64_t present = 0;
  for (const pglist_data& p : k.nodes) present += p.node_present_pages;
  EXPECT_EQ(k.totalram_pages, present - (15 + 12288 + 256));
  bool found = false;
  for (const LogLine& l : b.log.lines())
    if (l.text.starts_with("Memory: "))
      found = l.text.find("(1000K kernel code, 100K rwdata, 200K rodata, 300K init, 400K bss, " +
                          std::to_string((15 + 12288 + 256) * 4) + "K reserved, 0K cma-reserved)") !=
              std::string::npos;
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace pginit::test
