// SPDX-License-Identifier: MIT
// scenario_loader.cpp - YAML scenario -> Scenario, with every error located.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "policy/init_policy.h"
#include "scenario/input_error.h"
#include "scenario/input_file.h"
#include "scenario/numbers.h"
#include "scenario/scenario.h"

namespace pginit {

namespace {

// NR_CPUS upper bound of x86_64 (MAXSMP).
constexpr unsigned NR_CPUS_MAX = 8192;

// Reads one YAML document, turning every problem into an InputError that
// names the file, the line and the field.
class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& field, const std::string& what) const
  {
    throw InputError(file_, line(node), field, what);
  }
  [[noreturn]] void fail_at(int at, const std::string& field, const std::string& what) const
  {
    throw InputError(file_, at, field, what);
  }

  static int line(const YAML::Node& node)
  {
    const YAML::Mark m = node.Mark();
    return m.is_null() ? 0 : m.line + 1;
  }

  void require_map(const YAML::Node& node, const std::string& field) const
  {
    if (!node.IsMap()) fail(node, field, fmt::format("expected a mapping, got {}", kind(node)));
  }
  void require_seq(const YAML::Node& node, const std::string& field) const
  {
    if (!node.IsSequence()) fail(node, field, fmt::format("expected a list, got {}", kind(node)));
  }

  // Rejects unknown and duplicate keys of a mapping.
  void check_keys(const YAML::Node& map, const std::string& field,
                  std::initializer_list<std::string_view> allowed) const
  {
    std::set<std::string> seen;
    for (const auto& kv : map) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string{};
      const std::string where = field.empty() ? key : fmt::format("{}.{}", field, key);
      if (!kv.first.IsScalar()) fail(kv.first, field, "keys must be plain words");
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(kv.first, where,
             fmt::format("unknown key (expected one of: {})", fmt::join(allowed, ", ")));
      if (!seen.insert(key).second) fail(kv.first, where, "duplicate key");
    }
  }

  std::string scalar(const YAML::Node& node, const std::string& field) const
  {
    if (!node.IsScalar()) fail(node, field, fmt::format("expected a single value, got {}", kind(node)));
    return node.Scalar();
  }

  std::uint64_t number(const YAML::Node& node, const std::string& field) const
  {
    const std::string text = scalar(node, field);
    const auto v = parse_u64(text);
    if (!v) fail(node, field, fmt::format("'{}' is not a number (decimal or 0x hex)", text));
    return *v;
  }

  std::uint64_t size(const YAML::Node& node, const std::string& field) const
  {
    const std::string text = scalar(node, field);
    const auto v = parse_size(text);
    if (!v) fail(node, field, fmt::format("'{}' is not a size (a number with optional K/M/G/T suffix)", text));
    return *v;
  }

  PhysRange range(const YAML::Node& node, const std::string& field) const
  {
    const std::string text = scalar(node, field);
    std::string why;
    const auto r = parse_inclusive_range(text, &why);
    if (!r) fail(node, field, why);
    if (r->end > MAX_SCENARIO_PHYS)
      fail(node, field, fmt::format("end {:#x} is beyond 2^52 bytes, the x86_64 physical limit", r->end - 1));
    return PhysRange{r->start, r->end, line(node)};
  }

 private:
  static std::string kind(const YAML::Node& node)
  {
    switch (node.Type()) {
      case YAML::NodeType::Null: return "nothing";
      case YAML::NodeType::Scalar: return fmt::format("'{}'", node.Scalar());
      case YAML::NodeType::Sequence: return "a list";
      case YAML::NodeType::Map: return "a mapping";
      default: return "an undefined value";
    }
  }

  std::string file_;
};

void load_config(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_map(node, "config");
  std::set<std::string> seen;
  for (const auto& kv : node) {
    const std::string sym = in.scalar(kv.first, "config");
    const std::string field = "config." + sym;
    if (!seen.insert(sym).second) in.fail(kv.first, field, "duplicate key");
    const KconfigSymbol* known = find_kconfig_symbol(sym);
    if (known == nullptr)
      in.fail(kv.first, field, "unknown Kconfig symbol (write it without CONFIG_; see docs/scenarios.md for the list)");
    const std::string value = in.scalar(kv.second, field);
    if (auto err = check_kconfig_value(*known, value)) in.fail(kv.second, field, *err);
    s.config_requested[sym] = value;
    s.config_set.push_back(sym);
  }
}

