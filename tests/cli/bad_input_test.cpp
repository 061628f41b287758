// SPDX-License-Identifier: MIT
// Bad input never crashes pginit: each case below must exit 2 with one
// stderr line "FILE:LINE: FIELD: what is wrong".
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "run_pginit.h"

namespace pginit::test {
namespace {

// A valid scenario, line by line, so that cases can replace one line.
const std::vector<std::string> kGood{
    "name: t",                                               // 1
    "kernel: v4.17",                                         // 2
    "config:",                                               // 3
    "  SMP: y",                                              // 4
    "machine:",                                              // 5
    "  cpus: 2",                                             // 6
    "  e820:",                                               // 7
    "    - { mem: 0x0-0x9fbff, type: usable }",              // 8
    "    - { mem: 0x100000-0x7fffffff, type: usable }",      // 9
    "  nodes:",                                              // 10
    "    - { nid: 0, mem: 0x0-0x3fffffff }",                 // 11
    "    - { nid: 1, mem: 0x40000000-0x7fffffff }",          // 12
    "boot:",                                                 // 13
    "  kernel_image: { start: 0x1000000, size: 32M }",       // 14
};

std::string with_line(int line, const std::string& replacement)
{
  std::string text;
  for (std::size_t i = 0; i < kGood.size(); i++) text += (static_cast<int>(i) + 1 == line ? replacement : kGood[i]) + "\n";
  return text;
}

// The valid scenario with every e820 entry reserved: a machine without RAM.
std::string all_reserved()
{
  std::string text = with_line(0, "");
  for (std::size_t at; (at = text.find("type: usable")) != std::string::npos;) text.replace(at, 12, "type: reserved");
  return text;
}

// The valid scenario with machine.device_memory (line 13 on) after the nodes.
std::string with_device_memory(const std::string& entries, const std::string& kernel = "v4.17")
{
  std::string text = with_line(12, "    - { nid: 1, mem: 0x40000000-0x7fffffff }\n  device_memory:\n" + entries);
  text.replace(text.find("kernel: v4.17"), 13, "kernel: " + kernel);
  return text;
}

struct BadScenario {
  const char* name;
  std::string text;
  std::string where;  // expected "LINE: FIELD" after the file name
  const char* what;   // a phrase the message must contain
};

// Test names and failure messages show the case name, not its bytes.
void PrintTo(const BadScenario& c, std::ostream* os) { *os << c.name; }

class BadScenarioTest : public ::testing::TestWithParam<BadScenario> {};

// Runs `pginit COMMAND FILE` on @text and checks the one-line located error.
Ran expect_located_error(const char* command, const char* file_name, const std::string& text,
                         const std::string& where, const char* what)
{
  const std::string path = write_temp_file(file_name, text);
  const Ran r = run_pginit(fmt::format("{} '{}'", command, path));
  EXPECT_EQ(r.status, 2) << r.err;
  const std::string prefix = fmt::format("{}:{}: ", path, where);
  EXPECT_EQ(r.err.rfind(prefix, 0), 0u) << "stderr: " << r.err << "expected prefix: " << prefix;
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  return r;
}

TEST_P(BadScenarioTest, ExitsTwoWithLocatedMessage)
{
  const BadScenario& c = GetParam();
  const Ran r = expect_located_error("run", "bad.yaml", c.text, c.where, c.what);
  EXPECT_EQ(r.out, "") << "no log for a scenario that does not load";
}

const BadScenario kBadScenarios[] = {
    // yaml-cpp notices the unclosed flow mapping of line 8 only at line 11.
    {"YamlSyntax", with_line(8, "    - { mem: 0x0-0x9fbff, type: usable"), "11", "YAML syntax"},
    {"UnknownTopKey", with_line(1, "nmae: t"), "1: nmae", "unknown key"},
    {"UnknownE820Key", with_line(8, "    - { mem: 0x0-0x9fbff, typ: usable }"), "8: machine.e820[0].typ", "unknown key"},
    {"WrongTypeCpusList", with_line(6, "  cpus: [1, 2]"), "6: machine.cpus", "expected a single value"},
    {"NumberDoesNotParse", with_line(6, "  cpus: two"), "6: machine.cpus", "not a number"},
    {"ZeroCpus", with_line(6, "  cpus: 0"), "6: machine.cpus", "at least 1"},
    {"RangeEndBelowStart", with_line(9, "    - { mem: 0x100000-0xfffff, type: usable }"), "9: machine.e820[1].mem", "below start"},
    {"RangeBeyond2Pow52", with_line(9, "    - { mem: 0x100000-0x10000000000000, type: usable }"), "9: machine.e820[1].mem", "2^52"},
    {"UnknownE820Type", with_line(9, "    - { mem: 0x100000-0x7fffffff, type: ram }"), "9: machine.e820[1].type", "unknown type"},
    {"OverlappingNodes", with_line(12, "    - { nid: 1, mem: 0x3ff00000-0x7fffffff }"), "12: machine.nodes", "overlaps node 0"},
    {"DuplicateNid", with_line(12, "    - { nid: 0, mem: 0x40000000-0x7fffffff }"), "12: machine.nodes[1].nid", "listed twice"},
    {"NidBeyondMaxNumnodes", with_line(12, "    - { nid: 64, mem: 0x40000000-0x7fffffff }"), "12: machine.nodes[1].nid", "MAX_NUMNODES"},
    {"UnknownKernel", with_line(2, "kernel: v9.99"), "2: kernel", "unknown kernel version"},
    {"BadConfigValue", with_line(4, "  SMP: maybe"), "4: config.SMP", "not y or n"},
    {"UnknownConfigSymbol", with_line(4, "  CONFIG_SMP: y"), "4: config.CONFIG_SMP", "unknown Kconfig symbol"},
    {"DuplicateKey", with_line(2, "name: u"), "2: name", "duplicate key"},
    {"SingleE820Entry", with_line(9, ""), "8: machine.e820", "fewer than 2 entries"},
    {"NoUsableRam", all_reserved(), "8: machine.e820", "no usable entry"},
    {"KernelImageUnaligned", with_line(14, "  kernel_image: { start: 0x1001000, size: 32M }"), "14: boot.kernel_image.start", "2 MiB aligned"},
    {"BadSizeSuffix", with_line(14, "  kernel_image: { start: 0x1000000, size: 32Q }"), "14: boot.kernel_image.size", "not a size"},
    {"MachineNotAMap", "name: t\nkernel: v4.17\nmachine: 5\n", "3: machine", "expected a mapping, got '5'"},
    {"MtrrTrimNotAList", with_line(13, "  mtrr_trim: 0xd0000000-0xffffffff\nboot:"), "13: machine.mtrr_trim", "expected a list"},
    {"MtrrTrimBadRange", with_line(13, "  mtrr_trim: [ 0xd0000000-0xcfffffff ]\nboot:"), "13: machine.mtrr_trim[0]", "below start"},
    {"PxmNotANumber", with_line(12, "    - { nid: 1, pxm: far, mem: 0x40000000-0x7fffffff }"), "12: machine.nodes[1].pxm", "not a number"},
    {"KaslrSeedNotANumber", with_line(14, "  kaslr_seed: lucky"), "14: boot.kaslr_seed", "not a number"},
    {"PercpuAllocUnknown", with_line(14, "  percpu_alloc: lazy"), "14: boot.percpu_alloc", "not embed or page"},
    {"GdtPageUnaligned", with_line(14, "  gdt_page_offset: 0x40d100"), "14: boot.gdt_page_offset", "page-aligned"},
    {"GdtPageOutsideImage", with_line(14, "  gdt_page_offset: 64M"), "14: boot.gdt_page_offset", "outside the kernel image"},
    {"UnknownPolicy", with_line(2, "kernel: v4.17\npolicy: eager"), "3: policy", "unknown policy 'eager'"},
    {"AllocationAtNowhere", with_line(14, "  allocations: [ { at: never, order: 1 } ]"), "14: boot.allocations[0].at", "not mm_init or smp_init"},
    {"AllocationOrderTooBig", with_line(14, "  allocations: [ { at: mm_init, order: 11 } ]"), "14: boot.allocations[0].order", "MAX_ORDER"},
    {"AllocationNoOrder", with_line(14, "  allocations: [ { at: mm_init } ]"), "14: boot.allocations[0].order", "missing"},
    {"UnknownReader", with_line(14, "  readers: [ kpageflags_read, proc_kcore ]"), "14: boot.readers[1]", "not set_zone_contiguous, kpageflags_read or show_valid_zones"},
    {"ReadersNotAList", with_line(14, "  readers: kpageflags_read"), "14: boot.readers", "expected a list"},
    {"AllocationZeroCount", with_line(14, "  allocations: [ { at: mm_init, order: 0, count: 0 } ]"), "14: boot.allocations[0].count", "1 .. 2^40"},
    {"ExpectEmptyLogLine", with_line(14, "  kernel_image: { start: 0x1000000, size: 32M }\nexpect:\n  log: [ \"e820: BIOS-provided physical RAM map:\", \"  \" ]"), "16: expect.log[1]", "empty"},
    {"ExpectEmptyViolation", with_line(14, "  kernel_image: { start: 0x1000000, size: 32M }\nexpect:\n  violations: [ \"\" ]"), "16: expect.violations[0]", "empty"},
    {"ExpectHashTooShort", with_line(14, "  kernel_image: { start: 0x1000000, size: 32M }\nexpect:\n  memmap_hash: 3e80"), "16: expect.memmap_hash", "16 hex digits"},
    {"ExpectFreeListsBadZone", with_line(14, "  kernel_image: { start: 0x1000000, size: 32M }\nexpect:\n  free_lists: { DMA: [0,0,0,0,0,0,0,0,0,0,0] }"), "16: expect.free_lists.DMA", "NID ZONE"},
    {"ExpectFreeListsTooFew", with_line(14, "  kernel_image: { start: 0x1000000, size: 32M }\nexpect:\n  free_lists: { \"0 DMA\": [0, 1] }"), "16: expect.free_lists.0 DMA", "11 counts"},
    {"CmdlineUnmodelled", with_line(14, "  kernel_image: { start: 0x1000000, size: 32M }\n  cmdline: \"quiet crashkernel=256M\""), "15: boot.cmdline", "crashkernel= changes memory setup but is not modelled yet"},
    {"CmdlineBadMemmap", with_line(14, "  kernel_image: { start: 0x1000000, size: 32M }\n  cmdline: \"memmap=64M&512M\""), "15: boot.cmdline", "not one of @ # $ !"},
    {"CmdlinePercpuTwice", with_line(14, "  percpu_alloc: page\n  cmdline: \"percpu_alloc=embed\""), "15: boot.cmdline", "given twice"},
    {"CmdlineCorePercentOver100", with_line(14, "  cmdline: \"movablecore=150%\""), "14: boot.cmdline", "a percentage up to 100%"},
    {"TraceBadOp", with_line(14, "  memblock_trace: { reserved: [ 0x0-0xffff ], calls: [ { op: steal, mem: 0x100000-0x1fffff } ] }"), "14: boot.memblock_trace.calls[0].op", "not reserve or free"},
    {"TraceNoReserved", with_line(14, "  memblock_trace: { calls: [] }"), "14: boot.memblock_trace.reserved", "missing"},
    {"TraceBadRange", with_line(14, "  memblock_trace: { reserved: [ 0xffff-0x0 ] }"), "14: boot.memblock_trace.reserved[0]", ""},
    {"SectionsMissingBss", with_line(14, "  kernel_sections: { code: 1M, rwdata: 1M, rodata: 1M, init: 1M }"), "14: boot.kernel_sections.bss", "missing"},
    {"SectionsNotASize", with_line(14, "  kernel_sections: { code: big, rwdata: 1M, rodata: 1M, init: 1M, bss: 1M }"), "14: boot.kernel_sections.code", "not a size"},
    {"PerfNotAMap", with_line(6, "  cpus: 2\n  perf: fast"), "7: machine.perf", "expected a mapping"},
    {"PerfUnknownKey", with_line(6, "  cpus: 2\n  perf: { ns_per_page: 17 }"), "7: machine.perf.ns_per_page", "unknown key"},
    {"PerfPageInitNotANumber", with_line(6, "  cpus: 2\n  perf: { page_init_ns: fast }"), "7: machine.perf.page_init_ns", "not a decimal number"},
    {"PerfPageInitZero", with_line(6, "  cpus: 2\n  perf: { page_init_ns: 0 }"), "7: machine.perf.page_init_ns", "outside 0.1 .. 1000000"},
    {"PerfBandwidthNegative", with_line(6, "  cpus: 2\n  perf: { node_bandwidth_gbs: -5 }"), "7: machine.perf.node_bandwidth_gbs", "outside"},
    {"PerfBandwidthNan", with_line(6, "  cpus: 2\n  perf: { node_bandwidth_gbs: nan }"), "7: machine.perf.node_bandwidth_gbs", "not a decimal number"},
    {"PerfCpusPerNodeZero", with_line(6, "  cpus: 2\n  perf: { cpus_per_node: 0 }"), "7: machine.perf.cpus_per_node", "not 1 .. machine.cpus (2)"},
    {"PerfCpusPerNodeMoreThanCpus", with_line(6, "  cpus: 2\n  perf: { cpus_per_node: 3 }"), "7: machine.perf.cpus_per_node", "not 1 .. machine.cpus"},
    // machine.device_memory (docs/scenarios.md, "Device memory").
    {"DeviceOverlapsDevice", with_device_memory("    - { type: pmem, start: 0x100000000, size: 1G }\n"
                                                "    - { type: pmem, start: 0x138000000, size: 256M }"),
     "15: machine.device_memory[1]", "overlaps machine.device_memory[0]"},
    {"DeviceOverlapsRam", with_device_memory("    - { type: pmem, start: 0x40000000, size: 128M }"),
     "14: machine.device_memory[0]", "overlaps RAM"},
    {"DeviceAltmapLargerThanRange", with_device_memory("    - { type: pmem, start: 0x100000000, size: 128M, altmap: { reserve: 100M, free: 64M } }"),
     "14: machine.device_memory[0].altmap", "larger than the range"},
    {"DeviceAltmapTooSmall", with_device_memory("    - { type: pmem, start: 0x100000000, size: 256M, altmap: { free: 2M } }"),
     "14: machine.device_memory[0].altmap.free", "cannot hold the memmap"},
    {"DeviceUnalignedStart", with_device_memory("    - { type: pmem, start: 0x100100000, size: 128M }"),
     "14: machine.device_memory[0].start", "128 MiB"},
    {"DeviceUnknownType", with_device_memory("    - { type: gpu, start: 0x100000000, size: 128M }"),
     "14: machine.device_memory[0].type", "not pmem, device_private or device_public"},
    {"DeviceUnknownNode", with_device_memory("    - { type: pmem, start: 0x100000000, size: 128M, node: 3 }"),
     "14: machine.device_memory[0].node", "not one of machine.nodes"},
    {"DevicePrivateBeforeV4_14", with_device_memory("    - { type: device_private, start: 0x100000000, size: 128M }", "v4.9"),
     "14: machine.device_memory[0].type", "no device-private memory"},
    {"DevicePublicAfterV5_2", with_device_memory("    - { type: device_public, start: 0x100000000, size: 128M }", "v6.1"),
     "14: machine.device_memory[0].type", "v4.14 - v5.2 only"},
    {"DeviceBeforeZoneDevice", with_device_memory("    - { type: pmem, start: 0x100000000, size: 128M }", "v4.2"),
     "14: machine.device_memory[0].type", "no ZONE_DEVICE"},
    // 16 TiB of pmem needs 256 GiB of struct pages as much as RAM would.
    {"DeviceMemmapDoesNotFitHost", with_device_memory("    - { type: pmem, start: 0x100000000, size: 16T }"),
     "6: machine", "MiB of host memory"},
    {"PageAccessBadVia", with_line(14, "  page_accesses: [ { pfn: 0x100, via: ioremap } ]"),
     "14: boot.page_accesses[0].via", "not page_address or kmap"},
};

// 16 TiB of RAM needs 256 GiB of struct pages: in fidelity mode it is
// refused before anything is built (without --mode, scale mode takes it).
TEST(BadScenarioFile, MemmapDoesNotFitHostInFidelityMode)
{
  const Ran r = expect_located_error("run --mode fidelity", "bad.yaml",
                                     with_line(9, "    - { mem: 0x100000-0xfffffffffff, type: usable }"), "6: machine",
                                     "MiB of host memory");
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(Cases, BadScenarioTest, ::testing::ValuesIn(kBadScenarios),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// --kernel changes the version after loading: a memory type the new one
// lacks is refused at the scenario's line all the same.
TEST(BadCommandLine, KernelWithoutTheDeviceMemoryType)
{
  expect_located_error("run --kernel v6.1", "public.yaml",
                       with_device_memory("    - { type: device_public, start: 0x100000000, size: 128M }"),
                       "14: machine.device_memory[0].type", "v4.14 - v5.2 only");
}

TEST(BadScenarioFile, MissingFileIsNamed)
{
  const Ran r = run_pginit("run /nonexistent/scenario.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "/nonexistent/scenario.yaml: cannot read the scenario file: No such file or directory\n");
}

TEST(BadScenarioFile, EmptyFile)
{
  const std::string path = write_temp_file("empty.yaml", "");
  const Ran r = run_pginit(fmt::format("run '{}'", path));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, path + ": empty scenario\n");
}

TEST(BadScenarioFile, BinaryGarbage)
{
  const std::string path = write_temp_file("garbage.yaml", std::string("\x01\x02{[\xff\xfe: :\n\t- ]", 14));
  const Ran r = run_pginit(fmt::format("run '{}'", path));
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err.rfind(path + ":", 0), 0u) << r.err;
}

// Command-line values are checked too.
TEST(BadCommandLine, ValuesAreChecked)
{
  const std::string path = write_temp_file("good.yaml", with_line(0, ""));
  Ran r = run_pginit(fmt::format("run --threads 0 '{}'", path));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--threads"), std::string::npos) << r.err;
  r = run_pginit(fmt::format("run --set FOO=y '{}'", path));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "--set: FOO: unknown Kconfig symbol\n");
  r = run_pginit(fmt::format("run --set NUMA=perhaps '{}'", path));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "--set: NUMA: 'perhaps' is not y or n\n");
  r = run_pginit(fmt::format("run --kernel v3.0 '{}'", path));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--kernel: v3.0: unknown kernel version"), std::string::npos) << r.err;
  r = run_pginit(fmt::format("run --policy eager '{}'", path));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "--policy: eager: unknown policy (one of: v4.16, v4.17, v5.2, padata, lazy)\n");
  r = run_pginit(fmt::format("run --set NODES_SHIFT=0 '{}'", path));
  EXPECT_EQ(r.status, 2);
  r = run_pginit("frobnicate");
  EXPECT_EQ(r.status, 2);
  // The good scenario itself is fine.
  r = run_pginit(fmt::format("run -q '{}'", path));
  EXPECT_EQ(r.status, 0) << r.err;
}

