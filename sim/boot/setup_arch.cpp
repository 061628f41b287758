// SPDX-License-Identifier: MIT
// setup_arch.cpp - the memory-related steps of x86_64 setup_arch(), v4.17
// order (arch/x86/kernel/setup.c, e820.c, ebda.c, realmode/init.c).
#include "boot/setup_arch.h"

#include <algorithm>

#include "arch/x86/mm/init.h"
#include "boot/numa.h"
#include "boot/paging_init.h"
#include "include/linux/panic.h"

namespace pginit {

namespace {

// CONFIG_X86_RESERVE_LOW default: 64 KiB that some BIOSes are known to corrupt.
constexpr phys_addr_t X86_RESERVE_LOW = 64 * SZ_1K;

// reserve_bios_regions() (ebda.c) bounds for the BIOS's "base memory" value.
constexpr phys_addr_t BIOS_START_MIN = 0x20000;  // 128K, less than this is insane
constexpr phys_addr_t BIOS_START_MAX = 0x9f000;  // 640K, absolute maximum

void log_line(Kernel& k, LogLevel level, std::string line) { k.log.printk(level, line); }

// The BIOS data area word at 0x413 ("base memory size in KiB") is not in the
// e820 map, but firmware sets it to the end of the low usable RAM that e820
// reports (639 KiB for a 0x9fc00 end). pginit derives it that way.
phys_addr_t bios_base_memory(const e820_table& firmware)
{
  for (const e820_entry& e : firmware.entries)
    if (e.type == E820_TYPE_RAM && e.addr < BIOS_BEGIN && e.end() > e.addr)
      return std::min<phys_addr_t>(e.end(), BIOS_BEGIN) & ~(SZ_1K - 1);
  return BIOS_BEGIN;
}

}  // namespace

void e820__memory_setup(Kernel& k)
{
  KernelFrame frame(k.stack, "e820__memory_setup");
  // e820__memory_setup_default(): append the boot_params entries, then
  // sanitize. (The scenario loader refuses maps of fewer than 2 entries, for
  // which the kernel would fake a BIOS-88/e801 map instead.)
  for (const e820_entry& e : k.scenario().machine.e820) e820__range_add(k.e820, e.addr, e.size, e.type, k.log);
  e820__update_table(k.e820);
  k.e820_firmware = k.e820;

  log_line(k, LogLevel::info, k.version().e820_prefixed_map_header
                                   ? "e820: BIOS-provided physical RAM map:"
                                   : "BIOS-provided physical RAM map:");
  e820__print_table(k.e820, "BIOS-e820", k.log);
}

// e820_add_kernel_range(): the kernel image must be RAM in e820, whatever the
// firmware or a memmap= option said.
void e820_add_kernel_range(Kernel& k)
{
  const u64 start = k.scenario().boot.kernel_start;
  const u64 size = k.scenario().boot.kernel_size;
  if (e820__mapped_all(k.e820, start, start + size, E820_TYPE_RAM)) return;
  log_line(k, LogLevel::warning, ".text .data .bss are not marked as E820_TYPE_RAM!");
  e820__range_remove(k.e820, start, size, E820_TYPE_RAM, false, k.log);
  e820__range_add(k.e820, start, size, E820_TYPE_RAM, k.log);
}

void trim_bios_range(Kernel& k)
{
  KernelFrame frame(k.stack, "trim_bios_range");
  // The first 4 KiB belong to the BIOS, though e820 rarely says so.
  e820__range_update(k.e820, 0, PAGE_SIZE, E820_TYPE_RAM, E820_TYPE_RESERVED, k.log);
  // Some BIOSes report the 640K-1M legacy area as RAM: take it out.
  e820__range_remove(k.e820, BIOS_BEGIN, BIOS_END - BIOS_BEGIN, E820_TYPE_RAM, true, k.log);
  e820__update_table(k.e820);
}

void reserve_bios_regions(Kernel& k)
{
  KernelFrame frame(k.stack, "reserve_bios_regions");
  phys_addr_t bios_start = bios_base_memory(k.e820_firmware);
  if (bios_start < BIOS_START_MIN || bios_start > BIOS_START_MAX) bios_start = BIOS_START_MAX;
  // The EBDA sits right at the end of base memory, so it never lowers bios_start here.
  memblock_reserve(k.memblock, bios_start, BIOS_END - bios_start);
}

void reserve_real_mode(Kernel& k)
{
  KernelFrame frame(k.stack, "reserve_real_mode");
  // real_mode_size_needed(): the trampoline blob's size depends on the
  // build, not on the machine (the version table has it).
  const phys_addr_t size = k.version().real_mode_size;
  // Under 1M, so that APs can execute the trampoline in real mode.
  const phys_addr_t mem = memblock_find_in_range(k.memblock, 0, SZ_1M, size, PAGE_SIZE);
  if (mem == 0) {
    log_line(k, LogLevel::info, "No sub-1M memory is available for the trampoline");
  } else {
    memblock_reserve(k.memblock, mem, size);
    // set_real_mode_mem(): "[%p]", whose hashing key does not exist this early:
    // the version's placeholder text.
    if (k.version().prints_trampoline_base)
      log_line(k, LogLevel::debug,
               fmt::format("Base memory trampoline at [{}] {:x} size {}",
                           // Before v4.15 %p prints the pointer itself: __va(mem).
                           k.version().ptrval.empty() ? fmt::format("{:016x}", k.vm.__va(mem))
                                                      : std::string(k.version().ptrval),
                           mem, size));
  }
  // From v5.13 the whole first MiB is reserved whatever the trampoline got:
  // BIOSes are known to corrupt low memory.
  if (k.version().reserves_first_mib) memblock_reserve(k.memblock, 0, SZ_1M);
}

bool mtrr_trim_uncached_memory(Kernel& k)
{
  if (k.scenario().machine.mtrr_trim.empty()) return false;
  KernelFrame frame(k.stack, "mtrr_trim_uncached_memory");
  for (const PhysRange& r : k.scenario().machine.mtrr_trim)
    e820__range_update(k.e820, r.start, r.end - r.start, E820_TYPE_RAM, E820_TYPE_RESERVED, k.log);
  e820__update_table(k.e820);
  return true;
}

void trim_low_memory_range(Kernel& k)
{
  KernelFrame frame(k.stack, "trim_low_memory_range");
  memblock_reserve(k.memblock, 0, PAGE_ALIGN(X86_RESERVE_LOW));
}

void parse_early_param(Kernel& k)
{
  KernelFrame frame(k.stack, "parse_early_param");
  // early_memblock(): memblock=debug, from here on.
  k.memblock.debug = k.params.memblock_debug;
  for (const MemmapParam& m : k.scenario().boot.cmdline.memmap) {
    k.e820_userdef = true;
    switch (m.kind) {
      case MemmapParam::Kind::limit:  // parse_memopt(), or parse_memmap_one() without a type
        e820__range_remove(k.e820, m.size, U64_MAX - m.size, E820_TYPE_RAM, true, k.log);
        break;
      case MemmapParam::Kind::exactmap: k.e820.entries.clear(); break;
      case MemmapParam::Kind::ram: e820__range_add(k.e820, m.start, m.size, E820_TYPE_RAM, k.log); break;
      case MemmapParam::Kind::acpi: e820__range_add(k.e820, m.start, m.size, E820_TYPE_ACPI, k.log); break;
      case MemmapParam::Kind::reserved: e820__range_add(k.e820, m.start, m.size, E820_TYPE_RESERVED, k.log); break;
      case MemmapParam::Kind::pram: e820__range_add(k.e820, m.start, m.size, E820_TYPE_PRAM, k.log); break;
    }
  }
}

void e820__finish_early_params(Kernel& k)
{
  if (!k.e820_userdef) return;
  KernelFrame frame(k.stack, "e820__finish_early_params");
  if (e820__update_table(k.e820) < 0) throw KernelPanic("Invalid user supplied memory map");
  log_line(k, LogLevel::info, "user-defined physical RAM map:");
  e820__print_table(k.e820, "user", k.log);
}

void setup_arch(Kernel& k)
{
  KernelFrame frame(k.stack, "setup_arch");
  const BootSpec& boot = k.scenario().boot;
  k.memblock.kernel_end = boot.kernel_start + boot.kernel_size;

  // The kernel image and the initrd are reserved before anything else.
  // boot.kernel_size runs to the end of what reserve_brk() reserves, so
  // this also stands for reserve_brk().
  memblock_reserve(k.memblock, boot.kernel_start, boot.kernel_size);
  if (k.version().models_direct_map_tables) {
    // early_alloc_pgt_buf() is the last brk user before reserve_brk(): the
    // buffer is the top INIT_PGD_PAGE_COUNT pages of the reserved brk.
    const unsigned long pages = init_pgd_page_count(k.version().pgt_buf_counts_5level, k.config("X86_5LEVEL"),
                                                    k.config("RANDOMIZE_MEMORY"));
    early_alloc_pgt_buf(k.direct_map, boot.kernel_start + boot.kernel_size, pages);
  }
  if (boot.initrd) {
    KernelFrame f(k.stack, "early_reserve_initrd");
    memblock_reserve(k.memblock, boot.initrd->start, PAGE_ALIGN(boot.initrd->end) - boot.initrd->start);
  }

  e820__memory_setup(k);
  parse_early_param(k);
  e820__finish_early_params(k);
  e820_add_kernel_range(k);
  trim_bios_range(k);

  // max_low_pfn is set once the direct map exists, below: on x86_64 it ends
  // up equal to max_pfn whatever its early value, which nothing here reads.
  k.max_pfn = e820__end_of_ram_pfn(k.e820);
  if (mtrr_trim_uncached_memory(k)) k.max_pfn = e820__end_of_ram_pfn(k.e820);

  // Until the direct map exists, memblock may only hand out the first 1 MiB.
  memblock_set_current_limit(k.memblock, ISA_END_ADDRESS);
  {
    KernelFrame f(k.stack, "e820__memblock_setup");
    e820__memblock_setup(k.e820, k.memblock, k.version().e820_reserves_non_ram);
  }

  reserve_bios_regions(k);
  reserve_real_mode(k);
  trim_low_memory_range(k);

  // init_mem_mapping(): the direct map now covers all RAM, and on x86_64
  // max_low_pfn follows max_pfn. memblock may then hand out what is mapped
  // (get_max_mapped()).
  if (k.version().models_direct_map_tables) {
    // No CPU flags are modelled: 1 GiB pages stay off, as on QEMU's qemu64
    // (no pdpe1gb) that the 6.1 logs come from.
    k.direct_map.gbpages = false;
    init_mem_mapping(k.memblock, k.direct_map, k.max_pfn, k.memblock.kernel_end);
    memblock_set_current_limit(k.memblock, get_max_mapped(k.direct_map));
  } else {
    memblock_set_current_limit(k.memblock, PFN_PHYS(k.max_pfn));
  }
  k.max_low_pfn = k.max_pfn;

  {
    KernelFrame f(k.stack, "initmem_init");
    x86_numa_init(k);
  }
  memblock_find_dma_reserve(k);
  // x86_init.paging.pagetable_init = native_pagetable_init = paging_init on x86_64.
  paging_init(k);
}

}  // namespace pginit
