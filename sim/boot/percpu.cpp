// SPDX-License-Identifier: MIT
#include "boot/percpu.h"

#include <algorithm>

#include <fmt/format.h>

#include "panic.h"

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

void setup_up(BootState& st)
{
  st.percpu.kind = BootState::PercpuFirstChunk::Kind::km;
  st.percpu.unit_size = UP_UNIT_SIZE;
  KernelFrame f(st.stack, "memblock_virt_alloc_from_nopanic");
  const phys_addr_t fc = memblock_virt_alloc_try_nid_nopanic(st.memblock, UP_UNIT_SIZE, PAGE_SIZE, MAX_DMA_ADDRESS_PA,
                                                             MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
  if (fc == 0) throw KernelPanic("Failed to allocate memory for percpu areas.");
  st.percpu.unit_base = {st.vm.__va(fc)};
}

int cpu_to_node(const BootState& st, unsigned cpu)
{
  // CPUs are spread evenly over the online nodes, in order.
  const unsigned nodes = static_cast<unsigned>(std::max<std::size_t>(1, st.online_nodes.size()));
  const unsigned per_node = std::max(1u, st.scenario.machine.cpus / nodes);
  const std::size_t n = std::min<std::size_t>(cpu / per_node, nodes - 1);
  return st.online_nodes.empty() ? 0 : st.online_nodes[n];
}

// pcpu_embed_first_chunk(): one block per node group, PMD-aligned, node-local.
void setup_embed(BootState& st)
{
  st.percpu.kind = BootState::PercpuFirstChunk::Kind::embed;
  st.percpu.unit_size = EMBED_UNIT_SIZE;
  const unsigned cpus = nr_possible_cpus(st);
  st.percpu.unit_base.assign(cpus, 0);
  KernelFrame f(st.stack, "pcpu_embed_first_chunk");
  for (int nid : st.online_nodes.empty() ? std::vector<int>{0} : st.online_nodes) {
    std::vector<unsigned> group;
    for (unsigned cpu = 0; cpu < cpus; cpu++)
      if (cpu_to_node(st, cpu) == nid) group.push_back(cpu);
    if (group.empty()) continue;
    KernelFrame g(st.stack, "pcpu_fc_alloc");
    const phys_addr_t pa = memblock_virt_alloc_try_nid_nopanic(st.memblock, group.size() * EMBED_UNIT_SIZE, PMD_SIZE,
                                                               MAX_DMA_ADDRESS_PA, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
    if (pa == 0) throw KernelPanic("Failed to initialize percpu areas.");
    for (std::size_t i = 0; i < group.size(); i++) st.percpu.unit_base[group[i]] = st.vm.__va(pa) + i * EMBED_UNIT_SIZE;
  }
}

// pcpu_page_first_chunk(): every page of every unit from memblock, then vmap()ed.
void setup_page(BootState& st)
{
  st.percpu.kind = BootState::PercpuFirstChunk::Kind::page;
  st.percpu.unit_pages = PAGE_UNIT_PAGES;
  st.percpu.unit_size = PAGE_UNIT_PAGES * PAGE_SIZE;
  const unsigned cpus = nr_possible_cpus(st);
  KernelFrame f(st.stack, "pcpu_page_first_chunk");
  for (unsigned cpu = 0; cpu < cpus; cpu++) {
    st.percpu.unit_base.push_back(PCPU_VMALLOC_BASE + cpu * st.percpu.unit_size);
    for (std::uint64_t i = 0; i < PAGE_UNIT_PAGES; i++) {
      KernelFrame g(st.stack, "pcpu_fc_alloc");
      const phys_addr_t pa = memblock_virt_alloc_try_nid_nopanic(st.memblock, PAGE_SIZE, PAGE_SIZE, MAX_DMA_ADDRESS_PA,
                                                                 MEMBLOCK_ALLOC_ACCESSIBLE, cpu_to_node(st, cpu));
      if (pa == 0) throw KernelPanic("Failed to allocate memory for percpu areas.");
      st.percpu.page_phys.push_back(pa);
    }
  }
}

// What page_to_phys() made of the page, in words, for the report.
std::string describe(const Translation& t, pfn_t expected_pfn)
{
  if (!t.ok()) return fmt::format("page_to_pfn() faults: {}", t.fault);
  return fmt::format("page_to_pfn() = {:#x} (expected {:#x})", t.value >> PAGE_SHIFT, expected_pfn);
}

}  // namespace

unsigned nr_possible_cpus(const BootState& st)
{
  return kconfig_enabled(st.scenario.config, "SMP") ? st.scenario.machine.cpus : 1;
}

void setup_per_cpu_areas(BootState& st)
{
  KernelFrame frame(st.stack, "setup_per_cpu_areas");
  if (kconfig_enabled(st.scenario.config, "NEED_PER_CPU_KM")) return setup_up(st);
  if (st.scenario.boot.percpu_alloc == BootSpec::PercpuAlloc::page) return setup_page(st);
  setup_embed(st);
}

kva_t per_cpu_gdt_page(const BootState& st, unsigned cpu)
{
  // UP: per_cpu_ptr() is the identity and gdt_page is in the image's .data.
  if (st.percpu.kind == BootState::PercpuFirstChunk::Kind::km)
    return st.vm.kernel_image_va(st.scenario.boot.kernel_start + st.scenario.boot.gdt_page_offset);
  return st.percpu.unit_base.at(cpu);  // the page-aligned section comes first in the unit
}

Translation per_cpu_ptr_to_phys(BootState& st, kva_t addr)
{
  KernelFrame frame(st.stack, "per_cpu_ptr_to_phys");
  const std::size_t first_violation = st.checker.violations().size();
  const u64 offset_in_page = addr & (PAGE_SIZE - 1);

  bool in_first_chunk = false;
  std::size_t unit = 0;
  for (std::size_t cpu = 0; cpu < st.percpu.unit_base.size(); cpu++) {
    if (addr >= st.percpu.unit_base[cpu] && addr < st.percpu.unit_base[cpu] + st.percpu.unit_size) {
      in_first_chunk = true;
      unit = cpu;
    }
  }
  if (in_first_chunk && !is_vmalloc_addr(addr)) return {st.vm.__pa(addr), {}};  // embed: the direct map

  // The page behind addr, and the pfn it truly has.
  Translation page;
  pfn_t expected_pfn = 0;
  if (in_first_chunk) {
    KernelFrame f(st.stack, "vmalloc_to_page");
    const std::uint64_t index = unit * st.percpu.unit_pages + (addr - st.percpu.unit_base[unit]) / PAGE_SIZE;
    expected_pfn = PFN_DOWN(st.percpu.page_phys.at(index));
    page = st.mm.pfn_to_page(expected_pfn);  // pte_page(): from the pte's pfn
  } else {
    KernelFrame f(st.stack, "pcpu_addr_to_page");
    KernelFrame g(st.stack, "virt_to_page");
    expected_pfn = PFN_DOWN(st.vm.__pa(addr));
    page = st.mm.virt_to_page(addr);
  }
  Translation phys;
  if (!page.ok()) {
    phys = page;
  } else {
    KernelFrame f(st.stack, "page_to_phys");
    phys = st.mm.page_to_phys(page.value);
    if (phys.ok()) phys.value += offset_in_page;
  }

  const phys_addr_t expected = PFN_PHYS(expected_pfn) + offset_in_page;
  auto& violations = st.checker.violations();
  for (std::size_t i = first_violation; i < violations.size(); i++) {
    violations[i].translation = describe(phys.ok() ? Translation{phys.value - offset_in_page, {}} : phys, expected_pfn);
    violations[i].consequence =
        phys.ok() ? fmt::format("per_cpu_ptr_to_phys() returns {:#x} instead of {:#x}: the wrong page would be mapped",
                                phys.value, expected)
                  : fmt::format("per_cpu_ptr_to_phys() of {:#x} (pa {:#x}) never returns: the kernel takes an early "
                                "exception (the 0day report: \"PANIC: early exception 0x0d\")",
                                addr, expected);
  }
  if (violations.size() == first_violation) {
    const PageShadow* s = st.mm.shadow(expected_pfn);
    if (s != nullptr && (!s->initialized() || s->zeroed))
      st.notes.push_back(fmt::format("per_cpu_ptr_to_phys({:#x}): the struct page of pfn {:#x} is not initialized "
                                     "yet, but {}'s page_to_pfn() does not read it: nothing goes wrong",
                                     addr, expected_pfn, memory_model_name(st.mm.kind())));
  }
  return phys;
}

}  // namespace pginit
