// SPDX-License-Identifier: MIT
// memblock_debug.cpp - the memblock=debug output: memblock_dbg() lines and
// __memblock_dump_all(), and each version's memblock_dialect: which format
// and which function name each memblock_dbg() line has (mm/memblock.c of the
// trees named in docs/kernel-versions.md).
#include "include/linux/memblock.h"

namespace pginit {

// v4.15 - v4.17 (the 4.15.0 and 4.17.0 trees): no memblock_remove line,
// "[%#010llx-%#010llx]" doubled arrays, from=0x%llx, the "_virt" names.
const memblock_dialect memblock_dialect_v4_15{
    .name = "v4.15", .double_array_pa = false, .remove_dbg = false, .alloc_range_pa = false,
    .alloc_try_nid = "memblock_virt_alloc_try_nid", .alloc_try_nid_raw = "memblock_virt_alloc_try_nid_raw",
    .alloc_try_nid_nopanic = "memblock_virt_alloc_try_nid_nopanic", .alloc_exact_nid_raw = nullptr,
    .alloc_reserver = "memblock_virt_alloc_internal", .phys_free = "   memblock_free",
    .free_early = "__memblock_free_early", .free_early_pa = false, .free_takes_pointer = false,
    .phys_alloc_range_dbg = false};

// v4.18 (the 4.18.0 tree): as v4.15, and memblock_remove() prints its range.
const memblock_dialect memblock_dialect_v4_18{
    .name = "v4.18", .double_array_pa = false, .remove_dbg = true, .alloc_range_pa = false,
    .alloc_try_nid = "memblock_virt_alloc_try_nid", .alloc_try_nid_raw = "memblock_virt_alloc_try_nid_raw",
    .alloc_try_nid_nopanic = "memblock_virt_alloc_try_nid_nopanic", .alloc_exact_nid_raw = nullptr,
    .alloc_reserver = "memblock_virt_alloc_internal", .phys_free = "   memblock_free",
    .free_early = "__memblock_free_early", .free_early_pa = false, .free_takes_pointer = false,
    .phys_alloc_range_dbg = false};

// v4.19 (the 4.19.0 tree): every address in %pa, the "_virt" names still.
const memblock_dialect memblock_dialect_v4_19{
    .name = "v4.19", .double_array_pa = true, .remove_dbg = true, .alloc_range_pa = true,
    .alloc_try_nid = "memblock_virt_alloc_try_nid", .alloc_try_nid_raw = "memblock_virt_alloc_try_nid_raw",
    .alloc_try_nid_nopanic = "memblock_virt_alloc_try_nid_nopanic", .alloc_exact_nid_raw = nullptr,
    .alloc_reserver = "memblock_virt_alloc_internal", .phys_free = "   memblock_free",
    .free_early = "__memblock_free_early", .free_early_pa = true, .free_takes_pointer = false,
    .phys_alloc_range_dbg = false};

// v5.2 (the 5.2.1 tree; names as in 4.20.0 and 5.0.1 but for _nopanic):
// memblock_alloc_try_nid{,_raw}; memblock_alloc_range_nid() reserves;
// memblock_free_early() is memblock_free().
const memblock_dialect memblock_dialect_v5_2{
    .name = "v5.2", .double_array_pa = true, .remove_dbg = true, .alloc_range_pa = true,
    .alloc_try_nid = "memblock_alloc_try_nid", .alloc_try_nid_raw = "memblock_alloc_try_nid_raw",
    .alloc_try_nid_nopanic = "memblock_alloc_try_nid", .alloc_exact_nid_raw = nullptr,
    .alloc_reserver = "memblock_alloc_range_nid", .phys_free = "   memblock_free", .free_early = nullptr,
    .free_early_pa = true, .free_takes_pointer = false, .phys_alloc_range_dbg = false};

// v5.8 (the 5.7.14 and 5.8.1 trees): memblock_alloc_exact_nid_raw(), and
// memblock_free's line is "%s" of __func__, without the three spaces.
const memblock_dialect memblock_dialect_v5_8{
    .name = "v5.8", .double_array_pa = true, .remove_dbg = true, .alloc_range_pa = true,
    .alloc_try_nid = "memblock_alloc_try_nid", .alloc_try_nid_raw = "memblock_alloc_try_nid_raw",
    .alloc_try_nid_nopanic = "memblock_alloc_try_nid", .alloc_exact_nid_raw = "memblock_alloc_exact_nid_raw",
    .alloc_reserver = "memblock_alloc_range_nid", .phys_free = "memblock_free", .free_early = nullptr,
    .free_early_pa = true, .free_takes_pointer = false, .phys_alloc_range_dbg = false};

// 6.1 (Debian's 6.1.192, /work/notes/v61-commits.md section 6):
// memblock_phys_free (3ecc68349bba, v5.16) under a pointer-taking
// memblock_free (4421cca0a3e4), and memblock_phys_alloc_range's own line
// (b5cf2d6c8148, v5.11).
const memblock_dialect memblock_dialect_v6_1{
    .name = "v6.1", .double_array_pa = true, .remove_dbg = true, .alloc_range_pa = true,
    .alloc_try_nid = "memblock_alloc_try_nid", .alloc_try_nid_raw = "memblock_alloc_try_nid_raw",
    .alloc_try_nid_nopanic = "memblock_alloc_try_nid", .alloc_exact_nid_raw = "memblock_alloc_exact_nid_raw",
    .alloc_reserver = "memblock_alloc_range_nid", .phys_free = "memblock_phys_free", .free_early = nullptr,
    .free_early_pa = true, .free_takes_pointer = true, .phys_alloc_range_dbg = true};

std::string memblock_dbg_range(phys_addr_t base, phys_addr_t size, bool pa, int width)
{
  const phys_addr_t end = base + size - 1;
  if (pa) return fmt::format("[{}-{}]", fmt_pa(base), fmt_pa(end));
  // "%#0Nllx": N characters including the "0x", which C leaves out for 0.
  const auto alt = [width](phys_addr_t v) {
    return v == 0 ? std::string(static_cast<std::size_t>(width), '0') : fmt::format("{:#0{}x}", v, width);
  };
  return fmt::format("[{}-{}]", alt(base), alt(end));
}

void memblock_dbg(const memblock& mb, std::string_view line)
{
  if (mb.debug) mb.log->printk(LogLevel::info, line);
}

// The kernel prints _RET_IP_ with %pF as "sym+off/len". The simulator has
// symbols but no code offsets, so it prints the bare symbol of the caller.
std::string memblock_caller(const memblock& mb)
{
  if (mb.stack == nullptr || mb.stack->frames().empty()) return "0x0";
  return mb.stack->current();
}

namespace {

void memblock_dump(const memblock& mb, const memblock_type& type)
{
  mb.log->printk(LogLevel::info, fmt::format(" {}.cnt  = {:#x}", type.name, type.cnt()));
  for (std::size_t idx = 0; idx < type.regions.size(); idx++) {
    const memblock_region& rgn = type.regions[idx];
    const phys_addr_t end = rgn.base + rgn.size - 1;
    const std::string nid_buf = rgn.nid != mb.max_numnodes ? fmt::format(" on node {}", rgn.nid) : "";
    mb.log->printk(LogLevel::info,
                   fmt::format(" {}[{:#x}]\t[{}-{}], {} bytes{} flags: {:#x}", type.name, idx,
                               fmt_pa(rgn.base), fmt_pa(end), fmt_pa(rgn.size), nid_buf, rgn.flags));
  }
}

}  // namespace

void __memblock_dump_all(const memblock& mb)
{
  mb.log->printk(LogLevel::info, "MEMBLOCK configuration:");
  mb.log->printk(LogLevel::info, fmt::format(" memory size = {} reserved size = {}",
                                             fmt_pa(mb.memory.total_size),
                                             fmt_pa(mb.reserved.total_size)));
  memblock_dump(mb, mb.memory);
  memblock_dump(mb, mb.reserved);
}

void memblock_dump_all(const memblock& mb)
{
  if (mb.debug) __memblock_dump_all(mb);
}

}  // namespace pginit
