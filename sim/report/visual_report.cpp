// SPDX-License-Identifier: MIT
#include "report/visual_report.h"
#include "report/page_categories.h"
#include "report/page_explorer.h"
#include "report/text_file.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace pginit {

namespace {

using Category = PageCategory;
constexpr const Category* PHASES = PAGE_CATEGORIES;  // by InitPhase
constexpr const Category& ZEROED = PAGE_CATEGORIES[static_cast<int>(PageState::zeroed)];
constexpr const Category& HOLE = PAGE_CATEGORIES[static_cast<int>(PageState::untouched_hole)];

std::string escape(const std::string& s)
{
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

// The category most of the section's pfns are in.
const Category& dominant(const SectionState& s)
{
  std::uint32_t best = s.holes;
  const Category* c = &HOLE;
  if (s.zeroed > best) {
    best = s.zeroed;
    c = &ZEROED;
  }
  for (int i = 0; i < NR_INIT_PHASES; i++) {
    if (s.by_phase[static_cast<std::size_t>(i)] > best) {
      best = s.by_phase[static_cast<std::size_t>(i)];
      c = &PHASES[i];
    }
  }
  return *c;
}

// Two sections a picture cannot tell apart: the same node and the same counts.
bool same_state(const SectionState& a, const SectionState& b)
{
  return a.nid == b.nid && a.by_phase == b.by_phase && a.zeroed == b.zeroed && a.holes == b.holes &&
         a.reserved == b.reserved;
}

}  // namespace

std::string memory_map_svg(const RunResult& r)
{
  const std::size_t n = r.record().snapshots().empty() ? 0 : r.record().snapshots().front().sections.size();
  const double cell = std::clamp(900.0 / static_cast<double>(std::max<std::size_t>(n, 1)), 2.0, 24.0);
  const double left = 290;  // room for "before memmap_init (as sparse_init() left it)"
  const double row = 34;
  const double top = 60;
  const double width = std::max(1000.0, left + cell * static_cast<double>(n) + 20);  // room for the title and legend
  const double height = top + row * static_cast<double>(r.record().snapshots().size()) + 150;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"memory-map\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"10\" y=\"18\" font-size=\"14\">Physical memory, 128 MiB sections with a memmap (alike neighbours as one cell), coloured by "
      "who initialized most of its struct pages</text>\n",
      width, height);
  if (n == 0) return svg + "</svg>\n";
  // Nodes along the top.
  const auto& first = r.record().snapshots().front().sections;
  // A GiB label every `gib_step` GiB, at least 40 px apart.
  std::uint64_t gib_step = 1;
  while (cell * 8 * static_cast<double>(gib_step) < 40) gib_step *= 2;
  for (std::size_t i = 0; i < n; i++) {
    if (i == 0 || first[i].nid != first[i - 1].nid)
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.0f}\">node {}</text>\n", left + cell * static_cast<double>(i), top - 20,
                         first[i].nid);
    if (i == 0 || first[i].section / (8 * gib_step) != first[i - 1].section / (8 * gib_step))
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.0f}\" fill=\"#666\">{} GiB</text>\n", left + cell * static_cast<double>(i),
                         top - 6, first[i].section / 8);
  }
  for (std::size_t row_nr = 0; row_nr < r.record().snapshots().size(); row_nr++) {
    const MemmapSnapshot& snap = r.record().snapshots()[row_nr];
    const double y = top + row * static_cast<double>(row_nr);
    svg += fmt::format("<text x=\"10\" y=\"{:.0f}\">{}</text>\n", y + 14, escape(snap.label));
    // Neighbouring sections of a node in the same state are one cell: a
    // 256 GiB machine's thousands of identical deferred sections stay small.
    for (std::size_t i = 0, j = 0; i < snap.sections.size(); i = j) {
      const SectionState& s = snap.sections[i];
      for (j = i + 1; j < snap.sections.size() && same_state(snap.sections[j], s) &&
                      snap.sections[j].section == snap.sections[j - 1].section + 1;
           j++) {
      }
      const Category& c = dominant(s);
      const double x = left + cell * static_cast<double>(i);
      const std::string which =
          j - i == 1 ? fmt::format("section {} (pfn {:#x})", s.section, section_nr_to_pfn(s.section))
                     : fmt::format("sections {}-{} (pfn {:#x}-{:#x}), each", s.section, snap.sections[j - 1].section,
                                   section_nr_to_pfn(s.section), section_nr_to_pfn(snap.sections[j - 1].section + 1) - 1);
      svg += fmt::format(
          "<rect class=\"section\" data-sections=\"{}\" x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"20\" "
          "fill=\"{}\" stroke=\"white\" stroke-width=\"0.5\"><title>{}, node {}: early {}, mm_init {}, on-demand {}, "
          "deferred {}, uninitialized memory {}, zeroed {}, untouched holes {}, reserved {}</title></rect>\n",
          j - i, x, y, cell * static_cast<double>(j - i), c.color, which, s.nid, s.by_phase[1], s.by_phase[2],
          s.by_phase[3], s.by_phase[4], s.by_phase[0], s.zeroed, s.holes, s.reserved);
      if (s.reserved != 0)  // memblock reservations: a dark bar under each cell, as long as the reserved share
        for (std::size_t k = i; k < j; k++)
          svg += fmt::format(
              "<rect class=\"reserved\" x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.2f}\" height=\"4\" fill=\"#333\"/>\n",
              left + cell * static_cast<double>(k), y + 22,
              std::max(1.0, cell * s.reserved / static_cast<double>(PAGES_PER_SECTION)));
    }
  }
  // Violations: a red marker on the section where the read happened.
  const double vy = top + row * static_cast<double>(r.record().snapshots().size()) + 6;
  for (const PageReadViolation& v : r.violations()) {
    const auto it = std::find_if(first.begin(), first.end(),
                                 [&](const SectionState& s) { return s.section == pfn_to_section_nr(v.pfn); });
    if (it == first.end()) continue;
    const double x = left + cell * static_cast<double>(it - first.begin()) + cell / 2;
    svg += fmt::format("<polygon class=\"violation\" points=\"{:.1f},{:.0f} {:.1f},{:.0f} {:.1f},{:.0f}\" fill=\"#d62728\">"
                       "<title>read of uninitialized struct page pfn {:#x} in {}()</title></polygon>\n",
                       x, vy, x - 6, vy + 10, x + 6, vy + 10, v.pfn, v.stack.empty() ? "" : v.stack.back());
  }
  // Legend.
  double lx = 10;
  const double ly = vy + 30;
  auto legend = [&](const Category& c) {
    svg += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"#999\"/>"
                       "<text x=\"{:.0f}\" y=\"{:.0f}\">{}</text>\n",
                       lx, ly, c.color, lx + 16, ly + 10, c.name);
    lx += 32 + 6.2 * static_cast<double>(std::string(c.name).size());
  };
  for (int i = 1; i < NR_INIT_PHASES; i++) legend(PHASES[i]);
  legend(PHASES[0]);
  legend(ZEROED);
  legend(HOLE);
  svg += fmt::format("<rect x=\"10\" y=\"{:.0f}\" width=\"12\" height=\"4\" fill=\"#333\"/><text x=\"26\" y=\"{:.0f}\">"
                     "memblock.reserved (share of the section)</text>\n"
                     "<polygon points=\"300,{:.0f} 294,{:.0f} 306,{:.0f}\" fill=\"#d62728\"/><text x=\"312\" y=\"{:.0f}\">"
                     "a read of an uninitialized struct page</text>\n",
                     ly + 28, ly + 33, ly + 24, ly + 34, ly + 34, ly + 33);
  return svg + "</svg>\n";
}

