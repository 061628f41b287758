// SPDX-License-Identifier: MIT
#include "report/trace_events.h"
#include "report/text_file.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pginit {

namespace {

using json = nlohmann::ordered_json;

constexpr int PID = 1;
constexpr int BOOT_CPU_TID = 1;
constexpr int NODE_TID_BASE = 100;       // deferred init of node N: its own track
constexpr int WORKER_TID_BASE = 100000;  // node N's worker W: 100000 + N * 10000 + W
constexpr int WORKERS_PER_NODE = 10000;  // above the 1024 CPUs a scenario may give a node

double us(std::uint64_t ns) { return static_cast<double>(ns) / 1000.0; }

json metadata(const char* what, int tid, const std::string& name)
{
  return json{{"ph", "M"}, {"name", what}, {"pid", PID}, {"tid", tid}, {"args", {{"name", name}}}};
}

json slice(const std::string& name, const char* cat, int tid, std::uint64_t start_ns, std::uint64_t dur_ns)
{
  return json{{"ph", "X"},          {"name", name},   {"cat", cat},           {"pid", PID},
              {"tid", tid},         {"ts", us(start_ns)}, {"dur", us(dur_ns)}};
}

// When the boot ended on the simulated clock: the last thing it did.
std::uint64_t end_ns(const RunResult& r)
{
  std::uint64_t end = 0;
  for (const LogLine& l : r.log().lines()) end = std::max(end, l.time_ns);
  for (const StepTime& s : r.record().timeline()) end = std::max(end, s.start_ns);
  for (const DeferredNodeRun& d : r.record().deferred_runs()) end = std::max(end, d.start_ns + d.ns);
  for (const PageReadViolation& v : r.violations()) end = std::max(end, v.time_ns);
  return end;
}

}  // namespace

bool write_trace_events(const RunResult& r, const std::string& path, std::string* why)
{
  json events = json::array();
  events.push_back(metadata("process_name", BOOT_CPU_TID,
                            fmt::format("pginit: {} ({})", r.scenario().name, r.scenario().kernel->name)));
  events.push_back(metadata("thread_name", BOOT_CPU_TID, "CPU 0: start_kernel"));

  // Each step lasts until the next one starts; the last until the boot ends.
  const std::vector<StepTime>& steps = r.record().timeline();
  const std::uint64_t end = end_ns(r);
  for (std::size_t i = 0; i < steps.size(); i++) {
    const std::uint64_t stop = i + 1 < steps.size() ? steps[i + 1].start_ns : end;
    events.push_back(slice(steps[i].step, "boot", BOOT_CPU_TID, steps[i].start_ns,
                           stop > steps[i].start_ns ? stop - steps[i].start_ns : 0));
  }

  for (const DeferredNodeRun& d : r.record().deferred_runs()) {
    const int tid = NODE_TID_BASE + d.nid;
    events.push_back(metadata("thread_name", tid, fmt::format("node {}: deferred_init_memmap", d.nid)));
    json s = slice(fmt::format("node {} deferred init", d.nid), "deferred", tid, d.start_ns, d.ns);
    s["args"] = {{"threads", d.threads}, {"chunks", d.chunks}, {"pages_initialized", d.pages_initialized}};
    events.push_back(std::move(s));
    // The workers, each a track of its chunks: worker 0 is the node's
    // pgdatinit kthread, the others padata's helpers (v5.7's padata_do_multithreaded()).
    std::vector<bool> named(d.threads, false);
    for (const DeferredChunkRun& c : d.chunk_runs) {
      const int wtid = WORKER_TID_BASE + d.nid * WORKERS_PER_NODE + static_cast<int>(c.worker);
      if (c.worker < named.size() && !named[c.worker]) {
        named[c.worker] = true;
        events.push_back(metadata("thread_name", wtid,
                                  c.worker == 0 ? fmt::format("node {}: pgdatinit{}", d.nid, d.nid)
                                                : fmt::format("node {}: padata worker {}", d.nid, c.worker)));
      }
      json cs = slice(fmt::format("chunk pfn {:#x}-{:#x}", c.start_pfn, c.end_pfn), "chunk", wtid, c.start_ns, c.ns);
      cs["args"] = {{"start_pfn", fmt::format("{:#x}", c.start_pfn)},
                    {"end_pfn", fmt::format("{:#x}", c.end_pfn)},
                    {"pages_initialized", c.pages_initialized}};
      events.push_back(std::move(cs));
    }
  }

  for (const PageReadViolation& v : r.violations()) {
    json e{{"ph", "i"},   {"s", "t"},           {"name", fmt::format("uninitialized struct page read, pfn {:#x}", v.pfn)},
           {"cat", "violation"}, {"pid", PID}, {"tid", BOOT_CPU_TID}, {"ts", us(v.time_ns)}};
    e["args"] = {{"pfn", fmt::format("{:#x}", v.pfn)},
                 {"accessor", v.accessor},
                 {"consequence", v.consequence},
                 {"stack", v.stack}};
    events.push_back(std::move(e));
  }

  const json doc{{"displayTimeUnit", "ns"}, {"traceEvents", std::move(events)}};
  return write_text_file(path, doc.dump(1) + "\n", why);
}

}  // namespace pginit
