// SPDX-License-Identifier: MIT
// memory_model.cpp - the translation helpers of each memory model and the
// host memory behind the memmap.
#include "include/asm-generic/memory_model.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

#include <fmt/format.h>

#include "include/linux/page-flags.h"

namespace pginit {

namespace {

// C's (struct page *)a - (struct page *)b: a signed difference in units of
// struct page, returned as the unsigned long the kernel stores it in.
std::uint64_t page_ptr_diff(kva_t a, kva_t b)
{
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(a - b) / static_cast<std::int64_t>(sizeof(page)));
}

}  // namespace

MemoryModelKind memory_model_from_config(const KconfigValues& config)
{
  if (kconfig_enabled(config, "SPARSEMEM"))
    return kconfig_enabled(config, "SPARSEMEM_VMEMMAP") ? MemoryModelKind::sparsemem_vmemmap
                                                         : MemoryModelKind::sparsemem;
  return MemoryModelKind::flatmem;
}

std::string_view memory_model_name(MemoryModelKind kind)
{
  switch (kind) {
    case MemoryModelKind::flatmem: return "FLATMEM";
    case MemoryModelKind::sparsemem: return "SPARSEMEM";
    case MemoryModelKind::sparsemem_vmemmap: return "SPARSEMEM_VMEMMAP";
  }
  return "?";
}

MemoryModel::MemoryModel(MemoryModelKind kind, const PageFlagsLayout& flags, const VirtualLayout& vm,
                         bool page_extension, const SectionFlags& section_flags)
    : kind_(kind), flags_(flags), vm_(vm), sections_(page_extension, section_flags)
{
}

void MemoryModel::use_page_runs()
{
  runs_ = std::make_unique<PageRuns>();
  free_blocks_ = std::make_unique<FreeBlocks>();
}

std::byte* MemoryModel::back_phys(phys_addr_t phys, std::uint64_t size, std::byte fill)
{
  HostBuffer buf(size);
  if (fill != std::byte{0}) {
    if (host_fill_)
      host_fill_(buf.data(), size, fill);
    else
      std::memset(buf.data(), std::to_integer<int>(fill), size);
  }
  auto pos = std::upper_bound(backings_.begin(), backings_.end(), phys,
                              [](phys_addr_t pa, const Backing& b) { return pa < b.base; });
  std::byte* data = buf.data();
  backings_.insert(pos, Backing{phys, size, std::move(buf), fill});
  host_bytes_ += size;
  return data;
}

void MemoryModel::back_memmap(phys_addr_t phys, std::uint64_t size, std::byte fill)
{
  if (!runs_) {
    back_phys(phys, size, fill);
    return;
  }
  auto pos = std::upper_bound(backings_.begin(), backings_.end(), phys,
                              [](phys_addr_t pa, const Backing& b) { return pa < b.base; });
  backings_.insert(pos, Backing{phys, size, HostBuffer{}, fill});
}

std::byte MemoryModel::memmap_fill(pfn_t pfn) const
{
  const kva_t p = pfn_to_page(pfn).value;
  phys_addr_t pa = PHYS_ADDR_MAX;
  if (vm_.is_vmemmap(p)) {
    const std::uint64_t off = p - vm_.vmemmap_base;
    const std::uint64_t idx = off >> PMD_SHIFT;
    if (idx < vmemmap_pmds_.size() && vmemmap_pmds_[idx] != PHYS_ADDR_MAX) pa = vmemmap_pmds_[idx] + (off & (PMD_SIZE - 1));
  } else if (vm_.is_direct_map(p)) {
    pa = vm_.__pa(p);
  }
  const Backing* b = backing_of(pa);
  return b == nullptr ? std::byte{0} : b->fill;
}
const MemoryModel::Backing* MemoryModel::backing_of(phys_addr_t pa) const
{
  if (pa == PHYS_ADDR_MAX) return nullptr;
  auto it = std::upper_bound(backings_.begin(), backings_.end(), pa,
                             [](phys_addr_t a, const Backing& b) { return a < b.base; });
  if (it == backings_.begin()) return nullptr;
  --it;
  return pa - it->base < it->size ? &*it : nullptr;
}

std::byte* MemoryModel::host_phys(phys_addr_t pa) const
{
  const Backing* b = backing_of(pa);
  return b == nullptr || b->buffer.data() == nullptr ? nullptr : b->buffer.data() + (pa - b->base);
}

