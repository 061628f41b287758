// SPDX-License-Identifier: MIT
#include "report/predict_report.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pginit {

double predicted_ms(std::uint64_t ns) { return std::round(static_cast<double>(ns) / 1e5) / 10.0; }

std::vector<std::string> predict_table(const std::vector<PredictedRun>& runs)
{
  std::vector<std::string> out;
  std::size_t nodes = 0;
  for (const PredictedRun& r : runs) nodes = std::max(nodes, r.prediction.nodes.size());
  std::string head = fmt::format("{:<10} {:<10} {:>7}", "kernel", "policy", "threads");
  if (!runs.empty())
    for (const NodePrediction& n : runs.front().prediction.nodes) head += fmt::format(" {:>12}", fmt::format("node {} ms", n.nid));
  out.push_back(head + fmt::format(" {:>12}", "slowest ms"));
  for (const PredictedRun& r : runs) {
    const Prediction& p = r.prediction;
    std::string line = fmt::format("{:<10} {:<10} {:>7}", p.kernel, p.policy, r.threads);
    for (const NodePrediction& n : p.nodes) line += fmt::format(" {:>12.1f}", predicted_ms(n.ns));
    line += fmt::format(" {:>12.1f}", predicted_ms(p.slowest_ns()));
    if (!p.nothing_deferred.empty()) line += "  (nothing deferred: " + p.nothing_deferred + ")";
    else if (!p.nodes.empty() && p.nodes.front().threads != r.threads) line += "  (one thread per node)";
    out.push_back(line);
  }
  return out;
}

std::string predict_json(const std::vector<PredictedRun>& runs)
{
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  nlohmann::ordered_json slowest = nlohmann::ordered_json::array();
  for (const PredictedRun& r : runs) {
    for (const NodePrediction& n : r.prediction.nodes)
      points.push_back({{"kernel", r.prediction.kernel}, {"policy", r.prediction.policy}, {"threads", r.threads},
                        {"node", n.nid}, {"pages", n.pages}, {"ms", predicted_ms(n.ns)}});
    slowest.push_back({{"kernel", r.prediction.kernel}, {"threads", r.threads}, {"ms", predicted_ms(r.prediction.slowest_ns())}});
  }
  nlohmann::ordered_json doc;
  doc["points"] = std::move(points);
  doc["slowest"] = std::move(slowest);
  return doc.dump(2) + "\n";
}

std::string predict_svg(const std::vector<PredictedRun>& runs, const std::string& title)
{
  constexpr double W = 640, H = 400, L = 70, R = 20, T = 40, B = 50;
  // One curve per kernel, points in thread order.
  std::map<std::string, std::vector<std::pair<unsigned, double>>> curves;
  std::vector<std::string> order;
  double max_ms = 1, max_threads = 1;
  for (const PredictedRun& r : runs) {
    const std::string& k = r.prediction.kernel;
    if (!curves.contains(k)) order.push_back(k);
    const double ms = predicted_ms(r.prediction.slowest_ns());
    curves[k].emplace_back(r.threads, ms);
    max_ms = std::max(max_ms, ms);
    max_threads = std::max(max_threads, static_cast<double>(r.threads));
  }
  const double xmax = std::max(1.0, std::log2(max_threads));
  const auto x = [&](unsigned t) { return L + (W - L - R) * std::log2(static_cast<double>(t)) / xmax; };
  const auto y = [&](double ms) { return H - B - (H - T - B) * ms / (max_ms * 1.05); };
  std::string s = fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" font-family="sans-serif" font-size="12">)", W, H);
  s += fmt::format("\n<text x=\"{}\" y=\"20\">{}</text>", L, title);
  s += fmt::format("\n<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>", L, H - B, W - R, H - B);
  s += fmt::format("\n<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>", L, T, L, H - B);
  for (unsigned t = 1; t <= max_threads; t *= 2)
    s += fmt::format("\n<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", x(t), H - B + 16, t);
  s += fmt::format("\n<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">threads per node</text>", (L + W - R) / 2, H - 10);
  for (int i = 0; i <= 4; i++)
    s += fmt::format("\n<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{:.0f}</text>", L - 6, y(max_ms * i / 4.0) + 4, max_ms * i / 4.0);
  s += fmt::format("\n<text x=\"14\" y=\"{}\" transform=\"rotate(-90 14 {})\" text-anchor=\"middle\">ms (slowest node)</text>", (T + H - B) / 2, (T + H - B) / 2);
  static constexpr const char* colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
  for (std::size_t i = 0; i < order.size(); i++) {
    const char* c = colors[i % std::size(colors)];
    std::string pts;
    for (const auto& [t, ms] : curves[order[i]]) {
      pts += fmt::format("{:.1f},{:.1f} ", x(t), y(ms));
      s += fmt::format("\n<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>", x(t), y(ms), c);
    }
    s += fmt::format("\n<polyline points=\"{}\" fill=\"none\" stroke=\"{}\"/>", pts, c);
    s += fmt::format("\n<text x=\"{}\" y=\"{}\" fill=\"{}\">{}</text>", W - R - 80, T + 16.0 * static_cast<double>(i + 1), c, order[i]);
  }
  return s + "\n</svg>\n";
}

}  // namespace pginit
