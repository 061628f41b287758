// SPDX-License-Identifier: MIT
// page_explorer.cpp - the data the report's script draws from:
//   { scenario, file, kernel, dump_format, pages_per_section, pageblock_pages,
//     layout {sections_width, sections_shift, nodes_width, nodes_shift, zones_width, zones_shift, pg_reserved},
//     categories: [{name, color} by run state], phase_names: [by InitPhase],
//     zones: [name by zone index], poison: "hex", flags: ["hex", ...],
//     nodes: [{nid, start, end}], zone_spans: [{nid, zid, start, end}],
//     milestones: [{label, time_ns, runs: [[start, count, state, reserved, flags index], ...]}],
//     marks {first_deferred_pfn: [[nid, pfn]], percpu_chunk: [[start, end]],
//            reads: [{pfn, time_ns, what, step, flagged}]},
//     pages: {"PFN": [{when, dump: [lines], decode: [lines]}]} }
// page->flags values are strings of hex (64 bits do not fit a JS number)
// and kept once each in `flags`; runs that continue into the next section
// are merged, so a vmemmap machine of any size is a few runs per node.
#include "report/page_explorer.h"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kernel/kernel.h"
#include "report/dump_page.h"
#include "report/page_categories.h"
#include "report/page_explorer_assets.h"

namespace pginit {

namespace {

const char* dump_format_name(DumpPageFormat f)
{
  switch (f) {
    case DumpPageFormat::v4_17: return "v4_17";
    case DumpPageFormat::v4_18: return "v4_18";
    case DumpPageFormat::v5_2: return "v5_2";
    case DumpPageFormat::v6_1: return "v6_1";
  }
  return "v6_1";
}

class FlagsTable {
 public:
  std::size_t index(std::uint64_t flags)
  {
    const auto [it, fresh] = ids_.try_emplace(flags, list_.size());
    if (fresh) list_.push_back(fmt::format("{:x}", flags));
    return it->second;
  }
  const std::vector<std::string>& list() const { return list_; }

 private:
  std::map<std::uint64_t, std::size_t> ids_;
  std::vector<std::string> list_;
};

nlohmann::json runs_json(const std::vector<PageRun>& runs, FlagsTable& flags)
{
  nlohmann::json out = nlohmann::json::array();
  const PageRun* last = nullptr;
  for (const PageRun& run : runs) {
    if (last != nullptr && last->start + out.back()[1].get<std::uint64_t>() == run.start && last->state == run.state &&
        last->reserved == run.reserved && last->flags == run.flags) {
      out.back()[1] = out.back()[1].get<std::uint64_t>() + run.count;
      continue;
    }
    out.push_back({run.start, run.count, run.state, run.reserved ? 1 : 0, flags.index(run.flags)});
    last = &run;
  }
  return out;
}

}  // namespace

std::string page_explorer_data(const RunResult& r)
{
  const Kernel& k = r.kernel();
  const KernelVersion& v = *r.scenario().kernel;
  const PageFlagsLayout& l = k.mm.flags_layout();
  const ReportRecorder& rec = r.record();
  nlohmann::json j;
  j["scenario"] = r.scenario().name;
  j["file"] = r.scenario().file;
  j["kernel"] = v.name;
  j["dump_format"] = dump_format_name(v.dump_page);
  j["pages_per_section"] = PAGES_PER_SECTION;
  j["pageblock_pages"] = k.mm.pageblock_nr_pages();
  j["layout"] = {{"sections_width", l.sections_width}, {"sections_shift", l.sections_pgshift},
                 {"nodes_width", l.nodes_width},       {"nodes_shift", l.nodes_pgshift},
                 {"zones_width", l.zones_width},       {"zones_shift", l.zones_pgshift},
                 {"pg_reserved", PG_reserved}};
  for (const PageCategory& c : PAGE_CATEGORIES) j["categories"].push_back({{"name", c.name}, {"color", c.color}});
  for (int i = 0; i < NR_INIT_PHASES; i++) j["phase_names"].push_back(std::string(init_phase_name(static_cast<InitPhase>(i))));
  j["poison"] = fmt::format("{:x}", PAGE_POISON_FLAGS);
  for (ZoneType t : k.zones.types) j["zones"].push_back(std::string(zone_name(t)));
  for (const pglist_data& pgdat : k.nodes) {
    j["nodes"].push_back({{"nid", pgdat.node_id}, {"start", pgdat.node_start_pfn},
                          {"end", pgdat.node_start_pfn + pgdat.node_spanned_pages}});
    for (std::size_t zid = 0; zid < pgdat.node_zones.size(); zid++) {
      const zone& z = pgdat.node_zones[zid];
      if (z.spanned_pages != 0)
        j["zone_spans"].push_back({{"nid", pgdat.node_id}, {"zid", zid}, {"start", z.zone_start_pfn}, {"end", z.zone_end_pfn()}});
    }
  }
  FlagsTable flags;
  j["milestones"] = nlohmann::json::array();
  for (const MemmapSnapshot& s : rec.snapshots())
    j["milestones"].push_back({{"label", s.label}, {"time_ns", s.time_ns}, {"runs", runs_json(s.runs, flags)}});
  j["flags"] = flags.list();
  nlohmann::json& marks = j["marks"];
  marks["first_deferred_pfn"] = nlohmann::json::array();
  for (const auto& [nid, pfn] : rec.marks().first_deferred_pfn) marks["first_deferred_pfn"].push_back({nid, pfn});
  marks["percpu_chunk"] = nlohmann::json::array();
  for (const auto& [a, b] : rec.marks().percpu_chunk) marks["percpu_chunk"].push_back({a, b});
  marks["reads"] = nlohmann::json::array();
  for (const StructPageRead& read : rec.reads()) {
    const bool flagged = std::any_of(r.violations().begin(), r.violations().end(),
                                     [&](const PageReadViolation& v2) { return v2.pfn == read.pfn; });
    marks["reads"].push_back(
        {{"pfn", read.pfn}, {"time_ns", read.time_ns}, {"what", read.what}, {"step", read.step}, {"flagged", flagged}});
  }
  nlohmann::json& pages = j["pages"];
  pages = nlohmann::json::object();
  for (const PageCopy& c : rec.marked_pages()) {
    nlohmann::json entry{{"when", c.when}};
    if (c.valid) {
      entry["dump"] = dump_page_lines(c.p, c.kva, c.pfn, v, l, "pginit report");
      entry["decode"] = decode_page(c.p, c.shadow, l, k.zones);
    } else {
      entry["dump"] = nlohmann::json::array();
      entry["decode"] = {"no struct page: the pfn's section has no memmap (pfn_valid() is false)"};
    }
    pages[std::to_string(c.pfn)].push_back(entry);
  }
  return j.dump();
}

std::string page_explorer_html(const RunResult& r)
{
  // Inside <script>, "</" would end it; JSON may write it as "<\/".
  std::string data;
  for (char c : page_explorer_data(r)) {
    if (c == '/' && !data.empty() && data.back() == '<') data += '\\';
    data += c;
  }
  return std::string(PAGE_EXPLORER_MARKUP) + "<script type=\"application/json\" id=\"pginit-data\">" + data +
         "</script>\n<script>\n" + PAGE_EXPLORER_SCRIPT + "</script>\n";
}

}  // namespace pginit
