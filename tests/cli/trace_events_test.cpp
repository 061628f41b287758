// SPDX-License-Identifier: MIT
// --trace-out: the boot as Chrome/Perfetto trace events. The file is checked
// against the trace event format's rules (the JSON object form: a
// traceEvents array; each event has ph, name, pid, tid; X slices have
// non-negative ts and dur; i events a scope; M events name a process or
// thread) so ui.perfetto.dev opens it, and for what a user looks for.
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>
// GCC 12 at -O3 sees a "potential null pointer dereference" inside
// nlohmann's inlined accessors as this test uses them (a false positive in
// the library's code, not pginit's).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <nlohmann/json.hpp>
#pragma GCC diagnostic pop

#include <fmt/format.h>

#include "run_pginit.h"

namespace pginit::test {
namespace {

using json = nlohmann::json;

json traced(const std::string& scenario, const std::string& options = "")
{
  const std::string out = write_temp_file("trace.json", "");
  const Ran r = run_pginit(
      fmt::format("run -q {} --trace-out '{}' '{}/scenarios/{}'", options, out, PGINIT_SOURCE_DIR, scenario));
  EXPECT_TRUE(r.status == 0 || r.status == 3) << r.err;  // 3: the run found violations
  std::ifstream in(out);
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

// The format's rules for the events pginit writes; returns the first broken one.
std::string schema_error(const json& doc)
{
  if (!doc.is_object() || !doc.contains("traceEvents") || !doc.at("traceEvents").is_array()) return "no traceEvents array";
  for (const json& e : doc.at("traceEvents")) {
    if (!e.is_object()) return "an event is not an object";
    for (const char* key : {"ph", "name", "pid", "tid"})
      if (!e.contains(key)) return fmt::format("an event has no {}: {}", key, e.dump());
    if (!e.at("name").is_string() || e.at("name").get<std::string>().empty()) return "an empty name: " + e.dump();
    if (!e.at("pid").is_number_integer() || !e.at("tid").is_number_integer()) return "pid/tid not integers: " + e.dump();
    const std::string ph = e.at("ph").get<std::string>();
    if (ph == "X") {
      if (!e.contains("ts") || !e.at("ts").is_number() || e.at("ts").get<double>() < 0) return "X without ts: " + e.dump();
      if (!e.contains("dur") || !e.at("dur").is_number() || e.at("dur").get<double>() < 0) return "X without dur: " + e.dump();
    } else if (ph == "i") {
      if (!e.contains("ts") || !e.at("ts").is_number()) return "i without ts: " + e.dump();
      const std::string scope = e.value("s", "");
      if (scope != "t" && scope != "p" && scope != "g") return "i without a scope: " + e.dump();
    } else if (ph == "M") {
      const std::string name = e.at("name").get<std::string>();
      if (name != "process_name" && name != "thread_name") return "unknown metadata: " + e.dump();
      if (!e.contains("args") || !e.at("args").contains("name")) return "metadata without args.name: " + e.dump();
    } else {
      return "an event type pginit does not write: " + e.dump();
    }
  }
  return "";
}

std::set<std::string> names(const json& doc, const std::string& ph)
{
  std::set<std::string> out;
  for (const json& e : doc.at("traceEvents"))
    if (e.at("ph") == ph) out.insert(e.at("name").get<std::string>());
  return out;
}

TEST(TraceEvents, DefaultScenarioHasTheBootStepsAndDeferredInit)
{
  const json doc = traced("default.yaml");
  EXPECT_EQ(schema_error(doc), "");
  const std::set<std::string> slices = names(doc, "X");
  for (const char* step : {"setup_arch", "mm_init", "rest_init"}) EXPECT_EQ(slices.count(step), 1u) << step;
  EXPECT_EQ(slices.count("node 0 deferred init"), 1u);
  EXPECT_TRUE(names(doc, "i").empty());
}

// The seed bug: each read of an uninitialized struct page is an instant on
// the boot CPU, at its time, with its pfn and call path.
TEST(TraceEvents, SeedBugReadsAreInstants)
{
  const json doc = traced("percpu-km-deferred-v4.17-rc.yaml");
  EXPECT_EQ(schema_error(doc), "");
  std::size_t reads = 0;
  for (const json& e : doc.at("traceEvents")) {
    if (e.at("ph") != "i") continue;
    reads++;
    EXPECT_EQ(e["args"].at("stack")[1], "trap_init");
    EXPECT_EQ(e["args"].at("pfn").get<std::string>().rfind("0x", 0), 0u);
  }
  EXPECT_GE(reads, 1u);
}

// padata (v5.8) on A13's 32-CPU node: each worker is a track of the chunks
// it ran, one at a time, all inside the node's slice; the chunks tile the
// node's deferred pfns in order and add up to its pages.
TEST(TraceEvents, PadataWorkersAreTracksOfTheirChunks)
{
  const json doc = traced("perf/a13-xeon-e5-2699c-v4.yaml", "--mode scale");
  EXPECT_EQ(schema_error(doc), "");
  const json* node = nullptr;
  std::map<long, std::vector<const json*>> by_worker;
  std::vector<const json*> chunks;
  for (const json& e : doc.at("traceEvents")) {
    if (e.value("cat", "") == "deferred") node = &e;
    if (e.value("cat", "") == "chunk") {
      by_worker[e.at("tid").get<long>()].push_back(&e);
      chunks.push_back(&e);
    }
  }
  ASSERT_NE(node, nullptr);
  const double node_start = node->at("ts").get<double>();
  const double node_end = node_start + node->at("dur").get<double>();
  EXPECT_GT(by_worker.size(), 1u);
  EXPECT_LE(by_worker.size(), node->at("args").at("threads").get<std::size_t>());
  EXPECT_EQ(chunks.size(), node->at("args").at("chunks").get<std::size_t>());
  for (const auto& [tid, mine] : by_worker) {
    double free_at = node_start;
    for (const json* c : mine) {
      const double ts = c->at("ts").get<double>();
      EXPECT_GE(ts + 1e-3, free_at) << "worker " << tid << " runs two chunks at once: " << c->dump();
      free_at = ts + c->at("dur").get<double>();
      EXPECT_LE(free_at, node_end + 1e-3) << c->dump();
    }
  }
  std::uint64_t pages = 0;
  std::uint64_t last_end = 0;
  for (const json* c : chunks) {
    const std::uint64_t start = std::stoull(c->at("args").at("start_pfn").get<std::string>(), nullptr, 16);
    const std::uint64_t end = std::stoull(c->at("args").at("end_pfn").get<std::string>(), nullptr, 16);
    EXPECT_LT(start, end);
    EXPECT_GE(start, last_end) << "chunks overlap or go back: " << c->dump();
    last_end = end;
    pages += c->at("args").at("pages_initialized").get<std::uint64_t>();
  }
  EXPECT_EQ(pages, node->at("args").at("pages_initialized").get<std::uint64_t>());
}

TEST(TraceEvents, UnwritableFileIsALocatedError)
{
  const Ran r = run_pginit(fmt::format("run -q --trace-out /nonexistent/dir/t.json '{}/scenarios/default.yaml'",
                                       PGINIT_SOURCE_DIR));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--trace-out"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pginit::test
