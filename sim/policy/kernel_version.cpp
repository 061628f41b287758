// SPDX-License-Identifier: MIT
#include "kernel_version.h"

#include <algorithm>
#include <charconv>
#include <compare>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace pginit {

namespace {

// GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS, from each version's ___GFP_* bits
// (include/linux/gfp.h): IO 0x40 and FS 0x80 throughout; DIRECT_RECLAIM and
// KSWAPD_RECLAIM 0x400000 and 0x1000000 in v4.15-v4.17, 0x200000 and 0x400000 in
// v4.18-v5.0, 0x400 and 0x800 from v5.1.
constexpr unsigned GFP_KERNEL_V3_10 = 0xd0;      // __GFP_WAIT 0x10 | __GFP_IO | __GFP_FS
constexpr unsigned GFP_KERNEL_V4_4 = 0x24000c0;  // KSWAPD_RECLAIM 0x2000000 in 4.4-4.9
constexpr unsigned GFP_KERNEL_V4_15 = 0x14000c0;
constexpr unsigned GFP_KERNEL_V4_18 = 0x6000c0;
constexpr unsigned GFP_KERNEL_V5_1 = 0xcc0;

// ptr_to_id() before the key: string(buf, end, "(ptrval)", spec) with
// field_width 2 * sizeof(ptr) in v4.15-v4.17; a 16-character "(____ptrval____)" from v4.18.
constexpr std::string_view PTRVAL_V4_15 = "        (ptrval)";
constexpr std::string_view PTRVAL_V4_18 = "(____ptrval____)";

// sparse_init() (mm/sparse.c): per node from v4.19 (35fd1eb1e821's series);
// memblock_alloc_node() with SMP_CACHE_BYTES after the bootmem removal of
// v4.20; the exact-node, section-aligned buffer and the subsection map by
// v5.7/v5.3; Debian 6.1's memblocks_present() in sparse_init(), the buffer
// freed on failure and the backported rcu_head in struct mem_section_usage.
// The section_mem_map flags (SectionFlagSet): no SECTION_IS_ONLINE before
// v4.13 (4.12.0 and 4.13.4 trees; RHEL 7's 3.10 is taken as upstream's, its
// tree not checked), IS_EARLY from v5.3, TAINT_ZONE_DEVICE from v5.12, v6.0's enum.
constexpr sparse_init_rules with_section_flags(sparse_init_rules rules, SectionFlagSet flags)
{
  rules.section_flags = flags;
  return rules;
}
constexpr sparse_init_rules SPARSE_V3_10{.section_flags = SectionFlagSet::v3_10};
constexpr sparse_init_rules SPARSE_V4_19{.per_node = true};
constexpr sparse_init_rules SPARSE_V5_2{.per_node = true, .node_alloc_align = SMP_CACHE_BYTES};
constexpr sparse_init_rules SPARSE_V5_8{.per_node = true, .exact_buffer = true, .node_alloc_align = SMP_CACHE_BYTES,
                                        .usage_subsection_map = true, .section_flags = SectionFlagSet::v5_3};
// v5.8's sparse_init() with the TAINT_ZONE_DEVICE bit (5.12.9 tree).
constexpr sparse_init_rules SPARSE_V5_12 = with_section_flags(SPARSE_V5_8, SectionFlagSet::v5_12);
constexpr sparse_init_rules SPARSE_V6_1{.per_node = true, .exact_buffer = true, .fini_on_failure = true,
                                        .node_alloc_align = SMP_CACHE_BYTES, .usage_subsection_map = true,
                                        .usage_rcu_head = true, .memblocks_present_in_sparse_init = true,
                                        .section_flags = SectionFlagSet::v6_0};

}  // namespace

