// SPDX-License-Identifier: MIT
// kmem_command.cpp - `pginit kmem SCENARIO -p START[-END] | -n [--at MILESTONE]`:
// the memmap at one milestone of the boot, in the two tables kernel
// engineers know from crash (and drgn v0.0.33's port of them):
//   -p  one line per struct page of a pfn range: PAGE PHYSICAL MAPPING INDEX
//       CNT FLAGS, flags as `hex name,name`;
//   -n  one line per present section: NR SECTION CODED_MEM_MAP MEM_MAP STATE
//       PFN, the state as crash's letters (P present, M has a mem_map, O
//       online, E early, D tainted by ZONE_DEVICE), as far as the version
//       has those flags.
// pginit reads its own kernel's struct pages and mem_section table, so it
// shows them where a dump tool cannot: mid-boot, and with classic SPARSEMEM.
#include <fmt/format.h>

#include "cli/commands.h"
#include "kernel/kernel.h"
#include "mm/page_alloc.h"
#include "report/dump_page.h"
#include "run/boot.h"
#include "run/page_copy.h"
#include "scenario/input_error.h"
#include "scenario/numbers.h"

namespace pginit {

namespace {

// The milestones start_kernel() passes, in order, by the names --at takes.
constexpr const char* MILESTONES[] = {"early", "mm_init", "end"};
// More lines than anyone reads; a typo like 0x10000000 should not print for minutes.
constexpr pfn_t MAX_KMEM_P_PAGES = pfn_t{1} << 20;

PfnSpan parse_span(const std::string& arg)
{
  const std::size_t dash = arg.find('-');
  const std::optional<std::uint64_t> a = parse_u64(arg.substr(0, dash));
  const std::optional<std::uint64_t> b = dash == std::string::npos ? a : parse_u64(arg.substr(dash + 1));
  const pfn_t limit = pfn_t{1} << (MAX_PHYSMEM_BITS - PAGE_SHIFT);
  if (!a || !b || *b < *a || *b >= limit)
    throw InputError("pginit kmem", 0, "-p",
                     fmt::format("'{}' is not a pfn range START[-END] (inclusive, decimal or 0x hex, below {:#x})", arg,
                                 limit));
  if (*b - *a >= MAX_KMEM_P_PAGES)
    throw InputError("pginit kmem", 0, "-p", fmt::format("'{}' is more than {} pages", arg, MAX_KMEM_P_PAGES));
  return {*a, *b + 1};
}

int parse_milestone(const std::string& at)
{
  for (int i = 0; i < static_cast<int>(std::size(MILESTONES)); i++)
    if (at == MILESTONES[i]) return i;
  throw InputError("pginit kmem", 0, "--at", fmt::format("'{}' is not a milestone (early, mm_init or end)", at));
}

struct SectionRow {
  std::uint64_t nr = 0;
  std::uint64_t word = 0;  // section_mem_map: the coded mem_map and the state bits
};

// Copies what the tables need when the boot reaches the chosen milestone.
class KmemCapture final : public BootObserver {
 public:
  KmemCapture(int milestone, std::optional<PfnSpan> span) : want_(milestone), span_(span) {}

  void on_milestone(const Kernel& k, std::string_view label) override
  {
    if (seen_++ != want_) return;
    label_ = std::string(label);
    if (span_)
      for (pfn_t pfn = span_->start; pfn < span_->end; pfn++) pages_.push_back(copy_page(k, pfn, label_));
    const SectionTable& t = k.mm.sections();
    for (std::uint64_t nr = 0; nr <= t.highest_present_section_nr(); nr++) {
      const mem_section* ms = t.__nr_to_section(nr);
      if (present_section(ms)) sections_.push_back({nr, ms->section_mem_map});
    }
  }
  bool reached() const { return seen_ > want_; }
  const std::string& label() const { return label_; }
  const std::vector<PageCopy>& pages() const { return pages_; }
  const std::vector<SectionRow>& sections() const { return sections_; }

