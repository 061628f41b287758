// SPDX-License-Identifier: MIT
// setup_cpu_entry_area(cpu) (arch/x86/mm/cpu_entry_area.c) translates every
// page it maps from a per-cpu object with per_cpu_ptr_to_phys(), in its
// order (sim/policy/cpu_entry_area.cpp, docs/kernel-versions.md
// "setup_cpu_entry_area()"):
//  - v4.15-v4.19: gdt_page (get_cpu_gdt_paddr()), entry_stack_storage (1),
//    cpu_tss_rw (sizeof(struct tss_struct) / PAGE_SIZE = 3), exception_stacks
//    (3 * EXCEPTION_STKSZ + DEBUG_STKSZ = 5 pages, 10 with KASAN) in one
//    cea_map_percpu_pages() call, then percpu_setup_debug_store()'s
//    cpu_debug_store (1, Intel only);
//  - v5.2: percpu_setup_exception_stacks() maps DF, NMI, DB1, DB, MCE one by one;
//  - v5.8: DF, NMI, DB, MCE and a 5-page TSS; 6.1: 2-page stacks.
// Each page is a struct page read under classic SPARSEMEM, so the checker
// reports one violation per page when the pages are deferred. Before this
// model only the GDT was translated (one violation per CPU), at unit offset 0.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "boot/percpu.h"
#include "boot_test_util.h"

