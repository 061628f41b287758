// SPDX-License-Identifier: MIT
// clock.h - simulated time: a boot's clock and what each piece of work
// costs on it (cost_model.h). Log stamps and the "in Tms" of the pgdatinit
// lines come from here, never from the host clock, so the same scenario
// prints the same log on any host and with any --threads.
#pragma once

#include <cstdint>

#include "engine/cost_model.h"

namespace pginit {

class SimClock {
 public:
  explicit SimClock(CostModel cost = {}) : cost_(cost) {}

  std::uint64_t now_ns() const { return now_ns_; }
  void advance(std::uint64_t ns) { now_ns_ += ns; }
  // Jump to a later time (the end of work that ran in parallel).
  void advance_to(std::uint64_t ns)
  {
    if (ns > now_ns_) now_ns_ = ns;
  }
  const CostModel& cost() const { return cost_; }

 private:
  CostModel cost_;
  std::uint64_t now_ns_ = 0;
};

}  // namespace pginit
