// SPDX-License-Identifier: MIT
// deferred_init: pginit's deferred phase (init every deferred struct page,
// free it to the buddy lists) over 1..64 GiB of simulated RAM on two nodes,
// for each way of splitting the work, 1..N threads. Baselines in the same
// binary and on the same bytes: memset of the memmap, and a streaming-store
// loop; each result carries "bw_fraction", its memmap bytes/s over the
// memset's, so it reads as a fraction of what the machine can write.
#include <benchmark/benchmark.h>
#include <emmintrin.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <thread>

#include "bench_machine.h"
#include "mm/page_alloc.h"
#include "engine/executor.h"

namespace pginit::bench {
namespace {

// One node's deferred range, as deferred_init_memmap() finds it.
struct NodeWork {
  int nid;
  unsigned zid;
  std::vector<PfnSpan> spans;
  std::uint64_t pages = 0;
};

struct Fixture {
  std::unique_ptr<Machine> m;
  std::vector<NodeWork> nodes;
  std::uint64_t pages = 0;        // deferred pages, over all nodes
  double memset_bytes_per_s = 0;  // the baseline, on these memmap bytes
};

double time_memset(Machine& m)
{
  double best = 0;
  for (int rep = 0; rep < 3; rep++) {
    const auto t0 = std::chrono::steady_clock::now();
    std::uint64_t bytes = 0;
    for (std::uint64_t sec : m.k().mm.memmap_sections()) {
      const MemoryModel::SectionPages p = m.k().mm.section_pages(sec);
      std::memset(static_cast<void*>(p.first), 0xff, p.count * sizeof(page));
      bytes += p.count * sizeof(page);
    }
    benchmark::ClobberMemory();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, static_cast<double>(bytes) / s);
  }
  return best;
}

Fixture& fixture(std::uint64_t gib)
{
  static std::map<std::uint64_t, Fixture> cache;
  auto it = cache.find(gib);
  if (it != cache.end()) return it->second;
  Fixture f;
  f.m = std::make_unique<Machine>(machine_yaml(gib, 2));
  for (pglist_data& pgdat : f.m->k().nodes) {
    NodeWork w{pgdat.node_id, 0, {}};
    for (std::size_t z = 0; z < pgdat.node_zones.size(); z++)
      if (pgdat.first_deferred_pfn < pgdat.node_zones[z].zone_end_pfn()) {
        w.zid = static_cast<unsigned>(z);
        break;
      }
    w.spans = free_pfn_spans_in_zone(f.m->k().memblock, w.nid, pgdat.node_zones[w.zid], pgdat.first_deferred_pfn);
    for (const PfnSpan& s : w.spans) w.pages += s.end - s.start;
    f.pages += w.pages;
    f.nodes.push_back(std::move(w));
  }
  f.memset_bytes_per_s = time_memset(*f.m);
  return cache.emplace(gib, std::move(f)).first->second;
}

zone fresh_zone(Machine& m, const NodeWork& w)
{
  return zone_with_empty_free_lists(m.k().node_data(w.nid)->node_zones[w.zid], w.zid);
}

// v4.17: one task per node, all inits then all frees.
void run_per_node(Fixture& f, const Executor& ex)
{
  ex.for_each_index(f.nodes.size(), [&](std::size_t n) {
    const NodeWork& w = f.nodes[n];
    zone z = fresh_zone(*f.m, w);
    for (const PfnSpan& s : w.spans) deferred_init_pages(f.m->k().mm, w.nid, w.zid, s.start, s.end, InitPhase::deferred);
    for (const PfnSpan& s : w.spans) deferred_free_pages(f.m->k().mm, z, s.start, s.end);
  });
}

// padata-style: chunks of `chunk` pages cut at absolute multiples. From a
// MAX_ORDER block up, each chunk inits and frees its own part in MAX_ORDER
// steps; a smaller chunk would free pages whose buddies another chunk is
// still initializing, so below MAX_ORDER the inits run in `chunk` pieces and
// the frees in MAX_ORDER pieces after them.
void run_chunked(Fixture& f, pfn_t chunk, const Executor& ex)
{
  struct Piece {
    std::size_t node;
    pfn_t start, end;
  };
  auto cut = [&](pfn_t size) {
    std::vector<Piece> pieces;
    for (std::size_t n = 0; n < f.nodes.size(); n++) {
      const auto& spans = f.nodes[n].spans;
      if (spans.empty()) continue;
      for (pfn_t s = round_down(spans.front().start, size); s < spans.back().end; s += size)
        pieces.push_back({n, s, s + size});
    }
    return pieces;
  };
  MemoryModel& mm = f.m->k().mm;
  if (chunk >= MAX_ORDER_NR_PAGES) {
    const std::vector<Piece> pieces = cut(chunk);
    ex.for_each_index(pieces.size(), [&](std::size_t i) {
      const NodeWork& w = f.nodes[pieces[i].node];
      const std::vector<PfnSpan> spans = clip_spans(w.spans, pieces[i].start, pieces[i].end);
      if (spans.empty()) return;
      zone z = fresh_zone(*f.m, w);
      std::size_t span = 0;
      pfn_t cursor = spans.front().start;
      while (span < spans.size()) deferred_init_maxorder(mm, z, w.nid, w.zid, spans, &span, &cursor, InitPhase::deferred);
    });
    return;
  }
  const std::vector<Piece> inits = cut(chunk);
  ex.for_each_index(inits.size(), [&](std::size_t i) {
    const NodeWork& w = f.nodes[inits[i].node];
    for (const PfnSpan& s : clip_spans(w.spans, inits[i].start, inits[i].end))
      deferred_init_pages(mm, w.nid, w.zid, s.start, s.end, InitPhase::deferred);
  });
  const std::vector<Piece> frees = cut(MAX_ORDER_NR_PAGES);
  ex.for_each_index(frees.size(), [&](std::size_t i) {
    const NodeWork& w = f.nodes[frees[i].node];
    zone z = fresh_zone(*f.m, w);
    for (const PfnSpan& s : clip_spans(w.spans, frees[i].start, frees[i].end)) deferred_free_pages(mm, z, s.start, s.end);
  });
}

void report(benchmark::State& state, const Fixture& f)
{
  const double pages = static_cast<double>(f.pages);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(f.pages));
  state.counters["pages_per_s"] = benchmark::Counter(pages, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["memmap_bytes_per_s"] =
      benchmark::Counter(pages * sizeof(page), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["memset_bytes_per_s"] = f.memset_bytes_per_s;
  state.counters["threads"] = static_cast<double>(state.range(1));
}

// Args: {GiB, threads}
void BM_DeferredInit_PerNode(benchmark::State& state)
{
  Fixture& f = fixture(static_cast<std::uint64_t>(state.range(0)));
  const ParallelExecutor ex(static_cast<unsigned>(state.range(1)));
  for (auto _ : state) run_per_node(f, ex);
  report(state, f);
}

// Args: {GiB, threads, chunk pages}
void BM_DeferredInit_Chunked(benchmark::State& state)
{
  Fixture& f = fixture(static_cast<std::uint64_t>(state.range(0)));
  const ParallelExecutor ex(static_cast<unsigned>(state.range(1)));
  for (auto _ : state) run_chunked(f, static_cast<pfn_t>(state.range(2)), ex);
  report(state, f);
  state.counters["chunk_pages"] = static_cast<double>(state.range(2));
}

// The baselines: the same memmap bytes, written with memset, and with
// non-temporal 16-byte stores.
void BM_Baseline_Memset(benchmark::State& state)
{
  Fixture& f = fixture(static_cast<std::uint64_t>(state.range(0)));
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    for (std::uint64_t sec : f.m->k().mm.memmap_sections()) {
      const MemoryModel::SectionPages p = f.m->k().mm.section_pages(sec);
      std::memset(static_cast<void*>(p.first), 0, p.count * sizeof(page));
      bytes += p.count * sizeof(page);
    }
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
}

void BM_Baseline_StreamingStore(benchmark::State& state)
{
  Fixture& f = fixture(static_cast<std::uint64_t>(state.range(0)));
  std::uint64_t bytes = 0;
  const __m128i zero = _mm_setzero_si128();
  for (auto _ : state) {
    bytes = 0;
    for (std::uint64_t sec : f.m->k().mm.memmap_sections()) {
      const MemoryModel::SectionPages p = f.m->k().mm.section_pages(sec);
      auto* dst = reinterpret_cast<__m128i*>(p.first);
      for (std::size_t i = 0; i < p.count * sizeof(page) / sizeof(__m128i); i++) _mm_stream_si128(dst + i, zero);
      bytes += p.count * sizeof(page);
    }
    _mm_sfence();
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
}

void sizes_and_threads(benchmark::internal::Benchmark* b)
{
  const auto max_threads = static_cast<std::int64_t>(std::max(1u, std::thread::hardware_concurrency()));
  for (std::int64_t gib : {4, 16, 64})
    for (std::int64_t t = 1; t <= max_threads; t *= 2) b->Args({gib, t});
}

void chunk_sizes(benchmark::internal::Benchmark* b)
{
  const auto max_threads = static_cast<std::int64_t>(std::max(1u, std::thread::hardware_concurrency()));
  for (std::int64_t gib : {4, 16, 64})
    for (std::int64_t t = 1; t <= max_threads; t *= 2)
      for (std::int64_t chunk : {512, 1024, 32768, 262144}) b->Args({gib, t, chunk});
}

BENCHMARK(BM_Baseline_Memset)->Arg(4)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Baseline_StreamingStore)->Arg(4)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DeferredInit_PerNode)->Apply(sizes_and_threads)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DeferredInit_Chunked)->Apply(chunk_sizes)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace pginit::bench