void load_e820(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_seq(node, "machine.e820");
  const std::size_t max_entries = e820_max_entries(s.max_numnodes());
  if (node.size() < 2)
    in.fail(node, "machine.e820",
            "fewer than 2 entries: the kernel ignores such a map and falls back to BIOS-88/e801, which pginit does not model");
  if (node.size() > max_entries)
    in.fail(node, "machine.e820", fmt::format("{} entries, more than the kernel's E820_MAX_ENTRIES ({})",
                                             node.size(), max_entries));
  bool any_usable = false;
  for (std::size_t i = 0; i < node.size(); i++) {
    const YAML::Node e = node[i];
    const std::string field = fmt::format("machine.e820[{}]", i);
    in.require_map(e, field);
    in.check_keys(e, field, {"mem", "type"});
    if (!e["mem"]) in.fail(e, field + ".mem", "missing (e.g. mem: 0x100000-0x1ffdffff)");
    if (!e["type"]) in.fail(e, field + ".type", "missing (usable, reserved, ACPI data, ACPI NVS, unusable)");
    const PhysRange r = in.range(e["mem"], field + ".mem");
    const std::string type_name = in.scalar(e["type"], field + ".type");
    const auto type = e820_type_from_name(type_name);
    if (!type)
      in.fail(e["type"], field + ".type",
              fmt::format("unknown type '{}' (usable, reserved, ACPI data, ACPI NVS, unusable, "
                          "persistent (type N), type N)", type_name));
    any_usable |= *type == E820_TYPE_RAM;
    s.machine.e820.push_back(e820_entry{r.start, r.end - r.start, *type});
  }
  if (!any_usable) in.fail(node, "machine.e820", "no usable entry: the machine has no RAM");
}

void load_nodes(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_seq(node, "machine.nodes");
  const auto limit = static_cast<std::uint64_t>(s.node_id_limit());
  std::set<int> nids;
  for (std::size_t i = 0; i < node.size(); i++) {
    const YAML::Node n = node[i];
    const std::string field = fmt::format("machine.nodes[{}]", i);
    in.require_map(n, field);
    in.check_keys(n, field, {"nid", "pxm", "mem"});
    if (!n["nid"]) in.fail(n, field + ".nid", "missing");
    if (!n["mem"]) in.fail(n, field + ".mem", "missing (a range or a list of ranges)");
    const std::uint64_t nid = in.number(n["nid"], field + ".nid");
    if (nid >= limit)
      in.fail(n["nid"], field + ".nid",
              fmt::format("{} is not below MAX_NUMNODES ({}; raise NODES_SHIFT)", nid, limit));
    NodeSpec spec;
    spec.nid = static_cast<int>(nid);
    spec.line = YamlReader::line(n);
    if (n["pxm"]) {
      const std::uint64_t pxm = in.number(n["pxm"], field + ".pxm");
      if (pxm > 0xffffffffu) in.fail(n["pxm"], field + ".pxm", "not a 32-bit proximity domain");
      spec.pxm = static_cast<int>(pxm);
    }
    if (!nids.insert(spec.nid).second) in.fail(n["nid"], field + ".nid", fmt::format("node {} listed twice", nid));
    const YAML::Node mem = n["mem"];
    if (mem.IsSequence()) {
      if (mem.size() == 0) in.fail(mem, field + ".mem", "empty list");
      for (std::size_t j = 0; j < mem.size(); j++)
        spec.ranges.push_back(in.range(mem[j], fmt::format("{}.mem[{}]", field, j)));
    } else {
      spec.ranges.push_back(in.range(mem, field + ".mem"));
    }
    s.machine.nodes.push_back(std::move(spec));
  }
  // Nodes (and the ranges of one node) must not overlap: the SRAT never says
  // that a byte belongs to two nodes (numa_cleanup_meminfo rejects it).
  struct Owned {
    PhysRange r;
    int nid;
  };
  std::vector<Owned> all;
  for (const NodeSpec& n : s.machine.nodes)
    for (const PhysRange& r : n.ranges) all.push_back({r, n.nid});
  std::sort(all.begin(), all.end(), [](const Owned& a, const Owned& b) { return a.r.start < b.r.start; });
  for (std::size_t i = 1; i < all.size(); i++) {
    if (all[i].r.start < all[i - 1].r.end) {
      const Owned& later = all[i].r.line >= all[i - 1].r.line ? all[i] : all[i - 1];
      const Owned& earlier = &later == &all[i] ? all[i - 1] : all[i];
      in.fail_at(later.r.line, "machine.nodes",
                 fmt::format("node {} range [mem {:#018x}-{:#018x}] overlaps node {} range [mem {:#018x}-{:#018x}]",
                             later.nid, later.r.start, later.r.end - 1, earlier.nid, earlier.r.start,
                             earlier.r.end - 1));
    }
  }
}

// A positive decimal within [low, high]: a profile figure ("17.06").
double load_figure(const YamlReader& in, const YAML::Node& node, const std::string& field, double low, double high,
                   const char* unit)
{
  const std::string text = in.scalar(node, field);
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v))
    in.fail(node, field, fmt::format("'{}' is not a decimal number of {}", text, unit));
  if (v < low || v > high) in.fail(node, field, fmt::format("{} {} is outside {} .. {}", text, unit, low, high));
  return v;
}

