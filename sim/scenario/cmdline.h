// SPDX-License-Identifier: MIT
// cmdline.h - the kernel command line, as far as memory setup goes: the
// early parameters pginit models, parsed the way the kernel parses them
// (arch/x86/kernel/e820.c parse_memopt(), parse_memmap_one(); mm/memblock.c
// early_memblock(); mm/percpu.c percpu_alloc_setup(); arch/x86/mm/numa.c
// numa_setup()). Parameters that change memory setup but are not modelled
// yet are refused, never silently ignored; anything else (console=, root=,
// quiet, ...) does not touch struct pages and is skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pginit {

// One mem= or memmap= element, in command-line order.
struct MemmapParam {
  enum class Kind {
    limit,     // mem=nn or memmap=nn: drop RAM above nn
    exactmap,  // memmap=exactmap: start from an empty map
    ram,       // memmap=nn@ss
    acpi,      // memmap=nn#ss
    reserved,  // memmap=nn$ss
    pram,      // memmap=nn!ss
  } kind = Kind::limit;
  std::uint64_t size = 0;
  std::uint64_t start = 0;
  bool operator==(const MemmapParam&) const = default;
};

// kernelcore= or movablecore= (mm/page_alloc.c cmdline_parse_core()): a
// size, kept in pages, or "N%" of all memory. Versions before v4.17 read
// "N%" as N bytes; the kernel version decides (KernelVersion::core_percent).
struct CoreParam {
  std::uint64_t pages = 0;     // the size >> PAGE_SHIFT
  std::uint64_t percent = 0;   // N of "N%"
  bool is_percent = false;
  bool operator==(const CoreParam&) const = default;
};

struct KernelCmdline {
  std::string text;                  // as written
  std::vector<MemmapParam> memmap;   // mem= and memmap=, in order
  bool memblock_debug = false;       // memblock=debug
  bool numa_off = false;             // numa=off
  std::optional<bool> percpu_page;   // percpu_alloc=page (true) or =embed (false)
  std::optional<CoreParam> kernelcore;   // kernelcore=size|N%
  std::optional<CoreParam> movablecore;  // movablecore=size|N%
};

// Parses `text`; on a bad or unmodelled parameter returns nullopt and sets
// *why to a sentence naming it.
std::optional<KernelCmdline> parse_kernel_cmdline(std::string_view text, std::string* why);

}  // namespace pginit
