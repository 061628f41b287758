// SPDX-License-Identifier: MIT
// memblock_alloc.cpp - finding free ranges and allocating from memblock
// (mm/memblock.c v4.17: __next_mem_range, __memblock_find_range_*,
// memblock_find_in_range_node, memblock_alloc_range_nid and
// memblock_virt_alloc_internal with its try-nid wrappers).
#include <algorithm>

#include "include/linux/memblock.h"
#include "include/linux/panic.h"

namespace pginit {

namespace {

bool memblock_is_hotpluggable(const memblock_region& m) { return (m.flags & MEMBLOCK_HOTPLUG) != 0; }
bool memblock_is_mirror(const memblock_region& m) { return (m.flags & MEMBLOCK_MIRROR) != 0; }
bool memblock_is_nomap(const memblock_region& m) { return (m.flags & MEMBLOCK_NOMAP) != 0; }

unsigned long choose_memblock_flags(const memblock& mb)
{
  return mb.system_has_some_mirror ? MEMBLOCK_MIRROR : MEMBLOCK_NONE;
}

// Bottom-up: the lowest fitting candidate of the lowest free range.
phys_addr_t find_range_bottom_up(const memblock& mb, phys_addr_t start, phys_addr_t end,
                                 phys_addr_t size, phys_addr_t align, int nid, unsigned long flags)
{
  for (const mem_range& r : free_mem_ranges(mb, nid, flags)) {
    const phys_addr_t this_start = clamp(r.start, start, end);
    const phys_addr_t this_end = clamp(r.end, start, end);
    const phys_addr_t cand = round_up(this_start, align);
    if (cand < this_end && this_end - cand >= size) return cand;
  }
  return 0;
}

// Top-down: the highest fitting candidate of the highest free range.
phys_addr_t find_range_top_down(const memblock& mb, phys_addr_t start, phys_addr_t end,
                                phys_addr_t size, phys_addr_t align, int nid, unsigned long flags)
{
  const std::vector<mem_range> ranges = free_mem_ranges(mb, nid, flags);
  for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
    const phys_addr_t this_start = clamp(it->start, start, end);
    const phys_addr_t this_end = clamp(it->end, start, end);
    if (this_end < size) continue;
    const phys_addr_t cand = round_down(this_end - size, align);
    if (cand >= this_start) return cand;
  }
  return 0;
}

// memblock_virt_alloc_internal (v4.x) / memblock_alloc_internal (v5.x):
// the fallback ladder of every nid allocator: the node, then any node (not
// for exact_nid), then from address 0, then without MIRROR. (v5.2 on drop
// MIRROR before address 0; only a mirrored machine tells the two apart.)
// Returns the physical address, reserved, or 0.
phys_addr_t memblock_virt_alloc_internal(memblock& mb, phys_addr_t size, phys_addr_t align,
                                         phys_addr_t min_addr, phys_addr_t max_addr, int nid,
                                         bool exact_nid = false)
{
  // The memblock_reserve() below is this version's alloc_reserver's.
  KernelFrame frame(mb.stack, mb.dialect->alloc_reserver);
  unsigned long flags = choose_memblock_flags(mb);

  // WARN_ONCE "Usage of MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead"
  if (nid == mb.max_numnodes) nid = NUMA_NO_NODE;
  if (align == 0) align = SMP_CACHE_BYTES;
  if (max_addr > mb.current_limit) max_addr = mb.current_limit;

  for (;;) {
    phys_addr_t alloc = memblock_find_in_range_node(mb, size, align, min_addr, max_addr, nid, flags);
    if (alloc != 0 && memblock_reserve(mb, alloc, size) == 0) return alloc;

    if (nid != NUMA_NO_NODE && !exact_nid) {
      alloc = memblock_find_in_range_node(mb, size, align, min_addr, max_addr, NUMA_NO_NODE, flags);
      if (alloc != 0 && memblock_reserve(mb, alloc, size) == 0) return alloc;
    }

    if (min_addr != 0) {
      min_addr = 0;
      continue;
    }
    if ((flags & MEMBLOCK_MIRROR) != 0) {
      flags &= ~static_cast<unsigned long>(MEMBLOCK_MIRROR);
      mb.log->printk(LogLevel::warning,
                     fmt::format("Could not allocate {} bytes of mirrored memory", fmt_pa(size)));
      continue;
    }
    return 0;
  }
}

// "%s: %llu bytes align=0x%llx nid=%d from=... max_addr=... %pF": the
// addresses as 0x%llx until v4.18, %pa from v4.19.
void dbg_virt_alloc(const memblock& mb, const char* fn, phys_addr_t size, phys_addr_t align,
                    phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
  const auto addr = [&mb](phys_addr_t a) { return mb.dialect->alloc_range_pa ? fmt_pa(a) : fmt::format("{:#x}", a); };
  memblock_dbg(mb, fmt::format("{}: {} bytes align={:#x} nid={} from={} max_addr={} {}", fn, size, align, nid,
                               addr(min_addr), addr(max_addr), memblock_caller(mb)));
}

}  // namespace