const std::vector<KernelVersion>& modelled_kernel_versions()
{
  namespace Z = unavailable;
  namespace R = kconfig_rules;
  using D = DeviceMemoryKconfig;
  using W = MemmapInitWalk;
  namespace CEA = cpu_entry_area;
  using O = ZonelistOrderText;
  using A = WarnAllocFormat;
  // Kernels before v4.15 (docs/kernel-versions.md, "Older kernels"): their
  // zone and node lines as the 3.10.99, 3.16, 3.17, 3.18, 4.0.5, 4.1.19,
  // 4.2.8, 4.9.115 and 4.14.5 trees print them. None has zero_resv_unavail.
  static const std::vector<KernelVersion> versions{
      {.name = "v3.10", .release = "3.10",
       .summary = "3.x layout: Initmem setup from the NUMA code, before Zone ranges; 10-digit ranges",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::none, .kconfig_rules = R::v3_10, .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V3_10, .ptrval = "",
       .cpu_entry_area = CEA::none, .memblock_dbg = memblock_dialect_v4_15, .core_percent = false,
       .mem_hex_width = 10, .initmem_in_numa = true, .zonelist_order = O::heuristic, .srat_acpi_prefix = false, .warn_alloc = A::hex_mode,
       .sparse = SPARSE_V3_10},
      // RHEL 7's 3.10.0-*.el7: 3.18's layout and v4.2's deferred init
      // backported (the tremb1e/linux-3.10.0-1160.el7 tree; CentOS 7 logs).
      {.name = "v3.10-el7", .release = "3.10.0",
       .summary = "RHEL/CentOS 7: 3.10 with 3.18's Initmem layout and v4.2's deferred init backported",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::none, .kconfig_rules = R::v4_2, .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V3_10, .ptrval = "",
       .cpu_entry_area = CEA::none, .memblock_dbg = memblock_dialect_v4_15, .core_percent = false,
       .mem_hex_width = 10, .zonelist_order = O::heuristic, .srat_acpi_prefix = false, .warn_alloc = A::hex_mode, .distro = "RHEL 7",
       .sparse = SPARSE_V3_10},
      {.name = "v3.18", .release = "3.18",
       .summary = "Initmem setup moves to free_area_init_node(); NODE_DATA(n) allocated lines",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::none, .kconfig_rules = R::v3_10, .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V3_10, .ptrval = "",
       .cpu_entry_area = CEA::none, .memblock_dbg = memblock_dialect_v4_15, .core_percent = false,
       .mem_hex_width = 10, .zonelist_order = O::node_on_64bit, .srat_acpi_prefix = false, .warn_alloc = A::hex_mode,
       .sparse = SPARSE_V3_10},
      {.name = "v4.0", .release = "4.0", .summary = "zone and node ranges printed as %#018Lx",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::none, .kconfig_rules = R::v3_10, .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V3_10, .ptrval = "",
       .cpu_entry_area = CEA::none, .memblock_dbg = memblock_dialect_v4_15, .core_percent = false,
       .zonelist_order = O::node_on_64bit, .srat_acpi_prefix = false, .warn_alloc = A::hex_mode,
       .sparse = SPARSE_V3_10},
      {.name = "v4.2", .release = "4.2",
       .summary = "DEFERRED_STRUCT_PAGE_INIT: first 2 GiB up front, pgdatinit threads (3a80a7fa7989, 7e18adb4f80b)",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::none, .kconfig_rules = R::v4_2, .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V3_10, .ptrval = "",
       .cpu_entry_area = CEA::none, .memblock_dbg = memblock_dialect_v4_15, .core_percent = false,
       .zonelist_order = O::node_on_64bit, .srat_acpi_prefix = false, .warn_alloc = A::hex_mode,
       .sparse = SPARSE_V3_10},
      {.name = "v4.3", .release = "4.3", .summary = "ZONE_DEVICE: the '  Device   empty' zone line (033fbae988fc)",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::none, .kconfig_rules = R::v4_15, .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V3_10, .ptrval = "",
       .cpu_entry_area = CEA::none, .memblock_dbg = memblock_dialect_v4_15, .core_percent = false,
       .zonelist_order = O::node_on_64bit, .srat_acpi_prefix = false, .warn_alloc = A::hex_mode,
       .sparse = SPARSE_V3_10},
      {.name = "v4.4", .release = "4.4", .summary = "GFP_KERNEL is __GFP_RECLAIM | __GFP_IO | __GFP_FS (d0164adc89f6)",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::none, .kconfig_rules = R::v4_15, .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V4_4, .ptrval = "",
       .cpu_entry_area = CEA::none, .memblock_dbg = memblock_dialect_v4_15, .core_percent = false,
       .zonelist_order = O::node_on_64bit, .srat_acpi_prefix = false, .warn_alloc = A::hex_mode,
       .sparse = SPARSE_V3_10},
      {.name = "v4.9", .release = "4.9", .summary = "SRAT lines from drivers/acpi/numa.c ('ACPI: SRAT: ...')",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::none, .kconfig_rules = R::v4_15, .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V4_4, .ptrval = "",
       .cpu_entry_area = CEA::none, .memblock_dbg = memblock_dialect_v4_15, .core_percent = false,
       .zonelist_order = O::node_on_64bit, .warn_alloc = A::flag_names,
       .sparse = SPARSE_V3_10},
      {.name = "v4.14", .release = "4.14", .summary = "'Built N zonelists, mobility grouping' without an order",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::none, .kconfig_rules = with_device_memory(R::v4_15, D::arch_has_hmm), .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V4_15, .ptrval = "",
       .cpu_entry_area = CEA::none, .memblock_dbg = memblock_dialect_v4_15, .core_percent = false},
      {.name = "v4.15", .release = "4.15",
       .summary = "before 'mm: relax deferred struct page requirements' (2e3ca40f03bb)",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::reserved_after_init, .kconfig_rules = with_device_memory(R::v4_15, D::arch_has_hmm), .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V4_15, .ptrval = PTRVAL_V4_15,
       .cpu_entry_area = CEA::v4_15, .memblock_dbg = memblock_dialect_v4_15,
       .core_percent = false},
      {.name = "v4.16", .release = "4.16", .summary = "deferred init: first 2 GiB of the highest zone up front",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::reserved_after_init, .kconfig_rules = with_device_memory(R::v4_16, D::arch_has_hmm), .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V4_15, .ptrval = PTRVAL_V4_15,
       .cpu_entry_area = CEA::v4_15, .memblock_dbg = memblock_dialect_v4_15,
       .core_percent = false},
      // A stable release: 4.16.13 carries the backport of ab1e8d8960b6 (the
      // lizuobin/linux-4.16.13_tiny4412 tree, kernel-v4.17.md §0); which
      // 4.16.y first had it is not identified, so 4.16.1-4.16.12 stay v4.16.
      {.name = "v4.16.13", .release = "4.16.13",
       .summary = "stable 4.16 with 'mm: don't allow deferred pages with NEED_PER_CPU_KM' backported",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.16",
       .zero_unavail = Z::reserved_after_init, .kconfig_rules = with_device_memory(R::v4_16_stable, D::arch_has_hmm), .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V4_15, .ptrval = PTRVAL_V4_15,
       .cpu_entry_area = CEA::v4_15, .memblock_dbg = memblock_dialect_v4_15,
       .core_percent = false},
      {.name = "v4.17-rc", .release = "4.17.0-rc1",
       .summary = "one section up front + on-demand growth, before ab1e8d8960b6", .e820_prefixed_map_header = true,
       .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.17", .zero_unavail = Z::reserved_after_init,
       .kconfig_rules = with_device_memory(R::v4_17_rc, D::arch_has_hmm), .memmap_init = W::zone_span, .e820_reserves_non_ram = false,
       .gfp_kernel = GFP_KERNEL_V4_15, .ptrval = PTRVAL_V4_15,
       .cpu_entry_area = CEA::v4_15, .memblock_dbg = memblock_dialect_v4_15},
      {.name = "v4.17", .release = "4.17", .summary = "DEFERRED_STRUCT_PAGE_INIT depends on !NEED_PER_CPU_KM",
       .e820_prefixed_map_header = true, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.17",
       .zero_unavail = Z::reserved_after_init, .kconfig_rules = with_device_memory(R::v4_17, D::arch_has_hmm), .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V4_15, .ptrval = PTRVAL_V4_15,
       .cpu_entry_area = CEA::v4_15, .memblock_dbg = memblock_dialect_v4_15},
      {.name = "v4.18", .release = "4.18", .summary = "zero_resv_unavail before memmap init (e181ae0c5db9)",
       .e820_prefixed_map_header = false, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.17",
       .zero_unavail = Z::reserved_before_init, .kconfig_rules = with_device_memory(R::v4_17, D::arch_has_hmm), .memmap_init = W::zone_span,
       .e820_reserves_non_ram = true, .gfp_kernel = GFP_KERNEL_V4_18, .ptrval = PTRVAL_V4_18,
       .cpu_entry_area = CEA::v4_15, .memblock_dbg = memblock_dialect_v4_18, .dump_page = DumpPageFormat::v4_18},
      // RHEL/CentOS 8's 4.18.0-*.el8: the e820 gap reservations of 124049decbb1
      // reverted, and v4.20's zero_resv_unavail (907ec5fca3dc) backported, as
      // the CentOS 8 sample log shows (tests/data/dmesg/03-...).
      {.name = "v4.18-el8", .release = "4.18.0",
       .summary = "RHEL/CentOS 8: 4.18 without the e820 gap reservations, with v4.20's zero_resv_unavail",
       .e820_prefixed_map_header = false, .zone_batch_cap_bytes = 512 * 1024, .init_policy = "v4.17",
       .zero_unavail = Z::holes_before_init, .kconfig_rules = with_device_memory(R::v4_17, D::arch_has_hmm), .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V4_18, .ptrval = PTRVAL_V4_18,
       .cpu_entry_area = CEA::v4_15, .memblock_dbg = memblock_dialect_v4_18, .distro = "RHEL 8", .dump_page = DumpPageFormat::v4_18},
      {.name = "v4.19", .release = "4.19", .summary = "zone batch cap 63 (d8a759b57035)",
       .e820_prefixed_map_header = false, .zone_batch_cap_bytes = 1024 * 1024, .init_policy = "v4.17",
       .zero_unavail = Z::reserved_before_init, .kconfig_rules = with_device_memory(R::v4_17, D::arch_has_hmm), .memmap_init = W::zone_span,
       .e820_reserves_non_ram = true, .gfp_kernel = GFP_KERNEL_V4_18, .ptrval = PTRVAL_V4_18,
       .cpu_entry_area = CEA::v4_15, .memblock_dbg = memblock_dialect_v4_19, .sparse = SPARSE_V4_19, .dump_page = DumpPageFormat::v4_18},
      {.name = "v5.2", .release = "5.2", .summary = "MAX_ORDER-sized deferred init+free (0e56acae4b4d)",
       .e820_prefixed_map_header = false, .zone_batch_cap_bytes = 1024 * 1024, .init_policy = "v5.2",
       .zero_unavail = Z::holes_before_init, .kconfig_rules = with_device_memory(R::v4_17, D::arch_has_hmm), .memmap_init = W::zone_span,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V5_1, .ptrval = PTRVAL_V4_18,
       .cpu_entry_area = CEA::v5_2, .memblock_dbg = memblock_dialect_v5_2,
       .prints_trampoline_base = false, .sparse = SPARSE_V5_2, .dump_page = DumpPageFormat::v5_2,
       .valid_zones = ValidZonesRead::to_zone_end,
       .device_memmap_init = DeviceMemmapInit::memmap_init_zone_device, .device_init_line = DeviceInitLine::dev_name},
      {.name = "v5.8", .release = "5.8",
       .summary = "deferred_init_memmap on padata, one chunk per node CPU (e44431498f5f)",
       .e820_prefixed_map_header = false, .zone_batch_cap_bytes = 1024 * 1024, .init_policy = "padata",
       .zero_unavail = Z::holes_init_to_section, .kconfig_rules = with_device_memory(R::v4_17, D::zone_device_private), .memmap_init = W::node_ranges,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V5_1, .ptrval = PTRVAL_V4_18,
       .cpu_entry_area = CEA::v5_8, .memblock_dbg = memblock_dialect_v5_8,
       .prints_trampoline_base = false, .sparse = SPARSE_V5_8, .dump_page = DumpPageFormat::v5_2,
       .kpageflags_to_section_end = true, .valid_zones = ValidZonesRead::to_zone_end,
       .device_memmap_init = DeviceMemmapInit::memmap_init_zone_device, .device_init_line = DeviceInitLine::func_name},
      // Built for the memmap_init_zone() of 0740a50b9baa (the 5.12.9 tree);
      // otherwise v5.8's, with the v5.9 vmalloc PUD pages and the v5.12 brk
      // buffer. Not modelled: the v5.11 memblock_phys_alloc_range line
      // (b5cf2d6c8148) and %pGp's node=/zone= (v5.13).
      {.name = "v5.12", .release = "5.12",
       .summary = "holes get the zone and node of the range after them, per zone (0740a50b9baa)",
       .e820_prefixed_map_header = false, .zone_batch_cap_bytes = 1024 * 1024, .init_policy = "padata",
       .zero_unavail = Z::in_memmap_init, .kconfig_rules = with_device_memory(R::v4_17, D::zone_device_private),
       .memmap_init = W::zone_ranges_then_holes,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V5_1, .ptrval = PTRVAL_V4_18,
       .cpu_entry_area = CEA::v5_8, .memblock_dbg = memblock_dialect_v5_8,
       .prints_trampoline_base = false, .pgt_buf_counts_5level = true, .vmalloc_pud_pages = 64,
       .sparse = SPARSE_V5_12, .dump_page = DumpPageFormat::v5_2, .kpageflags_to_section_end = true,
       .valid_zones = ValidZonesRead::to_zone_end,
       // memmap_init_zone_device() as in 5.8 (the 5.12.9 tree prints with __func__).
       .device_memmap_init = DeviceMemmapInit::memmap_init_zone_device, .device_init_line = DeviceInitLine::func_name},
      // Debian's 6.1 (linux-source-6.1), the kernel scripts/oracle boots:
      // docs/kernel-versions.md names the commit behind each field since v5.8.
      {.name = "v6.1", .release = "6.1",
       .summary = "today's Debian 12 kernel: memmap_init() after all nodes, per-range unavailable lines, first MiB reserved",
       .e820_prefixed_map_header = false, .zone_batch_cap_bytes = 1024 * 1024, .init_policy = "padata",
       .zero_unavail = Z::in_memmap_init, .kconfig_rules = with_device_memory(R::v4_17, D::zone_device_private), .memmap_init = W::ranges_then_holes,
       .e820_reserves_non_ram = false, .gfp_kernel = GFP_KERNEL_V5_1, .ptrval = PTRVAL_V4_18,
       .cpu_entry_area = CEA::v6_1, .memblock_dbg = memblock_dialect_v6_1,
       .reserves_first_mib = true, .real_mode_size = 28672, .prints_trampoline_base = false,
       .zone_lines_printed = false,
       .inits_memoryless_nodes = true, .pglist_data_size = 174208, .models_direct_map_tables = true,
       .node_min_size = 0, .pgt_buf_counts_5level = true,
       // 6.1's arch/x86/Kconfig: X86_5LEVEL "default y"; RANDOMIZE_MEMORY
       // "default RANDOMIZE_BASE", which is "default y". Debian's 6.1 build
       // has both, and its logs need the 16-page brk buffer they give.
       .kconfig_defaults = {{"X86_5LEVEL", "y"}, {"RANDOMIZE_MEMORY", "y"}},
       .drops_movable_start_past_node = true, .vmalloc_pud_pages = 64, .sparse = SPARSE_V6_1, .dump_page = DumpPageFormat::v6_1,
       .kpageflags_to_section_end = true, .valid_zones = ValidZonesRead::block_zone,
       .device_memmap_init = DeviceMemmapInit::memmap_init_zone_device, .device_private_refcount_zero = true},
  };
  return versions;
}

