// SPDX-License-Identifier: MIT
#include "import/scenario_writer.h"

#include <fmt/format.h>

namespace pginit {

namespace {

// A YAML double-quoted scalar.
std::string quoted(const std::string& s)
{
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string range(phys_addr_t start, phys_addr_t end) { return fmt::format("{:#018x}-{:#018x}", start, end - 1); }

}  // namespace

std::string config_yaml(const KconfigValues& values)
{
  std::string out = "config:\n";
  for (const auto& [sym, value] : values) out += fmt::format("  {}: {}\n", sym, value);
  return out;
}

std::string scenario_yaml(const ImportedScenario& s, const std::string& name)
{
  std::string out;
  out += fmt::format("# Imported by `pginit import dmesg` from {}\n", s.source);
  if (!s.linux_version.empty()) out += fmt::format("# {}\n", s.linux_version);
  for (const std::string& note : s.notes) out += fmt::format("# note: {}\n", note);
  out += fmt::format("name: {}\n", quoted(name));
  out += fmt::format("description: {}\n", quoted(fmt::format("imported from {}", s.source)));
  out += fmt::format("kernel: {}\n", s.kernel->name);
  if (!s.config.empty()) out += config_yaml(s.config);
  out += "machine:\n";
  out += fmt::format("  cpus: {}\n", s.cpus);
  out += "  e820:\n";
  for (const e820_entry& e : s.e820)
    out += fmt::format("    - {{ mem: {}, type: {} }}\n", range(e.addr, e.end()), quoted(e820_type_name(e.type)));
  if (!s.nodes.empty()) {
    out += "  nodes:\n";
    for (const NodeSpec& n : s.nodes) {
      out += fmt::format("    - nid: {}\n", n.nid);
      if (n.pxm >= 0 && n.pxm != n.nid) out += fmt::format("      pxm: {}\n", n.pxm);
      out += "      mem:\n";
      for (const PhysRange& r : n.ranges) out += fmt::format("        - {}\n", range(r.start, r.end));
    }
  }
  if (!s.mtrr_trim.empty()) {
    out += "  mtrr_trim:\n";
    for (const PhysRange& r : s.mtrr_trim) out += fmt::format("    - {}\n", range(r.start, r.end));
  }
  if (!s.cmdline.empty() || s.kernel_image || s.memblock_trace || s.kernel_sections) out += "boot:\n";
  if (!s.cmdline.empty()) out += fmt::format("  cmdline: {}\n", quoted(s.cmdline));
  if (s.kernel_image)
    out += fmt::format("  kernel_image: {{ start: {:#x}, size: {:#x} }}\n", s.kernel_image->start,
                       s.kernel_image->end - s.kernel_image->start);
  if (s.kernel_sections) {
    const KernelSections& k = *s.kernel_sections;
    out += fmt::format("  kernel_sections: {{ code: {}K, rwdata: {}K, rodata: {}K, init: {}K, bss: {}K }}\n", k.code,
                       k.rwdata, k.rodata, k.init, k.bss);
  }
  if (s.memblock_trace) {
    // Trace-driven runs (docs/import.md): replayed just before memblock_free_all().
    const MemblockTrace& t = *s.memblock_trace;
    out += "  memblock_trace:\n";
    out += fmt::format("    source: {}\n", quoted(t.source));
    out += "    reserved:\n";
    for (const PhysRange& r : t.reserved) out += fmt::format("      - {}\n", range(r.start, r.end));
    out += "    calls:\n";
    for (const MemblockCall& c : t.calls)
      out += fmt::format("      - {{ op: {}, mem: {}, by: {}, log_line: {} }}\n",
                         c.op == MemblockCall::Op::reserve ? "reserve" : "free", range(c.range.start, c.range.end),
                         quoted(c.by), c.log_line);
  }
  if (!s.expect.empty()) {
    out += "expect:\n  log:\n";
    for (const std::string& line : s.expect) out += fmt::format("    - {}\n", quoted(line));
  }
  return out;
}

}  // namespace pginit
