// SPDX-License-Identifier: MIT
// scenario.h - one simulated boot: the machine, the kernel, its config, and
// what the run must show. Loaded from YAML (docs/scenarios.md).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arch/x86/kernel/e820.h"
#include "engine/machine_perf.h"
#include "kconfig/kconfig.h"
#include "kconfig/kconfig_rules.h"
#include "include/linux/pfn.h"
#include "policy/kernel_version.h"
#include "scenario/cmdline.h"

namespace pginit {

struct PhysRange {
  phys_addr_t start = 0;
  phys_addr_t end = 0;  // exclusive
  int line = 0;         // where the scenario says it
};

// A NUMA node as the firmware's SRAT describes it: a set of physical ranges.
struct NodeSpec {
  int nid = 0;
  int pxm = -1;  // ACPI proximity domain; -1: the same as nid
  std::vector<PhysRange> ranges;
  int line = 0;
};

// Device memory a driver hot-adds after boot (machine.device_memory):
// memremap_pages() gives it struct pages in its node's ZONE_DEVICE.
struct DeviceMemorySpec {
  enum class Type { pmem, device_private, device_public } type = Type::pmem;
  PhysRange range;          // section-aligned
  int nid = 0;              // dev_to_node()
  std::string name;         // dev_name(): "pmem0", "hmm_device0", ...
  // altmap: the memmap lives on the device, after `altmap_reserve` bytes;
  // `altmap_free` bytes are set aside for it.
  bool altmap = false;
  std::uint64_t altmap_reserve = 0;
  std::uint64_t altmap_free = 0;
  int line = 0;
  int type_line = 0;
};
std::string_view device_memory_type_name(DeviceMemorySpec::Type t);

struct MachineSpec {
  int line = 0;  // where `machine:` is
  unsigned cpus = 1;
  // boot_cpu_data.x86_vendor: setup_cpu_entry_area() maps the perf debug
  // store only on Intel CPUs. Intel unless the scenario says otherwise (QEMU's
  // kvm64 and the 0day robot's guests report GenuineIntel [inference]).
  enum class CpuVendor { intel, amd } cpu_vendor = CpuVendor::intel;
  std::vector<e820_entry> e820;  // as the firmware hands it over (unsanitized)
  std::vector<NodeSpec> nodes;   // empty: no SRAT, the kernel fakes one node
  // Ranges the CPU's MTRRs leave uncached: mtrr_trim_uncached_memory() turns
  // the RAM in them into reserved ("e820: update [mem ...] usable ==> reserved").
  std::vector<PhysRange> mtrr_trim;
  // machine.perf: what simulated time is made of (docs/time-model.md).
  MachinePerf perf;
  std::vector<DeviceMemorySpec> device_memory;

