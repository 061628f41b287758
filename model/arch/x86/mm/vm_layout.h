// SPDX-License-Identifier: MIT
// vm_layout.h - the x86_64 kernel virtual address space as far as struct
// pages are concerned (Documentation/x86/x86_64/mm.txt, v4.17, 4-level).
//
// A `kva_t` is a *simulated* kernel virtual address. struct page pointers in
// pginit are kva_t values (vmemmap or direct-map addresses), never host
// pointers, so that the kernel's pointer arithmetic can be done, and shown,
// on the numbers the kernel would see.
#pragma once

#include <cstdint>

#include "include/linux/pfn.h"

namespace pginit {

using kva_t = std::uint64_t;

// arch/x86/include/asm/page_64_types.h, pgtable_64_types.h (4-level values).
inline constexpr kva_t __PAGE_OFFSET_BASE_L4 = 0xffff880000000000;
inline constexpr kva_t __VMEMMAP_BASE_L4 = 0xffffea0000000000;
inline constexpr kva_t VMALLOC_START_L4 = 0xffffc90000000000;
inline constexpr kva_t __START_KERNEL_map = 0xffffffff80000000;
// The direct map is 64 TiB, the vmemmap area 1 TiB (mm.txt).
inline constexpr u64 DIRECT_MAP_SIZE = u64{64} << 40;
inline constexpr u64 VMEMMAP_SIZE = u64{1} << 40;
// CONFIG_PHYSICAL_START: where the kernel image is linked to run.
inline constexpr phys_addr_t LOAD_PHYSICAL_ADDR = 0x1000000;

inline constexpr unsigned PMD_SHIFT = 21;
inline constexpr u64 PMD_SIZE = u64{1} << PMD_SHIFT;
inline constexpr unsigned PUD_SHIFT = 30;
inline constexpr unsigned PGDIR_SHIFT = 39;

// MAX_DMA_PFN / MAX_DMA32_PFN (arch/x86/include/asm/dma.h).
inline constexpr pfn_t MAX_DMA_PFN = (16 * SZ_1M) >> PAGE_SHIFT;
inline constexpr pfn_t MAX_DMA32_PFN = SZ_4G >> PAGE_SHIFT;

struct VirtualLayout {
  kva_t page_offset = __PAGE_OFFSET_BASE_L4;  // PAGE_OFFSET (page_offset_base)
  kva_t vmemmap_base = __VMEMMAP_BASE_L4;     // VMEMMAP_START (vmemmap_base)
  // phys_base: how far the image was moved from LOAD_PHYSICAL_ADDR, so that
  // __pa(_text) is where the boot loader put it.
  phys_addr_t phys_base = 0;

  // The image at `kernel_start`, linked at __START_KERNEL_map + LOAD_PHYSICAL_ADDR.
  static VirtualLayout for_kernel_at(phys_addr_t kernel_start);

  kva_t __va(phys_addr_t pa) const { return pa + page_offset; }
  // __phys_addr_nodebug(): kernel-text addresses go through phys_base,
  // everything else is taken as a direct-map address.
  phys_addr_t __pa(kva_t x) const
  {
    const u64 y = x - __START_KERNEL_map;
    return x > y ? y + phys_base : x - page_offset;
  }
  // The link-time address of physical `pa` inside the kernel image.
  kva_t kernel_image_va(phys_addr_t pa) const { return pa - phys_base + __START_KERNEL_map; }

  bool is_direct_map(kva_t x) const { return x >= page_offset && x - page_offset < DIRECT_MAP_SIZE; }
  bool is_vmemmap(kva_t x) const { return x >= vmemmap_base && x - vmemmap_base < VMEMMAP_SIZE; }
};

}  // namespace pginit
