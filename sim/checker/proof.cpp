// SPDX-License-Identifier: MIT
#include "checker/proof.h"

#include <algorithm>

#include <fmt/format.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "kernel/memory_range_cursor.h"
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

// Memory pfns: each initialized once, by some phase. The memmap is read
// run by run (one pfn at a time in fidelity mode), split where memory, the
// zone lookup or the deferred boundary changes.
void check_initialized(const KernelState& k, BootProof& p)
{
  for (int nid : k.online_nodes) counts_for(p, nid);
  MemoryRangeCursor memory_ranges(k.mem_ranges);
  std::size_t zone_range = ~std::size_t{0};
  const pglist_data* pgdat = nullptr;
  bool in_zone = false;
  for (std::uint64_t sec : k.mm.memmap_sections()) {
    const pfn_t start = section_nr_to_pfn(sec);
    k.mm.for_each_shadow(start, start + PAGES_PER_SECTION, [&](pfn_t a, pfn_t b, const PageShadow& s) {
      for (pfn_t pfn = a; pfn < b;) {
        pfn_t next = 0;
        const bool memory = memory_ranges.at(pfn, &next);
        next = std::min(b, next);
        if (!memory) {
          if (s.phase == InitPhase::device) {  // hot-added device memory: not memblock's, not a hole
            p.device_pages += next - pfn;
            if (s.inits > 1) fail(p, fmt::format("device pfn {:#x} was initialized {} times", pfn, s.inits));
          } else if (s.initialized() && !s.zeroed) p.holes_initialized += next - pfn;
          else if (s.zeroed) p.holes_zeroed += next - pfn;
          else p.holes_untouched += next - pfn;
          pfn = next;
          continue;
        }
        const int nid = memory_ranges.range().nid;
        if (memory_ranges.index() != zone_range) {  // look the zone up once per memory range
          zone_range = memory_ranges.index();
          pgdat = k.node_data(nid);
          in_zone = pgdat != nullptr && zone_of_pfn(*pgdat, pfn) != nullptr;
        }
        if (in_zone) {
          counts_for(p, nid).pages[static_cast<std::size_t>(s.phase)] += next - pfn;
          if (s.inits > 1 && !k.reinits_section_tails) fail(p, fmt::format("pfn {:#x} was initialized {} times", pfn, s.inits));
          if (s.inits == 0) {
            const pfn_t deferred = pgdat->first_deferred_pfn;
            if (pfn < deferred && next > deferred) next = deferred;  // the part before is judged on its own
            if (pfn >= deferred && k.deferred_pages) p.still_deferred += next - pfn;
            else fail(p, fmt::format("pfn {:#x} (node {}) is memory but was never initialized", pfn, nid));
          }
        }
        pfn = next;
      }
    });
  }
  std::sort(p.by_node.begin(), p.by_node.end(), [](const auto& a, const auto& b) { return a.nid < b.nid; });
}

// The pages of one free block (or, in scale mode, of `count` blocks in a
// row): initialized, not PageReserved, each in no other block.
struct FreeSpan {
  pfn_t start;
  pfn_t end;
};

// Every pfn of [start, end) initialized and not PageReserved (run by run).
bool free_pages_well_formed(const MemoryModel& mm, pfn_t start, pfn_t end)
{
  if (mm.page_runs() == nullptr) {
    // Section by section: the struct pages and shadows of one are arrays.
    for (pfn_t pfn = start; pfn < end;) {
      const pfn_t stop = std::min(end, round_up(pfn + 1, PAGES_PER_SECTION));
      const PageShadow* s = mm.shadow(pfn);
      const page* p = mm.pfn_host_page(pfn);
      if (s == nullptr || p == nullptr) return false;
      for (; pfn < stop; pfn++, s++, p++)
        if (!s->initialized() || PageReserved(*p)) return false;
    }
    return true;
  }
  bool ok = true;
  pfn_t covered = start;
  mm.for_each_shadow(start, end, [&](pfn_t a, pfn_t b, const PageShadow& s) {
    ok = ok && a == covered && s.initialized() && !PageReserved(mm.read_page(a)) && !PageReserved(mm.read_page(b - 1));
    covered = b;
  });
  return ok && covered == end;
}