// machine.perf: { page_init_ns, node_bandwidth_gbs, cpus_per_node }, each optional (docs/time-model.md).
void load_perf(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_map(node, "machine.perf");
  in.check_keys(node, "machine.perf", {"page_init_ns", "node_bandwidth_gbs", "cpus_per_node"});
  MachinePerf& p = s.machine.perf;
  // The bounds are sanity, not physics: 0.1 ns a page would be 640 GB/s from one thread.
  if (node["page_init_ns"]) p.page_init_ns = load_figure(in, node["page_init_ns"], "machine.perf.page_init_ns", 0.1, 1e6, "ns");
  if (node["node_bandwidth_gbs"])
    p.node_bandwidth_gbs = load_figure(in, node["node_bandwidth_gbs"], "machine.perf.node_bandwidth_gbs", 0.1, 1e5, "GB/s");
  if (node["cpus_per_node"]) {
    const std::uint64_t c = in.number(node["cpus_per_node"], "machine.perf.cpus_per_node");
    if (c == 0 || c > s.machine.cpus)
      in.fail(node["cpus_per_node"], "machine.perf.cpus_per_node",
              fmt::format("{} is not 1 .. machine.cpus ({})", c, s.machine.cpus));
    p.cpus_per_node = static_cast<unsigned>(c);
  }
}

// The bytes of vmemmap the altmap must give the memmap of [start, end):
// one 2 MiB block per section, plus what altmap_alloc_block_buf() skips to
// align the first block.
std::uint64_t altmap_memmap_bytes(phys_addr_t start, phys_addr_t end, std::uint64_t reserve)
{
  constexpr std::uint64_t SECTION_BYTES = PAGES_PER_SECTION * PAGE_SIZE;
  constexpr std::uint64_t PMD_BYTES = 2 << 20;
  const std::uint64_t first = start + reserve;
  const std::uint64_t pad = (PMD_BYTES - first % PMD_BYTES) % PMD_BYTES;
  return (end - start) / SECTION_BYTES * PMD_BYTES + pad;
}

void load_altmap(const YamlReader& in, const YAML::Node& node, const std::string& field, DeviceMemorySpec& d)
{
  in.require_map(node, field);
  in.check_keys(node, field, {"reserve", "free"});
  d.altmap = true;
  const std::uint64_t size = d.range.end - d.range.start;
  if (node["reserve"]) d.altmap_reserve = in.size(node["reserve"], field + ".reserve");
  if (d.altmap_reserve % PAGE_SIZE != 0)
    in.fail(node["reserve"], field + ".reserve", fmt::format("{:#x} is not a multiple of 4 KiB", d.altmap_reserve));
  const std::uint64_t needed = altmap_memmap_bytes(d.range.start, d.range.end, d.altmap_reserve);
  d.altmap_free = node["free"] ? in.size(node["free"], field + ".free") : needed;
  if (d.altmap_free % PAGE_SIZE != 0)
    in.fail(node["free"], field + ".free", fmt::format("{:#x} is not a multiple of 4 KiB", d.altmap_free));
  if (d.altmap_reserve > size || d.altmap_free > size - d.altmap_reserve)
    in.fail(node, field,
            fmt::format("reserve {:#x} + free {:#x} is larger than the range ({:#x} bytes)", d.altmap_reserve,
                        d.altmap_free, size));
  if (d.altmap_free < needed)
    in.fail(node["free"], field + ".free",
            fmt::format("{:#x} bytes cannot hold the memmap of the range ({:#x} bytes of vmemmap blocks): "
                        "altmap_alloc_block_buf() would fail with -ENOMEM",
                        d.altmap_free, needed));
}

