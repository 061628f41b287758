// SPDX-License-Identifier: MIT
#include "run/predict.h"

#include <algorithm>

#include "arch/x86/mm/vm_layout.h"
#include "engine/cost_model.h"
#include "include/linux/mm_types.h"

namespace pginit {

namespace {

struct NodeRam {
  int nid = 0;
  std::vector<PfnSpan> spans;  // ascending, whole pages
};

// usable e820 RAM, page-aligned, cut by the SRAT's nodes (one node without one).
std::vector<NodeRam> node_ram(const Scenario& s)
{
  std::vector<PfnSpan> ram;
  for (const e820_entry& e : s.machine.e820) {
    if (e.type != E820_TYPE_RAM) continue;
    const pfn_t start = PFN_UP(e.addr);
    const pfn_t end = PFN_DOWN(e.end());
    if (start < end) ram.push_back(PfnSpan{start, end});
  }
  std::sort(ram.begin(), ram.end(), [](const PfnSpan& a, const PfnSpan& b) { return a.start < b.start; });
  std::vector<NodeRam> out;
  if (s.machine.nodes.empty()) {
    out.push_back(NodeRam{0, ram});
    return out;
  }
  for (const NodeSpec& n : s.machine.nodes) {
    NodeRam node{n.nid, {}};
    for (const PhysRange& r : n.ranges)
      for (const PfnSpan& span : clip_spans(ram, PFN_UP(r.start), PFN_DOWN(r.end))) node.spans.push_back(span);
    std::sort(node.spans.begin(), node.spans.end(), [](const PfnSpan& a, const PfnSpan& b) { return a.start < b.start; });
    if (!node.spans.empty()) out.push_back(std::move(node));
  }
  std::sort(out.begin(), out.end(), [](const NodeRam& a, const NodeRam& b) { return a.nid < b.nid; });
  return out;
}

std::uint64_t pages_in(const std::vector<PfnSpan>& spans)
{
  std::uint64_t n = 0;
  for (const PfnSpan& s : spans) n += s.end - s.start;
  return n;
}

// The node's deferred spans: its highest zone from the first deferred pfn,
// less its own memmap, which memblock allocates top-down at the node's end
// and mm_init initializes as reserved.
std::vector<PfnSpan> deferred_spans(const NodeRam& node, const InitPolicy& policy)
{
  const pfn_t node_start = node.spans.front().start;
  const pfn_t node_end = node.spans.back().end;
  pfn_t zone_start = node_start;
  if (node_end > MAX_DMA32_PFN) zone_start = std::max(node_start, MAX_DMA32_PFN);
  else if (node_end > MAX_DMA_PFN) zone_start = std::max(node_start, MAX_DMA_PFN);
  pglist_data pgdat;
  pgdat.node_id = node.nid;
  pgdat.node_start_pfn = node_start;
  pgdat.node_spanned_pages = node_end - node_start;
  const memblock nothing_reserved;
  const std::uint64_t pgcnt = policy.static_init.static_init_pgcnt(pgdat, nothing_reserved);
  const pfn_t first_deferred = round_up(zone_start + pgcnt, PAGES_PER_SECTION);
  if (first_deferred >= node_end) return {};
  const pfn_t memmap_pages = pages_in(node.spans) * sizeof(page) / PAGE_SIZE;
  const pfn_t memmap_start = node_end - std::min<pfn_t>(memmap_pages, node_end - first_deferred);
  if (first_deferred >= memmap_start) return {};
  return clip_spans(node.spans, first_deferred, memmap_start);
}

}  // namespace

std::uint64_t Prediction::slowest_ns() const
{
  std::uint64_t ns = 0;
  for (const NodePrediction& n : nodes) ns = std::max(ns, n.ns);
  return ns;
}

Prediction predict_deferred(const RunConfig& cfg, unsigned threads)
{
  const Scenario& s = cfg.scenario;
  const LateInitRule& rule = cfg.policy->late_init;
  Prediction p;
  p.kernel = std::string(s.kernel->name);
  p.policy = std::string(cfg.policy->name);
  if (!kconfig_enabled(s.config, "DEFERRED_STRUCT_PAGE_INIT")) p.nothing_deferred = "DEFERRED_STRUCT_PAGE_INIT is off";
  else if (!rule.runs) p.nothing_deferred = "the policy runs nothing after smp_init";
  const CostModel cost{s.machine.perf};
  for (const NodeRam& node : node_ram(s)) {
    NodePrediction n;
    n.nid = node.nid;
    n.threads = rule.node_threads(threads);
    const std::vector<PfnSpan> spans = p.nothing_deferred.empty() ? deferred_spans(node, *cfg.policy) : std::vector<PfnSpan>{};
    std::vector<DeferredWork> work;
    if (!spans.empty()) {
      for (const PfnSpan& c : rule.chunks(spans, n.threads)) {
        const std::uint64_t pages = pages_in(clip_spans(spans, c.start, c.end));
        work.push_back(DeferredWork{pages, pages});
        n.pages += pages;
      }
    }
    n.chunks = work.size();
    n.ns = cost.chunked_ns(work, n.threads);
    p.nodes.push_back(n);
  }
  return p;
}

}  // namespace pginit
