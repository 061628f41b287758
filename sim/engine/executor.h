// SPDX-License-Identifier: MIT
// executor.h - how pginit runs independent work in parallel: fn(i) for
// every i in [0, n), on as many workers as the executor was given. The
// executor travels with the run (RunConfig::threads), never as a
// process-wide setting, and callers must not depend on which worker runs
// what: every parallel phase is written so that its result is the same on
// SerialExecutor, which the tests use as the oracle.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace pginit {

class Executor {
 public:
  virtual ~Executor() = default;
  // How many workers run at once (1 for the serial executor).
  virtual unsigned concurrency() const = 0;
  virtual void for_each_index(std::size_t n, const std::function<void(std::size_t)>& fn) const = 0;
};

// In the calling thread, in index order.
class SerialExecutor final : public Executor {
 public:
  unsigned concurrency() const override { return 1; }
  void for_each_index(std::size_t n, const std::function<void(std::size_t)>& fn) const override;
};

// oneTBB in an arena of `threads` workers (0: every host thread).
//
// Under ThreadSanitizer the same loop runs on std::threads instead. libtbb
// is not built with TSan on Debian, so TSan cannot see its task hand-offs
// and reports races inside oneTBB's own headers (start_for, blocked_range);
// a suppression broad enough to hide them would hide races in pginit's code
// too, since every task's stack has TBB frames below it. With plain threads
// and an instrumented atomic counter, TSan checks what matters: that the
// tasks pginit runs in parallel never race with each other.
class ParallelExecutor final : public Executor {
 public:
  explicit ParallelExecutor(unsigned threads = 0);
  ~ParallelExecutor() override;
  ParallelExecutor(const ParallelExecutor&) = delete;
  ParallelExecutor& operator=(const ParallelExecutor&) = delete;

  unsigned concurrency() const override { return threads_; }
  void for_each_index(std::size_t n, const std::function<void(std::size_t)>& fn) const override;

 private:
  unsigned threads_;
  struct Arena;
  std::unique_ptr<Arena> arena_;
};

// The executor for a --threads value: serial for 1, parallel otherwise.
std::unique_ptr<Executor> make_executor(unsigned threads);

}  // namespace pginit
