// SPDX-License-Identifier: MIT
#include "scenario/kaslr.h"

#include <algorithm>
#include <random>

#include "arch/x86/mm/vm_layout.h"

namespace pginit {

namespace {

constexpr phys_addr_t PHYSICAL_ALIGN = 2 * SZ_1M;

}  // namespace

std::vector<phys_addr_t> kaslr_slots(const Scenario& s)
{
  const phys_addr_t size = s.boot.kernel_size;
  std::vector<phys_addr_t> slots;
  for (const e820_entry& e : s.machine.e820) {
    if (e.type != E820_TYPE_RAM) continue;
    for (phys_addr_t slot = round_up(std::max<phys_addr_t>(e.addr, LOAD_PHYSICAL_ADDR), PHYSICAL_ALIGN);
         slot + size <= e.end(); slot += PHYSICAL_ALIGN) {
      const bool hits_initrd = s.boot.initrd && slot < s.boot.initrd->end && s.boot.initrd->start < slot + size;
      if (!hits_initrd) slots.push_back(slot);
    }
  }
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  return slots;
}

phys_addr_t kaslr_pick(const Scenario& s, std::uint64_t seed)
{
  const std::vector<phys_addr_t> slots = kaslr_slots(s);
  if (slots.empty()) return s.boot.kernel_start;
  std::mt19937_64 gen(seed);
  return slots[gen() % slots.size()];
}

}  // namespace pginit
