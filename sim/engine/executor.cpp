// SPDX-License-Identifier: MIT
#include "engine/executor.h"

#include <algorithm>
#include <thread>

#if defined(__SANITIZE_THREAD__)
#include <atomic>
#include <vector>
#else
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#endif

namespace pginit {

void SerialExecutor::for_each_index(std::size_t n, const std::function<void(std::size_t)>& fn) const
{
  for (std::size_t i = 0; i < n; i++) fn(i);
}

#if defined(__SANITIZE_THREAD__)

struct ParallelExecutor::Arena {};

ParallelExecutor::ParallelExecutor(unsigned threads)
    : threads_(threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency()))
{
}

void ParallelExecutor::for_each_index(std::size_t n, const std::function<void(std::size_t)>& fn) const
{
  const std::size_t workers = std::min<std::size_t>(n, threads_);
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; w++)
    threads.emplace_back([&] {
      for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i);
    });
  for (std::thread& t : threads) t.join();
}

#else

struct ParallelExecutor::Arena {
  explicit Arena(int threads) : arena(threads) {}
  tbb::task_arena arena;
};

ParallelExecutor::ParallelExecutor(unsigned threads)
    : threads_(threads != 0 ? threads : static_cast<unsigned>(std::max(1, tbb::info::default_concurrency()))),
      arena_(std::make_unique<Arena>(static_cast<int>(threads_)))
{
}

void ParallelExecutor::for_each_index(std::size_t n, const std::function<void(std::size_t)>& fn) const
{
  arena_->arena.execute([&] { tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) { fn(i); }); });
}

#endif

ParallelExecutor::~ParallelExecutor() = default;

std::unique_ptr<Executor> make_executor(unsigned threads)
{
  if (threads == 1) return std::make_unique<SerialExecutor>();
  return std::make_unique<ParallelExecutor>(threads);
}

}  // namespace pginit
