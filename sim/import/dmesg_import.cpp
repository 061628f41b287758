// SPDX-License-Identifier: MIT
// dmesg_import.cpp - recognizes the lines of a boot log that describe the
// machine (e820, SRAT, CPUs, version) and the lines pginit must reproduce.
#include "import/dmesg_import.h"
#include "import/memblock_trace_import.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "scenario/input_error.h"
#include "scenario/numbers.h"

namespace pginit {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::optional<std::uint64_t> parse_hex(std::string_view s)
{
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc{} || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The zone and node accounting lines of free_area_init_nodes(): what a run
// of the imported scenario must print again, word for word.
const std::regex& accounting_line()
{
  static const std::regex re(
      R"(^(Zone ranges:|Movable zone start for each node|Early memory node ranges)$)"
      R"(|^  (DMA|DMA32|Normal|HighMem|Device) +(empty|\[mem 0x[0-9a-f]+-0x[0-9a-f]+\])$)"
      R"(|^  node +\d+: \[mem 0x[0-9a-f]+-0x[0-9a-f]+\]$)"
      R"(|^Initmem setup node \d+ (\[mem 0x[0-9a-f]+-0x[0-9a-f]+\]|as memoryless)$)"
      R"(|^Initializing node \d+ as memoryless$)"
      R"(|^  Node \d+: 0x[0-9a-f]{16}$)"
      R"(|^On node \d+, zone \w+: \d+ pages in unavailable ranges$)"
      R"(|^On node \d+ totalpages: \d+$)"
      R"(|^  \w+ zone: \d+ pages (used for memmap|reserved)$)"
      R"(|^  \w+ zone: \d+ pages, LIFO batch:\d+$)"
      R"(|^(Reserved but unavailable|Zeroed struct page in unavailable ranges): \d+ pages$)"
      R"(|^Built \d+ zonelists( in (Node|Zone) order)?, mobility grouping (on|off)\.  Total pages: \d+$)");
  return re;
}

class DmesgReader {
 public:
  DmesgReader(ImportedScenario& out, const std::string& file) : out_(out), file_(file), trace_(file) {}

  void line(std::string_view text, int lineno)
  {
    lineno_ = lineno;
    trace_.line(text, lineno);
    if (starts_with(text, "Linux version ")) return linux_version(text);
    if (starts_with(text, "Command line: ")) return command_line(text.substr(14));
    // Kernels before v3.x printed the table lines with a leading space.
    if (const std::string_view t = text.substr(std::min(text.find_first_not_of(' '), text.size()));
        starts_with(t, "BIOS-e820: "))
      return e820_entry_line(t.substr(11));
    if (!out_.e820.empty()) e820_done_ = true;
    if (starts_with(text, "e820: update ") || starts_with(text, "e820: remove ")) return e820_change(text);
    if (text.find("SRAT: Node ") != std::string_view::npos) return srat(text);
    if (starts_with(text, "No NUMA configuration found") || starts_with(text, "NUMA: ")) numa_seen_ = true;
    if (starts_with(text, "setup_percpu: NR_CPUS:")) return setup_percpu(text);
    if (starts_with(text, "smpboot: Allowing ")) return allowing_cpus(text);
    if (starts_with(text, "efi: ") || starts_with(text, "reserve setup_data: ")) efi_seen_ = true;
    if (text.find(" initialised, ") != std::string_view::npos && starts_with(text, "node ")) deferred_seen_ = true;
    if (text.find("deferred pages initialised in") != std::string_view::npos) deferred_seen_ = true;
    if (starts_with(text, "memblock_reserve: ") || starts_with(text, "MEMBLOCK configuration:") ||
        starts_with(text, " reserved[") || starts_with(text, " memory["))
      return memblock_line(text);
    if (std::regex_match(text.begin(), text.end(), accounting_line())) accounting(text);
  }

  void finish()
  {
    if (out_.e820.empty())
      throw InputError(file_, 0, "BIOS-e820",
                       "no BIOS-e820 table in the log: without the firmware's memory map there is no machine "
                       "to import (is this the start of the boot log?)");
    if (out_.kernel == nullptr) {
      out_.kernel = find_kernel_version("v4.17");
      out_.notes.push_back("no 'Linux version' line: modelling v4.17");
    }
    config_from_log();
    nodes_from_log();
    zero_line_from_log();
    kernel_image_from_log();
    trace_from_log();
  }

 private:
  [[noreturn]] void fail(const std::string& field, const std::string& what) const
  {
    throw InputError(file_, lineno_, field, what);
  }

