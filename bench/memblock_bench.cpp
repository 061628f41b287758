// SPDX-License-Identifier: MIT
// memblock cost as the region count grows: memblock_reserve of scattered
// pages (insertion into a sorted array, with doubling past 128) and
// top-down allocation (a walk of memory minus reserved) over N regions.
#include <benchmark/benchmark.h>

#include "include/linux/memblock.h"

namespace pginit {
namespace {

constexpr phys_addr_t kMem = phys_addr_t{64} << 30;  // a 64 GiB machine

memblock make_scattered(int n)
{
  memblock mb;
  memblock_add(mb, 0x100000, kMem);
  memblock_allow_resize(mb);
  for (int i = 0; i < n; i++) memblock_reserve(mb, 0x1000000 + static_cast<phys_addr_t>(i) * 0x4000, 0x1000);
  return mb;
}

// Building N scattered reservations one by one.
void BM_MemblockReserveScattered(benchmark::State& state)
{
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    memblock mb = make_scattered(n);
    benchmark::DoNotOptimize(mb.reserved.cnt());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_MemblockReserveScattered)->RangeMultiplier(4)->Range(128, 8192);

// One page-sized top-down allocation with N reserved regions in the way
// (each allocation is freed again so that N stays fixed).
void BM_MemblockAllocTopDown(benchmark::State& state)
{
  memblock mb = make_scattered(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const phys_addr_t p = memblock_alloc_nid(mb, PAGE_SIZE, PAGE_SIZE, NUMA_NO_NODE);
    benchmark::DoNotOptimize(p);
    memblock_free(mb, p, PAGE_SIZE);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MemblockAllocTopDown)->RangeMultiplier(4)->Range(128, 8192);

}  // namespace
}  // namespace pginit
