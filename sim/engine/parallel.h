// SPDX-License-Identifier: MIT
// parallel.h - the one way pginit runs work in parallel: fn(i) for every i
// in [0, n), on oneTBB's workers, bounded by --threads
// (tbb::global_control). Callers must not depend on which worker runs what.
//
// Under ThreadSanitizer the same loop runs on std::threads instead. libtbb
// is not built with TSan on Debian, so TSan cannot see its task hand-offs
// and reports races inside oneTBB's own headers (start_for, blocked_range);
// a suppression broad enough to hide them would hide races in pginit's code
// too, since every task's stack has TBB frames below it. With plain threads
// and an instrumented atomic counter, TSan checks what matters: that the
// tasks pginit runs in parallel never race with each other.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_THREAD__)
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include <tbb/global_control.h>
#else
#include <tbb/parallel_for.h>
#endif

namespace pginit {

template <typename Fn>
void parallel_for_each_index(std::size_t n, Fn&& fn)
{
#if defined(__SANITIZE_THREAD__)
  const std::size_t workers =
      std::min(n, tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; w++)
    threads.emplace_back([&] {
      for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i);
    });
  for (std::thread& t : threads) t.join();
#else
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) { fn(i); });
#endif
}

}  // namespace pginit