  // A decimal the log printed, at most `max`: logs from odd machines (or
  // garbled ones) must not overflow it.
  std::uint64_t number(const std::string& digits, const std::string& field, std::uint64_t max) const
  {
    const std::optional<std::uint64_t> v = parse_u64(digits);
    if (!v || *v > max) fail(field, fmt::format("{} is not a number up to {}", digits.substr(0, 24), max));
    return *v;
  }

  void linux_version(std::string_view text)
  {
    if (!out_.linux_version.empty()) return;
    out_.linux_version = std::string(text);
    std::string_view release = text.substr(14);
    release = release.substr(0, release.find(' '));
    std::string note;
    out_.kernel = nearest_kernel_version(release, &note);
    if (out_.kernel == nullptr) fail("Linux version", fmt::format("cannot read a release from '{}'", release));
    if (!note.empty()) out_.notes.push_back(note);
    smp_ = text.find(" SMP ") != std::string_view::npos;
  }

  // The parameters that change what pginit models (mem=, memmap=, numa=off,
  // percpu_alloc=) are kept; memory parameters it does not model yet are
  // left out with a note, since the run will then differ from the log.
  void command_line(std::string_view text)
  {
    if (!out_.cmdline.empty()) return;
    std::string kept;
    std::size_t i = 0;
    while (i < text.size()) {
      const std::size_t j = std::min(text.find(' ', i), text.size());
      const std::string word(text.substr(i, j - i));
      i = j + 1;
      const std::string key = word.substr(0, word.find('='));
      if (key != "mem" && key != "memmap" && key != "numa" && key != "percpu_alloc" && key != "movablecore" &&
          key != "kernelcore" && key != "crashkernel" && key != "hugepages")
        continue;
      std::string why;
      if (!parse_kernel_cmdline(word, &why)) {
        out_.notes.push_back(fmt::format("command line: {} left out: {}; the run will differ from the log", word, why));
        continue;
      }
      kept += (kept.empty() ? "" : " ") + word;
    }
    out_.cmdline = kept;
  }

  // "[mem 0x0000000000000000-0x000000000009fbff] usable" (v3.x and later) or
  // "0000000000000000 - 000000000009fc00 (usable)" (older, end exclusive).
  void e820_entry_line(std::string_view rest)
  {
    if (e820_done_) return;  // only the first table is the firmware's
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    std::string type_name;
    if (starts_with(rest, "[mem ")) {
      const std::size_t close = rest.find("] ");
      if (close == std::string_view::npos) fail("BIOS-e820", "expected '[mem START-END] TYPE'");
      std::string why;
      const auto r = parse_inclusive_range(rest.substr(0, close + 1), &why);
      if (!r) fail("BIOS-e820", why);
      start = r->start;
      end = r->end;
      type_name = std::string(rest.substr(close + 2));
    } else {
      const std::size_t dash = rest.find(" - ");
      const std::size_t space = rest.find(' ', dash == std::string_view::npos ? 0 : dash + 3);
      if (dash == std::string_view::npos || space == std::string_view::npos)
        fail("BIOS-e820", "expected '[mem START-END] TYPE' or 'START - END (TYPE)'");
      const auto s = parse_hex(rest.substr(0, dash));
      const auto e = parse_hex(rest.substr(dash + 3, space - dash - 3));
      if (!s || !e || *e < *s) fail("BIOS-e820", "START and END must be hex numbers, START <= END");
      start = *s;
      end = *e;
      std::string_view type = rest.substr(space + 1);
      if (starts_with(type, "(") && type.back() == ')') type = type.substr(1, type.size() - 2);
      type_name = std::string(type);
    }
    const auto type = e820_type_from_name(type_name);
    if (!type) fail("BIOS-e820", fmt::format("unknown e820 type '{}'", type_name));
    if (end <= start) return;  // an empty entry, as the kernel would drop it
    out_.e820.push_back(e820_entry{start, end - start, *type});
  }

