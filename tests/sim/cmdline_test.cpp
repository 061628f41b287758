// SPDX-License-Identifier: MIT
// The kernel command line's memory parameters, parsed as the kernel parses
// them (arch/x86/kernel/e820.c parse_memopt(), parse_memmap_opt() and
// parse_memmap_one() with memparse(); mm/memblock.c early_memblock()), and
// applied where it applies them: parse_early_param() edits e820, and
// e820__finish_early_params() prints the "user-defined physical RAM map".
#include <gtest/gtest.h>

#include "boot_test_util.h"
#include "scenario/cmdline.h"

namespace pginit::test {
namespace {

using K = MemmapParam::Kind;

KernelCmdline parsed(std::string_view text)
{
  std::string why;
  std::optional<KernelCmdline> c = parse_kernel_cmdline(text, &why);
  EXPECT_TRUE(c.has_value()) << why;
  return c.value_or(KernelCmdline{});
}

std::string refused(std::string_view text)
{
  std::string why;
  EXPECT_FALSE(parse_kernel_cmdline(text, &why).has_value()) << text;
  return why;
}

TEST(Cmdline, MemAndEveryMemmapForm)
{
  const KernelCmdline c = parsed(
      "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet mem=5G memmap=exactmap memmap=639K@0,511M@1M "
      "memmap=64M$512M memmap=2M#0x7000000 memmap=1G!4G memmap=3G memblock=debug numa=off percpu_alloc=page");
  const std::vector<MemmapParam> want{
      {K::limit, 5ull << 30, 0},           {K::exactmap, 0, 0},
      {K::ram, 639ull << 10, 0},           {K::ram, 511ull << 20, 1ull << 20},
      {K::reserved, 64ull << 20, 512ull << 20}, {K::acpi, 2ull << 20, 0x7000000},
      {K::pram, 1ull << 30, 4ull << 30},   {K::limit, 3ull << 30, 0},
  };
  EXPECT_EQ(c.memmap, want);
  EXPECT_TRUE(c.memblock_debug);
  EXPECT_TRUE(c.numa_off);
  ASSERT_TRUE(c.percpu_page.has_value());
  EXPECT_TRUE(*c.percpu_page);
}

// cmdline_parse_core(): a memparse() size in pages, or "N%".
TEST(Cmdline, KernelcoreAndMovablecore)
{
  const KernelCmdline c = parsed("kernelcore=0x40000000 movablecore=25%");
  ASSERT_TRUE(c.kernelcore.has_value());
  EXPECT_EQ(*c.kernelcore, (CoreParam{.pages = 0x40000, .percent = 0, .is_percent = false}));
  ASSERT_TRUE(c.movablecore.has_value());
  EXPECT_TRUE(c.movablecore->is_percent);
  EXPECT_EQ(c.movablecore->percent, 25u);
  EXPECT_EQ(c.movablecore->pages, 0u);  // what kernels before v4.17 make of "25%": 25 bytes
  EXPECT_EQ(parsed("movablecore=2G").movablecore->pages, 0x80000u);
}

TEST(Cmdline, RefusesWhatItCannotModelOrRead)
{
  EXPECT_EQ(refused("quiet crashkernel=256M"), "crashkernel= changes memory setup but is not modelled yet");
  EXPECT_EQ(refused("kernelcore=mirror"), "kernelcore=mirror (memory mirroring) is not modelled yet");
  EXPECT_NE(refused("movablecore=101%").find("a percentage up to 100%"), std::string::npos);
  EXPECT_NE(refused("kernelcore=lots").find("expected a size"), std::string::npos);
  EXPECT_NE(refused("movablecore=2G3").find("expected a size"), std::string::npos);
  EXPECT_NE(refused("mem=0").find("other than 0"), std::string::npos);
  EXPECT_NE(refused("mem=lots").find("expected a size"), std::string::npos);
  EXPECT_NE(refused("memmap=64M%512M").find("not modelled"), std::string::npos);
  EXPECT_NE(refused("memmap=64M&512M").find("not one of @ # $ !"), std::string::npos);
  EXPECT_NE(refused("memmap=64M$").find("expected a start address"), std::string::npos);
  EXPECT_NE(refused("memmap=99999999999999999999").find("expected a size"), std::string::npos);
  EXPECT_NE(refused("numa=fake=4").find("only numa=off"), std::string::npos);
}

std::string with_cmdline(const std::string& cmdline)
{
  return small_guest("cmdline", "v4.17", "NUMA: n, DEFERRED_STRUCT_PAGE_INIT: y") +
         "boot:\n  cmdline: \"" + cmdline + "\"\n";
}

// mem=512M: RAM above 512 MiB goes, with the kernel's own line (the end is
// ULLONG_MAX - 1: parse_memopt() removes [mem_size, ULLONG_MAX)), then the
// user-defined map; max_pfn follows.
TEST(Cmdline, MemLimitsRamAndPrintsTheUserMap)
{
  const BootedKernel b(with_cmdline("mem=512M"), 1, Stage::setup_arch);
  EXPECT_TRUE(b.logged("e820: remove [mem 0x20000000-0xfffffffffffffffe] usable"));
  EXPECT_TRUE(b.logged("user-defined physical RAM map:"));
  EXPECT_TRUE(b.logged("user: [mem 0x0000000000100000-0x000000001fffffff] usable"));
  EXPECT_EQ(b.st.max_pfn, 0x20000u);
}

// memmap=exactmap then @-ranges: the firmware map is replaced; $ reserves.
TEST(Cmdline, ExactmapReplacesTheFirmwareMap)
{
  const BootedKernel b(with_cmdline("memmap=exactmap memmap=639K@0 memmap=255M@1M memmap=16M$256M"), 1,
                       Stage::setup_arch);
  EXPECT_TRUE(b.logged("user: [mem 0x0000000000000000-0x000000000009fbff] usable"));
  EXPECT_TRUE(b.logged("user: [mem 0x0000000000100000-0x000000000fffffff] usable"));
  EXPECT_TRUE(b.logged("user: [mem 0x0000000010000000-0x0000000010ffffff] reserved"));
  EXPECT_FALSE(b.logged("user: [mem 0x0000000000100000-0x000000003fffffff] usable"));
  EXPECT_EQ(b.st.max_pfn, 0x10000u);
}

// numa=off: the SRAT is not read; one node is faked over all RAM.
TEST(Cmdline, NumaOffFakesOneNode)
{
  std::string yaml = small_guest("numa-off", "v4.17", "NUMA: y, DEFERRED_STRUCT_PAGE_INIT: y") +
                     "  nodes:\n    - { nid: 0, mem: 0x0-0x1fffffff }\n    - { nid: 1, mem: 0x20000000-0x3fffffff }\n"
                     "boot:\n  cmdline: \"numa=off\"\n";
  const BootedKernel b(yaml, 1, Stage::setup_arch);
  EXPECT_TRUE(b.logged("No NUMA configuration found"));
  EXPECT_FALSE(b.logged("ACPI: SRAT: Node 1 PXM 1 [mem 0x20000000-0x3fffffff]"));
  EXPECT_EQ(b.st.online_nodes, std::vector<int>{0});
}

}  // namespace
}  // namespace pginit::test