struct BadScript {
  const char* name;
  const char* text;
  const char* where;  // "LINE: OP"
  const char* what;
};

void PrintTo(const BadScript& c, std::ostream* os) { *os << c.name; }

class BadScriptTest : public ::testing::TestWithParam<BadScript> {};

TEST_P(BadScriptTest, ExitsTwoWithLocatedMessage)
{
  const BadScript& c = GetParam();
  expect_located_error("memblock", "bad.mb", c.text, c.where, c.what);
}

const BadScript kBadScripts[] = {
    {"UnknownOp", "add 0x0 0x1000\nallocate 0x1000 0\n", "2: allocate", "unknown operation"},
    {"BadNumber", "add 0x0 0x10g0\n", "1: add", "not a number"},
    {"MissingArgument", "# comment\n\nreserve 0x1000\n", "3: reserve", "usage: reserve BASE SIZE"},
    {"TooManyArguments", "dump now\n", "1: dump", "usage: dump"},
    {"NidTooLarge", "add 0x0 0x1000 nid=64\n", "1: add", "MAX_NUMNODES"},
    {"AlignNotPowerOfTwo", "add 0x0 0x100000\nalloc 0x1000 0x3000\n", "2: alloc", "not a power of two"},
    {"ZeroSizeAlloc", "add 0x0 0x100000\nalloc 0 0\n", "2: alloc", "must not be 0"},
    {"BottomUpBadWord", "bottom_up yes\n", "1: bottom_up", "not on or off"},
    {"UnexpectedOption", "add 0x0 0x100000\nalloc 0x1000 0 node=1\n", "2: alloc", "unexpected argument"},
    {"OptionGivenTwice", "add 0x0 0x100000\nalloc 0x1000 0 min=0 min=1\n", "2: alloc", "given twice"},
    {"OptionNotANumber", "add 0x0 0x100000\nalloc 0x1000 0 max=top\n", "2: alloc", "not a number"},
    {"AddBadOption", "add 0x0 0x100000 min=0\n", "1: add", "unexpected argument"},
};