void MemoryModel::vmemmap_set_pmd(kva_t addr, phys_addr_t block)
{
  const std::uint64_t idx = (addr - vm_.vmemmap_base) >> PMD_SHIFT;
  if (idx >= vmemmap_pmds_.size()) {
    vmemmap_pmds_.resize(idx + 1, PHYS_ADDR_MAX);
    vmemmap_pmd_host_.resize(idx + 1, nullptr);
  }
  vmemmap_pmds_[idx] = block;
  vmemmap_pmd_host_[idx] = host_phys(block);  // the block is backed before it is mapped
}

bool MemoryModel::vmemmap_pmd_mapped(kva_t addr) const
{
  const std::uint64_t idx = (addr - vm_.vmemmap_base) >> PMD_SHIFT;
  return idx < vmemmap_pmds_.size() && vmemmap_pmds_[idx] != PHYS_ADDR_MAX;
}

void MemoryModel::set_mem_map(kva_t mem_map, pfn_t max_mapnr)
{
  mem_map_ = mem_map;
  max_mapnr_ = max_mapnr;
}

void MemoryModel::add_section_shadow(std::uint64_t section_nr)
{
  if (runs_) {
    const pfn_t start = section_nr_to_pfn(section_nr);
    if (runs_->contains(start)) return;
    const pfn_t count = kind_ == MemoryModelKind::flatmem ? std::min(PAGES_PER_SECTION, max_mapnr_ - start)
                                                          : PAGES_PER_SECTION;
    runs_->add(start, start + count);
    memmap_sections_.insert(std::upper_bound(memmap_sections_.begin(), memmap_sections_.end(), section_nr),
                            section_nr);
    return;
  }
  if (section_nr >= shadow_.size()) shadow_.resize(section_nr + 1);
  if (shadow_[section_nr]) return;
  // calloc, not new[]: all-zero bytes are a never-initialized shadow, and
  // fresh host pages are zero already, so a section's shadows cost nothing
  // until the struct pages they describe are initialized (a 1 TiB run has
  // 768 MiB of them).
  static_assert(std::is_trivially_copyable_v<PageShadow> && static_cast<int>(InitPhase::none) == 0);
  auto* shadows = static_cast<PageShadow*>(std::calloc(PAGES_PER_SECTION, sizeof(PageShadow)));
  if (shadows == nullptr) throw std::bad_alloc();
  shadow_[section_nr].reset(shadows);
  host_bytes_ += PAGES_PER_SECTION * sizeof(PageShadow);
  memmap_sections_.insert(std::upper_bound(memmap_sections_.begin(), memmap_sections_.end(), section_nr),
                          section_nr);
}

page* MemoryModel::host_page(kva_t p) const
{
  if (p % sizeof(page) != 0) return nullptr;
  std::byte* host = nullptr;
  if (vm_.is_vmemmap(p)) {
    const std::uint64_t off = p - vm_.vmemmap_base;
    const std::uint64_t idx = off >> PMD_SHIFT;
    if (idx >= vmemmap_pmds_.size() || vmemmap_pmd_host_[idx] == nullptr) return nullptr;
    host = vmemmap_pmd_host_[idx] + (off & (PMD_SIZE - 1));
  } else if (vm_.is_direct_map(p)) {
    host = host_phys(vm_.__pa(p));
  }
  return reinterpret_cast<page*>(host);
}

page* MemoryModel::pfn_host_page(pfn_t pfn) const
{
  switch (kind_) {
    case MemoryModelKind::flatmem:
      return pfn < max_mapnr_ ? host_page(mem_map_ + pfn * sizeof(page)) : nullptr;
    case MemoryModelKind::sparsemem_vmemmap:
      return host_page(vm_.vmemmap_base + pfn * sizeof(page));
    case MemoryModelKind::sparsemem: {
      const mem_section* ms = sections_.__nr_to_section(pfn_to_section_nr(pfn));
      if (!valid_section(ms)) return nullptr;
      return host_page(__section_mem_map_addr(sections_.flags(), *ms) + pfn * sizeof(page));
    }
  }
  return nullptr;
}

MemoryModel::SectionPages MemoryModel::section_pages(std::uint64_t section_nr) const
{
  const pfn_t start = section_nr_to_pfn(section_nr);
  page* first = pfn_host_page(start);
  if (first == nullptr) return {nullptr, 0};
  if (kind_ == MemoryModelKind::flatmem) return {first, std::min(PAGES_PER_SECTION, max_mapnr_ - start)};
  return {first, PAGES_PER_SECTION};
}

