// SPDX-License-Identifier: MIT
// include/linux/jiffies.h - the tick counter and jiffies_to_msecs()
// (kernel/time/time.c), for the "in %ums" a kernel thread prints after
// timing itself with `jiffies - start`: whole ticks, so multiples of
// 1000/HZ ms (4 ms at the usual HZ=250).
#pragma once

#include <cstdint>

namespace pginit {

// The jiffies count at simulated time `ns` since boot (INITIAL_JIFFIES left
// out: only differences are ever printed).
constexpr std::uint64_t jiffies_at(std::uint64_t ns, unsigned hz) { return ns * hz / 1000000000; }

// jiffies_to_msecs(): exact when HZ divides 1000, else rounded up
// (DIV_ROUND_UP(j * HZ_TO_MSEC_NUM, HZ_TO_MSEC_DEN) on 64-bit).
constexpr std::uint64_t jiffies_to_msecs(std::uint64_t j, unsigned hz)
{
  return 1000 % hz == 0 ? j * (1000 / hz) : (j * 1000 + hz - 1) / hz;
}

}  // namespace pginit
