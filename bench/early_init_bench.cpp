// SPDX-License-Identifier: MIT
// early_init: memmap_init_zone()'s rate on one CPU, as the kernel's early
// phase runs, over the Normal zone of a machine without deferred init.
#include <benchmark/benchmark.h>

#include <memory>

#include "bench_machine.h"
#include "phases/early_init.h"

namespace pginit::bench {
namespace {

void BM_MemmapInitZone(benchmark::State& state)
{
  static std::unique_ptr<Machine> m;
  if (!m) {
    std::string yaml = machine_yaml(static_cast<std::uint64_t>(state.range(0)), 1);
    yaml.replace(yaml.find("DEFERRED_STRUCT_PAGE_INIT: y"), 28, "DEFERRED_STRUCT_PAGE_INIT: n");
    m = std::make_unique<Machine>(yaml);
  }
  pglist_data& pgdat = m->k().nodes.front();
  const int normal = m->k().zones.index_of(ZoneType::normal);
  std::uint64_t pages = 0;
  for (auto _ : state) pages = memmap_init_zone(m->k(), pgdat, normal);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(pages));
  state.counters["pages_per_s"] =
      benchmark::Counter(static_cast<double>(pages), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_MemmapInitZone)->Arg(16)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace pginit::bench