PageShadow* MemoryModel::shadow(pfn_t pfn)
{
  const std::uint64_t nr = pfn_to_section_nr(pfn);
  if (nr >= shadow_.size() || !shadow_[nr]) return nullptr;
  return &shadow_[nr][pfn & (PAGES_PER_SECTION - 1)];
}

const PageShadow* MemoryModel::shadow(pfn_t pfn) const { return const_cast<MemoryModel*>(this)->shadow(pfn); }

page MemoryModel::read_page(pfn_t pfn) const
{
  if (!runs_) {
    const page* host = pfn_host_page(pfn);
    return host == nullptr ? page{} : *host;
  }
  page p{};
  const PageRunState* s = runs_->find(pfn);
  if (s == nullptr) return p;
  const kva_t lru = page_lru(pfn_to_page(pfn).value);
  switch (s->body) {
    case PageRunState::Body::raw: std::memset(&p, std::to_integer<int>(memmap_fill(pfn)), sizeof(page)); break;
    case PageRunState::Body::zeroed: break;
    case PageRunState::Body::init: p = page{page_links(s->zid, s->nid, pfn, flags_), 0, 0, -1, 1, lru, lru, 0, 0}; break;
  }
  if (s->reserved == PageRunState::Bit::set) SetPageReserved(p);
  if (s->reserved == PageRunState::Bit::cleared) __ClearPageReserved(p);
  if (s->lru == PageRunState::Lru::self) p.lru_next = p.lru_prev = lru;
  if (s->lru == PageRunState::Lru::poison) {
    p.lru_next = LIST_POISON1;
    p.lru_prev = LIST_POISON2;
  }
  if (s->refcount_zero) p._refcount = 0;
  if (const int order = free_blocks_->head_order(pfn); order >= 0) {
    p._mapcount = PAGE_BUDDY_MAPCOUNT_VALUE;  // set_page_order()
    p.private_ = static_cast<std::uint64_t>(order);
    p.lru_next = p.lru_prev = 0;  // the free list's links are kept beside the pages
  }
  return p;
}

PageShadow MemoryModel::read_shadow(pfn_t pfn) const
{
  if (runs_) {
    const PageRunState* s = runs_->find(pfn);
    return s == nullptr ? PageShadow{} : s->shadow;
  }
  const PageShadow* s = shadow(pfn);
  return s == nullptr ? PageShadow{} : *s;
}

std::optional<pfn_t> MemoryModel::memmap_pfn_of(kva_t p) const
{
  if (p % sizeof(page) != 0) return std::nullopt;
  std::optional<pfn_t> pfn;
  switch (kind_) {
    case MemoryModelKind::flatmem:
      if (p >= mem_map_ && (p - mem_map_) / sizeof(page) < max_mapnr_) pfn = (p - mem_map_) / sizeof(page);
      break;
    case MemoryModelKind::sparsemem_vmemmap:
      if (vm_.is_vmemmap(p) && vmemmap_pmd_mapped(p)) pfn = (p - vm_.vmemmap_base) / sizeof(page);
      break;
    case MemoryModelKind::sparsemem:
      // Each section's memmap is where sparse_init() put it: look for the one holding p.
      for (std::uint64_t sec : memmap_sections_) {
        const mem_section* ms = sections_.__nr_to_section(sec);
        if (!valid_section(ms)) continue;
        const kva_t first = __section_mem_map_addr(sections_.flags(), *ms) + section_nr_to_pfn(sec) * sizeof(page);
        if (p >= first && p < first + PAGES_PER_SECTION * sizeof(page))
          return section_nr_to_pfn(sec) + (p - first) / sizeof(page);
      }
      return std::nullopt;
  }
  if (pfn && (runs_ ? !runs_->contains(*pfn) : shadow(*pfn) == nullptr)) return std::nullopt;
  return pfn;
}

std::optional<std::uint64_t> MemoryModel::read_flags(kva_t p) const
{
  if (!runs_) {
    const page* host = host_page(p);
    if (host == nullptr) return std::nullopt;
    return host->flags;
  }
  const std::optional<pfn_t> pfn = memmap_pfn_of(p);
  if (!pfn) return std::nullopt;
  return read_page(*pfn).flags;
}