// machine.device_memory: [{ type, start, size, node, name, altmap: { reserve, free } }]
void load_device_memory(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_seq(node, "machine.device_memory");
  constexpr std::uint64_t SECTION_BYTES = PAGES_PER_SECTION * PAGE_SIZE;
  unsigned pmem = 0;
  unsigned hmm = 0;
  for (std::size_t i = 0; i < node.size(); i++) {
    const YAML::Node e = node[i];
    const std::string field = fmt::format("machine.device_memory[{}]", i);
    in.require_map(e, field);
    in.check_keys(e, field, {"type", "start", "size", "node", "name", "altmap"});
    DeviceMemorySpec d;
    d.line = YamlReader::line(e);
    if (!e["type"]) in.fail(e, field + ".type", "missing (pmem, device_private or device_public)");
    const std::string type = in.scalar(e["type"], field + ".type");
    d.type_line = YamlReader::line(e["type"]);
    if (type == "pmem") d.type = DeviceMemorySpec::Type::pmem;
    else if (type == "device_private") d.type = DeviceMemorySpec::Type::device_private;
    else if (type == "device_public") d.type = DeviceMemorySpec::Type::device_public;
    else in.fail(e["type"], field + ".type", fmt::format("'{}' is not pmem, device_private or device_public", type));
    if (!e["start"]) in.fail(e, field + ".start", "missing");
    if (!e["size"]) in.fail(e, field + ".size", "missing");
    const std::uint64_t start = in.size(e["start"], field + ".start");
    const std::uint64_t size = in.size(e["size"], field + ".size");
    if (start % SECTION_BYTES != 0)
      in.fail(e["start"], field + ".start",
              fmt::format("{:#x} is not a multiple of 128 MiB: pginit hot-adds whole sections (SECTION_SIZE)", start));
    if (size == 0 || size % SECTION_BYTES != 0)
      in.fail(e["size"], field + ".size",
              fmt::format("{:#x} is not a non-zero multiple of 128 MiB (SECTION_SIZE)", size));
    if (start >= MAX_SCENARIO_PHYS || size > MAX_SCENARIO_PHYS - start)
      in.fail(e, field, "reaches beyond 2^52 bytes, the x86_64 physical limit");
    d.range = PhysRange{start, start + size, d.line};
    if (e["node"]) {
      const std::uint64_t nid = in.number(e["node"], field + ".node");
      const bool known = s.machine.nodes.empty()
                             ? nid == 0
                             : std::any_of(s.machine.nodes.begin(), s.machine.nodes.end(),
                                           [&](const NodeSpec& n) { return static_cast<std::uint64_t>(n.nid) == nid; });
      if (!known) in.fail(e["node"], field + ".node", fmt::format("node {} is not one of machine.nodes", nid));
      d.nid = static_cast<int>(nid);
    }
    d.name = e["name"] ? in.scalar(e["name"], field + ".name")
                       : d.type == DeviceMemorySpec::Type::pmem ? fmt::format("pmem{}", pmem) : fmt::format("hmm_device{}", hmm);
    (d.type == DeviceMemorySpec::Type::pmem ? pmem : hmm)++;
    if (e["altmap"]) {
      if (d.type != DeviceMemorySpec::Type::pmem)
        in.fail(e["altmap"], field + ".altmap", "only pmem keeps its memmap on the device (HMM memory has no altmap)");
      load_altmap(in, e["altmap"], field + ".altmap", d);
    }
    // region_intersects(IORESOURCE_SYSTEM_RAM): devm_memremap_pages() refuses RAM.
    for (const e820_entry& r : s.machine.e820)
      if (r.type == E820_TYPE_RAM && r.addr < d.range.end && d.range.start < r.addr + r.size)
        in.fail(e, field,
                fmt::format("[mem {:#018x}-{:#018x}] overlaps RAM [mem {:#018x}-{:#018x}] (e820 usable): "
                            "memremap_pages() refuses System RAM",
                            d.range.start, d.range.end - 1, r.addr, r.addr + r.size - 1));
    for (std::size_t j = 0; j < s.machine.device_memory.size(); j++) {
      const PhysRange& o = s.machine.device_memory[j].range;
      if (o.start < d.range.end && d.range.start < o.end)
        in.fail(e, field,
                fmt::format("[mem {:#018x}-{:#018x}] overlaps machine.device_memory[{}] [mem {:#018x}-{:#018x}]",
                            d.range.start, d.range.end - 1, j, o.start, o.end - 1));
    }
    s.machine.device_memory.push_back(std::move(d));
  }
}

// boot.page_accesses: [{ pfn, via: page_address | kmap }]
void load_page_accesses(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_seq(node, "boot.page_accesses");
  for (std::size_t i = 0; i < node.size(); i++) {
    const YAML::Node a = node[i];
    const std::string field = fmt::format("boot.page_accesses[{}]", i);
    in.require_map(a, field);
    in.check_keys(a, field, {"pfn", "via"});
    PageAccessSpec p;
    p.line = YamlReader::line(a);
    if (!a["pfn"]) in.fail(a, field + ".pfn", "missing");
    p.pfn = in.number(a["pfn"], field + ".pfn");
    if (p.pfn >= (MAX_SCENARIO_PHYS >> PAGE_SHIFT))
      in.fail(a["pfn"], field + ".pfn", "beyond 2^52 bytes, the x86_64 physical limit");
    if (a["via"]) {
      const std::string via = in.scalar(a["via"], field + ".via");
      if (via == "page_address") p.via = PageAccessSpec::Via::page_address;
      else if (via == "kmap") p.via = PageAccessSpec::Via::kmap;
      else in.fail(a["via"], field + ".via", fmt::format("'{}' is not page_address or kmap", via));
    }
    s.boot.page_accesses.push_back(p);
  }
}

