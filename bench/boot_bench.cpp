// SPDX-License-Identifier: MIT
// Whole boots, start_kernel to the proof, against a baseline in the same
// binary (issue 15):
//  - fidelity mode, N GiB over two nodes, against two memset passes over a
//    buffer the size of its memmap (what any boot must at least do: write
//    every struct page once when initializing it, once more when freeing);
//  - scale mode (struct pages as runs) on the same machine and on the
//    64 TiB, 16-node scenario, with the peak resident memory of the process.
#include <sys/resource.h>

#include <cstring>

#include <benchmark/benchmark.h>

#include "bench_machine.h"
#include "pginit/host_buffer.h"

namespace pginit::bench {
namespace {

// Peak resident memory of this process so far, in bytes (ru_maxrss is KiB).
double peak_rss_bytes()
{
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;
}

// Touches `bytes` of fresh memory and gives it back, untimed. On a VM the
// first touch of guest memory the host has taken back also pays the host's
// faults (seen here: the two memsets of 4 GiB took 468 ms in one run, 4414 ms
// in another), and a benchmark that came first would carry them alone. The
// baseline and the fidelity boots warm up alike, so each is timed on memory
// the host has backed, and the boot's own faults stay in its time.
void warm_host(std::size_t bytes)
{
  HostBuffer buf(bytes);
  std::memset(buf.data(), 0, bytes);
  benchmark::DoNotOptimize(buf.data());
}

// N GiB's memmap: a struct page per 4 KiB page.
std::size_t memmap_bytes(std::int64_t gib) { return static_cast<std::size_t>(gib) * SZ_1G / 64; }

void boot_once(benchmark::State& state, const Scenario& s, MemmapMode mode, std::size_t warm_bytes)
{
  Overrides o;
  o.mode = mode;
  o.check_host_memory = mode == MemmapMode::fidelity;
  const RunConfig cfg = resolve(s, o);
  warm_host(warm_bytes);
  for (auto _ : state) {
    RunResult r = boot(cfg, Stage::end);
    if (!r.proof || !r.proof->failures.empty()) state.SkipWithError("the boot's proof failed");
    benchmark::DoNotOptimize(r.proof);
  }
  state.counters["peak_rss_bytes"] = peak_rss_bytes();
}

void BM_Boot_Fidelity(benchmark::State& state)
{
  boot_once(state, parse_scenario(machine_yaml(static_cast<std::uint64_t>(state.range(0)), 2), "bench.yaml"),
            MemmapMode::fidelity, memmap_bytes(state.range(0)));
}

void BM_Boot_Scale(benchmark::State& state)
{
  boot_once(state, parse_scenario(machine_yaml(static_cast<std::uint64_t>(state.range(0)), 2), "bench.yaml"),
            MemmapMode::scale, 0);
}

void BM_Boot_Scale_64TiB_16Nodes(benchmark::State& state)
{
  boot_once(state, load_scenario(PGINIT_SOURCE_DIR "/scenarios/large/sixteen-node-64t.yaml"), MemmapMode::scale, 0);
}

// Two memset passes over a fresh buffer as large as N GiB's memmap (N GiB / 64).
void BM_Baseline_TwoMemsets(benchmark::State& state)
{
  const std::size_t bytes = memmap_bytes(state.range(0));
  warm_host(bytes);
  for (auto _ : state) {
    HostBuffer buf(bytes);  // fresh, as a boot's memmap is: page faults included
    std::memset(buf.data(), 0xff, bytes);
    std::memset(buf.data(), 0, bytes);
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(2 * bytes));
}

BENCHMARK(BM_Baseline_TwoMemsets)->Arg(16)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);
BENCHMARK(BM_Boot_Fidelity)->Arg(16)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);
BENCHMARK(BM_Boot_Scale)->Arg(16)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);
BENCHMARK(BM_Boot_Scale_64TiB_16Nodes)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace pginit::bench
