// SPDX-License-Identifier: MIT
// phys.h - physical addresses, page frame numbers and the x86_64 constants that
// every other model file uses (arch/x86/include/asm/page_types.h, mmzone.h).
#pragma once

#include <cstdint>

namespace pginit {

using phys_addr_t = std::uint64_t;
using u64 = std::uint64_t;
using pfn_t = std::uint64_t;

inline constexpr unsigned PAGE_SHIFT = 12;
inline constexpr phys_addr_t PAGE_SIZE = phys_addr_t{1} << PAGE_SHIFT;
inline constexpr phys_addr_t PAGE_MASK = ~(PAGE_SIZE - 1);

inline constexpr phys_addr_t PHYS_ADDR_MAX = ~phys_addr_t{0};
inline constexpr u64 U64_MAX = ~u64{0};

// x86_64: X86_L1_CACHE_SHIFT is 6 for the generic CPU types (arch/x86/Kconfig.cpu).
inline constexpr phys_addr_t SMP_CACHE_BYTES = 64;

// NUMA_NO_NODE (include/linux/numa.h); MAX_NUMNODES is 1 << NODES_SHIFT and is
// a run-time property of the modelled config, so it lives in struct memblock.
inline constexpr int NUMA_NO_NODE = -1;
inline constexpr int NODES_SHIFT_DEFAULT = 6;  // x86_64 default without MAXSMP

// Physical address-space width of 4-level x86_64 (MAX_PHYSMEM_BITS, sparsemem.h).
inline constexpr unsigned MAX_PHYSMEM_BITS = 46;

// The largest machine a scenario may describe: 2^52 bytes, the x86_64
// architectural limit (MAX_PHYSADDR_BITS with 5-level paging).
inline constexpr phys_addr_t MAX_SCENARIO_PHYS = phys_addr_t{1} << 52;

inline constexpr u64 SZ_1K = u64{1} << 10;
inline constexpr u64 SZ_1M = u64{1} << 20;
inline constexpr u64 SZ_16M = u64{16} << 20;
inline constexpr u64 SZ_1G = u64{1} << 30;
inline constexpr u64 SZ_4G = u64{4} << 30;

constexpr pfn_t PFN_UP(phys_addr_t x) { return (x + PAGE_SIZE - 1) >> PAGE_SHIFT; }
constexpr pfn_t PFN_DOWN(phys_addr_t x) { return x >> PAGE_SHIFT; }
constexpr phys_addr_t PFN_PHYS(pfn_t pfn) { return pfn << PAGE_SHIFT; }
constexpr phys_addr_t PAGE_ALIGN(phys_addr_t x) { return (x + PAGE_SIZE - 1) & PAGE_MASK; }

// round_down/round_up for power-of-two alignments, as include/linux/kernel.h.
constexpr u64 round_down(u64 x, u64 align) { return x & ~(align - 1); }
constexpr u64 round_up(u64 x, u64 align) { return ((x - 1) | (align - 1)) + 1; }
constexpr u64 clamp(u64 v, u64 lo, u64 hi) { return v < lo ? lo : (v > hi ? hi : v); }
constexpr bool is_power_of_2(u64 n) { return n != 0 && (n & (n - 1)) == 0; }

}  // namespace pginit
