// SPDX-License-Identifier: MIT
#include "policy/late_init.h"

#include <algorithm>

#include <fmt/format.h>

namespace pginit {

std::vector<PfnSpan> padata_chunks(pfn_t start, pfn_t end, unsigned max_threads)
{
  const pfn_t size = end - start;
  const pfn_t nworks = std::min<pfn_t>(std::max<pfn_t>(size / PAGES_PER_SECTION, 1), max_threads);
  const pfn_t chunk =
      round_up(std::max(size / (nworks * PADATA_LOAD_BALANCE_FACTOR), PAGES_PER_SECTION), PAGES_PER_SECTION);
  std::vector<PfnSpan> out;
  for (pfn_t s = start; s < end;) {
    // roundup(start + 1, chunk_size): by division, as the chunk need not be a power of two.
    const pfn_t e = std::min(end, (s / chunk + 1) * chunk);
    out.push_back(PfnSpan{s, e});
    s = e;
  }
  return out;
}

namespace {

unsigned one_thread(unsigned) { return 1; }
unsigned every_node_cpu(unsigned node_cpus) { return std::max(1u, node_cpus); }

// The pgdatinit thread walks the whole node in one go.
std::vector<PfnSpan> whole_node(const std::vector<PfnSpan>& spans, unsigned)
{
  return {PfnSpan{spans.front().start, spans.back().end}};
}

// One padata job per free range, rounded up to a section; the next job
// starts at the first range that ends beyond it.
std::vector<PfnSpan> padata_jobs(const std::vector<PfnSpan>& spans, unsigned threads)
{
  std::vector<PfnSpan> out;
  std::size_t i = 0;
  pfn_t spfn = spans.front().start;
  pfn_t epfn = spans.front().end;
  for (;;) {
    const pfn_t epfn_align = round_up(epfn, PAGES_PER_SECTION);
    for (const PfnSpan& c : padata_chunks(spfn, epfn_align, threads)) out.push_back(c);
    while (i < spans.size() && spans[i].end <= epfn_align) i++;
    if (i == spans.size()) break;
    spfn = std::max(spans[i].start, epfn_align);
    epfn = spans[i].end;
  }
  return out;
}

DeferredWork init_all_then_free_all(MemoryModel& mm, zone& into, int nid, unsigned zid,
                                    const std::vector<PfnSpan>& spans)
{
  DeferredWork w;
  for (const PfnSpan& s : spans) w.initialized += deferred_init_pages(mm, nid, zid, s.start, s.end, InitPhase::deferred);
  for (const PfnSpan& s : spans) w.freed += deferred_free_pages(mm, into, s.start, s.end);
  return w;
}

DeferredWork max_order_steps(MemoryModel& mm, zone& into, int nid, unsigned zid, const std::vector<PfnSpan>& spans)
{
  DeferredWork w;
  std::size_t span = 0;
  pfn_t cursor = spans.front().start;
  while (span < spans.size())
    w += deferred_init_maxorder(mm, into, nid, zid, spans, &span, &cursor, InitPhase::deferred);
  return w;
}

// "node %d initialised, %lu pages in %ums" (v4.17, v5.2).
std::string pgdatinit_line(int nid, std::uint64_t pages, std::uint64_t ms)
{
  return fmt::format("node {} initialised, {} pages in {}ms", nid, pages, ms);
}

// padata's series also changed the line: "node %d deferred pages initialised in %ums".
std::string padata_line(int nid, std::uint64_t, std::uint64_t ms)
{
  return fmt::format("node {} deferred pages initialised in {}ms", nid, ms);
}

}  // namespace

namespace late_init {

const LateInitRule per_node{"per_node", "(v4.17 pgdatinit)", true, one_thread, whole_node, init_all_then_free_all,
                            pgdatinit_line};
const LateInitRule per_node_max_order{"per_node_max_order", "0e56acae4b4d", true, one_thread, whole_node,
                                      max_order_steps, pgdatinit_line};
const LateInitRule padata{"padata", "e44431498f5f", true, every_node_cpu, padata_jobs, max_order_steps, padata_line};
const LateInitRule none{"none", "(none: an experiment)", false, one_thread, whole_node, max_order_steps,
                        pgdatinit_line};

}  // namespace late_init

}  // namespace pginit
