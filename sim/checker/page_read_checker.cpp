// SPDX-License-Identifier: MIT
#include "checker/page_read_checker.h"

#include "kernel/kernel.h"

#include <algorithm>

#include <fmt/format.h>

namespace pginit {

namespace {

// The pfn a struct page belongs to, by where it sits in the memmap: the
// simulator's ground truth, independent of what the page says.
std::optional<pfn_t> true_pfn(const MemoryModel& mm, kva_t page_kva)
{
  const page* host = mm.host_page(page_kva);
  if (host == nullptr) return std::nullopt;
  for (std::uint64_t sec : mm.memmap_sections()) {
    const MemoryModel::SectionPages s = mm.section_pages(sec);
    if (host >= s.first && host < s.first + s.count) return section_nr_to_pfn(sec) + static_cast<pfn_t>(host - s.first);
  }
  return std::nullopt;
}

}  // namespace

std::string initialized_by(const MemoryModel& mm, pfn_t pfn)
{
  const PageShadow* s = mm.shadow(pfn);
  return s != nullptr && s->initialized() ? std::string(init_phase_name(s->phase)) : std::string();
}

void PageReadChecker::on_page_read(const MemoryModel& mm, kva_t page_kva, std::string_view accessor, std::uint64_t value)
{
  const std::optional<pfn_t> pfn = true_pfn(mm, page_kva);
  if (!pfn) return;
  const PageShadow* shadow = mm.shadow(*pfn);
  if (shadow == nullptr || (shadow->initialized() && !shadow->zeroed)) return;
  PageReadViolation v;
  v.pfn = *pfn;
  v.accessor = std::string(accessor);
  v.value = value;
  page as_read{};
  as_read.flags = value;
  v.decoded = page_to_section(as_read, mm.flags_layout());
  v.zeroed = shadow->zeroed;
  for (const char* f : stack_.frames()) v.stack.emplace_back(f);
  v.time_ns = clock_.now_ns();
  violations_.push_back(std::move(v));
}

namespace {

// The populated zone whose span holds pfn (zone_spans_pfn()) and its
// index in its node (zone_idx()), or nullptr.
const zone* spanning_zone(const Kernel& k, pfn_t pfn, unsigned* idx)
{
  for (const pglist_data& pgdat : k.nodes)
    for (std::size_t i = 0; i < pgdat.node_zones.size(); i++)
      if (pgdat.node_zones[i].populated() && pgdat.node_zones[i].zone_spans_pfn(pfn)) {
        *idx = static_cast<unsigned>(i);
        return &pgdat.node_zones[i];
      }
  return nullptr;
}

std::string links_text(ZoneType zone_type, int nid) { return fmt::format("zone {}, node {}", zone_name(zone_type), nid); }

}  // namespace

void PageReadChecker::on_page_use(const Kernel& k, const PageUseEvent& e)
{
  const std::string reader(e.reader);
  if (std::find(stopped_readers_.begin(), stopped_readers_.end(), reader) != stopped_readers_.end()) return;
  const PageShadow* shadow = k.mm.shadow(e.pfn);
  const page* p = k.mm.pfn_host_page(e.pfn);
  if (shadow == nullptr || p == nullptr) return;
  PageReadViolation v;
  v.pfn = e.pfn;
  v.accessor = std::string(e.accessor);
  v.value = p->flags;
  v.zeroed = shadow->zeroed;
  v.reader = reader;
  if (!shadow->initialized() && !shadow->zeroed) {
    v.consequence = std::string(e.on_poison);
  } else if (e.uses_links) {
    unsigned want_idx = 0;
    const zone* z = spanning_zone(k, e.pfn, &want_idx);
    if (z == nullptr) return;  // no zone spans it: nothing to compare with
    const PageFlagsLayout& l = k.mm.flags_layout();
    const unsigned zone_idx = page_zonenum(*p, l);
    // Without the node in page->flags (nodes_width 0) page_to_nid() goes
    // through the section; pginit compares the zone alone then.
    const int nid = l.nodes_width != 0 ? page_to_nid(*p, l) : z->node;
    if (zone_idx == want_idx && nid == z->node) return;
    v.links_read = zone_idx < k.zones.types.size() ? links_text(k.zones.types[zone_idx], nid)
                                                   : fmt::format("zone {}, node {}", zone_idx, nid);
    v.links_spanning = links_text(z->type, z->node);
    v.consequence = std::string(e.on_wrong_link);
  } else {
    return;
  }
  for (const char* f : stack_.frames()) v.stack.emplace_back(f);
  v.time_ns = clock_.now_ns();
  violations_.push_back(std::move(v));
  // Not a translation's read: keep on_translation() from claiming it.
  translated_ = violations_.size();
  stopped_readers_.push_back(reader);
}

void PageReadChecker::on_translation(const Kernel& k, const TranslationEvent& t)
{
  // Every read since the last translation was part of this one.
  const phys_addr_t page_phys = t.value - (t.expected - PFN_PHYS(t.expected_pfn));
  for (std::size_t i = translated_; i < violations_.size(); i++) {
    PageReadViolation& v = violations_[i];
    v.translation = t.ok ? fmt::format("page_to_pfn() = {:#x} (expected {:#x})", page_phys >> PAGE_SHIFT, t.expected_pfn)
                         : fmt::format("page_to_pfn() faults: {}", t.fault);
    v.consequence =
        t.ok ? fmt::format("per_cpu_ptr_to_phys({}) returns {:#x} instead of {:#x}: the wrong page would be mapped",
                           t.what, t.value, t.expected)
             : fmt::format("per_cpu_ptr_to_phys({}) of {:#x} (pa {:#x}) never returns: the kernel takes an early "
                           "exception, {}",
                           t.what, t.addr, t.expected,
                           // KASAN's instrumented load turns the NULL-based access into a
                           // general protection fault (the 0day report's kernel had KASAN).
                           k.config("KASAN") ? "#GP (\"PANIC: early exception 0x0d\", as in the 0day report)"
                                             : "#PF on the NULL section root (\"PANIC: early exception 0x0e\")");
  }
  if (translated_ == violations_.size()) {
    const PageShadow* s = k.mm.shadow(t.expected_pfn);
    if (s != nullptr && (!s->initialized() || s->zeroed))
      notes_.push_back(fmt::format("per_cpu_ptr_to_phys({} = {:#x}): the struct page of pfn {:#x} is not initialized "
                                   "yet, but {}'s page_to_pfn() does not read it: nothing goes wrong",
                                   t.what, t.addr, t.expected_pfn, memory_model_name(k.mm.kind())));
  }
  translated_ = violations_.size();
}

std::vector<std::string> PageReadViolation::report(const std::string& initialized_by) const
{
  std::vector<std::string> out;
  if (!reader.empty()) {
    if (links_read.empty()) {
      out.push_back(fmt::format("BUG: {}() read an uninitialized struct page (pfn {:#x}, section {}, {})", reader, pfn,
                                pfn_to_section_nr(pfn),
                                initialized_by.empty() ? "never initialized"
                                                       : fmt::format("not initialized until phase {}", initialized_by)));
      out.push_back(fmt::format("  page->flags = {:#018x} (poison) -> {}() -> {}", value, accessor, consequence));
    } else {
      out.push_back(fmt::format("BUG: {}() read a struct page linked to the wrong zone (pfn {:#x}: {}, but {} spans it)",
                                reader, pfn, links_read, links_spanning));
      out.push_back(fmt::format("  page->flags = {:#018x} ({}) -> {}() -> {}", value,
                                zeroed ? std::string("zeroed") : "initialized in phase " + initialized_by, accessor,
                                consequence));
    }
    for (std::size_t i = 0; i < stack.size(); i++) out.push_back(fmt::format("  {:>{}}{}()", "", i, stack[i]));
    out.push_back(fmt::format("  {:>{}}{}()", "", stack.size(), accessor));
    return out;
  }
  out.push_back(fmt::format("BUG: read of uninitialized struct page (pfn {:#x}, section {}, {})", pfn,
                            pfn_to_section_nr(pfn),
                            initialized_by.empty() ? "never initialized"
                                                   : fmt::format("not initialized until phase {}", initialized_by)));
  out.push_back(fmt::format("  page->flags = {:#018x} ({}) -> {}() = {:#x} -> {}", value, zeroed ? "zeroed" : "poison",
                            accessor, decoded, translation));
  if (!consequence.empty()) out.push_back("  " + consequence);
  for (std::size_t i = 0; i < stack.size(); i++) out.push_back(fmt::format("  {:>{}}{}()", "", i, stack[i]));
  out.push_back(fmt::format("  {:>{}}{}()", "", stack.size(), accessor));
  return out;
}

}  // namespace pginit