std::vector<mem_range> free_mem_ranges(const memblock& mb, int nid, unsigned long flags)
{
  // __next_mem_range with type_a = memory, type_b = reserved: intersect each
  // memory region with each gap between reserved regions, in address order.
  if (nid == mb.max_numnodes) nid = NUMA_NO_NODE;  // WARN_ONCE in the kernel
  std::vector<mem_range> out;
  const auto& rsv = mb.reserved.regions;
  std::size_t idx_b = 0;
  for (const memblock_region& m : mb.memory.regions) {
    if (nid != NUMA_NO_NODE && nid != m.nid) continue;
    if (mb.movable_node && memblock_is_hotpluggable(m)) continue;
    if ((flags & MEMBLOCK_MIRROR) != 0 && !memblock_is_mirror(m)) continue;
    if ((flags & MEMBLOCK_NOMAP) == 0 && memblock_is_nomap(m)) continue;

    const phys_addr_t m_start = m.base;
    const phys_addr_t m_end = m.end();
    // Gap idx_b lies between reserved[idx_b - 1] and reserved[idx_b].
    for (std::size_t b = idx_b; b <= rsv.size(); b++) {
      const phys_addr_t r_start = b != 0 ? rsv[b - 1].end() : 0;
      const phys_addr_t r_end = b < rsv.size() ? rsv[b].base : PHYS_ADDR_MAX;
      if (r_start >= m_end) break;
      if (m_start < r_end) {
        const phys_addr_t s = std::max(m_start, r_start);
        const phys_addr_t e = std::min(m_end, r_end);
        if (s < e) out.push_back(mem_range{s, e, m.nid});
      }
      // Gaps that end inside this region cannot reach the next one.
      if (r_end <= m_end) idx_b = b + 1;
    }
  }
  return out;
}

std::vector<pfn_range> mem_pfn_ranges(const memblock& mb, int nid)
{
  std::vector<pfn_range> out;
  for (const memblock_region& r : mb.memory.regions) {
    if (PFN_UP(r.base) >= PFN_DOWN(r.end())) continue;
    if (nid == mb.max_numnodes || nid == r.nid)
      out.push_back(pfn_range{PFN_UP(r.base), PFN_DOWN(r.end()), r.nid});
  }
  return out;
}

phys_addr_t memblock_find_in_range_node(memblock& mb, phys_addr_t size, phys_addr_t align,
                                        phys_addr_t start, phys_addr_t end, int nid,
                                        unsigned long flags)
{
  if (end == MEMBLOCK_ALLOC_ACCESSIBLE) end = mb.current_limit;

  // Never hand out the first page.
  start = std::max(start, PAGE_SIZE);
  end = std::max(start, end);

  // Bottom-up allocation stays above the kernel image, so that allocations
  // land on the kernel's node (the reason it exists: movable_node).
  if (mb.bottom_up && end > mb.kernel_end) {
    const phys_addr_t bottom_up_start = std::max(start, mb.kernel_end);
    const phys_addr_t ret = find_range_bottom_up(mb, bottom_up_start, end, size, align, nid, flags);
    if (ret != 0) return ret;
    // WARN_ONCE: "memblock: bottom-up allocation failed, memory hotunplug may be affected"
  }
  return find_range_top_down(mb, start, end, size, align, nid, flags);
}

phys_addr_t memblock_find_in_range(memblock& mb, phys_addr_t start, phys_addr_t end,
                                   phys_addr_t size, phys_addr_t align)
{
  unsigned long flags = choose_memblock_flags(mb);
  for (;;) {
    const phys_addr_t ret = memblock_find_in_range_node(mb, size, align, start, end, NUMA_NO_NODE, flags);
    if (ret == 0 && (flags & MEMBLOCK_MIRROR) != 0) {
      mb.log->printk(LogLevel::warning,
                     fmt::format("Could not allocate {} bytes of mirrored memory", fmt_pa(size)));
      flags &= ~static_cast<unsigned long>(MEMBLOCK_MIRROR);
      continue;
    }
    return ret;
  }
}

phys_addr_t memblock_alloc_range_nid(memblock& mb, phys_addr_t size, phys_addr_t align,
                                     phys_addr_t start, phys_addr_t end, int nid,
                                     unsigned long flags)
{
  KernelFrame frame(mb.stack, "memblock_alloc_range_nid");
  if (align == 0) align = SMP_CACHE_BYTES;
  const phys_addr_t found = memblock_find_in_range_node(mb, size, align, start, end, nid, flags);
  if (found != 0 && memblock_reserve(mb, found, size) == 0) return found;
  return 0;
}

phys_addr_t memblock_alloc_base_nid(memblock& mb, phys_addr_t size, phys_addr_t align,
                                    phys_addr_t max_addr, int nid, unsigned long flags)
{
  return memblock_alloc_range_nid(mb, size, align, 0, max_addr, nid, flags);
}