INSTANTIATE_TEST_SUITE_P(Cases, BadScriptTest, ::testing::ValuesIn(kBadScripts),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(BadScriptFile, MissingFileIsNamed)
{
  const Ran r = run_pginit("memblock /nonexistent/x.mb");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "/nonexistent/x.mb: cannot read the script file: No such file or directory\n");
}

// import: unreadable files and malformed lines are located like scenario errors.
TEST(BadImport, LogsAndConfigsAreChecked)
{
  Ran r = run_pginit("import dmesg /nonexistent/dmesg.txt");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "/nonexistent/dmesg.txt: cannot read the kernel log file: No such file or directory\n");
  r = run_pginit(fmt::format("import dmesg '{}'", PGINIT_SOURCE_DIR));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("it is a directory"), std::string::npos) << r.err;

  // About the file as a whole: "FILE: FIELD: what", no line.
  const std::string nomap = write_temp_file("nomap.txt", "[    0.000000] Linux version 4.17.0\n[    0.000000] Zone ranges:\n");
  r = run_pginit(fmt::format("import dmesg '{}'", nomap));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind(nomap + ": BIOS-e820: no BIOS-e820 table", 0), 0u) << r.err;
  expect_located_error("import dmesg", "bad-e820.txt", "Linux version 4.17.0\nBIOS-e820: [mem 0x0-0x9ffff] hot\n",
                       "2: BIOS-e820", "unknown e820 type");
  expect_located_error("import dmesg", "binary.txt", std::string("\x7f" "ELF\x02\x01\x01\0\0", 9), "1", "binary data");
  expect_located_error("import config", "bad.config", "CONFIG_SMP=y\nCONFIG_NUMA=yes\n", "2: CONFIG_NUMA",
                       "not y or n");
  const std::string empty = write_temp_file("empty.config", "");
  r = run_pginit(fmt::format("import config '{}'", empty));
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, empty + ": empty file: not a Kconfig .config\n");
}