  // Late e820 edits. trim_bios_range()'s two happen at every boot, and pginit
  // does them itself; an MTRR trim (1 MiB-aligned usable ==> reserved) must
  // be repeated; anything else is listed and left alone.
  void e820_change(std::string_view text)
  {
    static const std::regex re(R"(^e820: (update|remove) (\[mem 0x[0-9a-f]+-0x[0-9a-f]+\]) (.*)$)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(text.begin(), text.end(), m, re)) return;
    std::string why;
    const auto r = parse_inclusive_range(m[2].str(), &why);
    if (!r) fail("e820", why);
    const std::string change = m[3].str();
    if (m[1] == "update" && r->start == 0 && r->end == PAGE_SIZE && change == "usable ==> reserved") return;
    if (m[1] == "remove" && r->start == 0xa0000 && r->end == 0x100000) return;
    if (m[1] == "update" && change == "usable ==> usable") return;  // setup_data: no change
    if (m[1] == "update" && change == "usable ==> reserved" && r->start % SZ_1M == 0 && r->end % SZ_1M == 0) {
      out_.mtrr_trim.push_back(PhysRange{r->start, r->end, 0});
      return;
    }
    out_.notes.push_back(fmt::format("line {}: '{}' is not repeated (not an MTRR trim)", lineno_, text));
  }

  // "ACPI: SRAT: Node 1 PXM 2 [mem 0x00000000-0xcfffffff]" (older: "SRAT: Node ...")
  void srat(std::string_view text)
  {
    static const std::regex re(R"(SRAT: Node (\d+) PXM (\d+) \[mem (0x[0-9a-f]+-0x[0-9a-f]+)\]( hotplug)?( non-volatile)?$)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(text.begin(), text.end(), m, re)) return;
    std::string why;
    const auto r = parse_inclusive_range(m[3].str(), &why);
    if (!r) fail("SRAT", why);
    const int nid = static_cast<int>(number(m[1].str(), "SRAT", 0xffffffff));
    if (nid >= 1 << 10) fail("SRAT", fmt::format("node {} is beyond any NODES_SHIFT (10 at most)", nid));
    NodeSpec& node = srat_nodes_[nid];
    node.nid = nid;
    node.pxm = static_cast<int>(number(m[2].str(), "SRAT", 0x7fffffff));
    node.ranges.push_back(PhysRange{r->start, r->end, 0});
  }

  // memblock=debug: setup_arch()'s own reserves before the first dump
  // (early_reserve_memory() for [_text, __end_of_kernel_reserve), then
  // reserve_brk()); the dump itself is the trace reader's.
  void memblock_line(std::string_view text)
  {
    if (starts_with(text, "MEMBLOCK configuration:")) first_dump_seen_ = true;
    if (first_dump_seen_ || !starts_with(text, "memblock_reserve: ") ||
        text.find(" setup_arch+") == std::string_view::npos)
      return;
    static const std::regex range_re(R"(\[(0x[0-9a-f]+)-(0x[0-9a-f]+)\])");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(text.begin(), text.end(), m, range_re)) return;
    const auto s = parse_hex(m[1].str().substr(2));
    const auto e = parse_hex(m[2].str().substr(2));
    if (!s || !e || *e < *s || *e == ~std::uint64_t{0}) return;
    setup_arch_reserves_.push_back(PhysRange{*s, *e + 1, 0});
  }

  // The kernel image as memblock reserved it: the first dump's reserved
  // region holding the last setup_arch() reserve before it (reserve_brk())
  // or, without one, CONFIG_PHYSICAL_START; it runs from _text to the end of
  // the brk, which pginit reserves as one range (boot.kernel_image).
  void kernel_image_from_log()
  {
    const std::uint64_t inside = setup_arch_reserves_.empty() ? 0x1000000 : setup_arch_reserves_.back().start;
    for (const PhysRange& r : trace_.first_dump_reserved()) {
      if (r.start <= inside && inside < r.end && r.start % 0x200000 == 0) {
        out_.kernel_image = r;
        out_.notes.push_back(fmt::format("kernel image and brk: [{:#x}, {:#x}) from the first MEMBLOCK dump",
                                         r.start, r.end));
        return;
      }
    }
  }

  // Trace-driven runs: the replayable memblock.reserved, and the "Memory:"
  // line the replay must then print word for word.
  void trace_from_log()
  {
    trace_.finish();
    for (const std::string& n : trace_.notes()) out_.notes.push_back(n);
    out_.memblock_trace = trace_.trace();
    if (!out_.memblock_trace) return;
    out_.memblock_trace->source = file_;
    out_.kernel_sections = trace_.sections();
    if (!trace_.memory_line().empty()) out_.expect.push_back(trace_.memory_line());
  }

  void setup_percpu(std::string_view text)
  {
    static const std::regex re(R"(NR_CPUS:(\d+) .*nr_cpu_ids:(\d+))");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(text.begin(), text.end(), m, re)) return;
    nr_cpus_config_ = number(m[1].str(), "setup_percpu", 1u << 20);
    cpus_ = static_cast<unsigned>(number(m[2].str(), "setup_percpu", 8192));
  }

