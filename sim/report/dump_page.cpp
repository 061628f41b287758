// SPDX-License-Identifier: MIT
#include "report/dump_page.h"

#include <array>

#include <fmt/format.h>

#include "include/linux/page-flags.h"

namespace pginit {

namespace {

// The 64 bytes in the version's field order, for print_hex_dump()'s two "raw:"
// lines: v4.17's struct page (flags, mapping, index, counters, lru, private,
// mem_cgroup) is pginit's; from v4.18 (Matthew Wilcox's reorganization)
// lru follows flags, then mapping, index, private, the counters, memcg.
std::array<std::uint64_t, 8> raw_words(const page& p, DumpPageFormat f)
{
  const std::uint64_t counters = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(p._refcount)) << 32) |
                                 static_cast<std::uint32_t>(p._mapcount);
  if (f == DumpPageFormat::v4_17) return {p.flags, p.mapping, p.index, counters, p.lru_next, p.lru_prev, p.private_,
                                          p.mem_cgroup};
  return {p.flags, p.lru_next, p.lru_prev, p.mapping, p.index, p.private_, counters, p.mem_cgroup};
}

void raw_lines(std::vector<std::string>& out, const page& p, DumpPageFormat f)
{
  const auto w = raw_words(p, f);
  out.push_back(fmt::format("raw: {:016x} {:016x} {:016x} {:016x}", w[0], w[1], w[2], w[3]));
  out.push_back(fmt::format("raw: {:016x} {:016x} {:016x} {:016x}", w[4], w[5], w[6], w[7]));
}

}  // namespace

std::string page_flag_names(const page& p, std::string_view sep)
{
  std::vector<std::string_view> names;
  if (PageReserved(p)) names.push_back("reserved");
  return fmt::format("{}", fmt::join(names, sep));
}

std::vector<std::string> dump_page_lines(const page& p, kva_t p_kva, pfn_t pfn, const KernelVersion& v,
                                         const PageFlagsLayout& l, const std::string& reason)
{
  std::vector<std::string> out;
  const DumpPageFormat f = v.dump_page;
  // page_mapcount(): _mapcount + 1 (PageBuddy's -128 shows as -127).
  const int mapcount = p._mapcount + 1;
  if (PagePoisoned(p) && f == DumpPageFormat::v4_17) {
    // No poison check yet: the kernel's own page_mapcount() would hit
    // PF_POISONED_CHECK and recurse into dump_page(); only the bytes are real.
    out.push_back("(v4.17 dump_page() of a poisoned struct page recurses through PF_POISONED_CHECK; its bytes:)");
    raw_lines(out, p, f);
    return out;
  }
  if (PagePoisoned(p)) {
    out.push_back(fmt::format("page:{:016x} is uninitialized and poisoned", p_kva));
    if (f != DumpPageFormat::v6_1) raw_lines(out, p, f);  // v5.14 stopped dumping it
    out.push_back(fmt::format("page dumped because: {}", reason));
    return out;
  }
  switch (f) {
    case DumpPageFormat::v4_17:
    case DumpPageFormat::v4_18:
      out.push_back(fmt::format("page:{:016x} count:{} mapcount:{} mapping:{:016x} index:{:#x}", p_kva, p._refcount,
                                mapcount, p.mapping, p.index));
      out.push_back(fmt::format("flags: {:#x}({})", p.flags, page_flag_names(p, "|")));
      break;
    case DumpPageFormat::v5_2:
      out.push_back(fmt::format("page:{:016x} refcount:{} mapcount:{} mapping:{:016x} index:{:#x}", p_kva,
                                p._refcount, mapcount, p.mapping, p.index));
      out.push_back(fmt::format("flags: {:#x}({})", p.flags, page_flag_names(p, "|")));
      break;
    case DumpPageFormat::v6_1: {
      out.push_back(fmt::format("page:{:016x} refcount:{} mapcount:{} mapping:{:016x} index:{:#x} pfn:{:#x}", p_kva,
                                p._refcount, mapcount, p.mapping, p.index, pfn));
      // %pGp since v5.16: the value, then the names and the fields.
      std::string fields = page_flag_names(p, "|");
      if (l.sections_width != 0) fields += fmt::format("{}section={}", fields.empty() ? "" : "|", page_to_section(p, l));
      fields += fmt::format("{}node={}|zone={}", fields.empty() ? "" : "|", page_to_nid(p, l), page_zonenum(p, l));
      out.push_back(fmt::format("flags: {:#x}({})", p.flags, fields));
      break;
    }
  }
  raw_lines(out, p, f);
  out.push_back(fmt::format("page dumped because: {}", reason));
  return out;
}

std::vector<std::string> decode_page(const page& p, const PageShadow& shadow, const PageFlagsLayout& l,
                                     const ZoneConfig& zones)
{
  std::vector<std::string> out;
  if (PagePoisoned(p)) {
    out.push_back("page->flags is the poison pattern: no one has written this struct page");
  } else {
    const unsigned zid = page_zonenum(p, l);
    const std::string zone = zid < zones.types.size() ? std::string(zone_name(zones.types[zid])) : "?";
    out.push_back(fmt::format("page->flags: {}node={} zone={} ({}), PG_reserved={}{}",
                              l.sections_width != 0 ? fmt::format("section={} ", page_to_section(p, l)) : "",
                              page_to_nid(p, l), zid, zone, PageReserved(p) ? 1 : 0,
                              PageBuddy(p) ? fmt::format(", PageBuddy order {}", p.private_) : ""));
    out.push_back(fmt::format("lru: next={:#x} prev={:#x}", p.lru_next, p.lru_prev));
  }
  if (shadow.zeroed) out.push_back("zeroed by zero_resv_unavail(), never initialized");
  else if (!shadow.initialized()) out.push_back("not initialized by any phase yet");
  else
    out.push_back(fmt::format("initialized by the {} phase ({} time{})", init_phase_name(shadow.phase), shadow.inits,
                              shadow.inits == 1 ? "" : "s"));
  return out;
}

}  // namespace pginit
