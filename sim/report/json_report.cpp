// SPDX-License-Identifier: MIT
// json_report.cpp - schema (version 1):
//   { schema_version, scenario {name, file, kernel}, config {SYMBOL: value},
//     e820 {firmware: [..], final: [..]}, memblock {memory: [..], reserved: [..]},
//     memory_model {kind, memmap_sections, host_bytes}, dma_reserve,
//     nodes: [{nid, start_pfn, spanned_pages, present_pages,
//              zones: [{name, start_pfn, spanned_pages, present_pages, managed_pages, free_pages}]}],
//     policy, phases: [{nid, early, mm_init, on_demand, deferred}],
//     proof {holds, failures, still_deferred, holes {initialized, zeroed, untouched},
//            free_pages, free_blocks, reserved_pages, memmap_hash,
//            free_lists {"NID ZONE": [blocks of order 0 .. 10]}},
//     deferred: [{nid, threads, chunks, pages_initialized, ns}],
//     kconfig_changes: [{symbol, from, to, why, user_set}],
//     violations: [{kind, pfn, accessor, value, stack, time_ns, report}],
//     log: [{time_ns, level, text}] }
// Addresses are integers (bytes); nothing depends on the host or the clock.
#include "report/json_report.h"
#include "report/text_file.h"

#include "kernel/kernel.h"


#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pginit {

namespace {

using json = nlohmann::ordered_json;

json e820_json(const e820_table& t)
{
  json a = json::array();
  for (const e820_entry& e : t.entries)
    a.push_back({{"addr", e.addr}, {"size", e.size}, {"type", e820_type_name(e.type)}});
  return a;
}

json memblock_type_json(const memblock_type& t, int max_numnodes)
{
  json a = json::array();
  if (t.empty()) return a;
  for (const memblock_region& r : t.regions) {
    json j = {{"base", r.base}, {"size", r.size}, {"flags", r.flags}};
    j["nid"] = r.nid == max_numnodes ? json(nullptr) : json(r.nid);
    a.push_back(std::move(j));
  }
  return a;
}

json nodes_json(const std::vector<pglist_data>& nodes)
{
  json a = json::array();
  for (const pglist_data& pgdat : nodes) {
    json zones = json::array();
    for (const zone& z : pgdat.node_zones)
      zones.push_back({{"name", z.name()},
                       {"start_pfn", z.zone_start_pfn},
                       {"spanned_pages", z.spanned_pages},
                       {"present_pages", z.present_pages},
                       {"managed_pages", z.managed_pages},
                       {"free_pages", z.nr_free_pages}});
    a.push_back({{"nid", pgdat.node_id},
                 {"start_pfn", pgdat.node_start_pfn},
                 {"spanned_pages", pgdat.node_spanned_pages},
                 {"present_pages", pgdat.node_present_pages},
                 {"zones", std::move(zones)}});
  }
  return a;
}

json free_lists_json(const std::vector<ZoneFreeLists>& zones)
{
  json o = json::object();
  for (const ZoneFreeLists& z : zones) o[z.key()] = z.nr_free;
  return o;
}

// Each node's pass after smp_init: how it was split and what it cost.
json deferred_json(const std::vector<DeferredNodeRun>& runs)
{
  json a = json::array();
  for (const DeferredNodeRun& d : runs)
    a.push_back({{"nid", d.nid},
                 {"threads", d.threads},
                 {"chunks", d.chunks},
                 {"pages_initialized", d.pages_initialized},
                 {"ns", d.ns}});
  return a;
}

const char* level_name(LogLevel l)
{
  static constexpr const char* names[] = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
  return names[static_cast<int>(l)];
}

}  // namespace

bool write_json_report(const RunResult& run, const std::string& path, std::string* why)
{
  const Kernel& st = run.kernel();
  const BootProof& proof = *run.proof;
  json r;
  r["schema_version"] = 1;
  r["scenario"] = {{"name", run.scenario().name}, {"file", run.scenario().file}, {"kernel", run.scenario().kernel->name}};
  json config = json::object();
  for (const auto& [k, v] : run.scenario().config) config[k] = v;
  r["config"] = std::move(config);
  r["e820"] = {{"firmware", e820_json(st.e820_firmware)}, {"final", e820_json(st.e820)}};
  r["memblock"] = {{"memory", memblock_type_json(st.memblock.memory, st.memblock.max_numnodes)},
                   {"reserved", memblock_type_json(st.memblock.reserved, st.memblock.max_numnodes)}};
  r["memory_model"] = {{"kind", memory_model_name(st.mm.kind())},
                       {"memmap_sections", st.mm.memmap_sections().size()},
                       {"host_bytes", st.mm.host_bytes()}};
  r["dma_reserve"] = st.dma_reserve;
  r["nodes"] = nodes_json(st.nodes);
  r["policy"] = run.policy().name;
  json phases = json::array();
  for (const NodePhaseCounts& c : proof.by_node)
    phases.push_back({{"nid", c.nid}, {"early", c.pages[1]}, {"mm_init", c.pages[2]}, {"on_demand", c.pages[3]},
                      {"deferred", c.pages[4]}});
  r["phases"] = std::move(phases);
  r["proof"] = {{"holds", proof.failures.empty()},
                {"failures", proof.failures},
                {"still_deferred", proof.still_deferred},
                {"holes",
                 {{"initialized", proof.holes_initialized},
                  {"zeroed", proof.holes_zeroed},
                  {"untouched", proof.holes_untouched}}},
                {"free_pages", proof.free_pages},
                {"free_blocks", proof.free_blocks},
                {"reserved_pages", proof.reserved_pages},
                {"memmap_hash", fmt::format("{:016x}", proof.memmap_hash)},
                {"free_lists", free_lists_json(proof.free_lists)}};
  r["deferred"] = deferred_json(run.record().deferred_runs());
  json changes = json::array();
  for (const KconfigChange& c : run.scenario().config_changes)
    changes.push_back({{"symbol", c.symbol}, {"from", c.from}, {"to", c.to}, {"why", c.why}, {"user_set", c.user_set}});
  r["kconfig_changes"] = std::move(changes);
  json violations = json::array();
  for (const PageReadViolation& v : run.violations()) {
    violations.push_back({{"kind", v.kind == PageReadViolation::Kind::unaddressable_access ? "unaddressable_access"
                                                                                          : "uninitialized_read"},
                          {"pfn", v.pfn},
                          {"accessor", v.accessor},
                          {"value", v.value},
                          {"stack", v.stack},
                          {"time_ns", v.time_ns},
                          {"report", v.report(initialized_by(st.mm, v.pfn))}});
  }
  r["violations"] = std::move(violations);
  json log = json::array();
  for (const LogLine& l : run.log().lines())
    log.push_back({{"time_ns", l.time_ns}, {"level", level_name(l.level)}, {"text", l.text}});
  r["log"] = std::move(log);

  return write_text_file(path, r.dump(2) + '\n', why);
}

}  // namespace pginit
