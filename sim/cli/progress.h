// SPDX-License-Identifier: MIT
// progress.h - "how far, how long still" for work that takes a while: one
// line on stderr, rewritten in place (\r) at most ten times a second and
// cleared when the work ends. Only for people at a terminal: it never
// touches stdout, and callers enable it with progress_wanted(), which says
// no when stderr is not a terminal. What the work prints is not changed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace pginit {

// Whether to show progress: stderr is a terminal and the user did not ask
// for quiet. PGINIT_PROGRESS_AFTER_MS (default 1000) is how long the work
// must run before the line appears; the tests set it to 0.
bool progress_wanted(bool quiet);
std::chrono::milliseconds progress_delay();

// How fast the work goes: `units` done in `over`.
struct ProgressRate {
  std::uint64_t units = 0;
  std::chrono::milliseconds over{0};
};

// The line for `done` of `total` units after `elapsed`; the ETA is `rate`
// applied to what is left ("--" while there is no rate). total 0: not known yet.
std::string format_progress(const std::string& what, const std::string& unit, std::uint64_t done,
                            std::uint64_t total, std::chrono::milliseconds elapsed, const ProgressRate& rate);

class Progress {
 public:
  // total: units of the whole work, 0 if not known yet (set_total). enabled
  // false: every call is a no-op, no thread is started.
  Progress(std::string what, std::string unit, std::uint64_t total, bool enabled,
           std::chrono::milliseconds delay = progress_delay());
  ~Progress();  // stops and clears the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Thread-safe: the parallel phases and sweeps call these from workers.
  void set_total(std::uint64_t total) { total_.store(total, std::memory_order_relaxed); }
  void add(std::uint64_t n) { done_.fetch_add(n, std::memory_order_relaxed); }
  void set_what(std::string what);  // the step now running
  // Runs write (which prints to stdout) with the progress line off the
  // terminal, so that what it prints starts at column 0 and nothing of the
  // line is left behind; the next tick draws the line again below it.
  void above(const std::function<void()>& write);
  void finish();  // as the destructor; later calls do nothing

 private:
  void tick();
  void render(std::chrono::milliseconds elapsed);

  std::string what_;
  std::string unit_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> total_{0};
  std::chrono::milliseconds delay_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;  // guards what_, stop_, shown_ and the terminal
  std::condition_variable wake_;
  bool stop_ = false;
  bool shown_ = false;  // a line is on the terminal
  bool stdout_is_terminal_ = false;  // above() clears the line only then
  bool counting_ = false;  // units seen: the rate runs from first_at_/first_done_
  std::chrono::milliseconds first_at_{0};
  std::uint64_t first_done_ = 0;
  std::thread ticker_;
};

}  // namespace pginit
