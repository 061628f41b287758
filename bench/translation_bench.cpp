// SPDX-License-Identifier: MIT
// translation: pfn_to_page, page_to_pfn and virt_to_page in each memory
// model, ns per call, over random pfns of a two-node 2 GiB machine with a
// hole. VMEMMAP exists to make these arithmetic; classic SPARSEMEM reads
// mem_section (and, in page_to_pfn, the struct page itself); FLATMEM is one
// array. (The kernel's analogue is gup_benchmark.)
#include <benchmark/benchmark.h>

#include <memory>
#include <random>

#include "include/linux/memblock.h"
#include "mm/sparse.h"
#include "include/asm-generic/memory_model.h"

namespace pginit {
namespace {

struct Model {
  explicit Model(MemoryModelKind kind)
      : mb(64), mm(kind, PageFlagsLayout::from_config(config(kind)), VirtualLayout{})
  {
    memblock_add_node(mb, 0x100000, 0x40000000 - 0x100000, 0);
    memblock_add_node(mb, 0x48000000, 0x38000000, 1);  // 128 MiB hole
    mm.set_pageblock_order(9);
    if (kind == MemoryModelKind::flatmem) {
      pglist_data pgdat;
      pgdat.node_start_pfn = 0x100;
      pgdat.node_spanned_pages = 0x80000 - 0x100;
      alloc_node_mem_map(mm, mb, pgdat);
    } else {
      sparse_memory_present_with_active_regions(mm, mb);
      sparse_init(mm, mb, 9, log);
    }
    // Real struct pages, so that classic page_to_pfn() reads a section number.
    for (std::uint64_t sec : mm.memmap_sections()) {
      const MemoryModel::SectionPages p = mm.section_pages(sec);
      for (pfn_t i = 0; i < p.count; i++) set_page_links(p.first[i], 1, 0, section_nr_to_pfn(sec) + i, mm.flags_layout());
    }
    std::mt19937_64 gen(42);
    for (pfn_t& pfn : pfns) {
      do pfn = gen() % 0x80000;
      while (!mm.pfn_valid(pfn));
    }
  }
  static KconfigValues config(MemoryModelKind kind)
  {
    KconfigValues c = default_kconfig_values();
    // (assign(): GCC 12 warns falsely about operator=(const char*) here.)
    if (kind != MemoryModelKind::sparsemem_vmemmap) c["SPARSEMEM_VMEMMAP"].assign(1, 'n');
    if (kind == MemoryModelKind::flatmem) {
      c["SPARSEMEM"].assign(1, 'n');
      c["FLATMEM"].assign(1, 'y');
    }
    return c;
  }
  NullPrintk log;
  memblock mb;
  MemoryModel mm;
  std::array<pfn_t, 4096> pfns{};
};

Model& model(std::int64_t kind)
{
  static std::unique_ptr<Model> models[3];
  auto& m = models[kind];
  if (!m) m = std::make_unique<Model>(static_cast<MemoryModelKind>(kind));
  return *m;
}

const char* name(std::int64_t kind) { return memory_model_name(static_cast<MemoryModelKind>(kind)).data(); }

void BM_PfnToPage(benchmark::State& state)
{
  Model& m = model(state.range(0));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(m.mm.pfn_to_page(m.pfns[i++ & 4095]).value);
  state.SetLabel(name(state.range(0)));
}

void BM_PageToPfn(benchmark::State& state)
{
  Model& m = model(state.range(0));
  std::array<kva_t, 4096> pages{};
  for (std::size_t i = 0; i < pages.size(); i++) pages[i] = m.mm.pfn_to_page(m.pfns[i]).value;
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(m.mm.page_to_pfn(pages[i++ & 4095]).value);
  state.SetLabel(name(state.range(0)));
}

void BM_VirtToPage(benchmark::State& state)
{
  Model& m = model(state.range(0));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(m.mm.virt_to_page(m.mm.vm().__va(PFN_PHYS(m.pfns[i++ & 4095]))).value);
  state.SetLabel(name(state.range(0)));
}

// 0: FLATMEM, 1: SPARSEMEM, 2: SPARSEMEM_VMEMMAP (MemoryModelKind order).
BENCHMARK(BM_PfnToPage)->DenseRange(0, 2);
BENCHMARK(BM_PageToPfn)->DenseRange(0, 2);
BENCHMARK(BM_VirtToPage)->DenseRange(0, 2);

}  // namespace
}  // namespace pginit
