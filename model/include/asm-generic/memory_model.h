// SPDX-License-Identifier: MIT
// memory_model.h - FLATMEM, SPARSEMEM and SPARSEMEM_VMEMMAP: where struct
// pages live and how the kernel finds them (include/asm-generic/memory_model.h,
// include/linux/mmzone.h, v4.17).
//
// DOC: fidelity
// The memmap is real host memory: every struct page the simulated kernel has
// is 64 bytes of a HostBuffer, at the simulated physical address memblock gave
// it. A struct page "pointer" is a kva_t (vmemmap or direct-map address), and
// the translation helpers do the kernel's arithmetic on it. The one helper
// that *reads* a struct page, classic SPARSEMEM's page_to_pfn(), really reads
// page->flags from that memory - poison, zeroes or a real value - and reports
// the read to an observer, so a checker can tell a garbage read from a good one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pginit/host_buffer.h"
#include "kconfig/kconfig.h"
#include "include/linux/mmzone.h"
#include "include/linux/mm_types.h"
#include "pginit/page_runs.h"
#include "pginit/page_shadow.h"
#include "arch/x86/mm/vm_layout.h"

namespace pginit {

enum class MemoryModelKind { flatmem, sparsemem, sparsemem_vmemmap };

// FLATMEM, SPARSEMEM or SPARSEMEM_VMEMMAP, as the config selects.
MemoryModelKind memory_model_from_config(const KconfigValues& config);
std::string_view memory_model_name(MemoryModelKind kind);

class MemoryModel;

// Told about every struct page field a translation helper reads.
class PageReadObserver {
 public:
  virtual ~PageReadObserver() = default;
  virtual void on_page_read(const MemoryModel& mm, kva_t page, std::string_view accessor, std::uint64_t value) = 0;
};

// What a translation computes: a value, or the fault the kernel would take
// (a NULL or unmapped dereference), described for a human.
struct Translation {
  std::uint64_t value = 0;
  std::string fault;
  bool ok() const { return fault.empty(); }
};

class MemoryModel {
 public:
  MemoryModel(MemoryModelKind kind, const PageFlagsLayout& flags, const VirtualLayout& vm,
              bool page_extension = false,
              const SectionFlags& section_flags = SectionFlags::of(SectionFlagSet::v4_13, false));

  MemoryModelKind kind() const { return kind_; }
  const PageFlagsLayout& flags_layout() const { return flags_; }
  const VirtualLayout& vm() const { return vm_; }
  SectionTable& sections() { return sections_; }
  const SectionTable& sections() const { return sections_; }

  // --- scale mode (page_runs.h): struct pages as runs, not bytes ---
  // Switches to scale mode; only before the memmap is built.
  void use_page_runs();
  // The runs and free blocks of scale mode; nullptr in fidelity mode.
  PageRuns* page_runs() { return runs_.get(); }
  const PageRuns* page_runs() const { return runs_.get(); }
  FreeBlocks* free_blocks() { return free_blocks_.get(); }
  const FreeBlocks* free_blocks() const { return free_blocks_.get(); }

  // --- building the memmap (sparse_init, alloc_node_mem_map) ---
  // Host memory for simulated physical [phys, phys + size), every byte `fill`.
  std::byte* back_phys(phys_addr_t phys, std::uint64_t size, std::byte fill);
  // How back_phys() writes a nonzero fill (zero is what a fresh mapping
  // holds): one memset by default. sim/ hands in one that splits it over its
  // workers, so that faulting in and poisoning a 16 GiB memmap is not one
  // thread's work; the bytes are the same either way.
  using HostFill = std::function<void(std::byte* data, std::size_t size, std::byte fill)>;
  void set_host_fill(HostFill fill) { host_fill_ = std::move(fill); }
  // The same for memory that holds struct pages: in scale mode only its
  // fill is remembered (what a never-written struct page there reads as).
  void back_memmap(phys_addr_t phys, std::uint64_t size, std::byte fill);
  // vmemmap_populate(): map the 2 MiB of vmemmap at `addr` to `block`.
  void vmemmap_set_pmd(kva_t addr, phys_addr_t block);
  bool vmemmap_pmd_mapped(kva_t addr) const;
  // FLATMEM: mem_map and max_mapnr.
  void set_mem_map(kva_t mem_map, pfn_t max_mapnr);
  kva_t mem_map() const { return mem_map_; }
  // A shadow record for each pfn of the section (created with its memmap).
  void add_section_shadow(std::uint64_t section_nr);

  // --- the kernel's translations ---
  Translation pfn_to_page(pfn_t pfn) const;
  Translation page_to_pfn(kva_t page) const;  // classic SPARSEMEM reads page->flags
  bool pfn_valid(pfn_t pfn) const;
  Translation virt_to_page(kva_t kaddr) const { return pfn_to_page(vm_.__pa(kaddr) >> PAGE_SHIFT); }
  Translation page_to_phys(kva_t page) const;