 private:
  int want_;
  int seen_ = 0;
  std::optional<PfnSpan> span_;
  std::string label_;
  std::vector<PageCopy> pages_;
  std::vector<SectionRow> sections_;
};

// Why pginit can list classic SPARSEMEM's struct pages and drgn cannot
// (../shared/docs/later-bugs.md §1).
void print_memory_model_note(const Kernel& k)
{
  switch (k.mm.kind()) {
    case MemoryModelKind::sparsemem:
      fmt::print("pginit: classic SPARSEMEM (no VMEMMAP): there is no one struct page array; pfn_to_page() goes\n"
                 "pginit: through the pfn's mem_section (MEM_MAP = CODED_MEM_MAP + PFN * 64). drgn's pfn_to_page() and\n"
                 "pginit: for_each_page() assume one array (vmemmap, or FLATMEM's mem_map) and call this model \"not\n"
                 "pginit: supported yet\"; pginit walks the table below, as crash and the kernel do.\n");
      break;
    case MemoryModelKind::sparsemem_vmemmap:
      fmt::print("pginit: SPARSEMEM_VMEMMAP: the struct pages are one virtual array at vmemmap {:#x}; each section's\n"
                 "pginit: MEM_MAP is vmemmap + PFN * 64 (what drgn's pfn_to_page() assumes).\n",
                 k.vm.vmemmap_base);
      break;
    case MemoryModelKind::flatmem:
      fmt::print("pginit: FLATMEM: one mem_map array, no mem_section table.\n");
      break;
  }
}

// crash's STATE letters, for the flags this version has.
std::string section_state(const SectionFlags& f, std::uint64_t word)
{
  std::string state;
  if ((word & SECTION_MARKED_PRESENT) != 0) state += 'P';
  if ((word & SECTION_HAS_MEM_MAP) != 0) state += 'M';
  if ((word & f.is_online) != 0) state += 'O';
  if ((word & f.is_early) != 0) state += 'E';
  if ((word & f.taint_zone_device) != 0) state += 'D';
  return state;
}

void print_sections(const Kernel& k, const KmemCapture& c)
{
  print_memory_model_note(k);
  if (k.mm.kind() == MemoryModelKind::flatmem) return;
  const SectionTable& table = k.mm.sections();
  const SectionFlags& f = table.flags();
  // crash's header and row layout (memory.c dump_mem_sections()): PFN in
  // decimal, its default radix.
  fmt::print("NR      SECTION        CODED_MEM_MAP        MEM_MAP       STATE PFN\n");
  for (const SectionRow& s : c.sections()) {
    const kva_t coded = s.word & f.map_mask();
    // Before sparse_init() the word holds the node id, not a mem_map.
    const bool has_map = (s.word & SECTION_HAS_MEM_MAP) != 0;
    const phys_addr_t section = table.section_phys(s.nr);
    fmt::print("{:2}  {:>16}  {:>16}  {:>16}  {:^5} {}\n", s.nr,
               section != 0 ? fmt::format("{:x}", k.mm.vm().__va(section)) : "-",
               has_map ? fmt::format("{:x}", coded) : "-",
               has_map ? fmt::format("{:x}", coded + section_nr_to_pfn(s.nr) * sizeof(page)) : "-",
               section_state(f, s.word), section_nr_to_pfn(s.nr));
  }
}

void print_pages(const KmemCapture& c)
{
  fmt::print("      PAGE           PHYSICAL        MAPPING        INDEX CNT FLAGS\n");
  std::uint64_t absent = 0;
  for (const PageCopy& p : c.pages()) {
    if (!p.valid) {
      absent++;
      continue;
    }
    fmt::print("{:016x} {:>10x} {:>16x} {:>8x} {:>3} {:x} {}\n", p.kva, p.pfn << PAGE_SHIFT, p.p.mapping, p.p.index,
               p.p._refcount, p.p.flags, page_flag_names(p.p, ","));
  }
  if (absent != 0) fmt::print("pginit: {} pfn(s) of the range have no struct page (pfn_valid() is false)\n", absent);
}

}  // namespace

int kmem_command(const KmemOptions& opt)
{
  if (opt.pages.empty() && !opt.sections)
    throw InputError("pginit kmem", 0, "-p/-n", "say which table: -p START[-END] (struct pages) or -n (sections)");
  const std::optional<PfnSpan> span = opt.pages.empty() ? std::nullopt : std::optional(parse_span(opt.pages));
  const int milestone = parse_milestone(opt.at);
  Overrides o;
  o.kernel = opt.kernel;
  o.sets = opt.sets;
  RunConfig cfg = resolve(load_scenario(opt.scenario), o);
  cfg.echo_log = false;
  KmemCapture capture(milestone, span);
  const RunResult r = boot(cfg, Stage::end, &capture);
  if (!capture.reached()) {
    fmt::print("pginit: the boot panicked before the {} milestone: {}\n", opt.at, r.panic.value_or("?"));
    return r.exit_status();
  }
  fmt::print("pginit: {} ({}), {}\n", r.scenario().name, r.scenario().kernel->name, capture.label());
  if (opt.sections) print_sections(r.kernel(), capture);
  if (span) print_pages(capture);
  return 0;
}

}  // namespace pginit