namespace pginit::test {
namespace {

// The seed bug's 512 MiB QEMU guest, classic SPARSEMEM, deferred init, the
// image at 256 MiB (above first_deferred_pfn 0x10000). X86_5LEVEL: n, as
// 6.1 selects SPARSEMEM_VMEMMAP with it (its default there).
std::string guest(const std::string& kernel, const std::string& config, unsigned cpus,
                  const std::string& machine_more = "", const std::string& boot_more = "")
{
  return fmt::format(
      "name: cea\nkernel: {}\n"
      "config: {{ NUMA: n, SPARSEMEM_VMEMMAP: n, X86_5LEVEL: n, DEFERRED_STRUCT_PAGE_INIT: y, DEBUG_VM: y, {} }}\n"
      "machine:\n  cpus: {}\n{}"
      "  e820:\n"
      "    - {{ mem: 0x0-0x9fbff, type: usable }}\n"
      "    - {{ mem: 0x9fc00-0x9ffff, type: reserved }}\n"
      "    - {{ mem: 0xf0000-0xfffff, type: reserved }}\n"
      "    - {{ mem: 0x100000-0x1ffdffff, type: usable }}\n"
      "    - {{ mem: 0x1ffe0000-0x1fffffff, type: reserved }}\n"
      "boot:\n  kernel_image: {{ start: 0x10000000, size: 36M }}\n{}",
      kernel, config, cpus, machine_more, boot_more);
}

std::string up(const std::string& kernel, bool kasan, const std::string& machine_more = "",
               const std::string& config_more = "")
{
  return guest(kernel, fmt::format("SMP: n, KASAN: {}{}", kasan ? "y" : "n", config_more), 1, machine_more);
}

std::string smp_page(const std::string& kernel, bool kasan)
{
  return guest(kernel, fmt::format("SMP: y, KASAN: {}", kasan ? "y" : "n"), 2, "", "  percpu_alloc: page\n");
}

// "&per_cpu(cpu_tss_rw, 0) + 0x1000" out of "per_cpu_ptr_to_phys(...) of ...".
std::string what(const PageReadViolation& v)
{
  const std::string head = "per_cpu_ptr_to_phys(";
  const std::size_t at = v.consequence.find(head);
  // ") of ADDR never returns" (a #PF/#GP on a zeroed memmap) or ") returns
  // X instead of Y" (a raw memmap's garbage, from v4.19's sparse buffer).
  std::size_t end = v.consequence.find(") of ", at);
  if (end == std::string::npos) end = v.consequence.find(") returns ", at);
  if (at == std::string::npos || end == std::string::npos) return "?" + v.consequence;
  return v.consequence.substr(at + head.size(), end - at - head.size());
}

bool in_stack(const PageReadViolation& v, const std::string& fn)
{
  for (const std::string& f : v.stack)
    if (f == fn) return true;
  return false;
}

std::vector<std::string> whats(const BootedKernel& b)
{
  std::vector<std::string> out;
  for (const PageReadViolation& v : b.r.violations()) out.push_back(what(v));
  return out;
}

// v4.17, UP, no KASAN: the 11 translations of setup_cpu_entry_area(0), in
// its order, each at the object's place around gdt_page (pa 0x1040d000): the
// page-aligned objects in System.map order cpu_debug_store, cpu_tss_rw,
// gdt_page, exception_stacks, entry_stack_storage.
TEST(CpuEntryArea, V417TranslatesElevenPagesPerCpuInTheKernelsOrder)
{
  BootedKernel b(up("v4.17-rc", false));
  const std::vector<std::string> expected = {
      "&per_cpu(gdt_page, 0)",
      "&per_cpu(entry_stack_storage, 0)",
      "&per_cpu(cpu_tss_rw, 0)",
      "&per_cpu(cpu_tss_rw, 0) + 0x1000",
      "&per_cpu(cpu_tss_rw, 0) + 0x2000",
      "&per_cpu(exception_stacks, 0)",
      "&per_cpu(exception_stacks, 0) + 0x1000",
      "&per_cpu(exception_stacks, 0) + 0x2000",
      "&per_cpu(exception_stacks, 0) + 0x3000",
      "&per_cpu(exception_stacks, 0) + 0x4000",
      "&per_cpu(cpu_debug_store, 0)",
  };
  EXPECT_EQ(whats(b), expected);
  const std::vector<pfn_t> pfns = {0x1040d, 0x10413, 0x1040a, 0x1040b, 0x1040c, 0x1040e,
                                   0x1040f, 0x10410, 0x10411, 0x10412, 0x10409};
  ASSERT_EQ(b.r.violations().size(), pfns.size());
  for (std::size_t i = 0; i < pfns.size(); i++) EXPECT_EQ(b.r.violations()[i].pfn, pfns[i]) << i;
  // The call paths: get_cpu_gdt_paddr() for the GDT, cea_map_percpu_pages()
  // for the rest, through percpu_setup_debug_store() for the debug store.
  const auto& v = b.r.violations();
  EXPECT_TRUE(in_stack(v[0], "get_cpu_gdt_paddr"));
  EXPECT_FALSE(in_stack(v[0], "cea_map_percpu_pages"));
  for (std::size_t i = 1; i < v.size(); i++) {
    EXPECT_TRUE(in_stack(v[i], "setup_cpu_entry_area")) << i;
    EXPECT_TRUE(in_stack(v[i], "cea_map_percpu_pages")) << i;
    EXPECT_EQ(in_stack(v[i], "percpu_setup_debug_store"), i == v.size() - 1) << i;
  }
}

// KASAN_STACK_ORDER 1 doubles EXCEPTION_STKSZ and DEBUG_STKSZ: 10 exception
// stack pages, and entry_stack_storage moves 5 pages further.
TEST(CpuEntryArea, KasanDoublesTheExceptionStackPages)
{
  BootedKernel b(up("v4.17-rc", true));
  const std::vector<std::string> w = whats(b);
  ASSERT_EQ(w.size(), 16u);
  std::size_t stacks = 0;
  for (const std::string& s : w) if (s.starts_with("&per_cpu(exception_stacks, 0)")) stacks++;
  EXPECT_EQ(stacks, 10u);
  EXPECT_EQ(w[14], "&per_cpu(exception_stacks, 0) + 0x9000");
  EXPECT_EQ(b.r.violations()[1].pfn, 0x10418u);  // entry_stack_storage: gdt_page + 1 + 10 pages
}

// percpu_setup_debug_store() returns on a non-Intel boot CPU and is empty
// without CONFIG_CPU_SUP_INTEL.
TEST(CpuEntryArea, TheDebugStoreOnlyOnIntel)
{
  BootedKernel amd(up("v4.17-rc", false, "  cpu_vendor: amd\n"));
  EXPECT_EQ(amd.r.violations().size(), 10u);
  for (const std::string& s : whats(amd)) EXPECT_EQ(s.find("cpu_debug_store"), std::string::npos);
  BootedKernel no_intel(up("v4.17-rc", false, "", ", CPU_SUP_INTEL: n"));
  EXPECT_EQ(no_intel.r.violations().size(), 10u);
}

// SMP, percpu_alloc=page: the per-cpu unit starts with irq_stack_union (16
// KiB, 32 with KASAN), so gdt_page is at unit offset 0x8000 (0xc000), as in
// a 4.19 System.map; each CPU's pages come from that CPU's unit.
TEST(CpuEntryArea, SmpPageFirstChunkUsesTheRealOffsets)
{
  for (const bool kasan : {false, true}) {
    BootedKernel b(smp_page("v4.17", kasan));
    const auto& v = b.r.violations();
    const std::size_t per_cpu = kasan ? 16 : 11;
    ASSERT_EQ(v.size(), 2 * per_cpu) << kasan;
    const std::uint64_t gdt_page = kasan ? 0xc : 0x8;
    const auto& pages = b.st.percpu.page_phys;
    const std::uint64_t unit = b.st.percpu.unit_pages;
    EXPECT_EQ(v[0].pfn, PFN_DOWN(pages.at(gdt_page)));
    EXPECT_EQ(what(v[0]), "&per_cpu(gdt_page, 0)");
    EXPECT_EQ(v[per_cpu].pfn, PFN_DOWN(pages.at(unit + gdt_page)));
    EXPECT_EQ(what(v[per_cpu]), "&per_cpu(gdt_page, 1)");
    EXPECT_EQ(what(v[2 * per_cpu - 1]), "&per_cpu(cpu_debug_store, 1)");
    EXPECT_EQ(v[2 * per_cpu - 1].pfn, PFN_DOWN(pages.at(unit + (kasan ? 8 : 4))));
  }
}

// The offsets of each version's layout against the System.map facts (no
// KASAN): 4.19 for v4.17, 5.4 for v5.2, 6.6 for v6.1.
TEST(CpuEntryArea, SectionOffsetsFollowSystemMap)
{
  struct Want {
    const char* kernel;
    std::uint64_t debug_store, tss, gdt, stacks, entry_stack;
  };
  for (const Want& w : {Want{"v4.17", 0x4000, 0x5000, 0x8000, 0x9000, 0xe000},
                        Want{"v5.2", 0x1000, 0x6000, 0x9000, 0xa000, 0xf000},
                        Want{"v6.1", 0x1000, 0x6000, 0xb000, 0xc000, 0x14000}}) {
    BootedKernel b(smp_page(w.kernel, false), 1, Stage::end);
    EXPECT_EQ(percpu_section_offset(b.st, "cpu_debug_store"), w.debug_store) << w.kernel;
    EXPECT_EQ(percpu_section_offset(b.st, "cpu_tss_rw"), w.tss) << w.kernel;
    EXPECT_EQ(percpu_section_offset(b.st, "gdt_page"), w.gdt) << w.kernel;
    EXPECT_EQ(percpu_section_offset(b.st, "exception_stacks"), w.stacks) << w.kernel;
    EXPECT_EQ(percpu_section_offset(b.st, "entry_stack_storage"), w.entry_stack) << w.kernel;
  }
}

// Later versions: one cea_map_percpu_pages() per exception stack, through
// percpu_setup_exception_stacks(), and the counts per CPU.
TEST(CpuEntryArea, LaterVersionsMapEachExceptionStack)
{
  struct Want {
    const char* kernel;
    std::size_t per_cpu, per_cpu_kasan;
    std::vector<std::string> stacks;  // the first page of each, in order
  };
  const Want wants[] = {
      {"v5.2", 11, 16, {"DF_stack", "NMI_stack", "DB1_stack", "DB_stack", "MCE_stack"}},
      {"v5.8", 12, 16, {"DF_stack", "NMI_stack", "DB_stack", "MCE_stack"}},
      {"v6.1", 16, 24, {"DF_stack", "NMI_stack", "DB_stack", "MCE_stack"}},
  };
  for (const Want& w : wants) {
    BootedKernel b(smp_page(w.kernel, false));
    const auto& v = b.r.violations();
    EXPECT_EQ(v.size(), 2 * w.per_cpu) << w.kernel;
    std::vector<std::string> firsts;
    for (const PageReadViolation& x : v) {
      const std::string s = what(x);
      if (s.starts_with("per_cpu(exception_stacks, 0).") && s.find(" + ") == std::string::npos) {
        firsts.push_back(s.substr(std::string("per_cpu(exception_stacks, 0).").size()));
        EXPECT_TRUE(in_stack(x, "percpu_setup_exception_stacks")) << w.kernel << " " << s;
      }
    }
    EXPECT_EQ(firsts, w.stacks) << w.kernel;
    BootedKernel k(smp_page(w.kernel, true));
    EXPECT_EQ(k.r.violations().size(), 2 * w.per_cpu_kasan) << w.kernel;
  }
}

}  // namespace
}  // namespace pginit::test