  // --- the simulator's view ---
  // Host memory behind a simulated physical address or struct page; nullptr
  // where the simulated kernel has nothing mapped.
  std::byte* host_phys(phys_addr_t pa) const;
  page* host_page(kva_t page) const;
  // The struct page of pfn by construction (not by the kernel's reads);
  // nullptr when pfn has no memmap. Within one section the result is
  // contiguous in host memory, so the engine may walk it with page++.
  page* pfn_host_page(pfn_t pfn) const;
  // The struct pages of a section as one host array: its first page and how
  // many there are (PAGES_PER_SECTION, fewer at FLATMEM's end); {nullptr, 0}
  // when the section has no memmap.
  struct SectionPages {
    page* first;
    pfn_t count;
  };
  SectionPages section_pages(std::uint64_t section_nr) const;
  PageShadow* shadow(pfn_t pfn);
  const PageShadow* shadow(pfn_t pfn) const;
  // The struct page and shadow of a pfn with a memmap, by value, in either
  // mode (scale mode rebuilds them from the page's run; the lru words of a
  // free buddy head are then 0: its list lives beside the pages).
  page read_page(pfn_t pfn) const;
  PageShadow read_shadow(pfn_t pfn) const;
  // f(start, end, shadow) over [start, end) of pfns with a memmap, one call
  // per stretch of equal shadows (within a section in fidelity mode, per run
  // in scale mode).
  template <typename Visit>
  void for_each_shadow(pfn_t start, pfn_t end, Visit f) const;
  // The pfn whose struct page sits at `page` by construction (not by what
  // the page says); nullopt outside every memmap.
  std::optional<pfn_t> memmap_pfn_of(kva_t page) const;
  // Sections that have a memmap, ascending.
  const std::vector<std::uint64_t>& memmap_sections() const { return memmap_sections_; }
  std::uint64_t host_bytes() const { return host_bytes_; }

  // pageblock_order (set_pageblock_order()): 9 with HUGETLB_PAGE, else 10.
  void set_pageblock_order(unsigned order) { pageblock_order_ = order; }
  unsigned pageblock_order() const { return pageblock_order_; }
  pfn_t pageblock_nr_pages() const { return pfn_t{1} << pageblock_order_; }
  // The long of pageblock flags holding pfn's migratetype, and the shift of
  // its 3 bits in it (set_pfnblock_flags_mask()'s bit order); nullptr when
  // the pfn has no usemap.
  std::uint64_t* pageblock_word(pfn_t pfn, unsigned* shift);

  PageReadObserver* observer = nullptr;

 private:
  struct Backing {
    phys_addr_t base;
    std::uint64_t size;
    HostBuffer buffer;  // empty for a scale-mode memmap
    std::byte fill;
  };
  // The fill of the memory a raw struct page lies in (scale mode).
  std::byte memmap_fill(pfn_t pfn) const;
  // page->flags at a struct page address, for page_to_pfn(); nullopt: unmapped.
  std::optional<std::uint64_t> read_flags(kva_t page) const;
  const Backing* backing_of(phys_addr_t pa) const;

  MemoryModelKind kind_;
  PageFlagsLayout flags_;
  VirtualLayout vm_;
  SectionTable sections_;
  std::vector<Backing> backings_;                     // sorted by base
  std::vector<phys_addr_t> vmemmap_pmds_;             // by PMD index; PHYS_ADDR_MAX: none
  std::vector<std::byte*> vmemmap_pmd_host_;          // the host memory of each mapped PMD
  struct FreeShadow {
    void operator()(PageShadow* s) const { std::free(s); }
  };
  std::vector<std::unique_ptr<PageShadow[], FreeShadow>> shadow_;  // by section nr, calloc'd
  HostFill host_fill_;
  std::vector<std::uint64_t> memmap_sections_;
  std::vector<std::uint64_t> flat_pageblock_flags_;  // FLATMEM: zone->pageblock_flags
  unsigned pageblock_order_ = 9;
  kva_t mem_map_ = 0;
  pfn_t max_mapnr_ = 0;
  std::uint64_t host_bytes_ = 0;
  std::unique_ptr<PageRuns> runs_;
  std::unique_ptr<FreeBlocks> free_blocks_;
};

template <typename Visit>
void MemoryModel::for_each_shadow(pfn_t start, pfn_t end, Visit f) const
{
  if (runs_) {
    runs_->for_each(start, end, [&f](pfn_t a, pfn_t b, const PageRunState& s) { f(a, b, s.shadow); });
    return;
  }
  // One call per stretch of equal shadow records, within each section's array.
  for (pfn_t pfn = start; pfn < end;) {
    pfn_t stop = std::min(end, round_up(pfn + 1, PAGES_PER_SECTION));
    if (kind_ == MemoryModelKind::flatmem) stop = std::min(stop, std::max(pfn, max_mapnr_));  // mem_map ends there
    const PageShadow* s = shadow(pfn);
    if (s == nullptr || pfn == stop) {
      pfn = round_up(pfn + 1, PAGES_PER_SECTION);
      continue;
    }
    while (pfn < stop) {
      const PageShadow first = *s;
      pfn_t run = 1;
      while (pfn + run < stop && s[run].phase == first.phase && s[run].inits == first.inits &&
             s[run].zeroed == first.zeroed)
        run++;
      f(pfn, pfn + run, first);
      pfn += run;
      s += run;
    }
  }
}

}  // namespace pginit
