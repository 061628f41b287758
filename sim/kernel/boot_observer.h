// SPDX-License-Identifier: MIT
// boot_observer.h - what can watch a boot without being part of it: the
// page-read checker, the report recorder, --trace/--explain narration. The
// kernel calls these at the points a kernel engineer would put a
// tracepoint; an observer never changes the kernel's state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "include/linux/pfn.h"
#include "arch/x86/mm/vm_layout.h"

namespace pginit {

struct Kernel;
struct KernelState;

// A translation of a kernel address to a physical one that went through a
// struct page (per_cpu_ptr_to_phys()): what it returned and what was right.
struct TranslationEvent {
  kva_t addr = 0;
  std::string_view what;       // addr as the caller writes it: "&per_cpu(gdt_page, 0)"
  pfn_t expected_pfn = 0;      // the page truly behind addr
  phys_addr_t expected = 0;    // the right physical address
  bool ok = false;             // false: the kernel faults on the way
  phys_addr_t value = 0;       // what it returned, when ok
  std::string_view fault;      // what faulted, when not ok
};

// A kernel path that reads a struct page after boot (a /proc/kpageflags
// read, a sysfs valid_zones test, set_zone_contiguous()): which pfn, what it
// takes from the page, and what the kernel does when the page is garbage.
struct PageUseEvent {
  pfn_t pfn = 0;
  std::string_view reader;    // the kernel function walking the pfns: "kpageflags_read"
  std::string_view accessor;  // what it reads the page with: "stable_page_flags", "page_zone"
  // The reader takes the page's zone and node (page_zone(), page_to_nid()),
  // not only its flag bits: a page linked to another zone or node than the
  // one spanning its pfn misleads it.
  bool uses_links = false;
  std::string_view on_poison;      // what a poisoned page->flags leads to
  std::string_view on_wrong_link;  // what a wrong zone or node link leads to
};

// A CPU access to a page's memory through a kernel virtual address the
// kernel computed from its struct page (page_address(), kmap()).
struct PageAccessEvent {
  pfn_t pfn = 0;
  kva_t page = 0;           // the struct page (pfn_to_page())
  kva_t kaddr = 0;          // what page_address() returned
  std::string_view via;     // "page_address", "kmap"
};

// One chunk of a node's deferred work: the worker that ran it (0 is the
// node's pgdatinit thread, others padata's helpers) and when.
struct DeferredChunkRun {
  unsigned worker = 0;
  std::uint64_t start_ns = 0;
  std::uint64_t ns = 0;
  pfn_t start_pfn = 0, end_pfn = 0;  // [start_pfn, end_pfn)
  std::uint64_t pages_initialized = 0;
};

// One node's deferred work after smp_init(), on the simulated clock.
struct DeferredNodeRun {
  int nid = 0;
  std::uint64_t start_ns = 0;
  std::uint64_t ns = 0;
  unsigned threads = 1;
  std::uint64_t chunks = 0;
  std::uint64_t pages_initialized = 0;
  std::vector<DeferredChunkRun> chunk_runs;  // in chunk order
};

class BootObserver {
 public:
  virtual ~BootObserver() = default;
  // A modelled kernel function starts; depth 1 is start_kernel().
  virtual void on_call(const Kernel&, std::size_t /*depth*/, const char* /*fn*/) {}
  // A point of the boot worth a look at the memmap ("after mm_init ...").
  virtual void on_milestone(const Kernel&, std::string_view /*label*/) {}
  virtual void on_translation(const Kernel&, const TranslationEvent&) {}
  virtual void on_deferred_node(const Kernel&, const DeferredNodeRun&) {}
  virtual void on_page_use(const Kernel&, const PageUseEvent&) {}
  virtual void on_page_access(const Kernel&, const PageAccessEvent&) {}
  // A phase initialized `pages` more struct pages (a zone early, mm_init's
  // reserved pages, an on-demand growth, one deferred chunk). Called from the
  // deferred phase's worker threads too, in any order: for progress only,
  // never for anything that is printed.
  virtual void on_pages_initialized(const Kernel&, std::uint64_t /*pages*/) {}
};

// Several observers as one, called in the order they were added.
class BootObservers final : public BootObserver {
 public:
  void add(BootObserver* o) { observers_.push_back(o); }
  void on_call(const Kernel& k, std::size_t depth, const char* fn) override
  {
    for (BootObserver* o : observers_) o->on_call(k, depth, fn);
  }
  void on_milestone(const Kernel& k, std::string_view label) override
  {
    for (BootObserver* o : observers_) o->on_milestone(k, label);
  }
  void on_translation(const Kernel& k, const TranslationEvent& t) override
  {
    for (BootObserver* o : observers_) o->on_translation(k, t);
  }
  void on_deferred_node(const Kernel& k, const DeferredNodeRun& r) override
  {
    for (BootObserver* o : observers_) o->on_deferred_node(k, r);
  }
  void on_page_use(const Kernel& k, const PageUseEvent& e) override
  {
    for (BootObserver* o : observers_) o->on_page_use(k, e);
  }
  void on_page_access(const Kernel& k, const PageAccessEvent& a) override
  {
    for (BootObserver* o : observers_) o->on_page_access(k, a);
  }
  void on_pages_initialized(const Kernel& k, std::uint64_t pages) override
  {
    for (BootObserver* o : observers_) o->on_pages_initialized(k, pages);
  }

 private:
  std::vector<BootObserver*> observers_;
};

}  // namespace pginit