// A free list's blocks as spans of consecutive blocks (one per block in
// fidelity mode, one per list run of adjacent blocks in scale mode).
std::vector<FreeSpan> free_list_spans(const MemoryModel& mm, const FreeList& list, unsigned order)
{
  std::vector<FreeSpan> spans;
  const pfn_t size = pfn_t{1} << order;
  if (mm.page_runs() == nullptr) {
    for (pfn_t head : free_list_pfns(mm, list)) spans.push_back({head, head + size});
    return spans;
  }
  for (const FreeList::Run& run : list.runs) {
    const auto step = static_cast<std::int64_t>(size);
    if (run.count > 1 && (run.step == step || run.step == -step)) {
      const pfn_t last = run.first + static_cast<pfn_t>(static_cast<std::int64_t>(run.count - 1) * run.step);
      spans.push_back({std::min(run.first, last), std::max(run.first, last) + size});
    } else {
      for (std::uint64_t i = 0; i < run.count; i++) {
        const pfn_t head = run.first + static_cast<pfn_t>(static_cast<std::int64_t>(i) * run.step);
        spans.push_back({head, head + size});
      }
    }
  }
  return spans;
}

// Each head of [span) a PageBuddy of this order, aligned, inside the zone.
bool heads_well_formed(const MemoryModel& mm, const zone& z, const FreeSpan& span, unsigned order)
{
  const pfn_t size = pfn_t{1} << order;
  if ((span.start & (size - 1)) != 0 || !z.zone_spans_pfn(span.start) || !z.zone_spans_pfn(span.end - 1)) return false;
  if (const FreeBlocks* blocks = mm.free_blocks()) return blocks->covers(span.start, span.end, order);
  const page* hp = mm.pfn_host_page(span.start);
  return hp != nullptr && PageBuddy(*hp) && hp->private_ == order;
}