const KernelVersion* find_kernel_version(std::string_view name)
{
  const auto& versions = modelled_kernel_versions();
  auto it = std::find_if(versions.begin(), versions.end(),
                         [&](const KernelVersion& v) { return v.name == name; });
  return it == versions.end() ? nullptr : &*it;
}

namespace {

// (major, minor, rc, sublevel) with a final release ordered after all its
// -rcs, and a stable release (4.16.13) after its base.
struct ReleaseKey {
  unsigned major = 0;
  unsigned minor = 0;
  unsigned rc = FINAL;
  unsigned sublevel = 0;
  static constexpr unsigned FINAL = 1000;
  auto operator<=>(const ReleaseKey&) const = default;
};

std::optional<ReleaseKey> release_key(std::string_view r)
{
  ReleaseKey k;
  auto number = [&r](unsigned& out) {
    const auto [ptr, ec] = std::from_chars(r.data(), r.data() + r.size(), out);
    if (ec != std::errc{} || ptr == r.data()) return false;
    r.remove_prefix(static_cast<std::size_t>(ptr - r.data()));
    return true;
  };
  if (!number(k.major) || r.empty() || r.front() != '.') return std::nullopt;
  r.remove_prefix(1);
  if (!number(k.minor)) return std::nullopt;
  if (!r.empty() && r.front() == '.') {
    r.remove_prefix(1);
    if (!number(k.sublevel)) k.sublevel = 0;
  }
  const std::size_t rc = r.find("-rc");
  if (rc != std::string_view::npos) {
    r.remove_prefix(rc + 3);
    if (!number(k.rc)) k.rc = 1;
  }
  return k;
}

}  // namespace

