// SPDX-License-Identifier: MIT
// page_read_checker.h - watches every struct page field a translation
// helper reads (MemoryModel's PageReadObserver) and records a violation
// when the struct page was not initialized yet: the pfn, what was read
// (poison or zeroes), the simulated call stack at that moment and, filled in
// by the caller, what the wrong value leads to.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pginit/call_stack.h"
#include "engine/clock.h"
#include "kernel/boot_observer.h"
#include "include/asm-generic/memory_model.h"

namespace pginit {

struct PageReadViolation {
  // What went wrong: a read of a struct page nobody initialized, or a CPU
  // access to memory the CPU cannot address (a device-private page).
  enum class Kind { uninitialized_read, unaddressable_access } kind = Kind::uninitialized_read;
  pfn_t pfn = 0;                    // the struct page's own pfn
  std::string accessor;             // page_to_section, ...
  std::uint64_t value = 0;          // what it read
  std::uint64_t decoded = 0;        // what the accessor made of it (the section number)
  bool zeroed = false;              // zeroes (zero_resv_unavail) rather than poison
  std::vector<std::string> stack;   // start_kernel() first
  std::uint64_t time_ns = 0;
  std::string translation;          // "page_to_pfn() = 0x... (expected 0x...)" or the fault
  std::string consequence;          // what the caller does with it
  // Set for a read by a kernel path after boot (PageUseEvent): its name,
  // and, when the page is initialized but linked to the wrong zone or node,
  // "zone DMA, node 0" as the page says and as the spanning zone says.
  std::string reader;
  std::string links_read;
  std::string links_spanning;

  // The report, as a kernel engineer would write it; `initialized_by` is the
  // phase that initialized the page in the end ("" if none did).
  std::vector<std::string> report(const std::string& initialized_by) const;
};

// The phase that initialized pfn in the end, "" if none did: what a
// violation report names as "not initialized until phase ...".
std::string initialized_by(const MemoryModel& mm, pfn_t pfn);

// Watches struct page reads (through MemoryModel's observer) and the
// translations they are part of (as a BootObserver): each read of a page
// no phase has initialized is a violation, and the translation it was part
// of says what the wrong value leads to.
class PageReadChecker final : public PageReadObserver, public BootObserver {
 public:
  PageReadChecker(const CallStack& stack, const SimClock& clock) : stack_(stack), clock_(clock) {}

  void on_page_read(const MemoryModel& mm, kva_t page, std::string_view accessor, std::uint64_t value) override;
  void on_translation(const Kernel& k, const TranslationEvent& t) override;
  // Two rules, whatever the reader: the page was never initialized (poison),
  // or, for a reader of the zone/node links, they differ from the zone and
  // node whose span holds the pfn. A reader stops at its first bad page (the
  // kernel oopses or BUGs there), so only that one is recorded.
  void on_page_use(const Kernel& k, const PageUseEvent& e) override;
  // The rule "device-private pages are not CPU-addressable": a CPU access
  // whose struct page says ZONE_DEVICE with a MEMORY_DEVICE_PRIVATE pgmap.
  void on_page_access(const Kernel& k, const PageAccessEvent& a) override;

  const std::vector<PageReadViolation>& violations() const { return violations_; }
  // What pginit noticed without a bad read (e.g. an uninitialized page that
  // VMEMMAP's arithmetic never looks at).
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  const CallStack& stack_;
  const SimClock& clock_;
  std::vector<PageReadViolation> violations_;
  std::size_t translated_ = 0;  // violations_[0, translated_) belong to earlier translations
  std::vector<std::string> notes_;
  std::vector<std::string> stopped_readers_;  // readers that already hit a bad page
};

}  // namespace pginit