std::string timeline_svg(const RunResult& r)
{
  const double total = static_cast<double>(std::max<std::uint64_t>(r.end_ns(), 1));
  const double left = 200;
  const double span = 700;
  const double height = 70 + 22 * static_cast<double>(r.record().timeline().size() + r.record().deferred_runs().size());
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"10\" y=\"18\" font-size=\"14\">Boot steps in simulated time (0 to {:.3f} ms)</text>\n",
      left + span + 30, height, total / 1e6);
  double y = 34;
  for (std::size_t i = 0; i < r.record().timeline().size(); i++) {
    const double a = static_cast<double>(r.record().timeline()[i].start_ns);
    const double b = i + 1 < r.record().timeline().size() ? static_cast<double>(r.record().timeline()[i + 1].start_ns) : total;
    svg += fmt::format("<text x=\"10\" y=\"{:.0f}\">{}()</text><rect class=\"step\" x=\"{:.1f}\" y=\"{:.0f}\" "
                       "width=\"{:.1f}\" height=\"14\" fill=\"#1f77b4\"><title>{}: {:.3f} ms</title></rect>\n",
                       y + 11, escape(r.record().timeline()[i].step), left + span * a / total, y,
                       std::max(1.0, span * (b - a) / total), escape(r.record().timeline()[i].step), (b - a) / 1e6);
    y += 22;
  }
  // Each flagged read, on the row of the start_kernel() step it happened in
  // (trap_init for the seed bug), at its simulated time.
  for (const PageReadViolation& v : r.violations()) {
    const auto& steps = r.record().timeline();
    const std::string step = v.stack.size() >= 2 ? v.stack[1] : "";
    const auto row = std::find_if(steps.begin(), steps.end(), [&](const StepTime& s) { return s.step == step; });
    if (row == steps.end()) continue;
    const double x = left + span * static_cast<double>(v.time_ns) / total;
    const double ry = 34 + 22 * static_cast<double>(row - steps.begin());
    svg += fmt::format("<polygon class=\"read-mark\" points=\"{:.1f},{:.0f} {:.1f},{:.0f} {:.1f},{:.0f}\" fill=\"#d62728\" "
                       "stroke=\"white\"><title>read of uninitialized struct page pfn {:#x} in {}() at {:.3f} ms</title>"
                       "</polygon>\n",
                       x, ry + 16, x - 6, ry + 26, x + 6, ry + 26, v.pfn, escape(step), static_cast<double>(v.time_ns) / 1e6);
  }
  for (const DeferredNodeRun& d : r.record().deferred_runs()) {
    const double a = static_cast<double>(d.start_ns);
    svg += fmt::format("<text x=\"10\" y=\"{:.0f}\">node {} deferred ({} CPU{})</text><rect class=\"deferred\" "
                       "x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"14\" fill=\"#2ca02c\"><title>node {}: "
                       "{:.3f} ms</title></rect>\n",
                       y + 11, d.nid, d.threads, d.threads == 1 ? "" : "s", left + span * a / total, y,
                       std::max(1.0, span * static_cast<double>(d.ns) / total), d.nid, static_cast<double>(d.ns) / 1e6);
    y += 22;
  }
  return svg + "</svg>\n";
}