// Distribution kernels whose backports change what pginit prints: the
// release string's base and its distribution tag pick a row. Unknown
// distribution kernels get their upstream base (import dmesg notes it).
const KernelVersion* distro_kernel_version(std::string_view release)
{
  struct Distro {
    std::string_view base;  // the release string starts with it
    std::string_view tag;   // and contains it
    std::string_view version;
  };
  static constexpr Distro DISTROS[] = {
      {"3.10.0-", ".el7", "v3.10-el7"},
      {"4.18.0-", ".el8", "v4.18-el8"},
      {"6.1.", "-amd64", "v6.1"},  // Debian 12's own: the v6.1 row is its source
  };
  for (const Distro& d : DISTROS)
    if (release.starts_with(d.base) && release.find(d.tag) != std::string_view::npos)
      return find_kernel_version(d.version);
  return nullptr;
}

const KernelVersion* nearest_kernel_version(std::string_view release, std::string* note)
{
  const auto want = release_key(release);
  if (!want) return nullptr;
  const KernelVersion* best = nullptr;
  ReleaseKey best_key;
  if (const KernelVersion* d = distro_kernel_version(release)) return d;
  for (const KernelVersion& v : modelled_kernel_versions()) {
    if (!v.distro.empty()) continue;  // only for their own release strings
    const ReleaseKey k = *release_key(v.release);
    if (k <= *want && (best == nullptr || best_key < k)) {
      best = &v;
      best_key = k;
    }
  }
  if (best == nullptr) {
    best = &modelled_kernel_versions().front();  // upstream: the table starts with v3.10
    *note = fmt::format("{} is older than every modelled kernel; {} is the nearest", release, best->name);
  } else if (best_key.major != want->major || best_key.minor != want->minor) {
    *note = fmt::format("{} is not modelled; {} is the newest modelled kernel before it", release, best->name);
  }
  // "4.4.0-64-generic", "5.3.18-lp152.19-default", "4.14.18-300.fc27": a
  // distribution's build, whose backports pginit knows only for the
  // distro_kernel_version() table.
  const std::size_t dash = release.find('-');
  if (dash != std::string_view::npos && !release.substr(dash).starts_with("-rc")) {
    if (!note->empty()) *note += "; ";
    *note += fmt::format("{} is a distribution's build: modelled as upstream {}, without its backports (only RHEL 7 "
                         "and 8 have a table, docs/kernel-versions.md)",
                         release, best->name);
  }
  return best;
}

std::string kernel_version_names()
{
  std::vector<std::string_view> names;
  for (const auto& v : modelled_kernel_versions()) names.push_back(v.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace pginit