  void allowing_cpus(std::string_view text)
  {
    if (cpus_ != 0) return;
    unsigned n = 0;
    const std::string_view digits = text.substr(18);
    std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (n != 0) cpus_ = n;
  }

  void accounting(std::string_view text)
  {
    if (text == "Movable zone start for each node") movable_header_seen_ = true;
    if (text == "Early memory node ranges") movable_header_seen_ = false;
    // "  Node N: 0x..." belongs to the movable zone starts only.
    if (starts_with(text, "  Node ") && !movable_header_seen_) return;
    if (starts_with(text, "  Device ")) zone_device_ = true;
    if (starts_with(text, "  DMA ")) zone_dma_ = true;
    if (starts_with(text, "  node ")) {
      static const std::regex re(R"(^  node +(\d+): \[mem (0x[0-9a-f]+-0x[0-9a-f]+)\]$)");
      std::match_results<std::string_view::const_iterator> m;
      if (std::regex_match(text.begin(), text.end(), m, re)) {
        std::string why;
        const auto r = parse_inclusive_range(m[2].str(), &why);
        const std::optional<std::uint64_t> n = parse_u64(m[1].str());
        const int nid = n && *n < (1u << 10) ? static_cast<int>(*n) : 1 << 10;
        if (r && nid < 1 << 10) {
          NodeSpec& node = range_nodes_[nid];
          node.nid = nid;
          node.ranges.push_back(PhysRange{r->start, r->end, 0});
        }
      }
    }
    out_.expect.push_back(std::string(text));
  }

  void config_from_log()
  {
    if (!out_.linux_version.empty()) out_.config["SMP"] = smp_ ? "y" : "n";
    const bool numa = numa_seen_ || !srat_nodes_.empty();
    out_.config["NUMA"] = numa ? "y" : "n";
    if (std::find(out_.expect.begin(), out_.expect.end(), "Zone ranges:") != out_.expect.end()) {
      out_.config["ZONE_DEVICE"] = zone_device_ ? "y" : "n";
      out_.config["ZONE_DMA"] = zone_dma_ ? "y" : "n";
    }
    // The DMA zone spans pfns 1-4095 on every x86 machine: its memmap is 64
    // pages with a 64-byte struct page, 56 with a 56-byte one (3.x/4.x builds
    // without CONFIG_HAVE_ALIGNED_STRUCT_PAGE, e.g. Debian 8's 3.16).
    if (std::find(out_.expect.begin(), out_.expect.end(), "  DMA zone: 56 pages used for memmap") !=
        out_.expect.end()) {
      out_.config["HAVE_ALIGNED_STRUCT_PAGE"] = "n";
      out_.notes.push_back("'DMA zone: 56 pages used for memmap': a 56-byte struct page (no "
                           "CONFIG_HAVE_ALIGNED_STRUCT_PAGE)");
    }
    if (deferred_seen_) out_.config["DEFERRED_STRUCT_PAGE_INIT"] = "y";
    else
      out_.notes.push_back("the log does not show deferred struct page init at work; DEFERRED_STRUCT_PAGE_INIT "
                           "keeps pginit's default");
    if (nr_cpus_config_ == 8192) {
      // NR_CPUS 8192 comes with MAXSMP, which also sets NODES_SHIFT 10.
      out_.config["NODES_SHIFT"] = "10";
      out_.notes.push_back("NR_CPUS:8192 means MAXSMP, so NODES_SHIFT is 10");
    }
    out_.cpus = cpus_ != 0 ? cpus_ : 1;
    if (cpus_ == 0) out_.notes.push_back("the log does not say how many CPUs there are; using 1");
    if (efi_seen_) {
      out_.notes.push_back(
          "the machine booted through EFI (efi:/setup_data lines): efi_reserve_boot_services() reserves memory "
          "below 16 MiB that the e820 table does not show, so the 'pages reserved' line cannot be derived and is "
          "left out of expect (docs/import.md)");
      // The zonelists' "Total pages" is the sum of managed pages: off by as much.
      std::erase_if(out_.expect, [](const std::string& l) {
        return l.ends_with(" pages reserved") || l.starts_with("Built ");
      });
    }
  }

