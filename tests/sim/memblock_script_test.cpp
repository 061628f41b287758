// SPDX-License-Identifier: MIT
// The memblock script runner, in process.
#include <sstream>

#include <gtest/gtest.h>

#include "scenario/input_error.h"
#include "script/memblock_script.h"

namespace pginit {
namespace {

struct Ran {
  int status;
  std::string out;
  std::string err;
};

Ran run(const std::string& text, bool debug = false)
{
  std::ostringstream out;
  std::ostringstream err;
  const int status = run_memblock_script(text, "t.mb", out, err, debug);
  return {status, out.str(), err.str()};
}

TEST(MemblockScript, AllocAndDump)
{
  const Ran r = run(R"(# a 1 GiB machine with a hole
add 0x1000 0x9e000 nid=0
add 0x100000 0x3ff00000 nid=0
reserve 0x1000000 0x2000000
alloc 0x1000 0x1000                  # top-down: last page
alloc 0x200000 0x200000 max=0x1000000
alloc 0x1000 0 min=0x1000 max=0x2000
alloc 0x80000000 0x1000              # more than there is
dump
)");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "alloc: 0x000000003ffff000\n"
            "alloc: 0x0000000000e00000\n"
            "alloc: 0x0000000000001000\n"
            "alloc: failed\n"
            "MEMBLOCK configuration:\n"
            " memory size = 0x000000003ff9e000 reserved size = 0x0000000002202000\n"
            " memory.cnt  = 0x2\n"
            " memory[0x0]\t[0x0000000000001000-0x000000000009efff], 0x000000000009e000 bytes on node 0 flags: 0x0\n"
            " memory[0x1]\t[0x0000000000100000-0x000000003fffffff], 0x000000003ff00000 bytes on node 0 flags: 0x0\n"
            " reserved.cnt  = 0x3\n"
            " reserved[0x0]\t[0x0000000000001000-0x0000000000001fff], 0x0000000000001000 bytes flags: 0x0\n"
            " reserved[0x1]\t[0x0000000000e00000-0x0000000002ffffff], 0x0000000002200000 bytes flags: 0x0\n"
            " reserved[0x2]\t[0x000000003ffff000-0x000000003fffffff], 0x0000000000001000 bytes flags: 0x0\n");
}

TEST(MemblockScript, BottomUpAndRemove)
{
  const Ran r = run("add 0x100000 0x100000\nbottom_up on\nalloc 0x1000 0x1000\nremove 0x100000 0x80000\n"
                    "alloc 0x1000 0x1000\nbottom_up off\nalloc 0x1000 0x1000\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "alloc: 0x0000000000100000\nalloc: 0x0000000000180000\nalloc: 0x00000000001ff000\n");
}

// Overflowing the static array before allow_resize: the kernel's -ENOMEM.
TEST(MemblockScript, OverflowBeforeAllowResizeFails)
{
  std::string text = "add 0x0 0x40000000\n";
  for (int i = 0; i < 129; i++) text += "reserve " + std::to_string(0x100000 + i * 0x2000) + " 0x1000\n";
  const Ran r = run(text);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("t.mb:130: reserve: memblock refused the operation (-ENOMEM)"), std::string::npos) << r.err;
}

// With allow_resize, the same script doubles the array, which shows in the dump.
TEST(MemblockScript, AllowResizeDoublesArray)
{
  std::string text = "add 0x0 0x40000000\nallow_resize\n";
  for (int i = 0; i < 129; i++) text += "reserve " + std::to_string(0x100000 + i * 0x2000) + " 0x1000\n";
  text += "dump\n";
  const Ran r = run(text, true);
  EXPECT_EQ(r.status, 0) << r.err;
  // v4.17's mm/memblock.c: "[%#010llx-%#010llx]".
  EXPECT_NE(r.out.find("memblock: reserved is doubled to 256 at [0x3fffe000-0x3fffffff]"), std::string::npos);
  EXPECT_NE(r.out.find(" reserved.cnt  = 0x82\n"), std::string::npos);  // 129 + the array
  EXPECT_NE(r.out.find("[0x000000003fffe000-0x000000003fffffff], 0x0000000000002000 bytes"), std::string::npos);
}

TEST(MemblockScript, MalformedLineThrowsWithLine)
{
  try {
    run("add 0x1000 0x1000\nalloc 0x1000 3\n");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.field(), "alloc");
  }
}

}  // namespace
}  // namespace pginit