void load_machine(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_map(node, "machine");
  in.check_keys(node, "machine", {"cpus", "cpu_vendor", "e820", "nodes", "mtrr_trim", "perf", "device_memory"});
  if (!node["cpus"]) in.fail(node, "machine.cpus", "missing");
  const std::uint64_t cpus = in.number(node["cpus"], "machine.cpus");
  if (cpus == 0) in.fail(node["cpus"], "machine.cpus", "must be at least 1");
  if (cpus > NR_CPUS_MAX)
    in.fail(node["cpus"], "machine.cpus", fmt::format("{} is more than NR_CPUS allows ({})", cpus, NR_CPUS_MAX));
  s.machine.cpus = static_cast<unsigned>(cpus);
  if (node["cpu_vendor"]) {
    const std::string v = in.scalar(node["cpu_vendor"], "machine.cpu_vendor");
    if (v == "intel") s.machine.cpu_vendor = MachineSpec::CpuVendor::intel;
    else if (v == "amd") s.machine.cpu_vendor = MachineSpec::CpuVendor::amd;
    else in.fail(node["cpu_vendor"], "machine.cpu_vendor", fmt::format("'{}' is not intel or amd", v));
  }
  s.machine.line = YamlReader::line(node);
  if (!node["e820"]) in.fail(node, "machine.e820", "missing: the firmware memory map is required");
  load_e820(in, node["e820"], s);
  if (node["nodes"]) load_nodes(in, node["nodes"], s);
  if (node["mtrr_trim"]) {
    const YAML::Node trim = node["mtrr_trim"];
    in.require_seq(trim, "machine.mtrr_trim");
    for (std::size_t i = 0; i < trim.size(); i++)
      s.machine.mtrr_trim.push_back(in.range(trim[i], fmt::format("machine.mtrr_trim[{}]", i)));
  }
  if (node["perf"]) load_perf(in, node["perf"], s);
  if (node["device_memory"]) load_device_memory(in, node["device_memory"], s);
}

PhysRange load_placed_range(const YamlReader& in, const YAML::Node& node, const std::string& field)
{
  in.require_map(node, field);
  in.check_keys(node, field, {"start", "size"});
  if (!node["start"]) in.fail(node, field + ".start", "missing");
  if (!node["size"]) in.fail(node, field + ".size", "missing");
  const std::uint64_t start = in.size(node["start"], field + ".start");
  const std::uint64_t size = in.size(node["size"], field + ".size");
  if (size == 0) in.fail(node["size"], field + ".size", "must not be 0");
  if (start >= MAX_SCENARIO_PHYS || size > MAX_SCENARIO_PHYS - start)
    in.fail(node, field, "reaches beyond 2^52 bytes, the x86_64 physical limit");
  return PhysRange{start, start + size, YamlReader::line(node)};
}

void load_allocations(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_seq(node, "boot.allocations");
  for (std::size_t i = 0; i < node.size(); i++) {
    const YAML::Node a = node[i];
    const std::string field = fmt::format("boot.allocations[{}]", i);
    in.require_map(a, field);
    in.check_keys(a, field, {"at", "nid", "order", "count"});
    AllocationSpec spec;
    spec.line = YamlReader::line(a);
    if (!a["at"]) in.fail(a, field + ".at", "missing (mm_init or smp_init)");
    const std::string at = in.scalar(a["at"], field + ".at");
    if (at == "mm_init") spec.at = AllocationSpec::At::mm_init;
    else if (at == "smp_init") spec.at = AllocationSpec::At::smp_init;
    else in.fail(a["at"], field + ".at", fmt::format("'{}' is not mm_init or smp_init", at));
    if (a["nid"]) {
      const std::uint64_t nid = in.number(a["nid"], field + ".nid");
      if (nid >= static_cast<std::uint64_t>(s.node_id_limit()))
        in.fail(a["nid"], field + ".nid", fmt::format("{} is not below MAX_NUMNODES ({})", nid, s.node_id_limit()));
      spec.nid = static_cast<int>(nid);
    }
    if (!a["order"]) in.fail(a, field + ".order", "missing (0 .. MAX_ORDER - 1 = 10)");
    const std::uint64_t order = in.number(a["order"], field + ".order");
    if (order >= 11) in.fail(a["order"], field + ".order", fmt::format("{} is not below MAX_ORDER (11)", order));
    spec.order = static_cast<unsigned>(order);
    if (a["count"]) spec.count = in.number(a["count"], field + ".count");
    if (spec.count == 0 || spec.count > (std::uint64_t{1} << 40))
      in.fail(a["count"], field + ".count", "must be 1 .. 2^40");
    s.boot.allocations.push_back(spec);
  }
}

// boot.readers: [set_zone_contiguous, kpageflags_read, show_valid_zones]
void load_readers(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_seq(node, "boot.readers");
  for (std::size_t i = 0; i < node.size(); i++) {
    const std::string field = fmt::format("boot.readers[{}]", i);
    const std::string name = in.scalar(node[i], field);
    if (name == "set_zone_contiguous") s.boot.readers.push_back(PageReader::set_zone_contiguous);
    else if (name == "kpageflags_read") s.boot.readers.push_back(PageReader::kpageflags_read);
    else if (name == "show_valid_zones") s.boot.readers.push_back(PageReader::show_valid_zones);
    else
      in.fail(node[i], field,
              fmt::format("'{}' is not set_zone_contiguous, kpageflags_read or show_valid_zones", name));
  }
}

