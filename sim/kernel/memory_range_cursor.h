// SPDX-License-Identifier: MIT
// memory_range_cursor.h - a walk up the pfns over memblock.memory's ranges
// (ascending, disjoint pfn_ranges): is this pfn memory, in which range, and
// where does that answer next change. For the passes that read the memmap
// run by run (the proof, the report's runs) instead of pfn by pfn.
#pragma once

#include <cstddef>
#include <vector>

#include "include/linux/memblock.h"
#include "include/linux/mmzone.h"

namespace pginit {

class MemoryRangeCursor {
 public:
  explicit MemoryRangeCursor(const std::vector<pfn_range>& ranges) : ranges_(ranges) {}

  // Moves to pfn (never backwards): whether it is memory; *change gets the
  // first pfn after it where that may stop being so (ULONG_MAX_PFN: never).
  bool at(pfn_t pfn, pfn_t* change)
  {
    while (r_ < ranges_.size() && ranges_[r_].end_pfn <= pfn) r_++;
    const bool memory = r_ < ranges_.size() && ranges_[r_].start_pfn <= pfn;
    *change = r_ == ranges_.size() ? ULONG_MAX_PFN : memory ? ranges_[r_].end_pfn : ranges_[r_].start_pfn;
    return memory;
  }
  // The range the last at() found pfn in (only after it returned true), and its index.
  const pfn_range& range() const { return ranges_[r_]; }
  std::size_t index() const { return r_; }

 private:
  const std::vector<pfn_range>& ranges_;
  std::size_t r_ = 0;
};

}  // namespace pginit