// Free lists: blocks well-formed, each free pfn once, counts consistent.
// Returns the well-formed spans in pfn order, for read_memmap() to check the
// struct pages of.
std::vector<FreeSpan> check_free_lists(const KernelState& k, BootProof& p)
{
  std::vector<FreeSpan> all;
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
          for (const FreeSpan& span : free_list_spans(k.mm, z.free_area[order].free_list[mt], order)) {
            const std::uint64_t count = (span.end - span.start) >> order;
            blocks += count;
            if (!heads_well_formed(k.mm, z, span, order)) {
              fail(p, fmt::format("node {} {} order-{} block at pfn {:#x} is not a well-formed buddy block",
                                  z.node, z.name(), order, span.start));
              continue;
            }
            all.push_back(span);
            zone_free += span.end - span.start;
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
  // Each free pfn in one block only.
  std::sort(all.begin(), all.end(), [](const FreeSpan& a, const FreeSpan& b) { return a.start < b.start; });
  for (std::size_t i = 1; i < all.size(); i++)
    if (all[i].start < all[i - 1].end) fail(p, fmt::format("free pfn {:#x} is in two buddy blocks", all[i].start));
  return all;
}

void check_reserved(const KernelState& k, BootProof& p)
{
  for (const memblock_region& r : k.memblock.reserved.regions) {
    if (r.size == 0) continue;
    for (pfn_t pfn = PFN_DOWN(r.base); pfn < PFN_UP(r.end());) {
      const pfn_t next = std::min(PFN_UP(r.end()), round_up(pfn + 1, PAGES_PER_SECTION));
      if (k.mm.pfn_valid(pfn)) {
        k.mm.for_each_shadow(pfn, next, [&](pfn_t a, pfn_t b, const PageShadow&) {
          if (!k.mm.pfn_valid(a)) return;  // FLATMEM's shadows run to the section's end, its memmap does not
          p.reserved_pages += b - a;
          if (!PageReserved(k.mm.read_page(a)) || !PageReserved(k.mm.read_page(b - 1)))
            fail(p, fmt::format("reserved pfn {:#x} is not PageReserved", a));
        });
      }
      pfn = next;
    }
  }
}

// FNV-1a over the sections' own hashes, in section order.
std::uint64_t combine_section_hashes(const std::vector<std::uint64_t>& per_section)
{
  std::uint64_t h = 0xcbf29ce484222325;
  for (std::uint64_t s : per_section) h = (h ^ s) * 0x100000001b3;
  return h;
}

// The struct pages, read once, section by section over the workers: that
// every free pfn is initialized and not PageReserved, then the section's
// hash (XXH3) while its 2 MiB are still in cache. (As two passes over 16 GiB,
// and FNV-1a before XXH3, they were a fifth of a 1 TiB run's samples.) Scale
// mode has no bytes to hash: its free runs are checked run by run.
void read_memmap(const KernelState& k, const std::vector<FreeSpan>& spans, const Executor& executor, BootProof& p)
{
  std::vector<char> span_ok(spans.size(), 1);
  if (k.mm.page_runs() != nullptr) {
    for (std::size_t i = 0; i < spans.size(); i++)
      span_ok[i] = free_pages_well_formed(k.mm, spans[i].start, spans[i].end);
  } else {
    const std::vector<std::uint64_t>& sections = k.mm.memmap_sections();
    struct Piece {
      pfn_t start, end;
      std::size_t span;
      bool ok = true;  // written by its section's task only
    };
    std::vector<std::vector<Piece>> pieces(sections.size());  // the spans cut at section boundaries
    for (std::size_t i = 0; i < spans.size(); i++) {
      for (pfn_t pfn = spans[i].start; pfn < spans[i].end;) {
        const pfn_t stop = std::min(spans[i].end, round_up(pfn + 1, PAGES_PER_SECTION));
        const auto at = std::lower_bound(sections.begin(), sections.end(), pfn_to_section_nr(pfn));
        if (at == sections.end() || *at != pfn_to_section_nr(pfn))
          span_ok[i] = 0;  // a free pfn with no struct page
        else
          pieces[static_cast<std::size_t>(at - sections.begin())].push_back({pfn, stop, i});
        pfn = stop;
      }
    }
    std::vector<std::uint64_t> hashes(sections.size());
    executor.for_each_index(sections.size(), [&](std::size_t s) {
      for (Piece& piece : pieces[s]) piece.ok = free_pages_well_formed(k.mm, piece.start, piece.end);
      const MemoryModel::SectionPages pages = k.mm.section_pages(sections[s]);
      hashes[s] = XXH3_64bits(pages.first, pages.count * sizeof(page));
    });
    for (const std::vector<Piece>& in_section : pieces)
      for (const Piece& piece : in_section) span_ok[piece.span] &= piece.ok ? 1 : 0;
    p.memmap_hash = combine_section_hashes(hashes);
  }
  for (std::size_t i = 0; i < spans.size(); i++)
    if (!span_ok[i])
      fail(p, fmt::format("free pfns in [{:#x}, {:#x}) are uninitialized or PageReserved", spans[i].start,
                          spans[i].end));
}

}  // namespace

BootProof prove_boot(const KernelState& k, const Executor& executor)
{
  BootProof p;
  check_initialized(k, p);
  const std::vector<FreeSpan> free_spans = check_free_lists(k, p);
  check_reserved(k, p);
  read_memmap(k, free_spans, executor, p);
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
  if (p.device_pages != 0)
    out.push_back(fmt::format("device memory (ZONE_DEVICE): {} struct pages initialized by memremap_pages()",
                              p.device_pages));
  out.push_back(fmt::format("holes in present sections: {} initialized, {} zeroed, {} never touched",
                            p.holes_initialized, p.holes_zeroed, p.holes_untouched));
  out.push_back(fmt::format("buddy allocator: {} free pages in {} blocks; {} reserved pages, all PageReserved",
                            p.free_pages, p.free_blocks, p.reserved_pages));
  if (p.memmap_hash != 0) out.push_back(fmt::format("memmap hash: {:016x}", p.memmap_hash));
  else out.push_back("memmap hash: none (scale mode keeps no struct page bytes)");
  if (p.failures.empty()) out.push_back("proof: holds");
  for (const std::string& f : p.failures) out.push_back("proof FAILED: " + f);
  return out;
}

}  // namespace pginit
