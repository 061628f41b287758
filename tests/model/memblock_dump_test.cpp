// SPDX-License-Identifier: MIT
// __memblock_dump_all: the memblock=debug dump, byte for byte.
#include "memblock_test_util.h"

namespace pginit {
namespace {

TEST(MemblockDump, KernelFormat)
{
  RecordingPrintk log;
  memblock mb(64, log);
  memblock_add_node(mb, 0x1000, 0x9e000, 0);
  memblock_add(mb, 0x100000, 0x1fee0000);
  __memblock_dump_all(mb);
  const std::vector<std::string> want{
      "MEMBLOCK configuration:",
      " memory size = 0x000000001ff7e000 reserved size = 0x0000000000000000",
      " memory.cnt  = 0x2",
      " memory[0x0]\t[0x0000000000001000-0x000000000009efff], 0x000000000009e000 bytes on node 0 flags: 0x0",
      " memory[0x1]\t[0x0000000000100000-0x000000001ffdffff], 0x000000001fee0000 bytes flags: 0x0",
      " reserved.cnt  = 0x1",
      // The static array's dummy entry is zero-filled: nid 0, printed "on node 0".
      " reserved[0x0]\t[0x0000000000000000-0xffffffffffffffff], 0x0000000000000000 bytes on node 0 flags: 0x0",
  };
  EXPECT_EQ(log.lines, want);
}

TEST(MemblockDump, DebugLinesNameTheCaller)
{
  RecordingPrintk log;
  CallStack stack;
  memblock mb(64, log, &stack);
  mb.debug = true;
  KernelFrame f(stack, "setup_arch");
  memblock_reserve(mb, 0x1000000, 0x2000000);
  memblock_free(mb, 0x1000000, 0x1000);
  const std::vector<std::string> want{
      "memblock_reserve: [0x0000000001000000-0x0000000002ffffff] setup_arch",
      "   memblock_free: [0x0000000001000000-0x0000000001000fff] setup_arch",
  };
  EXPECT_EQ(log.lines, want);
  // memblock_debug off: silence.
  mb.debug = false;
  memblock_reserve(mb, 0x1000000, 0x1000);
  EXPECT_EQ(log.lines.size(), 2u);
}

}  // namespace
}  // namespace pginit
