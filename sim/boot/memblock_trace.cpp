// SPDX-License-Identifier: MIT
#include "boot/memblock_trace.h"

#include <algorithm>

#include <fmt/format.h>

namespace pginit {

namespace {

// Bytes of RAM (memblock.memory) covered by both `a` and `b` (nullptr: all RAM).
phys_addr_t bytes_in_memory(const memblock_type& memory, const memblock_type& a, const memblock_type* b)
{
  phys_addr_t total = 0;
  for (const memblock_region& m : memory.regions) {
    for (const memblock_region& r : a.regions) {
      const phys_addr_t s = std::max(m.base, r.base);
      const phys_addr_t e = std::min(m.end(), r.end());
      if (s >= e) continue;
      if (b == nullptr) {
        total += e - s;
        continue;
      }
      for (const memblock_region& q : b->regions) {
        const phys_addr_t s2 = std::max(s, q.base);
        const phys_addr_t e2 = std::min(e, q.end());
        if (s2 < e2) total += e2 - s2;
      }
    }
  }
  return total;
}

}  // namespace

void replay_memblock_trace(Kernel& k)
{
  const std::optional<MemblockTrace>& trace = k.scenario().boot.memblock_trace;
  if (!trace) return;
  KernelFrame frame(k.stack, "memblock_trace");
  // A quiet memblock of its own: the calls were printed by the real kernel already.
  memblock replay(k.memblock.max_numnodes);
  replay.reserved.max = ~0ul;  // no memblock_double_array(): this memblock has no memory to grow into
  for (const PhysRange& r : trace->reserved) memblock_reserve(replay, r.start, r.end - r.start);
  for (const MemblockCall& c : trace->calls) {
    if (c.op == MemblockCall::Op::reserve) memblock_reserve(replay, c.range.start, c.range.end - c.range.start);
    else memblock_free(replay, c.range.start, c.range.end - c.range.start);
  }
  const memblock_type& model = k.memblock.reserved;
  const phys_addr_t kernel_bytes = bytes_in_memory(k.memblock.memory, replay.reserved, nullptr);
  const phys_addr_t model_bytes = bytes_in_memory(k.memblock.memory, model, nullptr);
  const phys_addr_t common = bytes_in_memory(k.memblock.memory, replay.reserved, &model);
  k.log.printk(LogLevel::notice,
               fmt::format("pginit: memblock.reserved replayed from {} ({} calls): {}K of RAM reserved; the model "
                           "had reserved {}K of it and {}K the kernel had not",
                           trace->source.empty() ? "the scenario's trace" : trace->source, trace->calls.size(),
                           kernel_bytes >> 10, common >> 10, (model_bytes - common) >> 10));
  k.memblock.reserved.regions = std::move(replay.reserved.regions);
  k.memblock.reserved.total_size = replay.reserved.total_size;
}

}  // namespace pginit
