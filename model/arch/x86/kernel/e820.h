// SPDX-License-Identifier: MIT
// e820.h - the x86 firmware memory map (arch/x86/kernel/e820.c, v4.17).
//
// DOC: e820 overview
// The firmware hands the kernel a list of (address, size, type) entries that
// may overlap and come in any order. e820__update_table() sanitizes it: it
// sorts the change points, resolves overlaps in favour of the highest type
// number and merges neighbours of one type. setup_arch then edits the table
// (first page reserved, the legacy BIOS hole 640K-1M removed) and
// e820__memblock_setup() hands the usable entries to memblock.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "include/linux/memblock.h"
#include "include/linux/pfn.h"
#include "include/linux/printk.h"

namespace pginit {

// enum e820_type: the values are the firmware's; a higher one wins an overlap.
using e820_type = std::uint32_t;
inline constexpr e820_type E820_TYPE_RAM = 1;
inline constexpr e820_type E820_TYPE_RESERVED = 2;
inline constexpr e820_type E820_TYPE_ACPI = 3;
inline constexpr e820_type E820_TYPE_NVS = 4;
inline constexpr e820_type E820_TYPE_UNUSABLE = 5;
inline constexpr e820_type E820_TYPE_PMEM = 7;
inline constexpr e820_type E820_TYPE_PRAM = 12;
inline constexpr e820_type E820_TYPE_RESERVED_KERN = 128;

// E820_MAX_ENTRIES_ZEROPAGE: what fits in boot_params. The kernel's own
// table is larger (+3 per possible node, for EFI), see e820_max_entries().
inline constexpr std::size_t E820_MAX_ENTRIES_ZEROPAGE = 128;
constexpr std::size_t e820_max_entries(int max_numnodes)
{
  return E820_MAX_ENTRIES_ZEROPAGE + 3 * static_cast<std::size_t>(max_numnodes);
}

// Legacy PC layout (arch/x86/include/asm/e820/types.h).
inline constexpr phys_addr_t ISA_START_ADDRESS = 0xa0000;
inline constexpr phys_addr_t ISA_END_ADDRESS = 0x100000;
inline constexpr phys_addr_t BIOS_BEGIN = 0x000a0000;
inline constexpr phys_addr_t BIOS_END = 0x00100000;

// MAX_ARCH_PFN on 4-level x86_64: 1 << (MAX_PHYSMEM_BITS - PAGE_SHIFT).
inline constexpr pfn_t MAX_ARCH_PFN = pfn_t{1} << (MAX_PHYSMEM_BITS - PAGE_SHIFT);

struct e820_entry {
  u64 addr = 0;
  u64 size = 0;
  e820_type type = 0;
  u64 end() const { return addr + size; }
  bool operator==(const e820_entry&) const = default;
};

struct e820_table {
  std::vector<e820_entry> entries;
  std::size_t max_entries = E820_MAX_ENTRIES_ZEROPAGE;
};

// The type as the kernel prints it ("usable", "ACPI NVS", "type 9", ...).
std::string e820_type_name(e820_type type);
// The reverse, for input files; nullopt for an unknown name.
std::optional<e820_type> e820_type_from_name(std::string_view name);

// Sanitize in place. Returns -1 (and leaves the table alone) for fewer than
// two entries or an entry that wraps around, like the kernel.
int e820__update_table(e820_table& table);

void e820__range_add(e820_table& table, u64 start, u64 size, e820_type type, Printk& log);
u64 e820__range_update(e820_table& table, u64 start, u64 size, e820_type old_type,
                       e820_type new_type, Printk& log);
u64 e820__range_remove(e820_table& table, u64 start, u64 size, e820_type old_type,
                       bool check_type, Printk& log);
bool e820__mapped_all(const e820_table& table, u64 start, u64 end, e820_type type);
void e820__print_table(const e820_table& table, std::string_view who, Printk& log);

// e820_end_pfn(): the end pfn of the highest entry of @type below limit_pfn.
pfn_t e820_end_pfn(const e820_table& table, pfn_t limit_pfn, e820_type type);
pfn_t e820__end_of_ram_pfn(const e820_table& table);
pfn_t e820__end_of_low_ram_pfn(const e820_table& table);

// Hand usable entries to memblock (allowing resize first), trim partial
// pages and, with memblock=debug, dump memblock.
// reserve_non_ram: v4.18 and v4.19 (124049decbb1, reverted by 9fd61bc95130
// for v4.20) also memblock_reserve() every gap between entries and every
// entry that is neither RAM nor RESERVED_KERN.
void e820__memblock_setup(const e820_table& table, memblock& mb, bool reserve_non_ram = false);

}  // namespace pginit