  // zero_resv_unavail()'s line has the modelled version's wording, or the
  // log comes from a kernel that carries another version's change.
  void zero_line_from_log()
  {
    // The other wording: the modelled version's line for 1 page, with another prefix.
    if (out_.kernel->zero_unavail.line == nullptr) return;  // 6.1: per-range lines, no single count
    const std::string ours = out_.kernel->zero_unavail.line(1);
    const std::string_view other = ours.starts_with("Zeroed") ? "Reserved but unavailable: "
                                                              : "Zeroed struct page in unavailable ranges: ";
    const auto n = std::erase_if(out_.expect, [&](const std::string& l) { return l.starts_with(other); });
    if (n != 0)
      out_.notes.push_back(fmt::format("the log's zero_resv_unavail line ('{}...') is not {}'s: a distribution "
                                       "backport; it is left out of expect",
                                       other, out_.kernel->name));
  }

  void nodes_from_log()
  {
    if (!srat_nodes_.empty()) {
      for (auto& [nid, node] : srat_nodes_) out_.nodes.push_back(node);
    } else if (range_nodes_.size() > 1) {
      // NUMA without an SRAT (AMD northbridge, numa=fake): the node ranges say it all.
      for (auto& [nid, node] : range_nodes_) out_.nodes.push_back(node);
      out_.notes.push_back("no SRAT lines: nodes taken from 'Early memory node ranges'");
      out_.config["NUMA"] = "y";
    }
    int max_nid = 0;
    for (const NodeSpec& n : out_.nodes) max_nid = std::max(max_nid, n.nid);
    int shift = 0;
    while ((1 << shift) <= max_nid) shift++;
    if (shift > NODES_SHIFT_DEFAULT && !out_.config.count("NODES_SHIFT"))
      out_.config["NODES_SHIFT"] = std::to_string(shift);
  }

  ImportedScenario& out_;
  const std::string& file_;
  int lineno_ = 0;
  bool e820_done_ = false;
  bool smp_ = false;
  bool numa_seen_ = false;
  bool efi_seen_ = false;
  bool deferred_seen_ = false;
  bool zone_device_ = false;
  bool zone_dma_ = false;
  bool movable_header_seen_ = false;
  bool first_dump_seen_ = false;
  std::vector<PhysRange> setup_arch_reserves_;
  unsigned cpus_ = 0;
  unsigned long nr_cpus_config_ = 0;
  std::map<int, NodeSpec> srat_nodes_;
  std::map<int, NodeSpec> range_nodes_;
  MemblockTraceReader trace_;
};

}  // namespace

std::string_view dmesg_text(std::string_view line)
{
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // "<6>" console level
  if (line.size() >= 3 && line[0] == '<' && line[2] == '>' && line[1] >= '0' && line[1] <= '7') line.remove_prefix(3);
  // "[    0.000000] ", at the start or, on a serial console, after what the
  // firmware printed on the same line ("Probing EDD ... ok\e[2J[    0.000000] Linux version ...").
  for (std::size_t open = line.find('['); open != std::string_view::npos; open = line.find('[', open + 1)) {
    const std::size_t close = line.find(']', open);
    if (close == std::string_view::npos) break;
    const std::string_view stamp = line.substr(open + 1, close - open - 1);
    const std::size_t dot = stamp.find('.');
    const bool is_stamp = dot != std::string_view::npos && dot + 7 == stamp.size() && dot > 0 &&
                          stamp.find_first_not_of(" 0123456789.") == std::string_view::npos &&
                          stamp[dot - 1] != ' ';
    if (!is_stamp) {
      if (open == 0) break;  // "[mem ...]"-like text of a line without a stamp
      continue;
    }
    line.remove_prefix(close + 1);
    if (starts_with(line, " ")) line.remove_prefix(1);
    return line;
  }
  // syslog / journalctl: "Apr 17 20:14:17 host kernel: ..."
  const std::size_t k = line.find(" kernel: ");
  if (k != std::string_view::npos && k < 64) line.remove_prefix(k + 9);
  return line;
}

ImportedScenario import_dmesg(std::string_view text, const std::string& file)
{
  ImportedScenario out;
  out.source = file;
  if (text.empty()) throw InputError(file, 0, "", "empty file: not a kernel log");
  DmesgReader reader(out, file);
  int lineno = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    lineno++;
    if (raw.find('\0') != std::string_view::npos)
      throw InputError(file, lineno, "", "binary data (NUL byte): not a kernel log");
    reader.line(dmesg_text(raw), lineno);
  }
  reader.finish();
  return out;
}

}  // namespace pginit