std::string html_report(const RunResult& r)
{
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pginit: {}</title>\n<style>\n"
      "body {{ font-family: sans-serif; margin: 2em; color: #222; }}\n"
      "table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 3px 8px; text-align: right; }}\n"
      "pre {{ background: #f6f6f6; padding: 8px; overflow-x: auto; }} .figure {{ overflow-x: auto; margin: 1em 0; }}\n"
      "</style></head><body>\n<h1>{}</h1>\n<p>Kernel {}, policy {}, {} memory model, {} node(s).</p>\n",
      escape(r.scenario().name), escape(r.scenario().name), r.scenario().kernel->name, r.policy().name,
      memory_model_name(r.kernel().mm.kind()), r.kernel().nodes.size());
  html += "<h2>The memory map</h2>\n<div class=\"figure\">" + memory_map_svg(r) + "</div>\n";
  html += page_explorer_html(r);
  html += "<h2>The timeline</h2>\n<div class=\"figure\">" + timeline_svg(r) + "</div>\n";
  html += "<h2>Struct pages by node and phase</h2>\n<table id=\"phases\"><tr><th>node</th><th>early</th><th>mm_init</th>"
          "<th>on-demand</th><th>deferred</th></tr>\n";
  for (const NodePhaseCounts& c : r.proof->by_node)
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", c.nid, c.pages[1], c.pages[2],
                        c.pages[3], c.pages[4]);
  html += "</table>\n";
  html += fmt::format("<p>Proof: {}.</p>\n", r.proof->failures.empty() ? "holds" : "FAILED");
  html += fmt::format("<h2>Reads of uninitialized struct pages ({})</h2>\n", r.violations().size());
  for (const PageReadViolation& v : r.violations()) {
    std::string text;
    for (const std::string& l : v.report(initialized_by(r.kernel().mm, v.pfn))) text += escape(l) + "\n";
    html += "<pre class=\"violation\">" + text + "</pre>\n";
  }
  return html + "</body></html>\n";
}

bool write_svgs(const RunResult& r, const std::string& dir, std::string* why)
{
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  return write_text_file(dir + "/memory-map.svg", memory_map_svg(r), why) &&
         write_text_file(dir + "/timeline.svg", timeline_svg(r), why);
}

bool write_html_report(const RunResult& r, const std::string& path, std::string* why)
{
  return write_text_file(path, html_report(r), why);
}

}  // namespace pginit
