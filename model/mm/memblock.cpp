// SPDX-License-Identifier: MIT
// memblock.cpp - adding, removing, splitting and merging memblock regions
// (mm/memblock.c, v4.17: memblock_add_range, memblock_isolate_range,
// memblock_merge_regions, memblock_double_array and their callers).
#include "include/linux/memblock.h"

#include <algorithm>
#include <cassert>
#include <cerrno>

namespace pginit {

namespace {

memblock_type make_type(const char* name)
{
  memblock_type t;
  t.name = name;
  // The static init arrays are zero-filled, so the initial dummy entry has
  // nid 0 (not MAX_NUMNODES): a dump before the first add says "on node 0".
  t.regions.push_back(memblock_region{});
  return t;
}

// memblock_cap_size: keep base + size from wrapping past PHYS_ADDR_MAX.
phys_addr_t memblock_cap_size(phys_addr_t base, phys_addr_t* size)
{
  *size = std::min(*size, PHYS_ADDR_MAX - base);
  return *size;
}

void memblock_insert_region(memblock_type& type, int idx, phys_addr_t base, phys_addr_t size,
                            int nid, unsigned long flags)
{
  assert(type.cnt() < type.max);  // the kernel BUG_ONs; callers double first
  type.regions.insert(type.regions.begin() + idx, memblock_region{base, size, flags, nid});
  type.total_size += size;
}

void memblock_remove_region(memblock& mb, memblock_type& type, std::size_t r)
{
  type.total_size -= type.regions[r].size;
  type.regions.erase(type.regions.begin() + static_cast<std::ptrdiff_t>(r));
  // An emptied array gets its dummy entry back, now with nid MAX_NUMNODES.
  if (type.regions.empty()) type.regions.push_back(memblock_region{0, 0, 0, mb.max_numnodes});
}

// Merge neighbours that touch and agree on node and flags. Overlap here
// would be a bug in the callers (the kernel BUG_ONs).
void memblock_merge_regions(memblock_type& type)
{
  std::size_t i = 0;
  while (i + 1 < type.regions.size()) {
    memblock_region& self = type.regions[i];
    const memblock_region& next = type.regions[i + 1];
    if (self.end() != next.base || self.nid != next.nid || self.flags != next.flags) {
      assert(self.end() <= next.base);
      ++i;
      continue;
    }
    self.size += next.size;
    type.regions.erase(type.regions.begin() + static_cast<std::ptrdiff_t>(i) + 1);
  }
}

bool is_static_array(const memblock_type& type) { return type.array_phys == 0; }

// Double the region array of @type. The new array is itself allocated from
// memblock (so it shows up in memblock.reserved) while avoiding the range
// [new_area_start, +new_area_size) that is about to be reserved.
int memblock_double_array(memblock& mb, memblock_type& type, phys_addr_t new_area_start,
                          phys_addr_t new_area_size)
{
  KernelFrame frame(mb.stack, "memblock_double_array");

  // Resizing is refused until the arch knows which memory is unsuitable.
  if (!mb.can_resize) return -1;

  const phys_addr_t old_size = type.max * MEMBLOCK_REGION_BYTES;
  const phys_addr_t new_size = old_size << 1;
  // Page-aligned so that the arrays can be freed completely later.
  const phys_addr_t old_alloc_size = PAGE_ALIGN(old_size);
  const phys_addr_t new_alloc_size = PAGE_ALIGN(new_size);

  // Only a new reserved array must avoid the range being reserved.
  if (&type != &mb.reserved) new_area_start = new_area_size = 0;

  phys_addr_t addr = memblock_find_in_range(mb, new_area_start + new_area_size, mb.current_limit,
                                            new_alloc_size, PAGE_SIZE);
  if (addr == 0 && new_area_size != 0)
    addr = memblock_find_in_range(mb, 0, std::min(new_area_start, mb.current_limit),
                                  new_alloc_size, PAGE_SIZE);
  if (addr == 0) {
    mb.log->printk(LogLevel::err,
                   fmt::format("memblock: Failed to double {} array from {} to {} entries !",
                               type.name, type.max, type.max * 2));
    return -1;
  }

  // "[%#010llx-%#010llx]" until v4.18, "[%pa-%pa]" from v4.19.
  memblock_dbg(mb, fmt::format("memblock: {} is doubled to {} at {}", type.name, type.max * 2,
                               memblock_dbg_range(addr, new_size, mb.dialect->double_array_pa, 10)));

  // Switch arrays before reserving: the full array may be the reserved one.
  const phys_addr_t old_phys = type.array_phys;
  const bool old_static = is_static_array(type);
  type.max <<= 1;
  type.array_phys = addr;

  // The static array is in the kernel image; a memblock-allocated one is freed.
  if (!old_static) {
    // 6.1 frees the old array through the pointer-taking memblock_free().
    KernelFrame f(mb.dialect->free_takes_pointer ? mb.stack : nullptr, "memblock_free");
    memblock_free(mb, old_phys, old_alloc_size);
  }

  const int ret = memblock_reserve(mb, addr, new_alloc_size);
  assert(ret == 0);  // the kernel BUG_ONs: there is room, the array just doubled
  (void)ret;
  return 0;
}

int memblock_setclr_flag(memblock& mb, phys_addr_t base, phys_addr_t size, bool set,
                         unsigned long flag)
{
  memblock_type& type = mb.memory;
  int start_rgn = 0;
  int end_rgn = 0;
  const int ret = memblock_isolate_range(mb, type, base, size, &start_rgn, &end_rgn);
  if (ret != 0) return ret;
  for (int i = start_rgn; i < end_rgn; i++) {
    auto& flags = type.regions[static_cast<std::size_t>(i)].flags;
    flags = set ? (flags | flag) : (flags & ~flag);
  }
  memblock_merge_regions(type);
  return 0;
}

}  // namespace

memblock::memblock(int max_numnodes_, Printk& log_, CallStack* stack_)
    : memory(make_type("memory")),
      reserved(make_type("reserved")),
      max_numnodes(max_numnodes_),
      log(&log_),
      stack(stack_)
{
}

// Add [base, base + size) to @type. The new range may overlap existing
// regions: only the uncovered parts are inserted and existing regions are
// left alone. Two passes: the first counts the pieces (and grows the array
// if needed, before anything changes), the second inserts them.
int memblock_add_range(memblock& mb, memblock_type& type, phys_addr_t base, phys_addr_t size,
                       int nid, unsigned long flags)
{
  const phys_addr_t obase = base;
  const phys_addr_t end = base + memblock_cap_size(base, &size);

  if (size == 0) return 0;

  // An empty array: overwrite the dummy entry.
  if (type.regions[0].size == 0) {
    type.regions[0] = memblock_region{base, size, flags, nid};
    type.total_size = size;
    return 0;
  }

  for (bool insert : {false, true}) {
    base = obase;
    int nr_new = 0;
    std::size_t idx = 0;
    for (; idx < type.regions.size(); idx++) {
      const phys_addr_t rbase = type.regions[idx].base;
      const phys_addr_t rend = rbase + type.regions[idx].size;
      if (rbase >= end) break;
      if (rend <= base) continue;
      // This region overlaps; the part of the new range below it is new.
      if (rbase > base) {
        nr_new++;
        if (insert) {
          memblock_insert_region(type, static_cast<int>(idx), base, rbase - base, nid, flags);
          idx++;
        }
      }
      base = std::min(rend, end);
    }
    // The part above the last overlapping region.
    if (base < end) {
      nr_new++;
      if (insert) memblock_insert_region(type, static_cast<int>(idx), base, end - base, nid, flags);
    }

    if (nr_new == 0) return 0;

    if (!insert) {
      while (type.cnt() + static_cast<unsigned long>(nr_new) > type.max)
        if (memblock_double_array(mb, type, obase, size) < 0) return -ENOMEM;
    }
  }
  memblock_merge_regions(type);
  return 0;
}

int memblock_add_node(memblock& mb, phys_addr_t base, phys_addr_t size, int nid)
{
  return memblock_add_range(mb, mb.memory, base, size, nid, MEMBLOCK_NONE);
}

int memblock_add(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  memblock_dbg(mb, fmt::format("memblock_add: [{}-{}] {}", fmt_pa(base), fmt_pa(base + size - 1),
                               memblock_caller(mb)));
  return memblock_add_range(mb, mb.memory, base, size, mb.max_numnodes, MEMBLOCK_NONE);
}

int memblock_reserve(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  memblock_dbg(mb, fmt::format("memblock_reserve: [{}-{}] {}", fmt_pa(base),
                               fmt_pa(base + size - 1), memblock_caller(mb)));
  return memblock_add_range(mb, mb.reserved, base, size, mb.max_numnodes, MEMBLOCK_NONE);
}

// Split regions of @type that straddle base or base + size, so that the range
// is covered by whole regions [*start_rgn, *end_rgn). At most two new regions
// appear, so the array is grown first if it has less than two free slots.
int memblock_isolate_range(memblock& mb, memblock_type& type, phys_addr_t base, phys_addr_t size,
                           int* start_rgn, int* end_rgn)
{
  const phys_addr_t end = base + memblock_cap_size(base, &size);
  *start_rgn = *end_rgn = 0;
  if (size == 0) return 0;

  while (type.cnt() + 2 > type.max)
    if (memblock_double_array(mb, type, base, size) < 0) return -ENOMEM;

  for (int idx = 0; idx < static_cast<int>(type.regions.size()); idx++) {
    memblock_region& rgn = type.regions[static_cast<std::size_t>(idx)];
    const phys_addr_t rbase = rgn.base;
    const phys_addr_t rend = rbase + rgn.size;
    if (rbase >= end) break;
    if (rend <= base) continue;

    if (rbase < base) {
      // Straddles the start: split off the lower part, continue with the upper.
      rgn.base = base;
      rgn.size -= base - rbase;
      type.total_size -= base - rbase;
      const memblock_region upper = rgn;
      memblock_insert_region(type, idx, rbase, base - rbase, upper.nid, upper.flags);
    } else if (rend > end) {
      // Straddles the end: split off the lower part and look at it again.
      rgn.base = end;
      rgn.size -= end - rbase;
      type.total_size -= end - rbase;
      const memblock_region upper = rgn;
      memblock_insert_region(type, idx, rbase, end - rbase, upper.nid, upper.flags);
      idx--;
    } else {
      if (*end_rgn == 0) *start_rgn = idx;
      *end_rgn = idx + 1;
    }
  }
  return 0;
}

int memblock_remove_range(memblock& mb, memblock_type& type, phys_addr_t base, phys_addr_t size)
{
  int start_rgn = 0;
  int end_rgn = 0;
  const int ret = memblock_isolate_range(mb, type, base, size, &start_rgn, &end_rgn);
  if (ret != 0) return ret;
  for (int i = end_rgn - 1; i >= start_rgn; i--)
    memblock_remove_region(mb, type, static_cast<std::size_t>(i));
  return 0;
}

int memblock_remove(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  if (mb.dialect->remove_dbg)
    memblock_dbg(mb, fmt::format("memblock_remove: [{}-{}] {}", fmt_pa(base), fmt_pa(base + size - 1),
                                 memblock_caller(mb)));
  return memblock_remove_range(mb, mb.memory, base, size);
}

int memblock_free(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  memblock_dbg(mb, fmt::format("{}: [{}-{}] {}", mb.dialect->phys_free, fmt_pa(base), fmt_pa(base + size - 1),
                               memblock_caller(mb)));
  return memblock_remove_range(mb, mb.reserved, base, size);
}

int memblock_set_node(memblock& mb, phys_addr_t base, phys_addr_t size, memblock_type& type,
                      int nid)
{
  int start_rgn = 0;
  int end_rgn = 0;
  const int ret = memblock_isolate_range(mb, type, base, size, &start_rgn, &end_rgn);
  if (ret != 0) return ret;
  for (int i = start_rgn; i < end_rgn; i++) type.regions[static_cast<std::size_t>(i)].nid = nid;
  memblock_merge_regions(type);
  return 0;
}

int memblock_mark_hotplug(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  return memblock_setclr_flag(mb, base, size, true, MEMBLOCK_HOTPLUG);
}

int memblock_clear_hotplug(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  return memblock_setclr_flag(mb, base, size, false, MEMBLOCK_HOTPLUG);
}

int memblock_mark_mirror(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  mb.system_has_some_mirror = true;
  return memblock_setclr_flag(mb, base, size, true, MEMBLOCK_MIRROR);
}

int memblock_mark_nomap(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  return memblock_setclr_flag(mb, base, size, true, MEMBLOCK_NOMAP);
}

int memblock_clear_nomap(memblock& mb, phys_addr_t base, phys_addr_t size)
{
  return memblock_setclr_flag(mb, base, size, false, MEMBLOCK_NOMAP);
}

// Round every memory region inward to @align and drop those that vanish
// (x86 calls it with PAGE_SIZE so memblock.memory holds whole pages only).
// Like v4.17, this does not update memory.total_size for regions it shrinks,
// so "memory size" in the memblock=debug dump still counts the trimmed bytes.
void memblock_trim_memory(memblock& mb, phys_addr_t align)
{
  memblock_type& mem = mb.memory;
  for (std::size_t i = 0; i < mem.regions.size(); i++) {
    memblock_region& r = mem.regions[i];
    const phys_addr_t orig_start = r.base;
    const phys_addr_t orig_end = r.base + r.size;
    const phys_addr_t start = round_up(orig_start, align);
    const phys_addr_t end = round_down(orig_end, align);
    if (start == orig_start && end == orig_end) continue;
    if (start < end) {
      r.base = start;
      r.size = end - start;
    } else {
      memblock_remove_region(mb, mem, i);
      i--;
    }
  }
}

void memblock_allow_resize(memblock& mb) { mb.can_resize = true; }
void memblock_set_bottom_up(memblock& mb, bool enable) { mb.bottom_up = enable; }
void memblock_set_current_limit(memblock& mb, phys_addr_t limit) { mb.current_limit = limit; }
phys_addr_t memblock_phys_mem_size(const memblock& mb) { return mb.memory.total_size; }
phys_addr_t memblock_reserved_size(const memblock& mb) { return mb.reserved.total_size; }

bool memblock_is_region_reserved(const memblock& mb, phys_addr_t base, phys_addr_t size)
{
  const phys_addr_t end = base + std::min(size, PHYS_ADDR_MAX - base);
  return std::any_of(mb.reserved.regions.begin(), mb.reserved.regions.end(),
                     [&](const memblock_region& r) { return base < r.end() && r.base < end; });
}

bool memblock_is_memory(const memblock& mb, phys_addr_t addr)
{
  return std::any_of(mb.memory.regions.begin(), mb.memory.regions.end(),
                     [&](const memblock_region& r) { return r.base <= addr && addr < r.end(); });
}

}  // namespace pginit