std::uint64_t* MemoryModel::pageblock_word(pfn_t pfn, unsigned* shift)
{
  constexpr unsigned NR_PAGEBLOCK_BITS = 4;
  constexpr unsigned PB_MIGRATE_END = 2;  // the migratetype's last bit
  std::uint64_t* bitmap = nullptr;
  std::uint64_t bitidx = 0;
  if (kind_ == MemoryModelKind::flatmem) {
    if (pfn >= max_mapnr_) return nullptr;
    if (flat_pageblock_flags_.empty()) flat_pageblock_flags_.resize((max_mapnr_ >> pageblock_order_) / 16 + 1);
    bitmap = flat_pageblock_flags_.data();
    bitidx = (pfn >> pageblock_order_) * NR_PAGEBLOCK_BITS;
  } else {
    const mem_section* ms = sections_.__nr_to_section(pfn_to_section_nr(pfn));
    if (!valid_section(ms) || ms->pageblock_flags == 0) return nullptr;
    bitmap = reinterpret_cast<std::uint64_t*>(host_phys(vm_.__pa(ms->pageblock_flags)));
    if (bitmap == nullptr) return nullptr;
    bitidx = ((pfn & (PAGES_PER_SECTION - 1)) >> pageblock_order_) * NR_PAGEBLOCK_BITS;
  }
  *shift = static_cast<unsigned>(64 - (bitidx % 64 + PB_MIGRATE_END) - 1);
  return bitmap + bitidx / 64;
}

Translation MemoryModel::pfn_to_page(pfn_t pfn) const
{
  switch (kind_) {
    case MemoryModelKind::flatmem:
      // mem_map + (pfn - ARCH_PFN_OFFSET), ARCH_PFN_OFFSET = 0
      return {mem_map_ + pfn * sizeof(page), {}};
    case MemoryModelKind::sparsemem_vmemmap:
      return {vm_.vmemmap_base + pfn * sizeof(page), {}};
    case MemoryModelKind::sparsemem: {
      // __section_mem_map_addr(__pfn_to_section(pfn)) + pfn: reads mem_section only.
      const std::uint64_t nr = pfn_to_section_nr(pfn);
      const mem_section* ms = sections_.__nr_to_section(nr);
      if (ms == nullptr)
        return {0, fmt::format("__pfn_to_section({:#x}) is NULL (section {:#x} has no mem_section root); "
                               "__section_mem_map_addr() dereferences NULL",
                               pfn, nr)};
      return {__section_mem_map_addr(sections_.flags(), *ms) + pfn * sizeof(page), {}};
    }
  }
  return {};
}

Translation MemoryModel::page_to_pfn(kva_t p) const
{
  switch (kind_) {
    case MemoryModelKind::flatmem:
      return {page_ptr_diff(p, mem_map_), {}};
    case MemoryModelKind::sparsemem_vmemmap:
      return {page_ptr_diff(p, vm_.vmemmap_base), {}};
    case MemoryModelKind::sparsemem: {
      // __page_to_pfn(): page - __section_mem_map_addr(__nr_to_section(page_to_section(page)))
      const std::optional<std::uint64_t> read = read_flags(p);
      if (!read)
        return {0, fmt::format("page_to_section() reads page->flags at {:#x}, which is not mapped", p)};
      const std::uint64_t flags = *read;
      if (observer != nullptr) observer->on_page_read(*this, p, "page_to_section", flags);
      page as_read{};
      as_read.flags = flags;
      const std::uint64_t nr = page_to_section(as_read, flags_);
      const mem_section* ms = sections_.__nr_to_section(nr);
      if (ms == nullptr)
        return {0, fmt::format("page->flags {:#018x} gives section {:#x}, whose mem_section root {} was never "
                               "allocated: __section_mem_map_addr(NULL) dereferences NULL",
                               flags, nr, nr / sections_.sections_per_root())};
      return {page_ptr_diff(p, __section_mem_map_addr(sections_.flags(), *ms)), {}};
    }
  }
  return {};
}

Translation MemoryModel::page_to_phys(kva_t p) const
{
  Translation t = page_to_pfn(p);
  t.value <<= PAGE_SHIFT;
  return t;
}

bool MemoryModel::pfn_valid(pfn_t pfn) const
{
  if (kind_ == MemoryModelKind::flatmem) return pfn < max_mapnr_;
  const std::uint64_t nr = pfn_to_section_nr(pfn);
  return nr < NR_MEM_SECTIONS && valid_section(sections_.__nr_to_section(nr));
}

}  // namespace pginit