// The importer's output always loads, and -o writes where it is told.
TEST(Import, ConfigKeepsWhatPginitModels)
{
  const std::string path =
      write_temp_file("x.config", "CONFIG_SMP=y\n# CONFIG_NUMA is not set\nCONFIG_HZ=300\nCONFIG_PREEMPT=y\n");
  const Ran r = run_pginit(fmt::format("import config -v '{}'", path));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "config:\n  HZ: 300\n  NUMA: n\n  SMP: y\n");
  EXPECT_NE(r.err.find("ignored CONFIG_PREEMPT"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pginit::test

namespace pginit::test {
namespace {

// A sweep boots one memmap per worker at once: 36 cases of a 64 GiB machine
// (1.1 GiB of memmap each) on 1024 workers need some 40 GiB, more than this
// 24 GiB host has: refused up front, naming --threads, before any boot.
// More memmaps at once than the host holds: the sweep says so and boots the
// cases in scale mode (struct pages as runs) instead of failing.
TEST(BadSweep, TooManyMemmapsAtOnceSweepInScaleMode)
{
  const Ran r = run_pginit(fmt::format("sweep --threads 1024 '{}/scenarios/supermicro-x10dri-64g.yaml'", PGINIT_SOURCE_DIR));
  EXPECT_NE(r.status, 2) << r.err;
  EXPECT_NE(r.out.find("booting 36 copies at once"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sweeping in scale mode instead"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pginit::test
