// SPDX-License-Identifier: MIT
#include "boot/percpu.h"

#include <algorithm>

#include <fmt/format.h>

#include "include/linux/panic.h"

namespace pginit {

namespace {

constexpr phys_addr_t MAX_DMA_ADDRESS_PA = PFN_PHYS(MAX_DMA_PFN);
// UP: roundup_pow_of_two(max(PCPU_MIN_UNIT_SIZE, PERCPU_DYNAMIC_RESERVE)) = 32 KiB.
constexpr std::uint64_t UP_UNIT_SIZE = 32 * SZ_1K;
// SMP embed: the unit size x86_64 distribution kernels print ("u262144") [inference].
constexpr std::uint64_t EMBED_UNIT_SIZE = 256 * SZ_1K;
// SMP page first chunk: pages per unit (static + reserved + dynamic, about 47 pages) [inference].
constexpr std::uint64_t PAGE_UNIT_PAGES = 48;
// Where vm_area_register_early() puts the page first chunk: the start of vmalloc space.
constexpr kva_t PCPU_VMALLOC_BASE = VMALLOC_START_L4;

bool is_vmalloc_addr(kva_t a) { return a >= VMALLOC_START_L4 && a < VMALLOC_START_L4 + (u64{32} << 40); }

void setup_up(Kernel& k)
{
  k.percpu.kind = PercpuFirstChunk::Kind::km;
  k.percpu.unit_size = UP_UNIT_SIZE;
  KernelFrame f(k.stack, "memblock_virt_alloc_from_nopanic");
  const phys_addr_t fc = memblock_virt_alloc_try_nid_nopanic(k.memblock, UP_UNIT_SIZE, PAGE_SIZE, MAX_DMA_ADDRESS_PA,
                                                             MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
  if (fc == 0) throw KernelPanic("Failed to allocate memory for percpu areas.");
  k.percpu.unit_base = {k.vm.__va(fc)};
}

int cpu_to_node(const Kernel& k, unsigned cpu)
{
  // CPUs are spread evenly over the online nodes, in order.
  const unsigned nodes = static_cast<unsigned>(std::max<std::size_t>(1, k.online_nodes.size()));
  const unsigned per_node = std::max(1u, k.scenario().machine.cpus / nodes);
  const std::size_t n = std::min<std::size_t>(cpu / per_node, nodes - 1);
  return k.online_nodes.empty() ? 0 : k.online_nodes[n];
}

// pcpu_embed_first_chunk(): one block per node group, PMD-aligned, node-local.
void setup_embed(Kernel& k)
{
  k.percpu.kind = PercpuFirstChunk::Kind::embed;
  k.percpu.unit_size = EMBED_UNIT_SIZE;
  const unsigned cpus = nr_possible_cpus(k);
  k.percpu.unit_base.assign(cpus, 0);
  KernelFrame f(k.stack, "pcpu_embed_first_chunk");
  for (int nid : k.online_nodes.empty() ? std::vector<int>{0} : k.online_nodes) {
    std::vector<unsigned> group;
    for (unsigned cpu = 0; cpu < cpus; cpu++)
      if (cpu_to_node(k, cpu) == nid) group.push_back(cpu);
    if (group.empty()) continue;
    KernelFrame g(k.stack, "pcpu_fc_alloc");
    const phys_addr_t pa = memblock_virt_alloc_try_nid_nopanic(k.memblock, group.size() * EMBED_UNIT_SIZE, PMD_SIZE,
                                                               MAX_DMA_ADDRESS_PA, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
    if (pa == 0) throw KernelPanic("Failed to initialize percpu areas.");
    for (std::size_t i = 0; i < group.size(); i++) k.percpu.unit_base[group[i]] = k.vm.__va(pa) + i * EMBED_UNIT_SIZE;
  }
}

// pcpu_page_first_chunk(): every page of every unit from memblock, then vmap()ed.
void setup_page(Kernel& k)
{
  k.percpu.kind = PercpuFirstChunk::Kind::page;
  k.percpu.unit_pages = PAGE_UNIT_PAGES;
  k.percpu.unit_size = PAGE_UNIT_PAGES * PAGE_SIZE;
  const unsigned cpus = nr_possible_cpus(k);
  KernelFrame f(k.stack, "pcpu_page_first_chunk");
  for (unsigned cpu = 0; cpu < cpus; cpu++) {
    k.percpu.unit_base.push_back(PCPU_VMALLOC_BASE + cpu * k.percpu.unit_size);
    for (std::uint64_t i = 0; i < PAGE_UNIT_PAGES; i++) {
      KernelFrame g(k.stack, "pcpu_fc_alloc");
      const phys_addr_t pa = memblock_virt_alloc_try_nid_nopanic(k.memblock, PAGE_SIZE, PAGE_SIZE, MAX_DMA_ADDRESS_PA,
                                                                 MEMBLOCK_ALLOC_ACCESSIBLE, cpu_to_node(k, cpu));
      if (pa == 0) throw KernelPanic("Failed to allocate memory for percpu areas.");
      k.percpu.page_phys.push_back(pa);
    }
  }
}

}  // namespace

unsigned nr_possible_cpus(const Kernel& k)
{
  return k.config("SMP") ? k.scenario().machine.cpus : 1;
}

void setup_per_cpu_areas(Kernel& k)
{
  KernelFrame frame(k.stack, "setup_per_cpu_areas");
  if (k.config("NEED_PER_CPU_KM")) return setup_up(k);
  if (k.scenario().boot.percpu_alloc == BootSpec::PercpuAlloc::page) return setup_page(k);
  setup_embed(k);
}

std::uint64_t percpu_object_pages(const Kernel& k, const PercpuObject& o)
{
  return o.kasan_doubles && k.config("KASAN") ? 2 * o.pages : o.pages;  // KASAN_STACK_ORDER 1
}

std::optional<std::uint64_t> percpu_section_offset(const Kernel& k, std::string_view symbol)
{
  const CpuEntryAreaLayout& layout = k.version().cpu_entry_area;
  if (layout.first.symbol == symbol) return 0;
  // .data..percpu..first, then ALIGN(PAGE_SIZE), then the page-aligned objects.
  std::uint64_t offset = percpu_object_pages(k, layout.first) * PAGE_SIZE;
  for (const PercpuObject& o : layout.page_aligned) {
    if (o.needs_cpu_sup_intel && !k.config("CPU_SUP_INTEL")) continue;
    if (o.symbol == symbol) return offset;
    offset += percpu_object_pages(k, o) * PAGE_SIZE;
  }
  return std::nullopt;
}

kva_t per_cpu_symbol(const Kernel& k, std::string_view symbol, unsigned cpu)
{
  const std::uint64_t offset = percpu_section_offset(k, symbol).value();
  // UP: per_cpu_ptr() is the identity and the objects are in the image's
  // .data..page_aligned, in the same link order as the SMP per-cpu section;
  // the scenario says where gdt_page is, the others keep their distance
  // from it [inference: no UP System.map at hand].
  if (k.percpu.kind == PercpuFirstChunk::Kind::km) {
    const std::uint64_t gdt = percpu_section_offset(k, "gdt_page").value();
    return k.vm.kernel_image_va(k.scenario().boot.kernel_start + k.scenario().boot.gdt_page_offset) + offset - gdt;
  }
  return k.percpu.unit_base.at(cpu) + offset;  // the static area starts each unit
}

Translation per_cpu_ptr_to_phys(Kernel& k, kva_t addr, std::string_view what)
{
  KernelFrame frame(k.stack, "per_cpu_ptr_to_phys");
  const u64 offset_in_page = addr & (PAGE_SIZE - 1);

  bool in_first_chunk = false;
  std::size_t unit = 0;
  for (std::size_t cpu = 0; cpu < k.percpu.unit_base.size(); cpu++) {
    if (addr >= k.percpu.unit_base[cpu] && addr < k.percpu.unit_base[cpu] + k.percpu.unit_size) {
      in_first_chunk = true;
      unit = cpu;
    }
  }
  if (in_first_chunk && !is_vmalloc_addr(addr)) return {k.vm.__pa(addr), {}};  // embed: the direct map

  // The page behind addr, and the pfn it truly has.
  Translation page;
  pfn_t expected_pfn = 0;
  if (in_first_chunk) {
    KernelFrame f(k.stack, "vmalloc_to_page");
    const std::uint64_t index = unit * k.percpu.unit_pages + (addr - k.percpu.unit_base[unit]) / PAGE_SIZE;
    expected_pfn = PFN_DOWN(k.percpu.page_phys.at(index));
    page = k.mm.pfn_to_page(expected_pfn);  // pte_page(): from the pte's pfn
  } else {
    KernelFrame f(k.stack, "pcpu_addr_to_page");
    KernelFrame g(k.stack, "virt_to_page");
    expected_pfn = PFN_DOWN(k.vm.__pa(addr));
    page = k.mm.virt_to_page(addr);
  }
  Translation phys;
  if (!page.ok()) {
    phys = page;
  } else {
    KernelFrame f(k.stack, "page_to_phys");
    phys = k.mm.page_to_phys(page.value);
    if (phys.ok()) phys.value += offset_in_page;
  }

  // The checker tells whether a struct page read on the way was uninitialized.
  TranslationEvent event;
  event.addr = addr;
  event.what = what;
  event.expected_pfn = expected_pfn;
  event.expected = PFN_PHYS(expected_pfn) + offset_in_page;
  event.ok = phys.ok();
  event.value = phys.value;
  event.fault = phys.fault;
  k.observer.on_translation(k, event);
  return phys;
}

}  // namespace pginit
