// SPDX-License-Identifier: MIT
// The three memory models on one two-node machine with holes: where
// sparse_init() puts each memmap, what pfn_to_page()/page_to_pfn() compute
// (values worked out by hand from the kernel's formulas), and what classic
// SPARSEMEM's page_to_pfn() makes of a struct page that was never initialized.
#include <gtest/gtest.h>

#include "include/linux/memblock.h"
#include "mm/sparse.h"
#include "include/asm-generic/memory_model.h"

namespace pginit {
namespace {

// Node 0: [1 MiB, 384 MiB) = sections 0-2, and [512 MiB, 640 MiB) = section 4;
// section 3 is a hole. Node 1: [1 GiB, 1 GiB + 128 MiB) = section 8.
struct TwoNodeMachine {
  explicit TwoNodeMachine(MemoryModelKind kind, bool numa = true)
      : mb(64), mm(kind, PageFlagsLayout::from_config(config(kind, numa)), VirtualLayout{})
  {
    memblock_add_node(mb, 0x100000, 0x18000000 - 0x100000, 0);
    memblock_add_node(mb, 0x20000000, 0x8000000, 0);
    memblock_add_node(mb, 0x40000000, 0x8000000, 1);
    sparse_memory_present_with_active_regions(mm, mb);
    sparse_init(mm, mb, 9, log);
  }
  static KconfigValues config(MemoryModelKind kind, bool numa)
  {
    KconfigValues c = default_kconfig_values();
    if (kind != MemoryModelKind::sparsemem_vmemmap) c["SPARSEMEM_VMEMMAP"] = "n";
    if (!numa) c["NUMA"] = "n";
    return c;
  }
  RecordingPrintk log;
  memblock mb;
  MemoryModel mm;
};

constexpr kva_t PAGE_OFFSET = 0xffff880000000000;
constexpr kva_t VMEMMAP = 0xffffea0000000000;

TEST(MemoryModel, VmemmapIsPureArithmetic)
{
  TwoNodeMachine m(MemoryModelKind::sparsemem_vmemmap);
  // vmemmap + pfn, both ways, for pfns of each node.
  EXPECT_EQ(m.mm.pfn_to_page(0x100).value, VMEMMAP + 0x100 * 64);
  EXPECT_EQ(m.mm.pfn_to_page(0x20000).value, 0xffffea0000800000u);
  EXPECT_EQ(m.mm.pfn_to_page(0x40001).value, 0xffffea0001000040u);
  EXPECT_EQ(m.mm.page_to_pfn(0xffffea0001000040).value, 0x40001u);
  // Every pfn of a section with a memmap is valid, holes of the section too;
  // the absent section 3 is not.
  EXPECT_TRUE(m.mm.pfn_valid(0x0));
  EXPECT_TRUE(m.mm.pfn_valid(0x17fff));
  EXPECT_FALSE(m.mm.pfn_valid(0x18000));
  EXPECT_TRUE(m.mm.pfn_valid(0x20000));
  EXPECT_FALSE(m.mm.pfn_valid(0x48000));
  // The vmemmap of section 4 is mapped, host memory and all; section 3's is not.
  EXPECT_NE(m.mm.host_page(VMEMMAP + 0x20000 * 64), nullptr);
  EXPECT_EQ(m.mm.host_page(VMEMMAP + 0x18000 * 64), nullptr);
  // Under VMEMMAP every valid section encodes to vmemmap itself.
  EXPECT_EQ(__section_mem_map_addr(m.mm.sections().flags(), *m.mm.sections().__nr_to_section(4)), VMEMMAP);
}

TEST(MemoryModel, ClassicSparseFindsEachSectionsMemmap)
{
  TwoNodeMachine m(MemoryModelKind::sparsemem);
  // Top-down memblock allocations, in sparse_init()'s order: root array
  // [0x47ffc000,+16K) any node; root page [0x27fff000,+4K) node 0; usemap_map
  // [0x47bfc000,+4M); usemaps [0x27ffef80,+128) node 0 and [0x47bfbfe0,+32)
  // node 1; map_map [0x477fbfc0,+4M); memmap of node 0's run of 4 sections
  // [0x277fe000,+8M) and of node 1's section [0x475fb000,+2M).
  EXPECT_EQ(m.mm.pfn_to_page(0x0).value, PAGE_OFFSET + 0x277fe000);
  EXPECT_EQ(m.mm.pfn_to_page(0x8000).value, PAGE_OFFSET + 0x279fe000);
  EXPECT_EQ(m.mm.pfn_to_page(0x20000).value, PAGE_OFFSET + 0x27dfe000);  // section 4 follows section 2
  EXPECT_EQ(m.mm.pfn_to_page(0x20001).value, PAGE_OFFSET + 0x27dfe040);
  EXPECT_EQ(m.mm.pfn_to_page(0x40000).value, PAGE_OFFSET + 0x475fb000);
  // The encoded map is the memmap minus the section's first pfn in struct pages.
  EXPECT_EQ(m.mm.sections().__nr_to_section(4)->section_mem_map,
            (PAGE_OFFSET + 0x27dfe000 - 0x20000 * 64) | SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP |
                m.mm.sections().flags().is_online);
  EXPECT_EQ(m.mm.sections().flags().is_online, 1u << 2);  // v4.17's SECTION_IS_ONLINE
  EXPECT_FALSE(m.mm.pfn_valid(0x18000));
  // The memmap and the tables are reserved; the temporary arrays were freed.
  EXPECT_TRUE(memblock_is_region_reserved(m.mb, 0x277fe000, 0x800000));
  EXPECT_TRUE(memblock_is_region_reserved(m.mb, 0x475fb000, 0x200000));
  EXPECT_FALSE(memblock_is_region_reserved(m.mb, 0x477fbfc0, 0x400000));
  EXPECT_FALSE(memblock_is_region_reserved(m.mb, 0x47bfc000, 0x400000));
}

TEST(MemoryModel, ClassicSparsePageToPfnReadsTheSectionFromFlags)
{
  TwoNodeMachine m(MemoryModelKind::sparsemem);
  const kva_t p = m.mm.pfn_to_page(0x20001).value;
  page* host = m.mm.host_page(p);
  ASSERT_NE(host, nullptr);

  // Fresh from memblock_virt_alloc_try_nid_raw(): all 0xff, and the shadow
  // says nobody initialized it.
  EXPECT_TRUE(PagePoisoned(*host));
  ASSERT_NE(m.mm.shadow(0x20001), nullptr);
  EXPECT_FALSE(m.mm.shadow(0x20001)->initialized());
  // Poisoned flags give section 0x7ffff, whose root (2047) does not exist:
  // the kernel dereferences NULL in __section_mem_map_addr().
  const Translation poisoned = m.mm.page_to_pfn(p);
  EXPECT_FALSE(poisoned.ok());
  EXPECT_NE(poisoned.fault.find("section 0x7ffff"), std::string::npos) << poisoned.fault;

  // Zeroed flags say section 0: the kernel subtracts section 0's encoded map
  // (0x277fe000 - 0) from 0x27dfe040 and gets pfn 0x18001, not 0x20001.
  host->flags = 0;
  const Translation zeroed = m.mm.page_to_pfn(p);
  ASSERT_TRUE(zeroed.ok());
  EXPECT_EQ(zeroed.value, 0x18001u);

  // Once set_page_links() has written the section, the answer is right.
  set_page_links(*host, 2, 0, 0x20001, m.mm.flags_layout());
  EXPECT_EQ(m.mm.page_to_pfn(p).value, 0x20001u);
  EXPECT_EQ(m.mm.page_to_phys(p).value, 0x20001000u);
}

TEST(MemoryModel, ClassicSparseReportsEachFlagsRead)
{
  struct Recorder : PageReadObserver {
    void on_page_read(const MemoryModel&, kva_t page, std::string_view accessor, std::uint64_t value) override
    {
      reads.push_back({page, accessor, value});
    }
    struct Read {
      kva_t page;
      std::string_view accessor;  // a literal in the model
      std::uint64_t value;
    };
    std::vector<Read> reads;
  } recorder;
  TwoNodeMachine m(MemoryModelKind::sparsemem);
  m.mm.observer = &recorder;
  const kva_t p = m.mm.pfn_to_page(0x40000).value;
  (void)m.mm.page_to_pfn(p);
  ASSERT_EQ(recorder.reads.size(), 1u);
  EXPECT_EQ(recorder.reads[0].page, p);
  EXPECT_EQ(recorder.reads[0].accessor, "page_to_section");
  EXPECT_EQ(recorder.reads[0].value, PAGE_POISON_FLAGS);
  // VMEMMAP never reads the struct.
  TwoNodeMachine v(MemoryModelKind::sparsemem_vmemmap);
  v.mm.observer = &recorder;
  (void)v.mm.page_to_pfn(v.mm.pfn_to_page(0x40000).value);
  EXPECT_EQ(recorder.reads.size(), 1u);
}

TEST(MemoryModel, ClassicSparseWithoutARootFaultsInPfnToPage)
{
  TwoNodeMachine m(MemoryModelKind::sparsemem);
  // Section 0x1000 (512 GiB) lies in root 16, never allocated.
  EXPECT_FALSE(m.mm.pfn_to_page(section_nr_to_pfn(0x1000)).ok());
}

TEST(MemoryModel, FlatmemIsOneArrayFromPfnZero)
{
  memblock mb(1);
  MemoryModel mm(MemoryModelKind::flatmem, PageFlagsLayout::from_config(default_kconfig_values()), VirtualLayout{});
  memblock_add_node(mb, 0x1000, 0x9e000, 0);
  memblock_add_node(mb, 0x100000, 0x8000000 - 0x100000, 0);
  pglist_data pgdat;
  pgdat.node_start_pfn = 1;
  pgdat.node_spanned_pages = 0x8000 - 1;
  alloc_node_mem_map(mm, mb, pgdat);
  // pfns [0, 0x8000) (MAX_ORDER-aligned) x 64 bytes = 2 MiB, top-down: [0x7e00000, 0x8000000).
  EXPECT_TRUE(memblock_is_region_reserved(mb, 0x7e00000, 0x200000));
  EXPECT_EQ(pgdat.node_mem_map, PAGE_OFFSET + 0x7e00000 + 64);  // node_start_pfn 1
  EXPECT_EQ(mm.mem_map(), PAGE_OFFSET + 0x7e00000);
  EXPECT_EQ(mm.pfn_to_page(0x100).value, 0xffff880007e04000u);
  EXPECT_EQ(mm.page_to_pfn(0xffff880007e04000).value, 0x100u);
  EXPECT_TRUE(mm.pfn_valid(0x7fff));
  EXPECT_FALSE(mm.pfn_valid(0x8000));
  // A zeroed (not poisoned) allocation: FLATMEM's memmap starts as zeroes.
  ASSERT_NE(mm.pfn_host_page(0x100), nullptr);
  EXPECT_EQ(mm.pfn_host_page(0x100)->flags, 0u);
  EXPECT_FALSE(mm.shadow(0x100)->initialized());
}

TEST(MemoryModel, HostMemoryIsOneSixtyFourthOfRam)
{
  TwoNodeMachine m(MemoryModelKind::sparsemem);
  // 5 present sections x 2 MiB of struct pages, plus 5 x 32768 shadow
  // records and the 5 usemaps.
  EXPECT_EQ(m.mm.host_bytes(), 5 * (2 * SZ_1M + 32768 * sizeof(PageShadow)) + 4 * 32 + 32);
  EXPECT_EQ(m.mm.memmap_sections(), (std::vector<std::uint64_t>{0, 1, 2, 4, 8}));
}

}  // namespace
}  // namespace pginit
