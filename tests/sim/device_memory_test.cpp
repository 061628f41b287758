// SPDX-License-Identifier: MIT
// Device memory (ZONE_DEVICE) hot-added after boot: the struct page fields
// each version's memremap_pages() path sets, where the altmap puts the
// memmap, the time it costs, and the checker's rule that device-private
// pages are not CPU-addressable (docs/kernel-versions.md, "Device memory").
#include <gtest/gtest.h>

#include "boot_test_util.h"
#include "checker/page_read_checker.h"
#include "engine/cost_model.h"
#include "include/linux/page-flags.h"
#include "mm/page_alloc.h"

namespace pginit::test {
namespace {

constexpr pfn_t PMEM_PFN = 0x100000;     // 4 GiB: 256 MiB of pmem
constexpr pfn_t PRIVATE_PFN = 0x200000;  // 8 GiB: 128 MiB of device-private memory

// The small guest (1 GiB of RAM, one node) with pmem and device-private
// memory, `altmap` the pmem's altmap (empty: none), `accesses` boot.page_accesses.
std::string with_devices(const std::string& kernel, const std::string& altmap = "",
                         const std::string& accesses = "")
{
  std::string yaml = small_guest("devices", kernel,
                                 "NUMA: n, SPARSEMEM_VMEMMAP: y, ZONE_DEVICE: y, DEVICE_PRIVATE: y");
  yaml += "  device_memory:\n"
          "    - { type: pmem, start: 0x100000000, size: 256M" +
          (altmap.empty() ? std::string() : ", altmap: " + altmap) +
          " }\n"
          "    - { type: device_private, start: 0x200000000, size: 128M, name: gpu0 }\n";
  if (!accesses.empty()) yaml += "boot:\n  page_accesses: " + accesses + "\n";
  return yaml;
}

const page& page_of(const BootedKernel& b, pfn_t pfn) { return *b.st.mm.pfn_host_page(pfn); }
kva_t kva_of(const BootedKernel& b, pfn_t pfn) { return b.st.mm.pfn_to_page(pfn).value; }

// What every version sets: ZONE_DEVICE of the device's node, PG_reserved,
// page->pgmap, MIGRATE_MOVABLE pageblocks, initialized once after boot.
void expect_zone_device_page(const BootedKernel& b, pfn_t pfn, const dev_pagemap& pgmap)
{
  const page& p = page_of(b, pfn);
  const PageFlagsLayout& l = b.st.mm.flags_layout();
  EXPECT_EQ(page_zonenum(p, l), static_cast<unsigned>(b.st.zones.index_of(ZoneType::device))) << std::hex << pfn;
  EXPECT_EQ(page_to_nid(p, l), pgmap.nid);
  EXPECT_TRUE(PageReserved(p));
  EXPECT_EQ(p.lru_next, pgmap.kva) << "page->pgmap";
  EXPECT_EQ(p._mapcount, -1);
  EXPECT_EQ(get_pfnblock_migratetype(b.st.mm, pfn), MIGRATE_MOVABLE);
  EXPECT_EQ(b.st.mm.shadow(pfn)->phase, InitPhase::device);
  EXPECT_EQ(b.st.mm.shadow(pfn)->inits, 1);
}

TEST(DeviceMemory, V4_17SetsPgmapAfterHotplugInit)
{
  const BootedKernel b(with_devices("v4.17"));
  ASSERT_EQ(b.st.dev_pagemaps.size(), 2u);
  const dev_pagemap& pmem = b.st.dev_pagemaps[0];
  const dev_pagemap& gpu = b.st.dev_pagemaps[1];
  EXPECT_EQ(pmem.type, memory_type::MEMORY_DEVICE_HOST);
  EXPECT_EQ(gpu.type, memory_type::MEMORY_DEVICE_PRIVATE);
  for (pfn_t pfn : {PMEM_PFN, PMEM_PFN + 0x7fff, PMEM_PFN + 0xffff}) {
    expect_zone_device_page(b, pfn, pmem);
    // devm_memremap_pages(): list_del(&page->lru), then page->pgmap.
    EXPECT_EQ(page_of(b, pfn).lru_prev, LIST_POISON2);
    EXPECT_EQ(page_of(b, pfn)._refcount, 1);
  }
  // hmm_devmem_pages_create() sets only page->pgmap: lru.prev keeps INIT_LIST_HEAD's self-link.
  expect_zone_device_page(b, PRIVATE_PFN, gpu);
  EXPECT_EQ(page_of(b, PRIVATE_PFN).lru_prev, page_lru(kva_of(b, PRIVATE_PFN)));
  EXPECT_EQ(page_of(b, PRIVATE_PFN)._refcount, 1);
  EXPECT_FALSE(b.logged_prefix("pmem0 initialised")) << "v4.17 prints nothing";
  EXPECT_EQ(b.proof.device_pages, 0x10000u + 0x8000u);
  EXPECT_TRUE(b.proof.failures.empty());
}

TEST(DeviceMemory, V5_2ClearsHmmDataAndPrintsTheDevice)
{
  const BootedKernel b(with_devices("v5.2"));
  ASSERT_EQ(b.st.dev_pagemaps.size(), 2u);
  for (pfn_t pfn : {PMEM_PFN, PRIVATE_PFN + 5}) {
    const dev_pagemap& pgmap = b.st.dev_pagemaps[pfn < PRIVATE_PFN ? 0 : 1];
    expect_zone_device_page(b, pfn, pgmap);
    EXPECT_EQ(page_of(b, pfn).lru_prev, 0u) << "page->hmm_data = 0";
    EXPECT_EQ(page_of(b, pfn)._refcount, 1);
  }
  EXPECT_TRUE(b.logged_prefix("pmem0 initialised, 65536 pages in "));
  EXPECT_TRUE(b.logged_prefix("gpu0 initialised, 32768 pages in "));
}

TEST(DeviceMemory, V6_1GivesDevicePrivatePagesRefcountZero)
{
  const BootedKernel b(with_devices("v6.1"));
  ASSERT_EQ(b.st.dev_pagemaps.size(), 2u);
  expect_zone_device_page(b, PMEM_PFN, b.st.dev_pagemaps[0]);
  expect_zone_device_page(b, PRIVATE_PFN, b.st.dev_pagemaps[1]);
  EXPECT_EQ(page_of(b, PMEM_PFN)._refcount, 1);
  EXPECT_EQ(page_of(b, PRIVATE_PFN)._refcount, 0) << "__init_zone_device_page(): set_page_count(page, 0)";
  EXPECT_EQ(page_of(b, PRIVATE_PFN).lru_prev, 0u) << "zone_device_data = NULL";
  EXPECT_FALSE(b.logged_prefix("memmap_init_zone_device initialised")) << "pr_debug() in 6.1";
}

TEST(DeviceMemory, AltmapPutsTheMemmapOnTheDevice)
{
  // 8 KiB reserved: the memmap block is aligned up to the next 2 MiB of the device.
  const BootedKernel b(with_devices("v5.2", "{ reserve: 8K }"));
  const dev_pagemap& pmem = b.st.dev_pagemaps[0];
  ASSERT_TRUE(pmem.altmap.has_value());
  const phys_addr_t block = 0x100000000 + 0x200000;
  EXPECT_EQ(reinterpret_cast<std::byte*>(b.st.mm.pfn_host_page(PMEM_PFN)), b.st.mm.host_phys(block));
  EXPECT_EQ(reinterpret_cast<std::byte*>(b.st.mm.pfn_host_page(PMEM_PFN + PAGES_PER_SECTION)),
            b.st.mm.host_phys(block + 0x200000));
  // The reserve is never initialized; the memmap's own pages are ZONE_DEVICE
  // and reserved but have no pgmap; device pages start at vmem_altmap_offset().
  EXPECT_EQ(b.st.mm.shadow(PMEM_PFN)->phase, InitPhase::none);
  const pfn_t memmap_pfn = PMEM_PFN + 2;
  EXPECT_EQ(b.st.mm.shadow(memmap_pfn)->phase, InitPhase::device);
  EXPECT_TRUE(PageReserved(page_of(b, memmap_pfn)));
  EXPECT_EQ(page_of(b, memmap_pfn).lru_next, page_lru(kva_of(b, memmap_pfn))) << "no pgmap on memmap pages";
  EXPECT_EQ(pmem.pfn_first(), PMEM_PFN + 2 + 2 * 512 + 510);
  expect_zone_device_page(b, pmem.pfn_first(), pmem);
  EXPECT_TRUE(b.logged_prefix(fmt::format("pmem0 initialised, {} pages in ", 0x10000 - (pmem.pfn_first() - PMEM_PFN))));
}

TEST(DeviceMemory, CpuAccessToDevicePrivatePageIsFlagged)
{
  const BootedKernel b(with_devices("v4.17", "",
                                    "[ { pfn: 0x100010, via: page_address }, { pfn: 0x200010, via: kmap } ]"));
  ASSERT_EQ(b.r.violations().size(), 1u) << "the pmem access is fine, the device-private one is not";
  const PageReadViolation& v = b.r.violations()[0];
  EXPECT_EQ(v.kind, PageReadViolation::Kind::unaddressable_access);
  EXPECT_EQ(v.pfn, PRIVATE_PFN + 0x10);
  EXPECT_EQ(v.accessor, "kmap");
  ASSERT_FALSE(v.stack.empty());
  EXPECT_EQ(v.stack.front(), "start_kernel");
  const auto lines = v.report("");
  EXPECT_NE(lines[0].find("CPU access to device-private memory"), std::string::npos) << lines[0];
  EXPECT_NE(lines[2].find("page fault"), std::string::npos) << lines[2];
  EXPECT_EQ(b.r.exit_status(), 3) << "an unexpected violation";
}

TEST(DeviceMemory, WithoutDevicePrivateTheDriverAddsNothing)
{
  std::string yaml = with_devices("v6.1");
  yaml.replace(yaml.find("DEVICE_PRIVATE: y"), 17, "DEVICE_PRIVATE: n");
  const BootedKernel b(yaml);
  ASSERT_EQ(b.st.dev_pagemaps.size(), 1u);
  EXPECT_TRUE(b.logged("pginit: gpu0 (device_private) not added: CONFIG_DEVICE_PRIVATE is not set"));
}

// published-figures.md A10: 3 TB per node, 24.17 s -> 19.12 s.
TEST(DeviceMemory, CostModelReproducesA10)
{
  const CostModel c{};
  const std::uint64_t pages = 3ull << 40 >> PAGE_SHIFT;
  EXPECT_NEAR(static_cast<double>(c.device_init_ns(pages, false)) / 1e9, 19.12, 0.01);
  EXPECT_NEAR(static_cast<double>(c.device_init_ns(pages, true)) / 1e9, 24.17, 0.01);
}

// v4.20 on, devices on different nodes initialize at the same time; before,
// one after another: a second device on the other node costs v5.2 nothing.
std::string two_node_pmem(const std::string& kernel, int devices)
{
  std::string y = qemu_pc_4g(kernel, "    - { nid: 0, mem: 0x0-0xbfffffff }\n    - { nid: 1, mem: 0x100000000-0x13fffffff }\n");
  y.replace(y.find("config: { NUMA: y, SMP: y }"), 27, "config: { NUMA: y, SMP: y, ZONE_DEVICE: y }");
  std::string dev = "  device_memory:\n    - { type: pmem, start: 0x200000000, size: 512M, node: 0 }\n";
  if (devices == 2) dev += "    - { type: pmem, start: 0x300000000, size: 512M, node: 1 }\n";
  y.replace(y.find("boot:"), 5, dev + "boot:");
  return y;
}

TEST(DeviceMemory, NodesInitInParallelFromV4_20)
{
  const auto extra_ns = [](const std::string& kernel) {
    const BootedKernel one(two_node_pmem(kernel, 1));
    const BootedKernel two(two_node_pmem(kernel, 2));
    EXPECT_EQ(two.st.dev_pagemaps.size(), 2u);
    return two.st.clock.now_ns() - one.st.clock.now_ns();
  };
  EXPECT_EQ(extra_ns("v5.2"), 0u);
  EXPECT_EQ(extra_ns("v4.17"), CostModel{}.device_init_ns(131072, true));
}

// The version table's device-memory rows (docs/kernel-versions.md, "Device memory").
TEST(DeviceMemory, VersionRows)
{
  for (const char* v : {"v4.3", "v4.9", "v4.14", "v4.17", "v4.19"}) {
    EXPECT_EQ(find_kernel_version(v)->device_memmap_init, DeviceMemmapInit::hotplug_then_pgmap_loop) << v;
    EXPECT_EQ(find_kernel_version(v)->device_init_line, DeviceInitLine::none) << v;
  }
  for (const char* v : {"v5.2", "v5.8", "v6.1"})
    EXPECT_EQ(find_kernel_version(v)->device_memmap_init, DeviceMemmapInit::memmap_init_zone_device) << v;
  EXPECT_EQ(find_kernel_version("v5.2")->device_init_line, DeviceInitLine::dev_name);
  EXPECT_EQ(find_kernel_version("v5.8")->device_init_line, DeviceInitLine::func_name);
  EXPECT_EQ(find_kernel_version("v6.1")->device_init_line, DeviceInitLine::none);
  EXPECT_TRUE(find_kernel_version("v6.1")->device_private_refcount_zero);
  EXPECT_FALSE(find_kernel_version("v5.8")->device_private_refcount_zero);
  EXPECT_EQ(find_kernel_version("v4.9")->kconfig_rules.device_memory, DeviceMemoryKconfig::pmem_only);
  EXPECT_EQ(find_kernel_version("v4.14")->kconfig_rules.device_memory, DeviceMemoryKconfig::arch_has_hmm);
  EXPECT_EQ(find_kernel_version("v5.2")->kconfig_rules.device_memory, DeviceMemoryKconfig::arch_has_hmm);
  EXPECT_EQ(find_kernel_version("v5.8")->kconfig_rules.device_memory, DeviceMemoryKconfig::zone_device_private);
}

}  // namespace
}  // namespace pginit::test
