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

#include "call_stack.h"
#include "memory_model.h"

namespace pginit {

struct PageReadViolation {
  pfn_t pfn = 0;                    // the struct page's own pfn
  std::string accessor;             // page_to_section, ...
  std::uint64_t value = 0;          // what it read
  std::uint64_t decoded = 0;        // what the accessor made of it (the section number)
  bool zeroed = false;              // zeroes (zero_resv_unavail) rather than poison
  std::vector<std::string> stack;   // start_kernel() first
  std::uint64_t time_ns = 0;
  std::string translation;          // "page_to_pfn() = 0x... (expected 0x...)" or the fault
  std::string consequence;          // what the caller does with it

  // The report, as a kernel engineer would write it; `initialized_by` is the
  // phase that initialized the page in the end ("" if none did).
  std::vector<std::string> report(const std::string& initialized_by) const;
};

// The phase that initialized pfn in the end, "" if none did: what a
// violation report names as "not initialized until phase ...".
std::string initialized_by(const MemoryModel& mm, pfn_t pfn);

class PageReadChecker final : public PageReadObserver {
 public:
  PageReadChecker(const CallStack& stack, const std::uint64_t& clock_ns) : stack_(stack), clock_ns_(clock_ns) {}

  void on_page_read(const MemoryModel& mm, kva_t page, std::string_view accessor, std::uint64_t value) override;

  std::vector<PageReadViolation>& violations() { return violations_; }
  const std::vector<PageReadViolation>& violations() const { return violations_; }

 private:
  const CallStack& stack_;
  const std::uint64_t& clock_ns_;
  std::vector<PageReadViolation> violations_;
};

}  // namespace pginit
