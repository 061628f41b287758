// SPDX-License-Identifier: MIT
#include "scenario/host_memory.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "include/asm-generic/memory_model.h"
#include "pginit/page_shadow.h"
#include "scenario/input_error.h"

namespace pginit {

namespace {

// Left to the rest of pginit and the host: 512 MiB or a tenth, whichever is more.
std::uint64_t host_margin(std::uint64_t available) { return std::max<std::uint64_t>(512 * SZ_1M, available / 10); }

std::uint64_t mib(std::uint64_t bytes) { return (bytes + SZ_1M - 1) / SZ_1M; }

}  // namespace

std::uint64_t memmap_host_bytes(const Scenario& s)
{
  const std::uint64_t shadow_per_section = PAGES_PER_SECTION * sizeof(PageShadow);
  // The sections that hold RAM, as merged [first, last] intervals.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
  pfn_t end_pfn = 0;
  for (const e820_entry& e : s.machine.e820) {
    if (e.type != E820_TYPE_RAM || e.size == 0) continue;
    end_pfn = std::max(end_pfn, PFN_DOWN(e.end()));
    spans.emplace_back(pfn_to_section_nr(PFN_DOWN(e.addr)), pfn_to_section_nr(PFN_DOWN(e.end() - 1)));
  }
  if (memory_model_from_config(s.config) == MemoryModelKind::flatmem) {
    const pfn_t pages = round_up(end_pfn, 1024);
    return pages * sizeof(page) + round_up(pages, PAGES_PER_SECTION) / PAGES_PER_SECTION * shadow_per_section;
  }
  std::sort(spans.begin(), spans.end());
  std::uint64_t sections = 0;
  std::uint64_t next = 0;  // first section not yet counted
  for (const auto& [first, last] : spans) {
    const std::uint64_t from = std::max(first, next);
    if (from <= last) sections += last - from + 1;
    next = std::max(next, last + 1);
  }
  // Device memory (machine.device_memory, section-aligned, never RAM): a
  // memmap, a usemap page and shadow records for each of its sections.
  for (const DeviceMemorySpec& d : s.machine.device_memory)
    sections += (d.range.end - d.range.start) / (PAGES_PER_SECTION * PAGE_SIZE);
  return sections * (PAGES_PER_SECTION * sizeof(page) + shadow_per_section);
}

std::optional<std::uint64_t> host_available_bytes()
{
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    std::uint64_t kib = 0;
    if (fields >> key >> kib && key == "MemAvailable:") return kib * SZ_1K;
  }
  return std::nullopt;
}

void check_memmap_fits_host(const Scenario& s, unsigned at_once)
{
  if (std::optional<std::string> why = memmap_host_shortfall(s, at_once)) throw InputError(s.file, s.machine.line, "machine", *why);
}

std::optional<std::string> memmap_host_shortfall(const Scenario& s, unsigned at_once)
{
  const std::uint64_t need = memmap_host_bytes(s) * std::max(1u, at_once);
  const std::optional<std::uint64_t> available = host_available_bytes();
  if (!available) return std::nullopt;  // no /proc/meminfo: nothing to check against
  const std::uint64_t usable = *available > host_margin(*available) ? *available - host_margin(*available) : 0;
  if (need <= usable) return std::nullopt;
  return fmt::format("{} needs {} MiB of host memory (64-byte struct pages are 1/64 of the "
                               "simulated RAM, plus shadow records), but this host has {} MiB available and "
                               "pginit keeps {} MiB in reserve; simulate less RAM{} or free host memory",
                               at_once > 1 ? fmt::format("booting {} copies at once, its memmap", at_once)
                                           : std::string("its memmap"),
                               mib(need), mib(*available), mib(host_margin(*available)),
                               at_once > 1 ? ", use fewer --threads" : "");
}

}  // namespace pginit
