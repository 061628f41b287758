// SPDX-License-Identifier: MIT
#include "checker/proof.h"

#include <algorithm>

#include <fmt/format.h>

#include "mm/page_alloc.h"

namespace pginit {

namespace {

constexpr std::size_t MAX_FAILURES = 10;

void fail(BootProof& p, std::string what)
{
  if (p.failures.size() < MAX_FAILURES) p.failures.push_back(std::move(what));
}

NodePhaseCounts& counts_for(BootProof& p, int nid)
{
  for (NodePhaseCounts& c : p.by_node)
    if (c.nid == nid) return c;
  return p.by_node.emplace_back(NodePhaseCounts{nid, {}});
}

// Memory pfns: each initialized once, by some phase.
void check_initialized(const KernelState& k, BootProof& p)
{
  for (int nid : k.online_nodes) counts_for(p, nid);
  std::size_t r = 0;
  std::size_t zone_range = ~std::size_t{0};
  const pglist_data* pgdat = nullptr;
  bool in_zone = false;
  for (std::uint64_t sec : k.mm.memmap_sections()) {
    const pfn_t start = section_nr_to_pfn(sec);
    for (pfn_t pfn = start; pfn < start + PAGES_PER_SECTION; pfn++) {
      const PageShadow* s = k.mm.shadow(pfn);
      while (r < k.mem_ranges.size() && k.mem_ranges[r].end_pfn <= pfn) r++;
      const bool memory = r < k.mem_ranges.size() && k.mem_ranges[r].start_pfn <= pfn;
      if (!memory) {
        if (s->initialized() && !s->zeroed) p.holes_initialized++;
        else if (s->zeroed) p.holes_zeroed++;
        else p.holes_untouched++;
        continue;
      }
      const int nid = k.mem_ranges[r].nid;
      if (r != zone_range) {  // look the zone up once per memory range
        zone_range = r;
        pgdat = k.node_data(nid);
        in_zone = pgdat != nullptr && zone_of_pfn(*pgdat, pfn) != nullptr;
      }
      if (!in_zone) continue;  // an offline node's memory
      counts_for(p, nid).pages[static_cast<std::size_t>(s->phase)]++;
      if (s->inits > 1 && !k.reinits_section_tails) fail(p, fmt::format("pfn {:#x} was initialized {} times", pfn, s->inits));
      if (s->inits == 0) {
        if (pfn >= pgdat->first_deferred_pfn && k.deferred_pages) p.still_deferred++;
        else fail(p, fmt::format("pfn {:#x} (node {}) is memory but was never initialized", pfn, nid));
      }
    }
  }
  std::sort(p.by_node.begin(), p.by_node.end(), [](const auto& a, const auto& b) { return a.nid < b.nid; });
}

// Free lists: blocks well-formed, each free pfn once, counts consistent.
void check_free_lists(const KernelState& k, BootProof& p)
{
  std::vector<std::uint64_t> seen((k.max_pfn + 63) / 64 + 1, 0);
  std::vector<std::uint64_t> allocated(k.nodes.size() * 8, 0);
  for (const BootAllocation& a : k.allocations) {
    for (std::size_t n = 0; n < k.nodes.size(); n++) {
      unsigned zid = 0;
      if (zone_of_pfn(k.nodes[n], a.pfn, &zid) != nullptr) allocated[n * 8 + zid] += pfn_t{1} << a.order;
    }
  }
  for (std::size_t n = 0; n < k.nodes.size(); n++) {
    for (std::size_t zid = 0; zid < k.nodes[n].node_zones.size(); zid++) {
      const zone& z = k.nodes[n].node_zones[zid];
      std::uint64_t zone_free = 0;
      for (unsigned order = 0; order < MAX_ORDER; order++) {
        std::uint64_t blocks = 0;
        for (unsigned mt = 0; mt < MIGRATE_TYPES; mt++) {
          for (pfn_t head : free_list_pfns(k.mm, z.free_area[order].free_list[mt])) {
            blocks++;
            const page* hp = k.mm.pfn_host_page(head);
            if (hp == nullptr || !PageBuddy(*hp) || hp->private_ != order || (head & ((pfn_t{1} << order) - 1)) != 0 ||
                !z.zone_spans_pfn(head) || !z.zone_spans_pfn(head + (pfn_t{1} << order) - 1)) {
              fail(p, fmt::format("node {} {} order-{} block at pfn {:#x} is not a well-formed buddy block",
                                  z.node, z.name(), order, head));
              continue;
            }
            for (pfn_t pfn = head; pfn < head + (pfn_t{1} << order); pfn++) {
              std::uint64_t& word = seen[pfn / 64];
              if ((word >> (pfn % 64)) & 1) fail(p, fmt::format("free pfn {:#x} is in two buddy blocks", pfn));
              word |= std::uint64_t{1} << (pfn % 64);
              const PageShadow* s = k.mm.shadow(pfn);
              if (s == nullptr || !s->initialized() || PageReserved(*k.mm.pfn_host_page(pfn)))
                fail(p, fmt::format("free pfn {:#x} is uninitialized or PageReserved", pfn));
            }
            zone_free += pfn_t{1} << order;
          }
        }
        if (blocks != z.free_area[order].nr_free)
          fail(p, fmt::format("node {} {} order {}: {} blocks on the lists, nr_free says {}", z.node, z.name(), order,
                              blocks, z.free_area[order].nr_free));
        p.free_blocks += blocks;
      }
      if (z.populated()) {
        ZoneFreeLists shape{z.node, std::string(z.name()), {}};
        for (unsigned order = 0; order < MAX_ORDER; order++) shape.nr_free.push_back(z.free_area[order].nr_free);
        p.free_lists.push_back(std::move(shape));
      }
      if (zone_free != z.nr_free_pages)
        fail(p, fmt::format("node {} {}: {} free pages on the lists, NR_FREE_PAGES says {}", z.node, z.name(),
                            zone_free, z.nr_free_pages));
      if (zone_free + allocated[n * 8 + zid] != z.managed_pages)
        fail(p, fmt::format("node {} {}: {} free + {} allocated pages, but {} were given to the buddy allocator",
                            z.node, z.name(), zone_free, allocated[n * 8 + zid], z.managed_pages));
      p.free_pages += zone_free;
    }
  }
}

void check_reserved(const KernelState& k, BootProof& p)
{
  for (const memblock_region& r : k.memblock.reserved.regions) {
    if (r.size == 0) continue;
    for (pfn_t pfn = PFN_DOWN(r.base); pfn < PFN_UP(r.end()); pfn++) {
      const page* pg = k.mm.pfn_valid(pfn) ? k.mm.pfn_host_page(pfn) : nullptr;
      if (pg == nullptr) continue;
      p.reserved_pages++;
      if (!PageReserved(*pg)) fail(p, fmt::format("reserved pfn {:#x} is not PageReserved", pfn));
    }
  }
}

// FNV-1a over 64-bit words, per section in parallel, combined in section order.
std::uint64_t memmap_hash(const MemoryModel& mm, const Executor& executor)
{
  const std::vector<std::uint64_t>& sections = mm.memmap_sections();
  std::vector<std::uint64_t> per_section(sections.size());
  executor.for_each_index(sections.size(), [&](std::size_t i) {
    std::uint64_t h = 0xcbf29ce484222325;
    const MemoryModel::SectionPages pages = mm.section_pages(sections[i]);
    const auto* words = reinterpret_cast<const std::uint64_t*>(pages.first);
    for (std::size_t w = 0; w < pages.count * (sizeof(page) / 8); w++) h = (h ^ words[w]) * 0x100000001b3;
    per_section[i] = h;
  });
  std::uint64_t h = 0xcbf29ce484222325;
  for (std::uint64_t s : per_section) h = (h ^ s) * 0x100000001b3;
  return h;
}

}  // namespace

BootProof prove_boot(const KernelState& k, const Executor& executor)
{
  BootProof p;
  check_initialized(k, p);
  check_free_lists(k, p);
  check_reserved(k, p);
  p.memmap_hash = memmap_hash(k.mm, executor);
  return p;
}

std::vector<std::string> describe_proof(const BootProof& p)
{
  std::vector<std::string> out;
  out.push_back("struct pages initialized, by node and phase:");
  out.push_back(fmt::format("  {:>4} {:>12} {:>12} {:>12} {:>12} {:>12}", "node", "early", "mm_init", "on-demand",
                            "deferred", "total"));
  std::array<std::uint64_t, NR_INIT_PHASES> total{};
  for (const NodePhaseCounts& c : p.by_node) {
    std::uint64_t sum = 0;
    for (int i = 1; i < NR_INIT_PHASES; i++) {
      sum += c.pages[static_cast<std::size_t>(i)];
      total[static_cast<std::size_t>(i)] += c.pages[static_cast<std::size_t>(i)];
    }
    out.push_back(fmt::format("  {:>4} {:>12} {:>12} {:>12} {:>12} {:>12}", c.nid, c.pages[1], c.pages[2], c.pages[3],
                              c.pages[4], sum));
  }
  out.push_back(fmt::format("  {:>4} {:>12} {:>12} {:>12} {:>12} {:>12}", "all", total[1], total[2], total[3],
                            total[4], total[1] + total[2] + total[3] + total[4]));
  if (p.still_deferred != 0) out.push_back(fmt::format("still deferred (never needed): {} pages", p.still_deferred));
  out.push_back(fmt::format("holes in present sections: {} initialized, {} zeroed, {} never touched",
                            p.holes_initialized, p.holes_zeroed, p.holes_untouched));
  out.push_back(fmt::format("buddy allocator: {} free pages in {} blocks; {} reserved pages, all PageReserved",
                            p.free_pages, p.free_blocks, p.reserved_pages));
  out.push_back(fmt::format("memmap hash: {:016x}", p.memmap_hash));
  if (p.failures.empty()) out.push_back("proof: holds");
  for (const std::string& f : p.failures) out.push_back("proof FAILED: " + f);
  return out;
}

}  // namespace pginit