// boot.memblock_trace: { source: LOG, reserved: [RANGE...], calls: [{ op, mem, by, log_line }...] }
void load_memblock_trace(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  const std::string field = "boot.memblock_trace";
  in.require_map(node, field);
  in.check_keys(node, field, {"source", "reserved", "calls"});
  MemblockTrace t;
  if (node["source"]) t.source = in.scalar(node["source"], field + ".source");
  if (!node["reserved"]) in.fail(node, field + ".reserved", "missing (the first MEMBLOCK configuration's reserved regions)");
  in.require_seq(node["reserved"], field + ".reserved");
  for (std::size_t i = 0; i < node["reserved"].size(); i++)
    t.reserved.push_back(in.range(node["reserved"][i], fmt::format("{}.reserved[{}]", field, i)));
  if (node["calls"]) {
    in.require_seq(node["calls"], field + ".calls");
    for (std::size_t i = 0; i < node["calls"].size(); i++) {
      const YAML::Node c = node["calls"][i];
      const std::string f = fmt::format("{}.calls[{}]", field, i);
      in.require_map(c, f);
      in.check_keys(c, f, {"op", "mem", "by", "log_line"});
      MemblockCall call;
      call.line = YamlReader::line(c);
      if (!c["op"]) in.fail(c, f + ".op", "missing (reserve or free)");
      const std::string op = in.scalar(c["op"], f + ".op");
      if (op == "reserve") call.op = MemblockCall::Op::reserve;
      else if (op == "free") call.op = MemblockCall::Op::free;
      else in.fail(c["op"], f + ".op", fmt::format("'{}' is not reserve or free", op));
      if (!c["mem"]) in.fail(c, f + ".mem", "missing");
      call.range = in.range(c["mem"], f + ".mem");
      if (c["by"]) call.by = in.scalar(c["by"], f + ".by");
      if (c["log_line"]) call.log_line = static_cast<int>(std::min<std::uint64_t>(in.number(c["log_line"], f + ".log_line"), 1u << 30));
      t.calls.push_back(std::move(call));
    }
  }
  s.boot.memblock_trace = std::move(t);
}

// boot.kernel_sections: { code: 14343K, rwdata: ..., rodata: ..., init: ..., bss: ... }
void load_kernel_sections(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  const std::string field = "boot.kernel_sections";
  in.require_map(node, field);
  in.check_keys(node, field, {"code", "rwdata", "rodata", "init", "bss"});
  KernelSections k;
  const auto kib = [&](const char* key, std::uint64_t& out) {
    if (!node[key]) in.fail(node, fmt::format("{}.{}", field, key), "missing");
    const std::uint64_t bytes = in.size(node[key], fmt::format("{}.{}", field, key));
    if (bytes > (std::uint64_t{1} << 40))
      in.fail(node[key], fmt::format("{}.{}", field, key), "larger than any kernel image (1 TiB)");
    out = bytes / 1024;
  };
  kib("code", k.code);
  kib("rwdata", k.rwdata);
  kib("rodata", k.rodata);
  kib("init", k.init);
  kib("bss", k.bss);
  s.boot.kernel_sections = k;
}

void load_boot(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_map(node, "boot");
  in.check_keys(node, "boot",
                {"kernel_image", "initrd", "allocations", "readers", "gdt_page_offset", "kaslr_seed", "percpu_alloc",
                 "cmdline", "memblock_trace", "kernel_sections", "page_accesses"});
  if (node["cmdline"]) {
    std::string why;
    std::optional<KernelCmdline> c = parse_kernel_cmdline(in.scalar(node["cmdline"], "boot.cmdline"), &why);
    if (!c) in.fail(node["cmdline"], "boot.cmdline", why);
    if (c->percpu_page && node["percpu_alloc"])
      in.fail(node["cmdline"], "boot.cmdline", "percpu_alloc= is given twice: here and as boot.percpu_alloc");
    if (c->percpu_page) s.boot.percpu_alloc = *c->percpu_page ? BootSpec::PercpuAlloc::page : BootSpec::PercpuAlloc::embed;
    s.boot.cmdline = std::move(*c);
  }
  if (node["gdt_page_offset"]) {
    s.boot.gdt_page_offset = in.size(node["gdt_page_offset"], "boot.gdt_page_offset");
    if (s.boot.gdt_page_offset % PAGE_SIZE != 0)
      in.fail(node["gdt_page_offset"], "boot.gdt_page_offset", "gdt_page is page-aligned (DEFINE_PER_CPU_PAGE_ALIGNED)");
  }
  if (node["kaslr_seed"]) s.boot.kaslr_seed = in.number(node["kaslr_seed"], "boot.kaslr_seed");
  if (node["percpu_alloc"]) {
    const std::string a = in.scalar(node["percpu_alloc"], "boot.percpu_alloc");
    if (a == "embed") s.boot.percpu_alloc = BootSpec::PercpuAlloc::embed;
    else if (a == "page") s.boot.percpu_alloc = BootSpec::PercpuAlloc::page;
    else in.fail(node["percpu_alloc"], "boot.percpu_alloc", fmt::format("'{}' is not embed or page", a));
  }
  if (node["kernel_image"]) {
    const PhysRange k = load_placed_range(in, node["kernel_image"], "boot.kernel_image");
    // CONFIG_PHYSICAL_ALIGN: the decompressor only runs the kernel 2 MiB-aligned.
    if (k.start % 0x200000 != 0)
      in.fail(node["kernel_image"]["start"], "boot.kernel_image.start",
              fmt::format("{:#x} is not 2 MiB aligned (CONFIG_PHYSICAL_ALIGN)", k.start));
    s.boot.kernel_start = k.start;
    s.boot.kernel_size = k.end - k.start;
  }
  if (node["initrd"]) s.boot.initrd = load_placed_range(in, node["initrd"], "boot.initrd");
  if (node["allocations"]) load_allocations(in, node["allocations"], s);
  if (node["readers"]) load_readers(in, node["readers"], s);
  if (node["memblock_trace"]) load_memblock_trace(in, node["memblock_trace"], s);
  if (node["kernel_sections"]) load_kernel_sections(in, node["kernel_sections"], s);
  if (node["page_accesses"]) load_page_accesses(in, node["page_accesses"], s);
  if (s.boot.gdt_page_offset >= s.boot.kernel_size)
    in.fail(node, "boot.gdt_page_offset",
            fmt::format("{:#x} is outside the kernel image ({:#x} bytes)", s.boot.gdt_page_offset, s.boot.kernel_size));
}

