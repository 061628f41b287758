// SPDX-License-Identifier: MIT
#include "checker/page_read_checker.h"

#include "include/linux/memremap.h"
#include "kernel/kernel.h"

#include <algorithm>

#include <fmt/format.h>

namespace pginit {

std::string initialized_by(const MemoryModel& mm, pfn_t pfn)
{
  const PageShadow s = mm.read_shadow(pfn);
  return s.initialized() ? std::string(init_phase_name(s.phase)) : std::string();
}

void PageReadChecker::on_page_read(const MemoryModel& mm, kva_t page_kva, std::string_view accessor, std::uint64_t value)
{
  // The pfn the struct page belongs to by where it sits in the memmap: the
  // simulator's ground truth, independent of what the page says.
  const std::optional<pfn_t> pfn = mm.memmap_pfn_of(page_kva);
  if (!pfn) return;
  const PageShadow shadow = mm.read_shadow(*pfn);
  if (shadow.initialized() && !shadow.zeroed) return;
  PageReadViolation v;
  v.pfn = *pfn;
  v.accessor = std::string(accessor);
  v.value = value;
  page as_read{};
  as_read.flags = value;
  v.decoded = page_to_section(as_read, mm.flags_layout());
  v.zeroed = shadow.zeroed;
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
  if (!k.mm.pfn_valid(e.pfn)) return;
  const PageShadow shadow = k.mm.read_shadow(e.pfn);
  const page p = k.mm.read_page(e.pfn);
  PageReadViolation v;
  v.pfn = e.pfn;
  v.accessor = std::string(e.accessor);
  v.value = p.flags;
  v.zeroed = shadow.zeroed;
  v.reader = reader;
  if (!shadow.initialized() && !shadow.zeroed) {
    v.consequence = std::string(e.on_poison);
  } else if (e.uses_links) {
    unsigned want_idx = 0;
    const zone* z = spanning_zone(k, e.pfn, &want_idx);
    if (z == nullptr) return;  // no zone spans it: nothing to compare with
    const PageFlagsLayout& l = k.mm.flags_layout();
    const unsigned zone_idx = page_zonenum(p, l);
    // Without the node in page->flags (nodes_width 0) page_to_nid() goes
    // through the section; pginit compares the zone alone then.
    const int nid = l.nodes_width != 0 ? page_to_nid(p, l) : z->node;
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
    const PageShadow s = k.mm.read_shadow(t.expected_pfn);
    if (k.mm.pfn_valid(t.expected_pfn) && (!s.initialized() || s.zeroed))
      notes_.push_back(fmt::format("per_cpu_ptr_to_phys({} = {:#x}): the struct page of pfn {:#x} is not initialized "
                                   "yet, but {}'s page_to_pfn() does not read it: nothing goes wrong",
                                   t.what, t.addr, t.expected_pfn, memory_model_name(k.mm.kind())));
  }
  translated_ = violations_.size();
}

void PageReadChecker::on_page_access(const Kernel& k, const PageAccessEvent& a)
{
  // is_device_private_page(): what the kernel itself asks of the struct page.
  const page* p = k.mm.host_page(a.page);
  if (p == nullptr) return;
  const int device_zone = k.zones.index_of(ZoneType::device);
  if (!is_zone_device_page(*p, k.mm.flags_layout(), device_zone)) return;
  const dev_pagemap* pgmap = k.find_dev_pagemap(p->lru_next);
  if (pgmap == nullptr || pgmap->type != memory_type::MEMORY_DEVICE_PRIVATE) return;
  PageReadViolation v;
  v.kind = PageReadViolation::Kind::unaddressable_access;
  v.pfn = a.pfn;
  v.accessor = std::string(a.via);
  v.value = p->lru_next;
  for (const char* f : stack_.frames()) v.stack.emplace_back(f);
  v.stack.pop_back();  // the accessor's own frame is printed last, as for reads
  v.time_ns = clock_.now_ns();
  v.translation = fmt::format("{}() = {:#x}: device-private memory of {} (node {}), added by add_pages() without a "
                              "linear mapping",
                              a.via, a.kaddr, pgmap->dev_name, pgmap->nid);
  v.consequence = fmt::format("the load from {:#x} takes a page fault on the unmapped direct map: \"BUG: unable to "
                              "handle kernel paging request\", an Oops (device memory must be migrated to RAM first)",
                              a.kaddr);
  violations_.push_back(std::move(v));
  translated_ = violations_.size();
}

std::vector<std::string> PageReadViolation::report(const std::string& initialized_by) const
{
  std::vector<std::string> out;
  if (kind == Kind::unaddressable_access || !reader.empty()) {
    if (kind == Kind::unaddressable_access) {
      out.push_back(fmt::format("BUG: CPU access to device-private memory (pfn {:#x}, section {}, ZONE_DEVICE "
                                "MEMORY_DEVICE_PRIVATE, not CPU-addressable)",
                                pfn, pfn_to_section_nr(pfn)));
      out.push_back(fmt::format("  page->pgmap = {:#018x} -> {}", value, translation));
      out.push_back("  " + consequence);
    } else if (links_read.empty()) {
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
