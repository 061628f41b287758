// SPDX-License-Identifier: MIT
#include "phases/deferred_init.h"

#include <algorithm>

#include <fmt/format.h>

#include "buddy.h"
#include "engine/parallel.h"
#include "phases/deferred_pages.h"

namespace pginit {

namespace {

// One piece of a node's deferred work: the free spans inside [start, end).
struct Chunk {
  std::size_t node = 0;  // index in st.nodes
  pfn_t start = 0;
  pfn_t end = 0;
  zone local;            // the chunk's own free lists (see DOC: determinism)
  DeferredWork work;
};

// What deferred_init_memmap() finds for a node: the deferred zone and where to start.
struct NodeJob {
  unsigned zid = 0;
  pfn_t first_init_pfn = ULONG_MAX_PFN;
  std::vector<PfnSpan> spans;
  unsigned threads = 1;  // CPUs the node's work is spread over (cost model)
  DeferredWork work;
  std::uint64_t ns = 0;
};

// padata_do_multithreaded()'s split of one job [start, start + size): at
// most max_threads works, each chunk a multiple of the alignment, four
// chunks per work for load balance. pginit cuts at absolute multiples of the
// chunk size, so that chunks stay section-aligned whatever the job's start.
std::vector<std::pair<pfn_t, pfn_t>> padata_chunks(pfn_t start, pfn_t end, unsigned max_threads)
{
  constexpr pfn_t LOAD_BALANCE_FACTOR = 4;
  const pfn_t size = end - start;
  const pfn_t nworks = std::min<pfn_t>(std::max<pfn_t>(size / PAGES_PER_SECTION, 1), max_threads);
  const pfn_t chunk = round_up(std::max(size / (nworks * LOAD_BALANCE_FACTOR), PAGES_PER_SECTION), PAGES_PER_SECTION);
  std::vector<std::pair<pfn_t, pfn_t>> out;
  for (pfn_t s = start; s < end;) {
    const pfn_t e = std::min(end, round_down(s, chunk) + chunk);
    out.emplace_back(s, e);
    s = e;
  }
  return out;
}

// The chunks of one node, by policy.
void plan_node(BootState& st, std::size_t node_index, const NodeJob& job, std::vector<Chunk>& chunks)
{
  if (job.spans.empty()) return;
  auto add = [&](pfn_t start, pfn_t end) {
    Chunk c;
    c.node = node_index;
    c.start = start;
    c.end = end;
    c.local = zone_with_empty_free_lists(st.nodes[node_index].node_zones[job.zid], job.zid);
    chunks.push_back(std::move(c));
  };
  if (st.policy->late_init != InitPolicy::LateInit::padata) {
    add(job.spans.front().start, job.spans.back().end);
    return;
  }
  // One padata job per free range, rounded up to a section; the next job
  // starts at the first range that ends beyond it.
  std::size_t i = 0;
  pfn_t spfn = job.spans.front().start;
  pfn_t epfn = job.spans.front().end;
  for (;;) {
    const pfn_t epfn_align = round_up(epfn, PAGES_PER_SECTION);
    for (const auto& [s, e] : padata_chunks(spfn, epfn_align, job.threads)) add(s, e);
    while (i < job.spans.size() && job.spans[i].end <= epfn_align) i++;
    if (i == job.spans.size()) break;
    spfn = std::max(job.spans[i].start, epfn_align);
    epfn = job.spans[i].end;
  }
}

// deferred_init_memmap()'s work on one chunk, into the chunk's own lists.
void run_chunk(BootState& st, const NodeJob& job, Chunk& c)
{
  const int nid = st.nodes[c.node].node_id;
  const std::vector<PfnSpan> spans = clip_spans(job.spans, c.start, c.end);
  if (spans.empty()) return;
  if (st.policy->late_init == InitPolicy::LateInit::per_node) {
    // v4.17: initialize everything first, because freeing merges buddies
    // and __free_one_page() reads struct pages ahead of the current pfn.
    for (const PfnSpan& s : spans)
      c.work.initialized += deferred_init_pages(st.mm, nid, job.zid, s.start, s.end, InitPhase::deferred);
    for (const PfnSpan& s : spans) c.work.freed += deferred_free_pages(st.mm, c.local, s.start, s.end);
    return;
  }
  std::size_t span = 0;
  pfn_t cursor = spans.front().start;
  while (span < spans.size())
    c.work += deferred_init_maxorder(st.mm, c.local, nid, job.zid, spans, &span, &cursor, InitPhase::deferred);
}

// Whether two nodes share a MAX_ORDER block: their frees would then read
// each other's struct pages, so the nodes must not run at the same time.
bool nodes_share_a_max_order_block(const BootState& st)
{
  for (std::size_t i = 1; i < st.nodes.size(); i++) {
    const pfn_t end = st.nodes[i - 1].node_end_pfn();
    const pfn_t start = st.nodes[i].node_start_pfn;
    if (round_down(end - 1, MAX_ORDER_NR_PAGES) >= round_down(start, MAX_ORDER_NR_PAGES)) return true;
  }
  return false;
}

NodeJob find_node_job(BootState& st, pglist_data& pgdat, unsigned cpus_per_node)
{
  NodeJob job;
  job.threads = st.policy->late_init == InitPolicy::LateInit::padata ? cpus_per_node : 1;
  job.first_init_pfn = pgdat.first_deferred_pfn;
  if (job.first_init_pfn == ULONG_MAX_PFN) return job;
  pgdat.first_deferred_pfn = ULONG_MAX_PFN;
  // Only the highest zone is deferred: the first one that ends past first_init_pfn.
  for (std::size_t z = 0; z < pgdat.node_zones.size(); z++) {
    if (job.first_init_pfn < pgdat.node_zones[z].zone_end_pfn()) {
      job.zid = static_cast<unsigned>(z);
      break;
    }
  }
  const zone& z = pgdat.node_zones[job.zid];
  job.spans = free_pfn_spans_in_zone(st.memblock, pgdat.node_id, z, std::max(z.zone_start_pfn, job.first_init_pfn));
  return job;
}

}  // namespace

void page_alloc_init_late(BootState& st)
{
  KernelFrame frame(st.stack, "page_alloc_init_late");
  if (!st.deferred_struct_page_init) return;
  if (st.policy->late_init == InitPolicy::LateInit::none) return;  // "lazy": the key stays on

  const unsigned cpus_per_node =
      std::max(1u, st.scenario.machine.cpus / static_cast<unsigned>(std::max<std::size_t>(1, st.nodes.size())));
  std::vector<NodeJob> jobs;
  std::vector<Chunk> chunks;
  for (std::size_t n = 0; n < st.nodes.size(); n++) {
    jobs.push_back(find_node_job(st, st.nodes[n], cpus_per_node));
    plan_node(st, n, jobs.back(), chunks);
  }

  // The work: chunks in parallel (a node's chunks after another's when nodes share blocks).
  auto run = [&](std::size_t from, std::size_t to) {
    parallel_for_each_index(to - from, [&](std::size_t i) { run_chunk(st, jobs[chunks[from + i].node], chunks[from + i]); });
  };
  if (!nodes_share_a_max_order_block(st)) {
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
    splice_free_lists(st.mm, st.nodes[c.node].node_zones[jobs[c.node].zid], c.local);
    jobs[c.node].work += c.work;
  }

  // Each pgdatinit thread reports when it is done: in simulated-time order.
  const std::uint64_t t0 = st.clock_ns;
  std::vector<std::size_t> order(st.nodes.size());
  for (std::size_t n = 0; n < order.size(); n++) {
    jobs[n].ns = st.cost.ns(jobs[n].work.initialized, jobs[n].work.freed, jobs[n].threads);
    order[n] = n;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return jobs[a].ns < jobs[b].ns; });
  std::uint64_t end = t0;
  for (std::size_t n : order) {
    st.log.set_time_ns(t0 + jobs[n].ns);
    const std::uint64_t ms = jobs[n].ns / 1000000;
    // padata's series also changed the line: "node %d deferred pages initialised in %ums".
    st.log.printk(LogLevel::info, st.policy->late_init != InitPolicy::LateInit::padata
                                      ? fmt::format("node {} initialised, {} pages in {}ms", st.nodes[n].node_id,
                                                    jobs[n].work.initialized, ms)
                                      : fmt::format("node {} deferred pages initialised in {}ms",
                                                    st.nodes[n].node_id, ms));
    end = std::max(end, t0 + jobs[n].ns);
    st.deferred_runs.push_back({st.nodes[n].node_id, t0, jobs[n].ns, jobs[n].threads});
  }
  st.clock_ns = end;
  st.log.set_time_ns(end);
  // static_branch_disable(&deferred_pages): no more on-demand growth.
  st.deferred_pages = false;
}

}  // namespace pginit
