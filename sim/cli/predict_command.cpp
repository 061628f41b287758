// SPDX-License-Identifier: MIT
// predict_command.cpp - `pginit predict SCENARIO`: deferred-init time per
// node, thread count and kernel, from the run's own cost model without
// booting (run/predict.h, docs/time-model.md).
#include <charconv>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "engine/cost_model.h"
#include "policy/kernel_version.h"
#include "report/predict_report.h"
#include "report/text_file.h"
#include "scenario/input_error.h"

namespace pginit {

namespace {

constexpr unsigned MAX_PREDICT_THREADS = 8192;  // NR_CPUS of MAXSMP

// "1,2,4": every item a thread count 1 .. MAX_PREDICT_THREADS.
std::vector<unsigned> parse_threads(const std::string& text)
{
  if (text.find_first_not_of(" ,") == std::string::npos) throw InputError("--threads", 0, "", "empty thread list (e.g. --threads 1,2,4)");
  std::vector<unsigned> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc{} || end != item.data() + item.size())
      throw InputError("--threads", 0, "", fmt::format("'{}' is not a thread count", item));
    if (v == 0 || v > MAX_PREDICT_THREADS)
      throw InputError("--threads", 0, "", fmt::format("{} threads: must be 1 .. {}", v, MAX_PREDICT_THREADS));
    out.push_back(v);
    at = comma + 1;
  }
  return out;
}

// Without --threads: 1, 2, 4, ... up to the node's CPUs, and the node's CPUs.
std::vector<unsigned> default_threads(unsigned node_cpus)
{
  std::vector<unsigned> out;
  for (unsigned t = 1; t < node_cpus; t *= 2) out.push_back(t);
  out.push_back(node_cpus);
  return out;
}

void write_file(const std::string& path, const std::string& text, const char* option)
{
  std::string why;
  if (!write_text_file(path, text, &why)) throw InputError(path, 0, option, why);
}

}  // namespace

int predict_command(const PredictOptions& opt)
{
  const Scenario machine = load_scenario(opt.scenario);
  std::vector<std::string> kernels = opt.kernels;
  if (kernels.empty()) kernels = {std::string(machine.kernel->name)};
  for (const std::string& k : kernels)
    if (find_kernel_version(k) == nullptr)
      throw InputError("--kernel", 0, k, fmt::format("unknown kernel version (modelled: {})", kernel_version_names()));
  const unsigned node_cpus = machine.machine.cpus_per_node(std::max<std::size_t>(1, machine.machine.nodes.size()));
  const std::vector<unsigned> threads = opt.threads ? parse_threads(*opt.threads) : default_threads(node_cpus);

  // Progress on stderr at a terminal: one unit per (kernel, thread count) point.
  Progress progress("predict", "points", kernels.size() * threads.size(), progress_wanted(false));
  std::vector<PredictedRun> runs;
  for (const std::string& k : kernels) {
    Overrides o;
    o.kernel = k;
    o.check_host_memory = false;  // nothing is booted
    const RunConfig cfg = resolve(machine, o);
    for (unsigned t : threads) {
      runs.push_back(PredictedRun{t, predict_deferred(cfg, t)});
      progress.add(1);
    }
  }
  progress.finish();
  const MachinePerf& perf = machine.machine.perf;
  fmt::print("predicted deferred init of {}: {} ns/page, {} GB/s per node, bandwidth-bound from {:.1f} threads\n",
             machine.name, perf.page_init_ns, perf.node_bandwidth_gbs, CostModel{perf}.saturating_threads());
  for (const std::string& line : predict_table(runs)) fmt::print("{}\n", line);
  if (!opt.json.empty()) write_file(opt.json, predict_json(runs), "--json");
  if (!opt.svg.empty()) write_file(opt.svg, predict_svg(runs, "predicted deferred init: " + machine.name), "--svg");
  return EXIT_OK;
}

}  // namespace pginit