phys_addr_t memblock_alloc_nid(memblock& mb, phys_addr_t size, phys_addr_t align, int nid)
{
  unsigned long flags = choose_memblock_flags(mb);
  for (;;) {
    const phys_addr_t ret = memblock_alloc_base_nid(mb, size, align, MEMBLOCK_ALLOC_ACCESSIBLE, nid, flags);
    if (ret == 0 && (flags & MEMBLOCK_MIRROR) != 0) {
      flags &= ~static_cast<unsigned long>(MEMBLOCK_MIRROR);
      continue;
    }
    return ret;
  }
}

phys_addr_t memblock_phys_alloc_try_nid(memblock& mb, phys_addr_t size, phys_addr_t align, int nid)
{
  unsigned long flags = choose_memblock_flags(mb);
  for (;;) {
    phys_addr_t found = memblock_alloc_range_nid(mb, size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid, flags);
    if (found == 0 && nid != NUMA_NO_NODE)
      found = memblock_alloc_range_nid(mb, size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE, flags);
    if (found == 0 && (flags & MEMBLOCK_MIRROR) != 0) {
      flags &= ~static_cast<unsigned long>(MEMBLOCK_MIRROR);
      mb.log->printk(LogLevel::warning,
                     fmt::format("Could not allocate {} bytes of mirrored memory", fmt_pa(size)));
      continue;
    }
    return found;
  }
}

phys_addr_t memblock_virt_alloc_try_nid_raw(memblock& mb, phys_addr_t size, phys_addr_t align,
                                            phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
  dbg_virt_alloc(mb, mb.dialect->alloc_try_nid_raw, size, align, min_addr, max_addr, nid);
  return memblock_virt_alloc_internal(mb, size, align, min_addr, max_addr, nid);
}

phys_addr_t memblock_alloc_exact_nid_raw(memblock& mb, phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
                                         phys_addr_t max_addr, int nid)
{
  const char* fn = mb.dialect->alloc_exact_nid_raw != nullptr ? mb.dialect->alloc_exact_nid_raw : "memblock_alloc_exact_nid_raw";
  dbg_virt_alloc(mb, fn, size, align, min_addr, max_addr, nid);
  return memblock_virt_alloc_internal(mb, size, align, min_addr, max_addr, nid, true);
}

phys_addr_t memblock_virt_alloc_try_nid_nopanic(memblock& mb, phys_addr_t size,
                                                phys_addr_t align, phys_addr_t min_addr,
                                                phys_addr_t max_addr, int nid)
{
  dbg_virt_alloc(mb, mb.dialect->alloc_try_nid_nopanic, size, align, min_addr, max_addr, nid);
  return memblock_virt_alloc_internal(mb, size, align, min_addr, max_addr, nid);
}

phys_addr_t memblock_virt_alloc_try_nid(memblock& mb, phys_addr_t size, phys_addr_t align,
                                        phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
  dbg_virt_alloc(mb, mb.dialect->alloc_try_nid, size, align, min_addr, max_addr, nid);
  const phys_addr_t pa = memblock_virt_alloc_internal(mb, size, align, min_addr, max_addr, nid);
  if (pa == 0)
    throw KernelPanic(fmt::format("memblock_virt_alloc_try_nid: Failed to allocate {} bytes align={:#x} nid={} "
                                  "from={:#x} max_addr={:#x}",
                                  size, align, nid, min_addr, max_addr));
  return pa;
}

phys_addr_t memblock_virt_alloc(memblock& mb, phys_addr_t size, phys_addr_t align)
{
  return memblock_virt_alloc_try_nid(mb, size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}

phys_addr_t memblock_virt_alloc_node(memblock& mb, phys_addr_t size, int nid)
{
  return memblock_virt_alloc_try_nid(mb, size, 0, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
}

phys_addr_t memblock_virt_alloc_node_nopanic(memblock& mb, phys_addr_t size, int nid)
{
  return memblock_virt_alloc_try_nid_nopanic(mb, size, 0, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
}

void __memblock_free_early(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  // "%s: [%#016llx-%#016llx] %pF" until v4.18, "%s: [%pa-%pa] %pF" in v4.19.
  memblock_dbg(mb, fmt::format("__memblock_free_early: {} {}",
                               memblock_dbg_range(base, size, mb.dialect->free_early_pa, 16), memblock_caller(mb)));
  memblock_remove_range(mb, mb.reserved, base, size);
}

void memblock_free_early(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  if (mb.dialect->free_early != nullptr) {
    __memblock_free_early(mb, base, size);
    return;
  }
  KernelFrame frame(mb.dialect->free_takes_pointer ? mb.stack : nullptr, "memblock_free");
  memblock_free(mb, base, size);
}

phys_addr_t memblock_phys_alloc_range(memblock& mb, phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                      phys_addr_t end)
{
  if (mb.dialect->phys_alloc_range_dbg)
    memblock_dbg(mb, fmt::format("memblock_phys_alloc_range: {} bytes align={:#x} from={} max_addr={} {}", size, align,
                                 fmt_pa(start), fmt_pa(end), memblock_caller(mb)));
  return memblock_alloc_range_nid(mb, size, align, start, end, NUMA_NO_NODE, MEMBLOCK_NONE);
}

}  // namespace pginit
