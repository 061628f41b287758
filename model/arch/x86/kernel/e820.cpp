// SPDX-License-Identifier: MIT
// e820.cpp - sanitizing and editing the firmware map (arch/x86/kernel/e820.c).
#include "arch/x86/kernel/e820.h"

#include <algorithm>
#include <array>

namespace pginit {

std::string e820_type_name(e820_type type)
{
  switch (type) {
    case E820_TYPE_RAM:
    case E820_TYPE_RESERVED_KERN: return "usable";
    case E820_TYPE_RESERVED: return "reserved";
    case E820_TYPE_ACPI: return "ACPI data";
    case E820_TYPE_NVS: return "ACPI NVS";
    case E820_TYPE_UNUSABLE: return "unusable";
    case E820_TYPE_PMEM:
    case E820_TYPE_PRAM: return fmt::format("persistent (type {})", type);
    default: return fmt::format("type {}", type);
  }
}

std::optional<e820_type> e820_type_from_name(std::string_view name)
{
  static constexpr std::array<std::pair<std::string_view, e820_type>, 5> names{{
      {"usable", E820_TYPE_RAM},
      {"reserved", E820_TYPE_RESERVED},
      {"ACPI data", E820_TYPE_ACPI},
      {"ACPI NVS", E820_TYPE_NVS},
      {"unusable", E820_TYPE_UNUSABLE},
  }};
  for (const auto& [n, t] : names)
    if (n == name) return t;
  // "persistent (type N)" and "type N", as printed for other firmware types.
  for (std::string_view prefix : {"persistent (type ", "type "}) {
    if (name.substr(0, prefix.size()) != prefix) continue;
    std::string_view digits = name.substr(prefix.size());
    if (prefix.front() == 'p') {
      if (digits.empty() || digits.back() != ')') return std::nullopt;
      digits.remove_suffix(1);
    }
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    e820_type v = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<e820_type>(c - '0');
    }
    if (v == 0) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

// Sweep the sorted start/end points of all entries, keeping the set of entries
// that cover the current point; the highest type in that set is the type of
// the sanitized map there. A new entry starts whenever that type changes
// (and at every change point of persistent memory, which is never merged).
int e820__update_table(e820_table& table)
{
  auto& entries = table.entries;
  if (entries.size() < 2) return -1;
  for (const e820_entry& e : entries)
    if (e.addr + e.size < e.addr) return -1;

  struct change_member {
    u64 addr;
    std::size_t entry;  // index into entries
    bool start;         // the entry begins here (else it ends here)
  };
  std::vector<change_member> points;
  points.reserve(entries.size() * 2);
  for (std::size_t i = 0; i < entries.size(); i++) {
    if (entries[i].size == 0) continue;
    points.push_back({entries[i].addr, i, true});
    points.push_back({entries[i].end(), i, false});
  }
  // Ascending address; at one address, starts before ends. The kernel's sort
  // is not stable, but entries at one point only matter through the highest
  // type of the overlap set, which does not depend on their order.
  std::stable_sort(points.begin(), points.end(), [](const change_member& a, const change_member& b) {
    if (a.addr != b.addr) return a.addr < b.addr;
    return a.start && !b.start;
  });

  std::vector<std::size_t> overlap;
  std::vector<e820_entry> out;
  e820_type last_type = 0;
  u64 last_addr = 0;
  for (const change_member& cp : points) {
    if (cp.start) {
      overlap.push_back(cp.entry);
    } else {
      overlap.erase(std::find(overlap.begin(), overlap.end(), cp.entry));
    }
    e820_type current_type = 0;
    for (std::size_t idx : overlap) current_type = std::max(current_type, entries[idx].type);

    if (current_type != last_type || current_type == E820_TYPE_PRAM) {
      if (last_type != 0 && cp.addr - last_addr != 0) {
        out.push_back(e820_entry{last_addr, cp.addr - last_addr, last_type});
        if (out.size() >= table.max_entries) break;
      }
      if (current_type != 0) last_addr = cp.addr;
      last_type = current_type;
    }
  }
  entries = std::move(out);
  return 0;
}

void e820__range_add(e820_table& table, u64 start, u64 size, e820_type type, Printk& log)
{
  if (table.entries.size() >= table.max_entries) {
    log.printk(LogLevel::err, fmt::format("e820: too many entries; ignoring [mem {}-{}]",
                                          fmt_x10(start), fmt_x10(start + size - 1)));
    return;
  }
  table.entries.push_back(e820_entry{start, size, type});
}

// Retype the part of every @old_type entry that lies in [start, start+size).
// New pieces are appended, unsorted; callers sanitize afterwards.
u64 e820__range_update(e820_table& table, u64 start, u64 size, e820_type old_type,
                       e820_type new_type, Printk& log)
{
  if (size > U64_MAX - start) size = U64_MAX - start;
  const u64 end = start + size;
  log.printk(LogLevel::debug,
             fmt::format("e820: update [mem {}-{}] {} ==> {}", fmt_x10(start), fmt_x10(end - 1),
                         e820_type_name(old_type), e820_type_name(new_type)));

  u64 real_updated_size = 0;
  const std::size_t nr = table.entries.size();  // pieces appended below are not revisited
  for (std::size_t i = 0; i < nr; i++) {
    e820_entry entry = table.entries[i];
    if (entry.type != old_type) continue;
    const u64 entry_end = entry.end();

    if (entry.addr >= start && entry_end <= end) {  // entry inside the range
      table.entries[i].type = new_type;
      real_updated_size += entry.size;
      continue;
    }
    if (entry.addr < start && entry_end > end) {  // range inside the entry
      e820__range_add(table, start, size, new_type, log);
      e820__range_add(table, end, entry_end - end, entry.type, log);
      table.entries[i].size = start - entry.addr;
      real_updated_size += size;
      continue;
    }
    const u64 final_start = std::max(start, entry.addr);
    const u64 final_end = std::min(end, entry_end);
    if (final_start >= final_end) continue;
    e820__range_add(table, final_start, final_end - final_start, new_type, log);
    real_updated_size += final_end - final_start;
    // What is left is the head or the tail of the entry.
    table.entries[i].size -= final_end - final_start;
    if (entry.addr < final_start) continue;
    table.entries[i].addr = final_end;
  }
  return real_updated_size;
}

u64 e820__range_remove(e820_table& table, u64 start, u64 size, e820_type old_type,
                       bool check_type, Printk& log)
{
  if (size > U64_MAX - start) size = U64_MAX - start;
  const u64 end = start + size;
  log.printk(LogLevel::debug,
             fmt::format("e820: remove [mem {}-{}] {}", fmt_x10(start), fmt_x10(end - 1),
                         check_type ? e820_type_name(old_type) : std::string{}));

  u64 real_removed_size = 0;
  const std::size_t nr = table.entries.size();
  for (std::size_t i = 0; i < nr; i++) {
    e820_entry entry = table.entries[i];
    if (check_type && entry.type != old_type) continue;
    const u64 entry_end = entry.end();

    if (entry.addr >= start && entry_end <= end) {  // entry inside the range
      real_removed_size += entry.size;
      table.entries[i] = e820_entry{};  // zeroed; the next sanitize drops it
      continue;
    }
    if (entry.addr < start && entry_end > end) {  // range inside the entry
      e820__range_add(table, end, entry_end - end, entry.type, log);
      table.entries[i].size = start - entry.addr;
      real_removed_size += size;
      continue;
    }
    const u64 final_start = std::max(start, entry.addr);
    const u64 final_end = std::min(end, entry_end);
    if (final_start >= final_end) continue;
    real_removed_size += final_end - final_start;
    table.entries[i].size -= final_end - final_start;
    if (entry.addr < final_start) continue;
    table.entries[i].addr = final_end;
  }
  return real_removed_size;
}

// Is [start, end) covered by entries of @type (any type when 0)? Entries are
// consumed in table order, as __e820__mapped_all does, so it expects a
// sanitized (sorted) table.
bool e820__mapped_all(const e820_table& table, u64 start, u64 end, e820_type type)
{
  for (const e820_entry& entry : table.entries) {
    if (type != 0 && entry.type != type) continue;
    if (entry.addr >= end || entry.end() <= start) continue;
    if (entry.addr <= start) start = entry.end();
    if (start >= end) return true;
  }
  return false;
}

void e820__print_table(const e820_table& table, std::string_view who, Printk& log)
{
  for (const e820_entry& e : table.entries)
    log.printk(LogLevel::info, fmt::format("{}: [mem {:#018x}-{:#018x}] {}", who, e.addr,
                                           e.end() - 1, e820_type_name(e.type)));
}

pfn_t e820_end_pfn(const e820_table& table, pfn_t limit_pfn, e820_type type)
{
  pfn_t last_pfn = 0;
  for (const e820_entry& e : table.entries) {
    if (e.type != type) continue;
    const pfn_t start_pfn = e.addr >> PAGE_SHIFT;
    const pfn_t end_pfn = e.end() >> PAGE_SHIFT;
    if (start_pfn >= limit_pfn) continue;
    if (end_pfn > limit_pfn) {
      last_pfn = limit_pfn;
      break;
    }
    last_pfn = std::max(last_pfn, end_pfn);
  }
  return std::min(last_pfn, MAX_ARCH_PFN);
}

pfn_t e820__end_of_ram_pfn(const e820_table& table)
{
  return e820_end_pfn(table, MAX_ARCH_PFN, E820_TYPE_RAM);
}

pfn_t e820__end_of_low_ram_pfn(const e820_table& table)
{
  return e820_end_pfn(table, pfn_t{1} << (32 - PAGE_SHIFT), E820_TYPE_RAM);
}

void e820__memblock_setup(const e820_table& table, memblock& mb, bool reserve_non_ram)
{
  // EFI may pass more entries than the 128 static regions: allow resizing.
  // Safe this late: the early reservations are already known.
  memblock_allow_resize(mb);
  phys_addr_t addr = 0;  // the end of the previous entry
  for (const e820_entry& e : table.entries) {
    const phys_addr_t end = e.addr + e.size;
    // 124049decbb1: gaps and !RAM entries into memblock.reserved, "to make
    // sure that struct pages in such regions are not left uninitialized".
    if (reserve_non_ram && addr < e.addr) memblock_reserve(mb, addr, e.addr - addr);
    addr = end;
    if (end < e.addr) continue;  // does not fit resource_size_t
    if (e.type != E820_TYPE_RAM && e.type != E820_TYPE_RESERVED_KERN) {
      if (reserve_non_ram) memblock_reserve(mb, e.addr, e.size);
      continue;
    }
    memblock_add(mb, e.addr, e.size);
  }
  // Throw away partial pages.
  memblock_trim_memory(mb, PAGE_SIZE);
  memblock_dump_all(mb);
}

}  // namespace pginit
