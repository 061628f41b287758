// SPDX-License-Identifier: MIT
#include "phases/deferred_init.h"

#include <algorithm>

#include "include/linux/jiffies.h"
#include "mm/page_alloc.h"

namespace pginit {

namespace {

// One piece of a node's deferred work: the free spans inside [start, end).
struct Chunk {
  std::size_t node = 0;  // index in k.nodes
  PfnSpan span;
  zone local;            // the chunk's own free lists (see DOC: determinism)
  DeferredWork work;
};

// What deferred_init_memmap() finds for a node: the deferred zone and where to start.
struct NodeJob {
  unsigned zid = 0;
  std::vector<PfnSpan> spans;
  unsigned threads = 1;  // CPUs the node's work is spread over
  std::vector<DeferredWork> chunk_work;
  std::vector<PfnSpan> chunk_spans;
  DeferredWork work;
};

NodeJob find_node_job(const Kernel& k, pglist_data& pgdat, unsigned node_cpus)
{
  NodeJob job;
  job.threads = k.policy().late_init.node_threads(node_cpus);
  const pfn_t first_init_pfn = pgdat.first_deferred_pfn;
  if (first_init_pfn == ULONG_MAX_PFN) return job;
  pgdat.first_deferred_pfn = ULONG_MAX_PFN;
  // Only the highest zone is deferred: the first one that ends past first_init_pfn.
  for (std::size_t z = 0; z < pgdat.node_zones.size(); z++) {
    if (first_init_pfn < pgdat.node_zones[z].zone_end_pfn()) {
      job.zid = static_cast<unsigned>(z);
      break;
    }
  }
  const zone& z = pgdat.node_zones[job.zid];
  job.spans = free_pfn_spans_in_zone(k.memblock, pgdat.node_id, z, std::max(z.zone_start_pfn, first_init_pfn));
  return job;
}

// Whether two nodes share a MAX_ORDER block: their frees would then read
// each other's struct pages, so the nodes must not run at the same time.
bool nodes_share_a_max_order_block(const Kernel& k)
{
  for (std::size_t i = 1; i < k.nodes.size(); i++) {
    const pfn_t end = k.nodes[i - 1].node_end_pfn();
    const pfn_t start = k.nodes[i].node_start_pfn;
    if (round_down(end - 1, MAX_ORDER_NR_PAGES) >= round_down(start, MAX_ORDER_NR_PAGES)) return true;
  }
  return false;
}

// What the node's run looked like, chunk by chunk, for the observers.
DeferredNodeRun node_run(const Kernel& k, const NodeJob& job, int nid, std::uint64_t t0, std::uint64_t ns)
{
  DeferredNodeRun run{nid, t0, ns, job.threads, job.chunk_work.size(), job.work.initialized, {}};
  const std::vector<ChunkRun> when = k.clock.cost().chunk_schedule(job.chunk_work, job.threads);
  for (std::size_t i = 0; i < when.size(); i++)
    run.chunk_runs.push_back(DeferredChunkRun{when[i].worker, t0 + when[i].start_ns, when[i].ns,
                                              job.chunk_spans[i].start, job.chunk_spans[i].end,
                                              job.chunk_work[i].initialized});
  return run;
}

}  // namespace

void page_alloc_init_late(Kernel& k)
{
  KernelFrame frame(k.stack, "page_alloc_init_late");
  if (!k.deferred_struct_page_init()) return;
  const LateInitRule& rule = k.policy().late_init;
  if (!rule.runs) return;  // the deferred_pages key stays on

  const unsigned node_cpus = k.scenario().machine.cpus_per_node(k.nodes.size());
  std::vector<NodeJob> jobs;
  std::vector<Chunk> chunks;
  for (std::size_t n = 0; n < k.nodes.size(); n++) {
    jobs.push_back(find_node_job(k, k.nodes[n], node_cpus));
    const NodeJob& job = jobs.back();
    if (job.spans.empty()) continue;
    for (const PfnSpan& span : rule.chunks(job.spans, job.threads))
      chunks.push_back(Chunk{n, span, zone_with_empty_free_lists(k.nodes[n].node_zones[job.zid], job.zid), {}});
  }

  // The work: chunks in parallel (a node's chunks after another's when nodes share blocks).
  auto run_chunk = [&](Chunk& c) {
    const NodeJob& job = jobs[c.node];
    const std::vector<PfnSpan> spans = clip_spans(job.spans, c.span.start, c.span.end);
    if (!spans.empty()) c.work = rule.run_chunk(k.mm, c.local, k.nodes[c.node].node_id, job.zid, spans);
    k.observer.on_pages_initialized(k, c.work.initialized);  // from this chunk's worker
  };
  auto run = [&](std::size_t from, std::size_t to) {
    k.executor.for_each_index(to - from, [&](std::size_t i) { run_chunk(chunks[from + i]); });
  };
  if (k.mm.page_runs() != nullptr) {
    // Scale mode: the runs are one shared structure; the result does not
    // depend on the order (the lists are joined in chunk order below).
    for (Chunk& c : chunks) run_chunk(c);
  } else if (!nodes_share_a_max_order_block(k)) {
    run(0, chunks.size());
  } else {
    for (std::size_t i = 0; i < chunks.size();) {
      std::size_t j = i;
      while (j < chunks.size() && chunks[j].node == chunks[i].node) j++;
      run(i, j);
      i = j;
    }
  }
  // Join the chunks' free lists to their zones in order, and account for the work.
  for (Chunk& c : chunks) {
    splice_free_lists(k.mm, k.nodes[c.node].node_zones[jobs[c.node].zid], c.local);
    jobs[c.node].work += c.work;
    jobs[c.node].chunk_work.push_back(c.work);
    jobs[c.node].chunk_spans.push_back(c.span);
  }

  // Each node's thread reports when it is done: in simulated-time order.
  const std::uint64_t t0 = k.clock.now_ns();
  std::vector<std::uint64_t> ns(k.nodes.size());
  std::vector<std::size_t> order(k.nodes.size());
  for (std::size_t n = 0; n < order.size(); n++) {
    ns[n] = k.clock.cost().chunked_ns(jobs[n].chunk_work, jobs[n].threads);
    order[n] = n;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ns[a] < ns[b]; });
  // The thread times itself in jiffies: jiffies_to_msecs(jiffies - start).
  const auto hz = static_cast<unsigned>(kconfig_int(k.scenario().config, "HZ", 250));
  for (std::size_t n : order) {
    k.log.set_time_ns(t0 + ns[n]);
    const int nid = k.nodes[n].node_id;
    const std::uint64_t ms = jiffies_to_msecs(jiffies_at(t0 + ns[n], hz) - jiffies_at(t0, hz), hz);
    k.log.printk(LogLevel::info, rule.done_line(nid, jobs[n].work.initialized, ms));
    k.observer.on_deferred_node(k, node_run(k, jobs[n], nid, t0, ns[n]));
  }
  k.clock.advance_to(t0 + (ns.empty() ? 0 : *std::max_element(ns.begin(), ns.end())));
  k.log.set_time_ns(k.clock.now_ns());
  // static_branch_disable(&deferred_pages): no more on-demand growth.
  k.deferred_pages = false;
}

}  // namespace pginit
