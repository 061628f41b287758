// SPDX-License-Identifier: MIT
// memblock_debug.cpp - the memblock=debug output: memblock_dbg() lines and
// __memblock_dump_all(), with the exact v4.17 format strings.
#include "include/linux/memblock.h"

namespace pginit {

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