std::vector<std::string> load_strings(const YamlReader& in, const YAML::Node& node, const std::string& field)
{
  in.require_seq(node, field);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); i++) {
    const std::string f = fmt::format("{}[{}]", field, i);
    out.push_back(in.scalar(node[i], f));
    // An empty phrase would match anything: it could never fail.
    if (out.back().find_first_not_of(" \t") == std::string::npos) in.fail(node[i], f, "empty: say what must appear");
  }
  return out;
}

// free_lists: { "NID ZONE": [blocks of order 0, 1, .. MAX_ORDER - 1], ... }
void load_free_lists(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_map(node, "expect.free_lists");
  for (const auto& kv : node) {
    const std::string key = in.scalar(kv.first, "expect.free_lists");
    const std::string field = "expect.free_lists." + key;
    const std::size_t space = key.find(' ');
    if (space == std::string::npos || !parse_u64(key.substr(0, space)))
      in.fail(kv.first, field, "expected \"NID ZONE\", e.g. \"0 DMA32\"");
    in.require_seq(kv.second, field);
    if (kv.second.size() != MAX_ORDER)
      in.fail(kv.second, field, fmt::format("expected {} counts (orders 0 .. {}), got {}", MAX_ORDER, MAX_ORDER - 1,
                                            kv.second.size()));
    std::vector<std::uint64_t> counts;
    for (std::size_t i = 0; i < kv.second.size(); i++)
      counts.push_back(in.number(kv.second[i], fmt::format("{}[{}]", field, i)));
    s.expect.free_lists.emplace_back(key, std::move(counts));
  }
}

void load_expect(const YamlReader& in, const YAML::Node& node, Scenario& s)
{
  in.require_map(node, "expect");
  in.check_keys(node, "expect", {"log", "violations", "memmap_hash", "free_lists"});
  if (node["log"]) s.expect.log = load_strings(in, node["log"], "expect.log");
  if (node["violations"]) s.expect.violations = load_strings(in, node["violations"], "expect.violations");
  if (node["memmap_hash"]) {
    const std::string h = in.scalar(node["memmap_hash"], "expect.memmap_hash");
    const std::optional<std::uint64_t> v = h.size() == 16 ? parse_u64("0x" + h) : std::nullopt;
    if (!v) in.fail(node["memmap_hash"], "expect.memmap_hash", fmt::format("'{}' is not 16 hex digits", h));
    s.expect.memmap_hash = v;
  }
  if (node["free_lists"]) load_free_lists(in, node["free_lists"], s);
}

}  // namespace

int Scenario::max_numnodes() const
{
  if (!kconfig_enabled(config, "NUMA")) return 1;
  return 1 << kconfig_int(config, "NODES_SHIFT", NODES_SHIFT_DEFAULT);
}

int Scenario::node_id_limit() const
{
  return kconfig_enabled(config, "NUMA") ? max_numnodes() : 1 << find_kconfig_symbol("NODES_SHIFT")->max;
}

Scenario parse_scenario(const std::string& text, const std::string& file_name)
{
  const YamlReader in(file_name);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(file_name, e.mark.is_null() ? 0 : e.mark.line + 1, "", fmt::format("YAML syntax: {}", e.msg));
  }
  if (!root || root.IsNull()) throw InputError(file_name, 0, "", "empty scenario");
  in.require_map(root, "");
  in.check_keys(root, "", {"name", "description", "kernel", "policy", "config", "machine", "boot", "expect"});

  Scenario s;
  s.file = file_name;
  s.config_requested = default_kconfig_values();
  if (!root["name"]) in.fail(root, "name", "missing");
  s.name = in.scalar(root["name"], "name");
  if (root["description"]) s.description = in.scalar(root["description"], "description");
  if (!root["kernel"]) in.fail(root, "kernel", fmt::format("missing (one of: {})", kernel_version_names()));
  const std::string kernel = in.scalar(root["kernel"], "kernel");
  s.kernel = find_kernel_version(kernel);
  if (s.kernel == nullptr)
    in.fail(root["kernel"], "kernel", fmt::format("unknown kernel version '{}' (modelled: {})", kernel, kernel_version_names()));
  if (root["policy"]) {
    s.policy = in.scalar(root["policy"], "policy");
    if (find_init_policy(s.policy) == nullptr)
      in.fail(root["policy"], "policy", fmt::format("unknown policy '{}' (one of: {})", s.policy, init_policy_names()));
  }
  // config first: NUMA and NODES_SHIFT bound the node ids of the machine.
  if (root["config"]) load_config(in, root["config"], s);
  s.config = s.config_requested;  // as written, until the rules are applied below
  if (!root["machine"]) in.fail(root, "machine", "missing");
  load_machine(in, root["machine"], s);
  if (root["boot"]) load_boot(in, root["boot"], s);
  if (root["expect"]) load_expect(in, root["expect"], s);
  resolve_config(s);
  check_device_memory_version(s);
  return s;
}

