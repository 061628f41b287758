// SPDX-License-Identifier: MIT
// --trace-out: the boot as Chrome/Perfetto trace events. The file is checked
// against the trace event format's rules (the JSON object form: a
// traceEvents array; each event has ph, name, pid, tid; X slices have
// non-negative ts and dur; i events a scope; M events name a process or
// thread) so ui.perfetto.dev opens it, and for what a user looks for.
#include <fstream>
#include <set>
#include <sstream>

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

json traced(const std::string& scenario)
{
  const std::string out = write_temp_file("trace.json", "");
  const Ran r = run_pginit(fmt::format("run -q --trace-out '{}' '{}/scenarios/{}'", out, PGINIT_SOURCE_DIR, scenario));
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

TEST(TraceEvents, UnwritableFileIsALocatedError)
{
  const Ran r = run_pginit(fmt::format("run -q --trace-out /nonexistent/dir/t.json '{}/scenarios/default.yaml'",
                                       PGINIT_SOURCE_DIR));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--trace-out"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pginit::test