  // The CPUs one node's deferred init may use: perf.cpus_per_node, else an
  // even share of the machine's CPUs.
  unsigned cpus_per_node(std::size_t node_count) const
  {
    if (perf.cpus_per_node != 0) return perf.cpus_per_node;
    const auto n = static_cast<unsigned>(node_count == 0 ? 1 : node_count);
    return cpus / n == 0 ? 1 : cpus / n;
  }
};

// An allocation the boot makes (alloc_pages_node(nid, GFP_KERNEL, order),
// `count` times), at a named point: `mm_init` is right after mem_init(),
// where the large system hashes are allocated; `smp_init` is after the
// secondary CPUs come up, just before page_alloc_init_late().
struct AllocationSpec {
  enum class At { mm_init, smp_init } at = At::mm_init;
  int nid = 0;
  unsigned order = 0;
  std::uint64_t count = 1;
  int line = 0;
};

// One memblock call of a memblock=debug log, as `import dmesg` read it.
struct MemblockCall {
  enum class Op { reserve, free } op = Op::reserve;
  PhysRange range;   // [start, end)
  std::string by;    // the caller the log names ("sparse_init_nid+0x11f/0x34d")
  int log_line = 0;  // where in the log
  int line = 0;      // where in the scenario
};

// A memblock=debug log's account of memblock.reserved (docs/import.md,
// "Trace-driven runs"): the reserved regions of its first "MEMBLOCK
// configuration:" dump, then every later reserve and free up to the
// "Memory:" line, i.e. up to memblock_free_all(). A run replays it there, so
// the struct page phases see exactly the kernel's reserved set.
struct MemblockTrace {
  std::string source;               // the log
  std::vector<PhysRange> reserved;  // the first dump's reserved regions
  std::vector<MemblockCall> calls;  // in log order
};

// The image's sections as mem_init_print_info() prints them, in KiB
// (_etext - _stext, _edata - _sdata, ...): a build's, so from its log.
struct KernelSections {
  std::uint64_t code = 0;
  std::uint64_t rwdata = 0;
  std::uint64_t rodata = 0;
  std::uint64_t init = 0;
  std::uint64_t bss = 0;
};

// A kernel path that reads struct pages after the boot, replayed when a
// scenario lists it in boot.readers (sim/boot/page_readers.h): the checker
// sees each page it reads.
enum class PageReader {
  set_zone_contiguous,  // page_alloc_init_late(): __pageblock_pfn_to_page() per pageblock
  kpageflags_read,      // userspace reads /proc/kpageflags (page-types -a 0-max)
  show_valid_zones,     // userspace reads every memory block's valid_zones in sysfs
};

// A CPU access to a struct page's memory after the device memory is added
// (boot.page_accesses): page_address() or kmap() of pfn, then a load.
struct PageAccessSpec {
  pfn_t pfn = 0;
  enum class Via { page_address, kmap } via = Via::page_address;
  int line = 0;
};

struct BootSpec {
  // Where the boot loader put the kernel image: [_text, _end). Default:
  // CONFIG_PHYSICAL_START (16 MiB) and a typical distribution image size.
  phys_addr_t kernel_start = 0x1000000;
  phys_addr_t kernel_size = 0x2400000;
  std::optional<PhysRange> initrd;
  std::vector<AllocationSpec> allocations;
  // Struct page readers to replay after page_alloc_init_late(), in order.
  std::vector<PageReader> readers;
  // Where gdt_page (the per-cpu GDT, static per-cpu data) sits from _text.
  // The default puts it where the 0day report's kernel had it (pa
  // 0x1040d000 with the image at 0x10000000); it is build-dependent.
  phys_addr_t gdt_page_offset = 0x40d000;
  // KASLR: place the image from this seed among the slots the real
  // randomization could pick (kernel_start is then ignored).
  std::optional<std::uint64_t> kaslr_seed;
  // percpu_alloc= on the command line: the SMP first chunk allocator.
  enum class PercpuAlloc { embed, page } percpu_alloc = PercpuAlloc::embed;
  // The kernel command line (cmdline.h): mem=, memmap=, memblock=debug,
  // numa=off, percpu_alloc= take effect where the kernel parses them.
  KernelCmdline cmdline;
  // Trace-driven runs: the kernel's own memblock.reserved (MemblockTrace).
  std::optional<MemblockTrace> memblock_trace;
  // With them, mm_init prints the "Memory: ..." line (mem_init_print_info()).
  std::optional<KernelSections> kernel_sections;
  std::vector<PageAccessSpec> page_accesses;
};

struct ExpectSpec {
  std::vector<std::string> log;         // lines that must appear (text after the timestamp)
  std::vector<std::string> violations;  // struct page read violations the run must show
  // The end-of-run memmap, pinned: its hash (as the proof prints it), and
  // each zone's free blocks per order ("NID ZONE" -> MAX_ORDER counts).
  std::optional<std::uint64_t> memmap_hash;
  std::vector<std::pair<std::string, std::vector<std::uint64_t>>> free_lists;
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  const KernelVersion* kernel = nullptr;
  std::string policy;    // struct page init policy; empty: the kernel version's
  KconfigValues config_requested;  // defaults, then the scenario, then --set
  KconfigValues config;            // config_requested under the version's Kconfig rules (resolve_config())
  std::vector<std::string> config_set;          // the symbols the scenario or --set gave a value
  std::vector<KconfigChange> config_changes;    // what resolve_config() changed, and why
  MachineSpec machine;
  BootSpec boot;
  ExpectSpec expect;

  int max_numnodes() const;  // MAX_NUMNODES = 1 << NODES_SHIFT (1 without NUMA)
  // Node ids the machine may use with this kernel: MAX_NUMNODES for a NUMA
  // kernel; a !NUMA kernel ignores the SRAT, so only the largest NODES_SHIFT
  // (10, MAXSMP) bounds them.
  int node_id_limit() const;
};

// Loads and validates a scenario; throws InputError (FILE:LINE: FIELD: ...).
Scenario load_scenario(const std::string& path);
Scenario parse_scenario(const std::string& text, const std::string& file_name);

// Applies one --set SYMBOL=VALUE; throws InputError naming "--set".
void apply_config_override(Scenario& s, const std::string& assignment);

// Checks machine.device_memory against the kernel version (a memory type it
// lacks); throws InputError. Called again when --kernel changes the version.
void check_device_memory_version(const Scenario& s);

// Applies the kernel version's Kconfig rules to the config (kconfig_rules.h),
// recording each change in config_changes.
void resolve_config(Scenario& s);

}  // namespace pginit
