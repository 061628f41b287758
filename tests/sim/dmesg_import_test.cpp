// SPDX-License-Identifier: MIT
// import_dmesg(): the log lines it reads, what it infers, and its errors.
#include <gtest/gtest.h>

#include "import/dmesg_import.h"
#include "scenario/input_error.h"

namespace pginit {
namespace {

TEST(DmesgImport, StripsStampsLevelsAndSyslogPrefixes)
{
  EXPECT_EQ(dmesg_text("[    0.000000] Zone ranges:"), "Zone ranges:");
  EXPECT_EQ(dmesg_text("<6>[    1.234567] Zone ranges:\r"), "Zone ranges:");
  EXPECT_EQ(dmesg_text("Apr 17 20:14:17 lkp kernel: Zone ranges:"), "Zone ranges:");
  EXPECT_EQ(dmesg_text("Zone ranges:"), "Zone ranges:");
  EXPECT_EQ(dmesg_text("[mem 0x0-0x1] usable"), "[mem 0x0-0x1] usable");  // not a stamp
  // A serial console: the firmware's output and escapes before the kernel's first stamp.
  EXPECT_EQ(dmesg_text("Probing EDD (edd=off to disable)... ok\x1b[?7l\x1b[2J[    0.000000] Linux version 6.1.0-57-cloud-amd64 (x)"),
            "Linux version 6.1.0-57-cloud-amd64 (x)");
  EXPECT_EQ(dmesg_text("  DMA      [mem 0x0000000000001000-0x0000000000ffffff]"),
            "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]");  // no stamp anywhere
  EXPECT_EQ(dmesg_text("x [1.5] y"), "x [1.5] y");                       // not six decimals
}

TEST(DmesgImport, ReadsTheOldE820FormWithExclusiveEnds)
{
  const ImportedScenario s = import_dmesg(
      "Linux version 3.2.0-4-amd64 (debian-kernel@lists.debian.org) #1 SMP Debian 3.2.51-1\n"
      "BIOS-provided physical RAM map:\n"
      " BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)\n"
      " BIOS-e820: 000000000009fc00 - 00000000000a0000 (reserved)\n"
      " BIOS-e820: 0000000000100000 - 000000001fff0000 (usable)\n"
      " BIOS-e820: 000000001fff0000 - 0000000020000000 (ACPI data)\n",
      "old.log");
  ASSERT_EQ(s.e820.size(), 4u);
  EXPECT_EQ(s.e820[0].addr, 0u);
  EXPECT_EQ(s.e820[0].size, 0x9fc00u);
  EXPECT_EQ(s.e820[3].type, E820_TYPE_ACPI);
  EXPECT_EQ(s.e820[2].end(), 0x1fff0000u);
  // 3.2 is older than anything modelled: the oldest one, with a note.
  EXPECT_EQ(s.kernel->name, "v3.10");
  EXPECT_NE(s.notes.front().find("older than every modelled kernel"), std::string::npos);
  EXPECT_EQ(s.config.at("SMP"), "y");
}

TEST(DmesgImport, KeepsMtrrTrimsAndSkipsEveryBootEdits)
{
  const ImportedScenario s = import_dmesg(
      "Linux version 4.17.0-rc1 (kbuild@lkp) #259 Tue Apr 17 20:14:17 CST 2018\n"
      "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"
      "BIOS-e820: [mem 0x0000000000100000-0x00000000dfffffff] usable\n"
      "e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n"
      "e820: remove [mem 0x000a0000-0x000fffff] usable\n"
      "e820: update [mem 0xd8000000-0xffffffff] usable ==> reserved\n"
      "e820: update [mem 0x7a5e3018-0x7a5f3057] usable ==> reserved\n",
      "trim.log");
  ASSERT_EQ(s.mtrr_trim.size(), 1u);
  EXPECT_EQ(s.mtrr_trim[0].start, 0xd8000000u);
  EXPECT_EQ(s.mtrr_trim[0].end, 0x100000000u);
  EXPECT_EQ(s.kernel->name, "v4.17-rc");
  EXPECT_EQ(s.config.at("SMP"), "n");  // no " SMP " in the version line
  EXPECT_EQ(s.config.at("NUMA"), "n");
  // The unaligned update (an EFI table reservation) is reported, not repeated.
  bool noted = false;
  for (const std::string& n : s.notes) noted |= n.find("0x7a5e3018") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(DmesgImport, NodesComeFromSratWithTheirProximityDomains)
{
  const ImportedScenario s = import_dmesg(
      "BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
      "BIOS-e820: [mem 0x0000000000100000-0x000000022fffffff] usable\n"
      "ACPI: SRAT: Node 1 PXM 2 [mem 0x00000000-0xcfffffff]\n"
      "ACPI: SRAT: Node 1 PXM 2 [mem 0x100000000-0x12fffffff]\n"
      "SRAT: Node 0 PXM 1 [mem 0x130000000-0x22fffffff] hotplug\n"
      "setup_percpu: NR_CPUS:1024 nr_cpumask_bits:32 nr_cpu_ids:32 nr_node_ids:2\n",
      "srat.log");
  ASSERT_EQ(s.nodes.size(), 2u);
  EXPECT_EQ(s.nodes[0].nid, 0);
  EXPECT_EQ(s.nodes[0].pxm, 1);
  ASSERT_EQ(s.nodes[1].ranges.size(), 2u);
  EXPECT_EQ(s.nodes[1].ranges[1].end, 0x130000000u);
  EXPECT_EQ(s.cpus, 32u);
  EXPECT_EQ(s.config.at("NUMA"), "y");
  EXPECT_EQ(s.config.count("NODES_SHIFT"), 0u);  // NR_CPUS 1024 is not MAXSMP
}

TEST(DmesgImport, OnlyTheFirstE820TableIsTheFirmwares)
{
  const ImportedScenario s = import_dmesg(
      "BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable\n"
      "BIOS-e820: [mem 0x0000000000100000-0x000000001fffffff] usable\n"
      "e820: user-defined physical RAM map:\n"
      "BIOS-e820: [mem 0x0000000000100000-0x000000000fffffff] usable\n",
      "twice.log");
  EXPECT_EQ(s.e820.size(), 2u);
}

void expect_error(const std::string& text, int line, const std::string& field, const std::string& what)
{
  try {
    (void)import_dmesg(text, "bad.log");
    ADD_FAILURE() << "no error for: " << text;
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(DmesgImport, RefusesWhatIsNotAMachine)
{
  expect_error("", 0, "", "empty file");
  expect_error("Linux version 4.17.0\nZone ranges:\n", 0, "BIOS-e820", "no BIOS-e820 table");
  expect_error(std::string("BIOS-e820: [mem 0x0-0x9ffff] usable\nab\0cd\n", 42), 2, "", "binary data");
  expect_error("BIOS-e820: [mem 0x0000-0x9ffff usable\n", 1, "BIOS-e820", "expected '[mem START-END] TYPE'");
  expect_error("BIOS-e820: [mem 0x0-0x9ffff] warm\n", 1, "BIOS-e820", "unknown e820 type 'warm'");
  expect_error("BIOS-e820: 000z - 0009fc00 (usable)\n", 1, "BIOS-e820", "hex numbers");
  expect_error("BIOS-e820: [mem 0x9ffff-0x0] usable\n", 1, "BIOS-e820", "");
  expect_error("Linux version banana\nBIOS-e820: [mem 0x0-0x9ffff] usable\n", 1, "Linux version", "banana");
  expect_error("BIOS-e820: [mem 0x0-0x9ffff] usable\nACPI: SRAT: Node 5000 PXM 0 [mem 0x0-0x9ffff]\n", 2, "SRAT",
               "node 5000");
  // Found by fuzz_import_dmesg: numbers too long for an int used to escape as std::out_of_range.
  expect_error("BIOS-e820: [mem 0x0-0x9ffff] usable\nACPI: SRAT: Node 99999999999999999999 PXM 0 [mem 0x0-0xfff]\n", 2,
               "SRAT", "is not a number");
  expect_error("BIOS-e820: [mem 0x0-0x9ffff] usable\nACPI: SRAT: Node 1 PXM 4294967296 [mem 0x0-0xfff]\n", 2, "SRAT",
               "is not a number");
  expect_error("BIOS-e820: [mem 0x0-0x9ffff] usable\nsetup_percpu: NR_CPUS:8192 nr_cpumask_bits:9 nr_cpu_ids:99999 "
               "nr_node_ids:1\n",
               2, "setup_percpu", "is not a number up to 8192");
}

}  // namespace
}  // namespace pginit