Scenario load_scenario(const std::string& path)
{
  return parse_scenario(read_input_file(path, "scenario"), path);
}

std::string_view device_memory_type_name(DeviceMemorySpec::Type t)
{
  switch (t) {
    case DeviceMemorySpec::Type::pmem: return "pmem";
    case DeviceMemorySpec::Type::device_private: return "device_private";
    case DeviceMemorySpec::Type::device_public: return "device_public";
  }
  return "?";
}

void check_device_memory_version(const Scenario& s)
{
  const KconfigRules& r = s.kernel->kconfig_rules;
  for (std::size_t i = 0; i < s.machine.device_memory.size(); i++) {
    const DeviceMemorySpec& d = s.machine.device_memory[i];
    std::string why;
    if (!r.zone_device_exists)
      why = fmt::format("{} has no ZONE_DEVICE (it came in v4.3, 033fbae988fc)", s.kernel->name);
    else if (d.type == DeviceMemorySpec::Type::device_private && r.device_memory == DeviceMemoryKconfig::pmem_only)
      why = fmt::format("{} has no device-private memory (MEMORY_DEVICE_PRIVATE came in v4.14, 5042db43cc26)",
                        s.kernel->name);
    else if (d.type == DeviceMemorySpec::Type::device_public && r.device_memory != DeviceMemoryKconfig::arch_has_hmm)
      why = fmt::format("{} has no device-public memory (MEMORY_DEVICE_PUBLIC was in v4.14 - v5.2 only)", s.kernel->name);
    if (!why.empty())
      throw InputError(s.file, d.type_line, fmt::format("machine.device_memory[{}].type", i), why);
  }
}

void resolve_config(Scenario& s)
{
  // The version's own Kconfig defaults, for symbols the scenario (or --set)
  // did not give: reset first, since --kernel may have replaced a version
  // whose defaults were applied already.
  const KconfigValues arch_defaults = default_kconfig_values();
  const auto user_set = [&](std::string_view sym) {
    return std::find(s.config_set.begin(), s.config_set.end(), sym) != s.config_set.end();
  };
  for (const KernelVersion& v : modelled_kernel_versions())
    for (const auto& [sym, value] : v.kconfig_defaults)
      if (!user_set(sym)) s.config_requested[std::string(sym)] = arch_defaults.find(sym)->second;
  for (const auto& [sym, value] : s.kernel->kconfig_defaults)
    if (!user_set(sym)) s.config_requested[std::string(sym)] = std::string(value);
  ResolvedKconfig r = resolve_kconfig(s.config_requested, s.config_set, s.kernel->kconfig_rules);
  s.config = std::move(r.values);
  s.config_changes = std::move(r.changes);
}

void apply_config_override(Scenario& s, const std::string& assignment)
{
  const auto eq = assignment.find('=');
  if (eq == std::string::npos)
    throw InputError("--set", 0, assignment, "expected SYMBOL=VALUE (e.g. --set SPARSEMEM_VMEMMAP=n)");
  std::string sym = assignment.substr(0, eq);
  if (sym.rfind("CONFIG_", 0) == 0) sym.erase(0, 7);
  const std::string value = assignment.substr(eq + 1);
  const KconfigSymbol* known = find_kconfig_symbol(sym);
  if (known == nullptr) throw InputError("--set", 0, sym, "unknown Kconfig symbol");
  if (auto err = check_kconfig_value(*known, value)) throw InputError("--set", 0, sym, *err);
  s.config_requested[sym] = value;
  s.config_set.push_back(sym);
  resolve_config(s);
  // A smaller NODES_SHIFT, or NUMA turned on, may leave the machine with node
  // ids the kernel cannot hold: the loader's bound, checked again.
  const int limit = s.node_id_limit();
  for (std::size_t i = 0; i < s.machine.nodes.size(); i++)
    if (s.machine.nodes[i].nid >= limit)
      throw InputError(s.file, s.machine.nodes[i].line, fmt::format("machine.nodes[{}].nid", i),
                       fmt::format("{} is not below MAX_NUMNODES ({}) after --set {}",
                                   s.machine.nodes[i].nid, limit, assignment));
}

}  // namespace pginit
